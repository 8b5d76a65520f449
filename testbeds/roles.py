"""Curators keep the testbeds, the municipalities and the themes (roles: sodertorn/roles.py)."""

from sodertorn.roles import CURATOR, EDIT

GRANTS = {
    "testbed": {CURATOR: EDIT},
    "municipality": {CURATOR: EDIT},
    "theme": {CURATOR: EDIT},
}
