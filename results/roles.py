"""Curators keep the results, their attachments, the films and the gallery images
(roles: sodertorn/roles.py)."""

from sodertorn.roles import CURATOR, EDIT

GRANTS = {
    "result": {CURATOR: EDIT},
    "resultattachment": {CURATOR: EDIT},
    "film": {CURATOR: EDIT},
    "galleryimage": {CURATOR: EDIT},
}
