"""What the roles may do with idea groups, memberships and work entries.

The roles themselves, and how these grants become groups, are in sodertorn/roles.py.
Members write in the member pages (the rules are in ideagroups/rules.py); curators review.
"""

from sodertorn.roles import CURATOR, EDIT, MEMBER, VIEW

__all__ = ["CURATOR", "GRANTS", "MEMBER"]

GRANTS = {
    "ideagroup": {CURATOR: EDIT, MEMBER: VIEW},
    # curators end a membership (its "left" date) instead of deleting it
    "membership": {CURATOR: (*EDIT, "invite_member")},
    "workentry": {CURATOR: ("change", "view", "review_workentry"), MEMBER: EDIT},
    "submittedworkentry": {CURATOR: ("change", "view")},
    "transition": {CURATOR: VIEW},
}
