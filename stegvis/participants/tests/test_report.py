"""The participant report (spec/participant-file.md "The report"): the year's definitions
at their boundaries, each count, outcomes, shares, retained and anonymous participants,
förbund against insats, the JSON's shape, and `stegvis report participants`."""

from __future__ import annotations

import datetime
import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_scopes import scopes_disabled

from stegvis.conftest import World
from stegvis.participants.models import AnonymousCount, Policy, RetainedCount
from stegvis.participants.report import participants_report
from stegvis.participants.tests.factories import FollowUp, ParticipantFactory, follow_up
from stegvis.participants.vocabulary import OUTCOMES

D = datetime.date


@pytest.fixture
def data(world: World) -> FollowUp:
    return follow_up(world)


def person(
    insats: Any, gender: str = "kvinna", *, start: D, exit: D | None = None, outcome: str = ""
) -> Any:
    with scopes_disabled():
        return ParticipantFactory(
            intervention=insats,
            gender=gender,
            start=start,
            exit=exit,
            outcome=outcome or ("annat" if exit else ""),
        )


def many(count: int, insats: Any, gender: str = "kvinna", **kwargs: Any) -> None:
    for _ in range(count):
        person(insats, gender, **kwargs)


def unsuppressed(world: World, year: int = 2024, **kwargs: Any) -> dict[str, Any]:
    return participants_report(association=world.own, year=year, min_cell=1, **kwargs)


def test_year_definitions_at_the_boundaries(world: World, data: FollowUp) -> None:
    insats = data.insats
    person(insats, start=D(2024, 12, 31))  # started on the last day: in, started
    person(insats, start=D(2025, 1, 1))  # starts next year: out
    person(
        insats, start=D(2023, 5, 1), exit=D(2024, 1, 1), outcome="arbete"
    )  # exited on day one: in
    person(
        insats, start=D(2023, 5, 1), exit=D(2023, 12, 31), outcome="arbete"
    )  # exited before: out
    person(insats, start=D(2020, 1, 1))  # open since long ago: in, not started
    person(
        insats, start=D(2024, 1, 1), exit=D(2024, 12, 31), outcome="avbrott"
    )  # in, started, exited

    counts = unsuppressed(world)["counts"]

    assert counts["participants"]["kvinna"] == 4
    assert counts["started"]["kvinna"] == 2
    assert counts["exited"]["kvinna"] == 2
    assert counts["step_progress"]["kvinna"] == 1


def test_counts_by_gender_with_outcomes_and_step_progress_share(
    world: World, data: FollowUp
) -> None:
    insats = data.insats
    exit_day = D(2024, 6, 30)
    many(2, insats, "kvinna", start=D(2024, 2, 1), exit=exit_day, outcome="arbete")
    person(insats, "kvinna", start=D(2023, 2, 1), exit=exit_day, outcome="avbrott")
    person(insats, "man", start=D(2024, 2, 1), exit=exit_day, outcome="studier")
    many(2, insats, "man", start=D(2024, 2, 1), exit=exit_day, outcome="flytt")
    person(insats, "ej angivet", start=D(2024, 3, 1))

    report = unsuppressed(world)

    assert report["counts"] == {
        "participants": {"kvinna": 3, "man": 3, "ej angivet": 1, "total": 7},
        "started": {"kvinna": 2, "man": 3, "ej angivet": 1, "total": 6},
        "exited": {"kvinna": 3, "man": 3, "ej angivet": 0, "total": 6},
        "step_progress": {"kvinna": 2, "man": 1, "ej angivet": 0, "total": 3},
    }
    assert list(report["exit_outcomes"]) == OUTCOMES
    assert report["exit_outcomes"]["arbete"] == {"kvinna": 2, "man": 0, "ej angivet": 0, "total": 2}
    assert report["exit_outcomes"]["flytt"] == {"kvinna": 0, "man": 2, "ej angivet": 0, "total": 2}
    assert report["exit_outcomes"]["annat"] == {"kvinna": 0, "man": 0, "ej angivet": 0, "total": 0}
    # 2/3 and 1/3 to four decimals, half up; no one exited: no share.
    assert report["step_progress_share"] == {
        "kvinna": 0.6667,
        "man": 0.3333,
        "ej angivet": None,
        "total": 0.5,
    }


def test_json_shape_and_key_order(world: World, data: FollowUp) -> None:
    report = participants_report(association=world.own, year=2024)
    assert list(report) == [
        "format",
        "association",
        "intervention",
        "year",
        "min_cell",
        "counts",
        "exit_outcomes",
        "step_progress_share",
    ]
    assert report["format"] == "stegvis-participants-report/1"
    assert report["association"] == "Samordningsförbundet Eget"
    assert report["intervention"] is None
    assert report["year"] == 2024
    assert report["min_cell"] == 5  # the förbund's default
    assert list(report["counts"]) == ["participants", "started", "exited", "step_progress"]
    for row in [*report["counts"].values(), *report["exit_outcomes"].values()]:
        assert list(row) == ["kvinna", "man", "ej angivet", "total"]
    assert list(report["step_progress_share"]) == ["kvinna", "man", "ej angivet", "total"]
    json.dumps(report)


