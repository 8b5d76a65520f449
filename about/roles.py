"""What the roles may do with accessibility feedback (the roles are in sodertorn/roles.py):
curators read it and mark it handled; nobody but a superuser deletes it."""

from sodertorn.roles import CURATOR

GRANTS = {"feedback": {CURATOR: ("change", "view")}}
