import factory

from opencomplaints.councils.models import (
    Council,
    CouncilMembership,
    CorporateProcedure,
    IssueCategory,
    RemedyType,
    ServiceArea,
    Team,
)


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
