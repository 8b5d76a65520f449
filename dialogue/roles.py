"""What the roles may do with citizen dialogue (the roles are in sodertorn/roles.py).

* Moderators ("Dialogmoderator") and curators manage rounds, approve or hide contributions
  (``dialogue.moderate_contribution``) and answer them.
* Answerers ("Dialogsvarare") — municipal officers who answer publicly ("Svar från
  kommunen") without moderating: they may open a contribution in the admin and add or edit
  answers.

Nobody but a superuser deletes a contribution or an answer: moderators hide instead.
"""

from sodertorn.roles import ANSWERER, CURATOR, EDIT, MODERATOR, VIEW

__all__ = ["ANSWERER", "ERASE", "GRANTS", "MODERATE", "MODERATOR"]

MODERATE = "moderate_contribution"
ERASE = "erase_personal_data"

GRANTS = {
    "dialogueround": {CURATOR: EDIT, MODERATOR: EDIT, ANSWERER: VIEW},
    "contribution": {
        CURATOR: ("change", "view", MODERATE, ERASE),
        MODERATOR: ("change", "view", MODERATE),
        # change: to save answers written on the contribution's page (its own fields are
        # read-only without the moderation permission).
        ANSWERER: ("change", "view"),
    },
    "pendingcontribution": {
        CURATOR: ("change", "view"),
        MODERATOR: ("change", "view"),
        ANSWERER: VIEW,
    },
    "response": {CURATOR: EDIT, MODERATOR: EDIT, ANSWERER: EDIT},
    "moderationnotice": {},
}
