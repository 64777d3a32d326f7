import itertools

import factory
from django.utils import timezone

from opencomplaints.councils.models import (
    Contact,
    CorporateProcedure,
    Council,
    CouncilMembership,
    IssueCategory,
    RemedyType,
    ServiceArea,
    Team,
)
from opencomplaints.councils.services import council_create


class CouncilFactory(factory.django.DjangoModelFactory[Council]):
    class Meta:
        model = Council
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Borough of Exampleton {n}")
    slug = factory.Sequence(lambda n: f"exampleton-{n}")
    reference_prefix = "CSC"


class CouncilMembershipFactory(factory.django.DjangoModelFactory[CouncilMembership]):
    class Meta:
        model = CouncilMembership

    council = factory.SubFactory(CouncilFactory)
    user = factory.SubFactory("opencomplaints.accounts.tests.factories.UserFactory")


class ServiceAreaFactory(factory.django.DjangoModelFactory[ServiceArea]):
    class Meta:
        model = ServiceArea

    council = factory.SubFactory(CouncilFactory)
    name = factory.Iterator(["Localities", "Children in Care", "Front Door", "Disabled Children"])


class TeamFactory(factory.django.DjangoModelFactory[Team]):
    class Meta:
        model = Team

    service_area = factory.SubFactory(ServiceAreaFactory)
    council = factory.SelfAttribute("service_area.council")
    name = factory.Sequence(lambda n: f"Assessment Team {n}")


class IssueCategoryFactory(factory.django.DjangoModelFactory[IssueCategory]):
    class Meta:
        model = IssueCategory
        django_get_or_create = ("council", "name")

    council = factory.SubFactory(CouncilFactory)
    name = factory.Iterator(["Communication", "Delay", "Staff attitude or behaviour", "Quality of assessment"])


class RemedyTypeFactory(factory.django.DjangoModelFactory[RemedyType]):
    class Meta:
        model = RemedyType
        django_get_or_create = ("council", "code")

    council = factory.SubFactory(CouncilFactory)
    code = "apology"
    name = "Apology"
    is_financial = False


class CorporateProcedureFactory(factory.django.DjangoModelFactory[CorporateProcedure]):
    class Meta:
        model = CorporateProcedure

    council = factory.SubFactory(CouncilFactory)


_council_numbers = itertools.count(1)


def council_with_defaults(*, name: str = "", slug: str = "", reference_prefix: str = "SDH") -> Council:
    """A council created the way installations create them: with its default issue categories, remedy types
    and corporate procedure (``CouncilFactory`` makes a bare row)."""
    n = next(_council_numbers)
    return council_create(
        name=name or f"Borough of Seedham {n}",
        slug=slug or f"seedham-{n}",
        reference_prefix=reference_prefix,
        acting_user=None,
    )


class ContactFactory(factory.django.DjangoModelFactory[Contact]):
    """An independent person without an account, attested independent (synthetic names)."""

    class Meta:
        model = Contact

    council = factory.SubFactory(CouncilFactory)
    name = factory.Iterator(["Harriet Quenby", "Tobias Wrenfield", "Marguerite Ashdown", "Desmond Pellow"])
    organisation = "Independent Advocacy Partnership"
    email = factory.Sequence(lambda n: f"contact{n}@example.org")
    may_be_independent_person = True
    independent_of_council = True
    independence_attested_at = factory.LazyFunction(timezone.now)
