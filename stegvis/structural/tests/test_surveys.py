"""Collaboration surveys: rounds, single-use anonymous links, answers, results with
suppression, and the goal map's survey_agree_share on collaboration questions."""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from stegvis.audit.models import AuditEntry
from stegvis.goals import metrics
from stegvis.goals.evaluation import indicator_evaluate
from stegvis.goals.periods import range_period, year_period
from stegvis.goals.services import goal_create, goal_map_ensure, indicator_create, target_set
from stegvis.instruments import services as instrument_services
from stegvis.instruments.defaults import COLLABORATION, install_defaults
from stegvis.instruments.models import Instrument
from stegvis.participants.suppression import lone_hidden_groups
from stegvis.plans.vocabulary import RESPONDENT_GROUPS
from stegvis.structural import services_surveys as services
from stegvis.structural import surveys
from stegvis.structural.models.surveys import (
    RespondentGroup,
    SurveyAnswer,
    SurveyResponse,
    SurveyRound,
    SurveyToken,
)
from stegvis.structural.tests.factories_surveys import (
    answer,
    answered,
    collaboration_instrument,
    links,
    make_round,
    survey_setup,
)

STAFF, MANAGERS, BOARD, REFERRERS = (
    RespondentGroup.STAFF.value,
    RespondentGroup.MANAGERS.value,
    RespondentGroup.BOARD.value,
    RespondentGroup.REFERRERS.value,
)
TODAY = timezone.localdate()


# ---------------------------------------------------------------------------
# The collaboration instrument, apart from the participants'


def test_the_default_collaboration_survey_is_made_once_and_kept_apart(world: Any) -> None:
    first = collaboration_instrument(world.own)
    again = collaboration_instrument(world.own)
    assert first.pk == again.pk
    assert first.is_collaboration and first.name == COLLABORATION.name
    with scopes_disabled():
        codes = list(first.questions.values_list("code", flat=True))
        assert 5 <= len(codes) <= 8 and "collab_satisfied" in codes
        # the seed plan's indicator on financed insatser is measured by the default
        assert "better_collaboration" in codes
        assert (first.scale_min, first.scale_max, first.agree_from) == (1, 5, 4)
        # no schedule: it follows no participant
        assert not (first.at_start or first.at_exit or first.first_after_months)
        # the participant defaults are still the three they were
        participant = install_defaults(association=world.own)
        assert len(participant) == 3
        assert not any(each.is_collaboration for each in participant)


def test_a_collaboration_survey_is_never_used_by_an_insats(world: Any) -> None:
    from stegvis.interventions.tests.factories import InterventionFactory

    instrument = collaboration_instrument(world.own)
    with scope(association=world.own):
        insats = InterventionFactory(association=world.own)
        with pytest.raises(ValidationError) as error:
            instrument_services.instrument_attach(
                actor=None, instrument=instrument, intervention=insats
            )
    assert "samverkansenkät" in str(error.value).lower()


def test_a_used_collaboration_survey_keeps_its_kind_and_its_answered_questions(
    world: Any,
) -> None:
    setup = survey_setup(world)
    answered(setup.survey_round, STAFF, [4])
    with scope(association=world.own):
        with pytest.raises(ValidationError) as kind_error:
            instrument_services.instrument_update(
                actor=None, instrument=setup.instrument, kind=Instrument.Kind.SURVEY
            )
        assert "kind" in kind_error.value.error_dict
        with pytest.raises(ValidationError) as scale_error:
            instrument_services.instrument_update(
                actor=None, instrument=setup.instrument, scale_max=7
            )
        assert "scale_max" in scale_error.value.error_dict
        question = setup.instrument.questions.first()
        with pytest.raises(ValidationError):
            instrument_services.question_delete(actor=None, question=question)


def test_respondent_groups_are_the_plan_files_words() -> None:
    assert tuple(RespondentGroup.values) == RESPONDENT_GROUPS


# ---------------------------------------------------------------------------
# Rounds


