"""Curators keep the vocabulary and the links (the roles are in sodertorn/roles.py).

Members declare their own competences on /kompetens/mina/, which needs no permission."""

from sodertorn.roles import CURATOR, EDIT

GRANTS = {
    "competence": {CURATOR: EDIT},
    "need": {CURATOR: EDIT},
    "actorcompetence": {CURATOR: EDIT},
    "membercompetence": {CURATOR: EDIT},
}
