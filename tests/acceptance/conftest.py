"""The correspondence fixtures (an adult's and a young person's complaint with internal details as markers)."""

from opencomplaints.cases.tests.conftest import complaint  # noqa: F401 - fixtures shared with the case tests
from opencomplaints.correspondence.tests.conftest import adult_case, child_case  # noqa: F401 - shared fixtures
