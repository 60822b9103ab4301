"""The synthetic data: plausible, valid by the participant file's rules, naming no one,
and the same every time for the same seed."""

from __future__ import annotations

import datetime
import random
import re
from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_scopes import scopes_disabled

from stegvis.accounts.models import User
from stegvis.associations.models import Association, Member
from stegvis.core.synthetic import (
    FILE_COLUMNS,
    Places,
    SyntheticDataExists,
    participant_file_rows,
    participant_generate,
    plan_associations,
    synthetic_build,
    synthetic_remove,
)
from stegvis.core.synthetic.build import SCALES
from stegvis.core.synthetic.people import FIRST_START
from stegvis.instruments.models import Instrument, Response, ResponseAnswer
from stegvis.interventions.models import Intervention, InterventionStaff
from stegvis.participants.models import AnonymousCount, Participant
from stegvis.participants.vocabulary import GENDERS, OUTCOMES, is_step_progress

TODAY = datetime.date(2026, 11, 25)
# The spec's personnummer shapes: YYMMDD-NNNN, YYYYMMDD-NNNN, with or without the dash.
PERSONNUMMER = re.compile(r"(\d{2})?\d{6}-?\d{4}")
PLACES = Places(
    municipalities=[("Björkviks kommun", 40_000), ("Sjöhults kommun", 9_000)],
    state=["Försäkringskassan", "Arbetsförmedlingen"],
    region="Region Tallnäs",
)


def _fingerprint() -> list[tuple[Any, ...]]:
    with scopes_disabled():
        people = list(
            Participant.objects.order_by(
                "association__slug", "intervention__name", "code"
            ).values_list(
                "association__slug",
                "intervention__name",
                "code",
                "gender",
                "birth_year",
                "start",
                "exit",
                "outcome",
                "support_at_start",
                "support_at_exit",
                "municipality__name",
                "consent",
            )
        )
        responses = list(
            Response.objects.order_by("participant__code", "instrument__name", "date").values_list(
                "participant__code", "instrument__name", "date", "occasion"
            )
        )
        answers = sorted(
            ResponseAnswer.objects.values_list(
                "response__participant__code", "response__date", "question__order", "value"
            )
        )
    return [*people, *responses, *answers]


@pytest.fixture
def small(db: Any) -> Any:
    return synthetic_build(scale="small", seed=2, today=TODAY)


def test_small_scale_looks_like_a_förbund_list(small: Any) -> None:
    assert small.associations == 3
    assert small.interventions == 10
    assert small.participants == 600
    assert 2_400 <= small.responses <= 3_600
    with scopes_disabled():
        people = list(Participant.objects.all())
        genders = Counter(person.gender for person in people)
        assert 0.48 <= genders["kvinna"] / 600 <= 0.62
        assert 0.36 <= genders["man"] / 600 <= 0.50
        exited = [person for person in people if person.exit]
        assert 0.45 <= len(exited) / 600 <= 0.75
        step = sum(is_step_progress(person.outcome) for person in exited)
        assert 0.45 <= step / len(exited) <= 0.70
        assert {person.start.year for person in people} >= {2021, 2022, 2023, 2024, 2025, 2026}
        # Each förbund: the state, a region and 2–8 kommuner; insatser of both kinds.
        for association in Association.objects.filter(slug__startswith="syn-"):
            kinds = Counter(
                Member.objects.filter(association=association).values_list("kind", flat=True)
            )
            assert kinds["state"] == 2 and kinds["region"] == 1
            assert 2 <= kinds["municipality"] <= 8
            # The three participant instruments, and the collaboration survey every
            # förbund starts with.
            assert Instrument.objects.filter(association=association).count() == 4
            assert Instrument.objects.filter(association=association, kind="collaboration").exists()
        assert set(Intervention.objects.values_list("kind", flat=True)) == {
            "individual",
            "structural",
        }
        assert AnonymousCount.objects.exists()
        # The synthetic deltagaransvariga work on their förbund's individual insatser.
        registrar = User.objects.get(username="syn-deltagare-001")
        assert InterventionStaff.objects.filter(user=registrar).exists()


