"""Curators keep the actors and the collaboration group (roles: sodertorn/roles.py)."""

from sodertorn.roles import CURATOR, EDIT

GRANTS = {
    "actor": {CURATOR: EDIT},
    "collaborationgroup": {CURATOR: EDIT},
    "seat": {CURATOR: EDIT},
    "meeting": {CURATOR: EDIT},
    "systemsolution": {CURATOR: EDIT},
    "contactperson": {CURATOR: EDIT},
    "grant": {CURATOR: EDIT},
}
