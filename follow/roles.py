"""What the roles may do with subscriptions (the roles are in sodertorn/roles.py): curators see
how many there are; nobody edits them, and only a superuser deletes."""

from sodertorn.roles import CURATOR

GRANTS = {"subscription": {CURATOR: ("view",)}}