def test_suppression_follows_the_policy_and_the_spec(world: World, data: FollowUp) -> None:
    with scopes_disabled():
        Policy.objects.update_or_create(association=world.own, defaults={"min_cell": 3})
    exit_day = D(2024, 9, 1)
    many(6, data.insats, "kvinna", start=D(2024, 1, 10), exit=exit_day, outcome="arbete")
    many(2, data.insats, "man", start=D(2024, 1, 10), exit=exit_day, outcome="arbete")
    many(5, data.insats, "man", start=D(2024, 1, 10), exit=exit_day, outcome="avbrott")

    report = participants_report(association=world.own, year=2024)

    assert report["min_cell"] == 3
    # man in arbete (2) and man's step progress (2) are small. Their rows need one more
    # each: the smallest other shown cell, kvinna (6; ej angivet 0 is never hidden).
    # The kvinna column then holds one hidden outcome, so kvinna exited (6) goes too,
    # and after it man exited (7, smaller than the total 13) in the exited row.
    assert report["exit_outcomes"]["arbete"] == {
        "kvinna": None,
        "man": None,
        "ej angivet": 0,
        "total": 8,
    }
    assert report["exit_outcomes"]["avbrott"] == {
        "kvinna": 0,
        "man": 5,
        "ej angivet": 0,
        "total": 5,
    }
    assert report["counts"]["exited"] == {"kvinna": None, "man": None, "ej angivet": 0, "total": 13}
    assert report["counts"]["step_progress"] == {
        "kvinna": None,
        "man": None,
        "ej angivet": 0,
        "total": 8,
    }
    assert report["counts"]["participants"] == {"kvinna": 6, "man": 7, "ej angivet": 0, "total": 13}
    assert report["step_progress_share"] == {
        "kvinna": None,
        "man": None,
        "ej angivet": None,
        "total": 0.6154,
    }
    unmasked = participants_report(association=world.own, year=2024, min_cell=1)
    assert unmasked["min_cell"] == 1
    assert unmasked["exit_outcomes"]["arbete"]["man"] == 2


def test_per_insats_and_per_association(world: World, data: FollowUp) -> None:
    many(2, data.insats, start=D(2024, 1, 5))
    many(3, data.neighbour, "man", start=D(2024, 1, 5))
    many(4, data.other_insats, start=D(2024, 1, 5))  # the other förbund: never counted

    whole = unsuppressed(world)
    one = unsuppressed(world, intervention=data.neighbour)

    assert whole["counts"]["participants"] == {"kvinna": 2, "man": 3, "ej angivet": 0, "total": 5}
    assert one["intervention"] == "Grannen"
    assert one["counts"]["participants"] == {"kvinna": 0, "man": 3, "ej angivet": 0, "total": 3}


def test_retained_counts_keep_a_past_year_and_anonymous_count_only_as_participants(
    world: World, data: FollowUp
) -> None:
    with scopes_disabled():
        RetainedCount.objects.create(
            association=world.own,
            intervention=data.insats,
            gender="man",
            start_year=2022,
            exit_year=2024,
            outcome="arbete",
            count=4,
        )
        RetainedCount.objects.create(
            association=world.own,
            intervention=data.insats,
            gender="kvinna",
            start_year=2024,
            exit_year=2024,
            outcome="flytt",
            count=2,
        )
        RetainedCount.objects.create(  # exited before 2024: not in it
            association=world.own,
            intervention=data.insats,
            gender="kvinna",
            start_year=2021,
            exit_year=2023,
            outcome="arbete",
            count=9,
        )
        AnonymousCount.objects.create(
            association=world.own, intervention=data.insats, year=2024, gender="kvinna", count=3
        )
        AnonymousCount.objects.create(
            association=world.own, intervention=data.neighbour, year=2023, gender="kvinna", count=7
        )

    report = unsuppressed(world)

    assert report["counts"]["participants"] == {"kvinna": 5, "man": 4, "ej angivet": 0, "total": 9}
    assert report["counts"]["started"]["kvinna"] == 2
    assert report["counts"]["started"]["man"] == 0
    assert report["counts"]["exited"] == {"kvinna": 2, "man": 4, "ej angivet": 0, "total": 6}
    assert report["counts"]["step_progress"]["man"] == 4
    assert report["exit_outcomes"]["arbete"]["man"] == 4
    assert report["exit_outcomes"]["flytt"]["kvinna"] == 2
    assert unsuppressed(world, intervention=data.neighbour)["counts"]["participants"]["total"] == 0


# --- The command ------------------------------------------------------------------


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def test_cli_prints_the_json_by_name_or_slug(world: World, data: FollowUp) -> None:
    many(6, data.insats, start=D(2024, 1, 5))
    by_name = json.loads(
        run("participants", "Samordningsförbundet Eget", "--year", "2024", "--json")
    )
    by_slug = json.loads(run("participants", "eget", "--year", "2024", "--json"))
    assert by_name == by_slug
    assert by_name["counts"]["participants"]["kvinna"] == 6
    one = json.loads(
        run(
            "participants",
            "eget",
            "--year",
            "2024",
            "--intervention",
            "Stegen",
            "--min-cell",
            "1",
            "--json",
        )
    )
    assert one["intervention"] == "Stegen"
    assert one["min_cell"] == 1


def test_cli_without_json_prints_a_swedish_table(world: World, data: FollowUp) -> None:
    many(6, data.insats, start=D(2024, 1, 5))
    text = run("participants", "eget", "--year", "2024")
    assert "Samordningsförbundet Eget, hela förbundet, 2024" in text
    assert "Deltagare under året" in text
    assert "Kvinna" in text
    assert "Arbetssökande" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["participants", "Finns inte", "--year", "2024"], "Förbundet ”Finns inte” finns inte."),
        (
            ["participants", "eget", "--year", "2024", "--intervention", "Annans steg"],
            "Insatsen ”Annans steg” finns inte",
        ),
        (["participants", "eget", "--year", "2024", "--min-cell", "0"], "--min-cell"),
    ],
)
def test_cli_refuses_unknown_association_or_insats_with_exit_2(
    world: World, data: FollowUp, args: list[str], message: str
) -> None:
    with pytest.raises(CommandError) as error:
        run(*args)
    assert error.value.returncode == 2
    assert message in str(error.value)
