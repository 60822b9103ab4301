import factory
from django.contrib.auth import get_user_model

from stegvis.associations.models import (
    Association,
    Member,
    Membership,
    Population,
    Seat,
    WorkingGroup,
)
from stegvis.associations.validators import luhn_ok


def organisation_number(n: int) -> str:
    """A valid organisationsnummer of the 222000-series (samordningsförbund)."""
    base = f"222{n % 1000:03d}{(n // 1000) % 1000:03d}"
    for check in range(10):
        if luhn_ok(base + str(check)):
            return f"{base[:6]}-{base[6:]}{check}"
    raise AssertionError("unreachable")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password("test-password-123")


class AssociationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Association

    name = factory.Sequence(lambda n: f"Samordningsförbundet Test {n}")
    slug = factory.Sequence(lambda n: f"forbund-{n}")
    organisation_number = factory.Sequence(organisation_number)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    association = factory.SubFactory(AssociationFactory)
    name = factory.Sequence(lambda n: f"Testby kommun {n}")
    kind = Member.Kind.MUNICIPALITY


class PopulationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Population

    member = factory.SubFactory(MemberFactory)
    association = factory.SelfAttribute("member.association")
    year = 2024
    population = 10_000


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    association = factory.SubFactory(AssociationFactory)
    user = factory.SubFactory(UserFactory)
    role = "reader"


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup

    association = factory.SubFactory(AssociationFactory)
    kind = WorkingGroup.Kind.BOARD
    name = factory.Sequence(lambda n: f"Grupp {n}")


class SeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seat

    group = factory.SubFactory(WorkingGroupFactory)
    association = factory.SelfAttribute("group.association")
    person_name = factory.Sequence(lambda n: f"Ledamot {n}")
    function = Seat.Function.ORDINARY