def test_a_round_needs_a_collaboration_survey_groups_and_dates_in_order(world: Any) -> None:
    with scope(association=world.own):
        participant_survey = next(
            each for each in install_defaults(association=world.own) if each.kind == "survey"
        )
        with pytest.raises(ValidationError) as error:
            services.round_create(
                actor=None,
                association=world.own,
                title=" ",
                instrument=participant_survey,
                groups=[],
                opens_on=TODAY,
                closes_on=TODAY - datetime.timedelta(days=1),
            )
    assert set(error.value.error_dict) == {"title", "instrument", "groups", "closes_on"}


def test_another_associations_instrument_cannot_be_asked(world: Any) -> None:
    theirs = collaboration_instrument(world.other)
    with scope(association=world.own), pytest.raises(ValidationError) as error:
        services.round_create(
            actor=None,
            association=world.own,
            title="Hösten",
            instrument=theirs,
            groups=[STAFF],
            opens_on=TODAY,
            closes_on=TODAY,
        )
    assert "instrument" in error.value.error_dict


def test_a_round_with_links_keeps_its_instrument_and_the_groups_with_links(world: Any) -> None:
    setup = survey_setup(world)  # has links for personal
    with scope(association=world.own):
        with pytest.raises(ValidationError) as error:
            services.round_update(actor=None, survey_round=setup.survey_round, groups=[BOARD])
        assert "groups" in error.value.error_dict
        # closing early is moving the last day to today
        changed = services.round_update(
            actor=None, survey_round=setup.survey_round, closes_on=TODAY
        )
    assert changed.closes_on == TODAY
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="survey.round_changed").exists()


# ---------------------------------------------------------------------------
# Links


def test_links_are_shown_once_and_only_their_hash_is_kept(world: Any) -> None:
    setup = survey_setup(world)
    with scope(association=world.own):
        issued = services.tokens_issue(
            actor=world.users["chief"],
            survey_round=setup.survey_round,
            counts={BOARD: 3, MANAGERS: 2},
        )
    assert [link.group for link in issued] == [MANAGERS, MANAGERS, BOARD, BOARD, BOARD]
    assert len({link.token for link in issued}) == 5
    with scopes_disabled():
        rows = SurveyToken.objects.filter(round=setup.survey_round, group__in=[BOARD, MANAGERS])
        stored = {
            value for row in rows.values() for value in row.values() if isinstance(value, str)
        }
    for link in issued:
        assert link.token not in stored
        assert hashlib.sha256(link.token.encode()).hexdigest() in stored
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="survey.links_made")
    assert entry.changes == {"links chefer": 2, "links styrelse": 3}


def test_no_links_for_a_closed_round_or_a_group_not_asked(world: Any) -> None:
    closed = make_round(
        world.own,
        title="Förra året",
        opens_on=TODAY - datetime.timedelta(days=60),
        closes_on=TODAY - datetime.timedelta(days=30),
        groups=[STAFF],
    )
    with scope(association=world.own):
        with pytest.raises(ValidationError) as error:
            services.tokens_issue(actor=None, survey_round=closed, counts={STAFF: 2})
        assert "stängt" in str(error.value)
        open_round = make_round(world.own, title="Nu", groups=[STAFF])
        with pytest.raises(ValidationError) as group_error:
            services.tokens_issue(actor=None, survey_round=open_round, counts={BOARD: 2})
        assert BOARD in group_error.value.error_dict
        with pytest.raises(ValidationError):
            services.tokens_issue(actor=None, survey_round=open_round, counts={STAFF: 0})


# ---------------------------------------------------------------------------
# Answering through a link


def test_a_link_answers_once(world: Any) -> None:
    survey_round = make_round(world.own, title="En gång", groups=[BOARD])
    [token] = links(survey_round, BOARD, 1)
    answer(survey_round, token, 4)
    with pytest.raises(services.AnswerRefused) as refused:
        answer(survey_round, token, 5)
    assert refused.value.reason == services.AnswerRefused.USED
    with scopes_disabled():
        assert SurveyResponse.objects.filter(round=survey_round).count() == 1
        assert set(SurveyAnswer.objects.values_list("value", flat=True)) == {4}


