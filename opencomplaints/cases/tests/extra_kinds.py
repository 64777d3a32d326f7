"""A kind a council adds in its settings (``OPENCOMPLAINTS_EXTRA_KINDS``): the test of the kind registry names this
module, and nothing else in the code knows of the kind."""

from opencomplaints.cases.kinds import Answer, CaseKind

KINDS = (
    CaseKind(
        value="service_request",
        label="Service request",
        plural="Service requests",
        slug="service-request",
        answer=Answer.ENQUIRY,
        actions=("respond",),
    ),
)
