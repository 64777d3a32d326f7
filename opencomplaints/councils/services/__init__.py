from opencomplaints.councils.services.councils import (
    council_create,
    council_member_add,
    council_member_remove,
    council_member_role_set,
)
from opencomplaints.councils.services.structure import service_area_create, team_create, team_restructure

__all__ = [
    "council_create",
    "council_member_add",
    "council_member_remove",
    "council_member_role_set",
    "service_area_create",
    "team_create",
    "team_restructure",
]