def test_of_two_submissions_racing_for_a_link_only_one_is_stored(
    world: Any, monkeypatch: Any
) -> None:
    """The second submission has passed the "unused" check when the first flips the
    link: the conditional update refuses it and nothing of it is stored."""
    survey_round = make_round(world.own, title="Samtidigt", groups=[STAFF])
    [token] = links(survey_round, STAFF, 1)
    check = services.answers_check

    def meanwhile(instrument: Instrument, answers: Any) -> Any:
        # The competing request commits its answer while this one is being checked.
        with scopes_disabled():
            SurveyToken.objects.filter(token_hash=services.token_hash(token)).update(used=True)
        return check(instrument, answers)

    monkeypatch.setattr(services, "answers_check", meanwhile)
    with pytest.raises(services.AnswerRefused) as refused:
        answer(survey_round, token, 5)
    assert refused.value.reason == services.AnswerRefused.USED
    with scopes_disabled():
        assert not SurveyResponse.objects.filter(round=survey_round).exists()
        assert not SurveyAnswer.objects.exists()


def test_an_unknown_link_is_refused(world: Any) -> None:
    with pytest.raises(services.AnswerRefused) as refused:
        services.response_submit(token="finns-inte-alls", answers={})
    assert refused.value.reason == services.AnswerRefused.UNKNOWN


@pytest.mark.parametrize(
    ("opens", "closes", "reason"),
    [(3, 10, services.AnswerRefused.NOT_OPEN), (-10, -1, services.AnswerRefused.CLOSED)],
)
def test_a_round_outside_its_dates_takes_no_answer(
    world: Any, opens: int, closes: int, reason: str
) -> None:
    survey_round = make_round(
        world.own,
        title=f"Omgång {reason}",
        opens_on=TODAY + datetime.timedelta(days=opens),
        closes_on=TODAY + datetime.timedelta(days=closes),
    )
    day_in_round = TODAY + datetime.timedelta(days=opens)
    [token] = links(survey_round, STAFF, 1, today=min(day_in_round, TODAY))
    with pytest.raises(services.AnswerRefused) as refused:
        answer(survey_round, token, 4)
    assert refused.value.reason == reason
    with scopes_disabled():
        assert not SurveyToken.objects.get(token_hash=services.token_hash(token)).used
        assert not SurveyResponse.objects.filter(round=survey_round).exists()


def test_every_statement_is_answered_or_vet_ej(world: Any) -> None:
    setup = survey_setup(world)
    [token] = links(setup.survey_round, STAFF, 1)
    with scopes_disabled():
        questions = list(setup.instrument.questions.all())
    partial = {question.pk: 4 for question in questions[1:]}
    with pytest.raises(ValidationError) as error:
        services.response_submit(token=token, answers=partial)
    assert list(error.value.error_dict) == [f"question_{questions[0].pk}"]
    with pytest.raises(ValidationError):
        services.response_submit(token=token, answers={**partial, questions[0].pk: 6})
    with scopes_disabled():
        assert not SurveyToken.objects.get(token_hash=services.token_hash(token)).used
    # "vet ej" is an answer that stores no value
    response = services.response_submit(token=token, answers={**partial, questions[0].pk: None})
    with scopes_disabled():
        assert response.answers.count() == len(questions) - 1


def test_an_answer_cannot_be_traced_to_its_link_or_a_person(world: Any) -> None:
    setup = survey_setup(world)
    [token] = links(setup.survey_round, MANAGERS, 1)
    with scopes_disabled():
        before = AuditEntry.objects.count()
    response = answer(setup.survey_round, token, [5, 4, 3, 2, 1, None, 4, 5])
    # The response knows its round, group and day; nothing about who or which link.
    assert {field.name for field in SurveyResponse._meta.get_fields()} == {
        "id",
        "association",
        "round",
        "group",
        "submitted_on",
        "answers",
    }
    assert {field.name for field in SurveyAnswer._meta.get_fields()} == {
        "id",
        "association",
        "response",
        "question",
        "value",
    }
    # No time of day anywhere, and no relation to the token or a user.
    for model in (SurveyResponse, SurveyAnswer):
        for field in model._meta.get_fields():
            assert not isinstance(field, models.DateTimeField | models.GenericIPAddressField)
            related = getattr(field, "related_model", None)
            assert related not in (SurveyToken,) and getattr(related, "__name__", "") != "User"
    assert not any(
        getattr(field, "related_model", None) in (SurveyResponse, SurveyAnswer)
        for field in SurveyToken._meta.get_fields()
    )
    # The token knows only that it was used; its fields hold no date of use.
    assert {field.name for field in SurveyToken._meta.get_fields()} == {
        "id",
        "association",
        "round",
        "group",
        "token_hash",
        "used",
        "created_on",
    }
    assert isinstance(response.pk, type(SurveyResponse().pk))  # random, not a sequence
    assert response.submitted_on == TODAY
    # Nothing was written to the audit log (its entry would carry the exact time).
    with scopes_disabled():
        assert AuditEntry.objects.count() == before