def test_every_participant_is_valid_by_the_spec(small: Any) -> None:
    with scopes_disabled():
        for person in Participant.objects.select_related("municipality", "handover_to"):
            assert 16 <= person.start.year - person.birth_year <= 64
            assert 1960 <= person.birth_year <= 2008
            assert FIRST_START <= person.start <= TODAY
            assert (person.exit is None) == (person.outcome == "")
            if person.exit:
                assert person.start <= person.exit <= TODAY
                assert person.outcome in OUTCOMES
            assert person.gender in GENDERS
            assert person.municipality is None or person.municipality.kind == "municipality"
            if person.consent:
                assert person.consent <= person.start
            assert person.person_key == ""
        for response in Response.objects.select_related("participant"):
            participant = response.participant
            assert participant.start <= response.date <= (participant.exit or TODAY)
        for answer in ResponseAnswer.objects.select_related("response__instrument"):
            instrument = answer.response.instrument
            assert instrument.scale_min is not None and instrument.scale_max is not None
            assert instrument.scale_min <= answer.value <= instrument.scale_max


def test_nothing_looks_like_a_real_person(small: Any) -> None:
    with scopes_disabled():
        codes = list(Participant.objects.values_list("code", flat=True))
        users = list(User.objects.filter(username__startswith="syn-"))
    assert len(set(codes)) == len(codes)
    for code in codes:
        assert re.fullmatch(r"SYN-\d{6}", code)
        assert not PERSONNUMMER.search(code)
    # Staff users carry a role for a name, never a person's.
    assert users and {user.first_name for user in users} == {"Syntetisk"}


def test_the_same_seed_gives_the_same_data(small: Any) -> None:
    first = _fingerprint()
    with pytest.raises(SyntheticDataExists):
        synthetic_build(scale="small", seed=2, today=TODAY)
    synthetic_build(scale="small", seed=2, today=TODAY, replace_existing=True)
    assert _fingerprint() == first
    assert synthetic_remove() == 3
    with scopes_disabled():
        assert not Participant.objects.exists()
        assert not Association.objects.filter(slug__startswith="syn-").exists()
        assert not User.objects.filter(username__startswith="syn-").exists()


def test_another_seed_gives_other_data() -> None:
    one = plan_associations(SCALES["small"], seed=1, today=TODAY)
    two = plan_associations(SCALES["small"], seed=2, today=TODAY)
    assert [plan.name for plan in one] != [plan.name for plan in two]
    national = plan_associations(SCALES["national"], seed=1, today=TODAY)
    assert len(national) == 75
    assert sum(len(plan.interventions) for plan in national) == 1_500
    assert sum(plan.participants for plan in national) == 400_000
    assert len({plan.slug for plan in national}) == 75


def test_drawn_participants_keep_the_rules() -> None:
    rng = random.Random(5)
    for number in range(2_000):
        person = participant_generate(
            rng, number=number, places=PLACES, first=FIRST_START, last=TODAY, today=TODAY
        )
        assert 16 <= person.start.year - person.birth_year <= 64
        assert (person.exit is None) == (person.outcome == "")
        assert person.exit is None or person.start <= person.exit <= TODAY


def test_the_file_rows_import_cleanly(db: Any) -> None:
    """The benchmark's file is valid by the import's own rules."""
    from stegvis.core.exporters import Table, table_to_csv
    from stegvis.interventions.tests.factories import InterventionFactory
    from stegvis.participants.importing import participants_import

    with scopes_disabled():
        intervention = InterventionFactory(kind="individual")
        association = intervention.association
        for name, kind in [
            ("Björkviks kommun", "municipality"),
            ("Sjöhults kommun", "municipality"),
            ("Försäkringskassan", "state"),
            ("Arbetsförmedlingen", "state"),
            ("Region Tallnäs", "region"),
        ]:
            Member.objects.get_or_create(association=association, name=name, kind=kind)
    rows = participant_file_rows(count=300, seed=9, places=PLACES, today=TODAY)
    data = table_to_csv(Table("Deltagare", FILE_COLUMNS, rows))
    result = participants_import(
        actor=None,
        intervention=intervention,
        data=data,
        filename="deltagare.csv",
        dry_run=True,
        today=TODAY,
    )
    assert result.problems == []
    assert result.created == 300


def test_demo_data_command_needs_a_demo_installation(db: Any, settings: Any) -> None:
    settings.STEGVIS_DEMO = False
    with pytest.raises(CommandError, match="STEGVIS_DEMO=1"):
        call_command("demo-data", "--scale", "small")


def test_demo_data_command_refuses_twice(small: Any, settings: Any) -> None:
    settings.STEGVIS_DEMO = True
    with pytest.raises(CommandError, match="--replace"):
        call_command("demo-data", "--scale", "small", verbosity=0)
