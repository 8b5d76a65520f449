"""The audit log is for superusers only: no role is granted anything on it."""

GRANTS = {"auditentry": {}}