# ---------------------------------------------------------------------------
# Results and suppression


def test_results_hide_a_small_group_and_one_more_so_the_total_gives_nothing_away(
    world: Any,
) -> None:
    """Personal 6 answers, chefer 3, styrelse 7, remittenter none; min cell 5. Chefer
    are hidden; with the total shown, the smallest other group (personal) is hidden
    too, so chefer's figures cannot be computed from the total."""
    setup = survey_setup(world)
    survey_round = setup.survey_round
    answered(survey_round, STAFF, [5, 5, 4, 4, 2, 1])
    answered(survey_round, MANAGERS, [1, 1, 2])
    answered(survey_round, BOARD, [5, 4, 4, 4, 3, 3, 2])
    with scope(association=world.own):
        results = surveys.round_results(survey_round=survey_round, min_cell=5)
    columns = [code for code, _label in results.columns]
    assert columns == [STAFF, MANAGERS, BOARD, REFERRERS, surveys.TOTAL]
    counts = {row.group: (row.issued, row.responses) for row in results.counts}
    # the two known links of the setup are personal's: one answered ("vet ej" to all),
    # one not
    assert counts[STAFF] == (8, 7) and counts[MANAGERS] == (3, 3)
    assert counts[surveys.TOTAL] == (18, 17)
    first = results.questions[0]
    figures = dict(zip(columns, first.figures, strict=True))
    assert figures[MANAGERS].hidden
    assert figures[BOARD].share == Decimal("0.5714") and figures[BOARD].answered == 7
    assert figures[BOARD].mean == Decimal("3.6")
    assert figures[surveys.TOTAL].answered == 16
    assert figures[surveys.TOTAL].share == Decimal("0.5")
    # complementary: one more group hidden, and no group of cells has a lone hidden one
    assert figures[STAFF].hidden
    shown = {code: figure.answered for code, figure in figures.items()}
    assert lone_hidden_groups(shown, [columns]) == []
    # the export carries the same (hidden figures empty)
    per_question, rate = surveys.results_tables(results)
    assert per_question.rows[0][2:5] == [None, None, None]
    assert rate.rows[-1][1:3] == [18, 17]


def test_with_one_small_group_asked_nothing_is_shown(world: Any) -> None:
    survey_round = make_round(world.own, title="Bara styrelsen", groups=[BOARD])
    answered(survey_round, BOARD, [5, 4, 4])
    with scope(association=world.own):
        results = surveys.round_results(survey_round=survey_round, min_cell=5)
        assert results.all_hidden
        assert surveys.results_chart_svg(results) == ""


def test_vet_ej_is_left_out_of_the_share_and_the_mean(world: Any) -> None:
    survey_round = make_round(world.own, title="Personalen", groups=[STAFF])
    answered(survey_round, STAFF, [[5] + [4] * 7] * 4 + [[None] + [4] * 7, [2] + [4] * 7])
    with scope(association=world.own):
        results = surveys.round_results(survey_round=survey_round, min_cell=5)
        chart = surveys.results_chart_svg(results)
    staff, total = results.questions[0].figures
    assert (staff.answered, staff.agree, staff.share, staff.mean) == (
        5,
        4,
        Decimal("0.8"),
        Decimal("4.4"),
    )
    assert total == staff
    assert chart.startswith("<svg") and 'role="img"' in chart and "80" in chart


