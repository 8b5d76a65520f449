"""Curators keep the indicators, the areas and the observations, and import data files
(the import needs add and change on observations; roles: sodertorn/roles.py), and the goal
tracker's programmes, goal areas, goals, responsible bodies and their order."""

from sodertorn.roles import CURATOR, EDIT

GRANTS = {
    "area": {CURATOR: EDIT},
    "indicator": {CURATOR: EDIT},
    "observation": {CURATOR: EDIT},
    "programme": {CURATOR: EDIT},
    "goalarea": {CURATOR: EDIT},
    "goal": {CURATOR: EDIT},
    "body": {CURATOR: EDIT},
    "responsibility": {CURATOR: EDIT},
}
