from opencomplaints.councils.services.contacts import (
    ContactDetails,
    contact_create,
    contact_deactivate,
    contact_update,
)
from opencomplaints.councils.services.councils import (
    council_create,
    council_member_add,
    council_member_remove,
    council_member_role_set,
)
from opencomplaints.councils.services.procedures import (
    corporate_procedure_create,
    corporate_procedure_revise,
    local_timescales_create,
    local_timescales_revise,
)
from opencomplaints.councils.services.structure import service_area_create, team_create, team_restructure

__all__ = [
    "ContactDetails",
    "contact_create",
    "contact_deactivate",
    "contact_update",
    "corporate_procedure_create",
    "corporate_procedure_revise",
    "council_create",
    "council_member_add",
    "council_member_remove",
    "council_member_role_set",
    "local_timescales_create",
    "local_timescales_revise",
    "service_area_create",
    "team_create",
    "team_restructure",
]