# ---------------------------------------------------------------------------
# The goal map


def _satisfied(world: Any, period: Any, **params: Any) -> metrics.MetricResult:
    return metrics.metric_compute(
        association=world.own,
        metric="survey_agree_share",
        params={"question": "collab_satisfied", **params},
        period=period,
    )


def test_collaboration_answers_feed_survey_agree_share_by_period_and_group(world: Any) -> None:
    """Last autumn's round: 6 of 8 staff and 3 of 5 board members agree that they are
    satisfied (the eighth statement); this spring's answers are another period."""
    autumn = datetime.date(TODAY.year - 1, 10, 15)
    spring = datetime.date(TODAY.year, 1, 10)
    survey_round = make_round(
        world.own,
        title="Hösten i fjol",
        opens_on=autumn,
        closes_on=spring,
        groups=[STAFF, BOARD],
    )
    satisfied = [[4] * 7 + [value] for value in (5, 5, 4, 4, 4, 4, 2, 1)]
    answered(survey_round, STAFF, satisfied, today=autumn)
    answered(survey_round, BOARD, [[3] * 7 + [v] for v in (5, 4, 4, 3, None, 2)], today=autumn)
    answered(survey_round, BOARD, [[3] * 7 + [5]], today=spring)
    last_year = year_period(autumn.year)
    every = _satisfied(world, last_year)
    assert (every.numerator, every.denominator, every.value) == (9, 13, Decimal("0.6923"))
    board = _satisfied(world, last_year, group="styrelse")
    assert (board.numerator, board.denominator) == (3, 5)  # vet ej is no answer
    both = _satisfied(world, last_year, group="personal, styrelse")
    assert both.denominator == 13
    this_spring = _satisfied(world, range_period(spring, spring))
    assert (this_spring.numerator, this_spring.denominator) == (1, 1)
    unknown = _satisfied(world, last_year, group="ledningen")
    assert not unknown.measurable and "ledningen" in unknown.reason
    by_gender = _satisfied(world, last_year, gender="kvinna")
    assert not by_gender.measurable
    # A group on a participant question is a mistake the page names.
    participant = metrics.metric_compute(
        association=world.own,
        metric="survey_agree_share",
        params={"question": "support", "group": "styrelse"},
        period=last_year,
    )
    assert not participant.measurable


def test_a_goal_indicator_on_a_collaboration_statement_is_suppressed_below_min_cell(
    world: Any,
) -> None:
    """The seed's "70 % av styrelsen och samverkande aktörer är nöjda": met by all
    groups together; the board alone (3 answers) is hidden."""
    autumn = datetime.date(TODAY.year - 1, 10, 15)
    survey_round = make_round(
        world.own,
        title="Hösten",
        opens_on=autumn,
        closes_on=autumn + datetime.timedelta(days=20),
    )
    answered(survey_round, STAFF, [[4] * 7 + [v] for v in (5, 5, 4, 4, 4, 2, 2)], today=autumn)
    answered(survey_round, BOARD, [[4] * 7 + [v] for v in (5, 4, 4)], today=autumn)
    with scope(association=world.own):
        goal_map = goal_map_ensure(actor=None, association=world.own, year=autumn.year)
        goal = goal_create(
            actor=None,
            goal_map=goal_map,
            perspective="Arbetssätt",
            text="Samverkan mellan parterna fungerar väl",
        )
        everyone = indicator_create(
            actor=None,
            goal=goal,
            text="70 % av styrelsen och samverkande aktörer är nöjda",
            metric="survey_agree_share",
            params={"question": "collab_satisfied"},
        )
        target_set(actor=None, indicator=everyone, year=None, op=">=", value=Decimal("0.7"))
        board = indicator_create(
            actor=None,
            goal=goal,
            text="Styrelsen är nöjd",
            metric="survey_agree_share",
            params={"question": "collab_satisfied", "group": "styrelse"},
        )
    period = year_period(autumn.year)
    result = indicator_evaluate(indicator=everyone, period=period, min_cell=5)
    assert result.result.value == Decimal("0.8")  # 8 of 10
    assert result.status == "achieved"
    hidden = indicator_evaluate(indicator=board, period=period, min_cell=5)
    assert hidden.result.value is None and hidden.result.suppressed
    shown = indicator_evaluate(indicator=board, period=period, min_cell=1)
    assert shown.result.value == Decimal("1")


