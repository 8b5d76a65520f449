"""Curators keep the indicators, the areas and the observations, and import data files
(the import needs add and change on observations; roles: sodertorn/roles.py)."""

from sodertorn.roles import CURATOR, EDIT

GRANTS = {
    "area": {CURATOR: EDIT},
    "indicator": {CURATOR: EDIT},
    "observation": {CURATOR: EDIT},
}