def test_round_list_counts_links_and_answers(world: Any) -> None:
    setup = survey_setup(world)
    answered(setup.survey_round, BOARD, [4, 4])
    with scope(association=world.own):
        rows = surveys.round_list(association=world.own)
    [row] = [row for row in rows if row.survey_round.pk == setup.survey_round.pk]
    assert (row.issued, row.responses, row.status) == (4, 3, "open")
    assert row.rate == Decimal("0.75")
    with scopes_disabled():
        assert not SurveyRound.objects.filter(association=world.own).exclude(
            pk=setup.survey_round.pk
        )


def test_the_demo_has_a_closed_round_from_last_autumn_and_an_open_one(world: Any) -> None:
    from stegvis.structural.demo_surveys import demo_surveys_load

    made = demo_surveys_load(world.own)
    assert len(made) == 2
    assert demo_surveys_load(world.own) == []  # made once
    with scope(association=world.own):
        rows = surveys.round_list(association=world.own)
        assert [row.status for row in rows] == ["open", "closed"]
        autumn = rows[1].survey_round
        results = surveys.round_results(survey_round=autumn, min_cell=5)
    counts = {row.group: row.responses for row in results.counts}
    assert counts == {STAFF: 18, MANAGERS: 8, BOARD: 7, REFERRERS: 4, surveys.TOTAL: 37}
    referrers = [code for code, _label in results.columns].index(REFERRERS)
    assert all(row.figures[referrers].hidden for row in results.questions)
    assert not results.all_hidden
    # This year's answers give the seed plan's indicator a value.
    this_year = metrics.metric_compute(
        association=world.own,
        metric="survey_agree_share",
        params={"question": "better_collaboration"},
        period=year_period(TODAY.year),
    )
    assert this_year.measurable and (this_year.denominator or 0) >= 5


def test_a_plan_file_may_name_the_respondent_groups_of_a_collaboration_target() -> None:
    """`group` is an optional key of survey_agree_share; an unknown group is a warning,
    as an unknown code is; another metric does not take it."""
    from stegvis.plans.document import PlanFileError
    from stegvis.plans.reader import read_plan
    from stegvis.plans.tests.test_reader import INSATS

    def target(text: str) -> str:
        return INSATS.replace("{TARGET}", text)

    board = (
        "{text: Styrelsen nöjd, metric: survey_agree_share, question: collab_satisfied, "
        'group: "personal, styrelse", op: ">=", value: 0.7}'
    )
    document, warnings = read_plan(target(board).encode(), filename="p.yaml")
    assert [str(w) for w in warnings if ".group" in str(w)] == []
    assert document.interventions[0]["targets"][0]["group"] == "personal, styrelse"
    _document, warnings = read_plan(
        target(board.replace("personal, styrelse", "ledningen")).encode(), filename="p.yaml"
    )
    assert [w.path for w in warnings] == ["interventions[0].targets[0].group"]
    with pytest.raises(PlanFileError) as error:
        read_plan(
            target("{text: T, metric: participants, group: styrelse}").encode(), filename="p.yaml"
        )
    assert 'nyckeln "group" hör inte till måttet participants' in str(error.value.problems[0])


def test_the_indicator_form_takes_a_respondent_group_and_names_an_unknown_one() -> None:
    from stegvis.goals.forms import IndicatorForm

    data = {
        "text": "Styrelsen är nöjd med samverkan",
        "metric": "survey_agree_share",
        "question": "collab_satisfied",
        "group": "styrelse",
    }
    form = IndicatorForm(data, interventions=[])
    assert form.is_valid(), form.errors
    assert form.params() == {"question": "collab_satisfied", "group": "styrelse"}
    wrong = IndicatorForm({**data, "group": "styrelsen"}, interventions=[])
    assert not wrong.is_valid()
    assert "styrelsen" in wrong.errors["group"][0]
