"""The rules of the plan file (spec "Rules of the format", "Metrics"): every problem
named by its path and quoting what the file wrote, all of them at once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from stegvis.plans import vocabulary
from stegvis.plans.document import PlanDocument, PlanFileError
from stegvis.plans.reader import read_plan

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

MINIMAL = """\
format: stegvis-plan/1
unit: tkr
association:
  name: Samordningsförbundet Test
  members:
    - {name: Försäkringskassan, kind: state}
    - {name: Region Test, kind: region}
    - {name: Testby kommun, kind: municipality, population: 1000}
years: [2024, 2025]
"""


def problems(text: str, *, filename: str = "plan.yaml") -> list[str]:
    with pytest.raises(PlanFileError) as caught:
        read_plan(text.encode(), filename=filename)
    return [str(problem) for problem in caught.value.problems]


def read(text: str, *, filename: str = "plan.yaml") -> tuple[PlanDocument, list[str]]:
    document, warnings = read_plan(text.encode(), filename=filename)
    return document, [str(w) for w in warnings]


def test_the_spec_example_is_valid_with_an_unknown_code_as_a_warning() -> None:
    document, warnings = read_plan(
        (EXAMPLES / "exempel.yaml").read_bytes(), filename="exempel.yaml"
    )
    assert document.association == "Samordningsförbundet Exempel"
    assert document.opening_equity == 1_500_000
    assert document.costs[1].unit == "kr" and document.costs[1].amounts == {2024: 50_000}
    # `support` is a question of the default survey (instruments.defaults).
    assert [w.path for w in warnings] == ["goals[0].indicators[0].question"]
    assert 'koden "person_centred"' in warnings[0].message


def test_the_template_example_is_the_spec_example() -> None:
    from stegvis.plans.template import EXAMPLE_PLAN

    assert (EXAMPLES / "exempel.yaml").read_text() == EXAMPLE_PLAN


# --- one test per error class of the spec ------------------------------------------


def test_a_wrong_format_is_quoted() -> None:
    assert problems(MINIMAL.replace("stegvis-plan/1", "stegvis-plan/2")) == [
        'format: okänt format "stegvis-plan/2" – ska vara "stegvis-plan/1"'
    ]


def test_a_missing_format_is_named() -> None:
    text = MINIMAL.replace("format: stegvis-plan/1\n", "")
    assert "format: saknas" in problems(text)


def test_an_unknown_key_is_quoted_with_a_suggestion() -> None:
    text = MINIMAL + "costs:\n  - {name: Kansli, categroy: administration, amounts: {2024: 1}}\n"
    found = problems(text)
    assert 'costs[0].categroy: okänd nyckel "categroy" (menade du "category"?)' in found
    assert "costs[0].category: saknas" in found


def test_an_unknown_top_level_key_is_an_error() -> None:
    assert problems(MINIMAL + "budget: 12\n")[0].startswith('budget: okänd nyckel "budget"')


def test_an_unknown_category_is_quoted() -> None:
    text = MINIMAL + "costs:\n  - {name: Kansli, category: kansli, amounts: {2024: 1}}\n"
    assert problems(text) == [
        'costs[0].category: okänd kategori "kansli" – ska vara board, administration, '
        "premises, competence, individual, structural, other eller unallocated"
    ]


def test_a_bad_number_is_quoted_as_written() -> None:
    text = MINIMAL + 'costs:\n  - {name: A, category: other, amounts: {2024: 1, 2025: "1 3O0"}}\n'
    assert problems(text) == ['costs[0].amounts.2025: inte ett tal: "1 3O0"']


@pytest.mark.parametrize(
    ("written", "kronor"),
    [
        ('"1 637 273"', 1_637_273_000),
        ('"12,5"', 12_500),
        ("12.5", 12_500),
        ('"1\u00a0637,273"', 1_637_273),
        ("1 637", 1_637_000),
        ('"−3"', None),  # a negative cost: an error of its own
        ("0", 0),
    ],
)
def test_numbers_with_spaces_and_decimal_comma_are_numbers(
    written: str, kronor: int | None
) -> None:
    text = MINIMAL + f"costs:\n  - {{name: A, category: other, amounts: {{2024: {written}}}}}\n"
    if kronor is None:
        assert "kan inte vara negativ" in problems(text)[0]
        return
    document, _ = read(text)
    assert document.costs[0].amounts == {2024: kronor}


@pytest.mark.parametrize(
    "written", ['"12 5"', '"1.234.567"', '"12 tkr"', "[1]", "true", '"1e3"', ".nan"]
)
def test_anything_else_is_not_a_number(written: str) -> None:
    text = MINIMAL + f"costs:\n  - {{name: A, category: other, amounts: {{2024: {written}}}}}\n"
    assert problems(text)[0].startswith("costs[0].amounts.2024: inte ett tal: ")


def test_a_year_outside_years_is_an_error() -> None:
    text = MINIMAL + "costs:\n  - {name: A, category: other, amounts: {2024: 1, 2027: 5}}\n"
    assert problems(text) == ["costs[0].amounts.2027: året 2027 finns inte i years (2024–2025)"]


def test_an_unknown_member_is_named() -> None:
    text = MINIMAL + (
        "revenues:\n  - {name: Avgift, kind: contribution, member: Testby kommn, amounts: {2024: 1}}\n"
    )
    assert problems(text) == [
        'revenues[0].member: ingen medlem heter "Testby kommn" (menade du "Testby kommun"?)'
    ]


def test_an_unknown_insats_is_named() -> None:
    text = MINIMAL + (
        "costs:\n  - {name: A, category: individual, intervention: Steget, amounts: {2024: 1}}\n"
    )
    assert problems(text) == [
        'costs[0].intervention: ingen insats heter "Steget" (insatserna står under interventions)'
    ]


def test_unknown_owner_and_members_of_an_insats_are_named() -> None:
    text = MINIMAL + (
        "interventions:\n"
        "  - {name: Steget, kind: individual, owner: Ingen, members: [Region Test, Okänd]}\n"
    )
    assert problems(text) == [
        'interventions[0].owner: ingen medlem heter "Ingen"',
        'interventions[0].members[1]: ingen medlem heter "Okänd"',
    ]


def test_a_negative_cost_is_an_error_that_says_so() -> None:
    text = MINIMAL + "costs:\n  - {name: A, category: other, amounts: {2024: -100}}\n"
    assert problems(text) == [
        "costs[0].amounts.2024: en kostnad kan inte vara negativ: -100 – skriv beloppet som ett "
        "positivt tal"
    ]


def test_an_empty_file_is_an_error() -> None:
    assert problems("") == ["filen är tom"]
    assert problems("# bara en kommentar\n") == ["filen är tom"]


def test_not_yaml_is_an_error_with_the_line() -> None:
    found = problems("format: stegvis-plan/1\nunit: [tkr\n")
    assert len(found) == 1
    assert found[0].startswith("filen är inte giltig YAML (rad ")


def test_a_list_at_the_top_is_not_a_plan() -> None:
    assert problems("- a\n- b\n") == [
        "filen ska innehålla planens nycklar (format, unit, association, years, …), inte en lista"
    ]


def test_binary_garbage_is_not_a_plan() -> None:
    with pytest.raises(PlanFileError) as caught:
        read_plan(b"\x00\xff\xfe\x00garbage", filename="plan.yaml")
    assert "varken YAML, JSON eller en Excel-arbetsbok" in str(caught.value)


def test_every_problem_is_reported_not_just_the_first() -> None:
    text = MINIMAL.replace("unit: tkr", "unit: mkr") + (
        "costs:\n"
        "  - {name: A, category: kansli, amounts: {2024: x}}\n"
        "  - {name: A, category: other, amounts: {2030: 1}}\n"
        "interventions: 5\n"
    )
    found = problems(text)
    assert [line.split(":")[0] for line in found] == [
        "unit",
        "costs[0].category",
        "costs[0].amounts.2024",
        "costs[1].amounts.2030",
        "costs[1].name",
        "interventions",
    ]


# --- names, units, contributions and rules -------------------------------------------


def test_line_units_override_the_plan_unit() -> None:
    text = MINIMAL.replace("unit: tkr", "unit: kr") + (
        "costs:\n  - {name: A, category: other, unit: tkr, amounts: {2024: 1.5}}\n"
        "  - {name: B, category: other, unit: kr, amounts: {2024: 1500}}\n"
    )
    document, _ = read(text)
    assert [(c.unit, c.amounts) for c in document.costs] == [
        ("tkr", {2024: 1500}),
        (None, {2024: 1500}),
    ]


def test_parts_of_a_krona_are_rounded_with_a_warning() -> None:
    text = MINIMAL + "costs:\n  - {name: A, category: other, amounts: {2024: 1.2345}}\n"
    document, warnings = read(text)
    assert document.costs[0].amounts == {2024: 1235}
    assert warnings == ["costs[0].amounts.2024: 1.2345 tkr avrundas till hela kronor: 1235 kr"]


def test_names_are_keys_and_may_not_repeat() -> None:
    text = MINIMAL.replace(
        "    - {name: Region Test, kind: region}\n",
        "    - {name: Region Test, kind: region}\n    - {name: region test, kind: region}\n",
    )
    assert problems(text) == [
        'association.members[2].name: "region test" finns redan (association.members[1])'
    ]


def test_contributions_need_a_state_member_a_region_and_a_municipality() -> None:
    text = MINIMAL.replace("    - {name: Region Test, kind: region}\n", "") + (
        "contributions:\n  total: {2024: 1000}\n"
    )
    assert problems(text) == [
        "contributions: fördelningen 50/25/25 kräver en region (kind: region)"
    ]


def test_the_population_key_needs_every_population() -> None:
    text = (
        MINIMAL.replace(
            "population: 1000}\n",
            "population: 1000}\n    - {name: Annanby kommun, kind: municipality}\n",
        )
        + "contributions:\n  total: {2024: 1000}\n"
    )
    assert problems(text) == [
        'association.members[3].population: folkmängd saknas för "Annanby kommun" – behövs för '
        "municipal_key: population"
    ]


def test_the_shares_key_needs_a_share_for_every_municipality() -> None:
    text = (
        MINIMAL.replace(
            "population: 1000}\n",
            "population: 1000}\n    - {name: Annanby kommun, kind: municipality}\n",
        )
        + "contributions:\n  total: {2024: 1000}\n  municipal_key: shares\n  shares: {Testby kommun: 3, Region Test: 1}\n"
    )
    assert problems(text) == [
        'contributions.shares.Region Test: "Region Test" är inte en medlem av slaget municipality',
        'contributions.shares: andel saknas för "Annanby kommun"',
    ]


def test_decimal_shares_keep_their_proportion() -> None:
    text = MINIMAL.replace(
        "population: 1000}\n",
        "population: 1000}\n    - {name: Annanby kommun, kind: municipality}\n",
    ) + (
        "contributions:\n  total: {2024: 1000}\n  municipal_key: shares\n"
        '  shares: {Testby kommun: "37,5", Annanby kommun: 62.5}\n'
    )
    document, _ = read(text)
    assert document.contributions.shares == {"Testby kommun": 375, "Annanby kommun": 625}


def test_a_generated_line_name_may_not_be_taken() -> None:
    text = MINIMAL + (
        "contributions:\n  total: {2024: 1000}\n"
        "revenues:\n  - {name: Medlemsavgift Region Test, kind: grant, amounts: {2024: 1}}\n"
    )
    assert problems(text)[0].startswith(
        'revenues[0].name: "Medlemsavgift Region Test" är namnet på en rad som görs av'
    )


def test_rules_have_the_national_defaults() -> None:
    document, _ = read(MINIMAL)
    rules = document.rules
    assert [(t.up_to, str(t.rate)) for t in rules.tiers] == [(7_000_000, "0.20"), (None, "0.15")]
    assert str(rules.admin_share_max) == "0.15"


def test_tier_limits_are_in_the_files_unit() -> None:
    text = MINIMAL.replace("unit: tkr", "unit: kr") + (
        "rules:\n  equity_cap:\n    tiers: [{up_to: 5 000 000, rate: 0.2}, {rate: 0.1}]\n"
        "  equity_min: 700 000\n"
    )
    document, _ = read(text)
    assert document.rules.tiers[0].up_to == 5_000_000
    assert document.rules.equity_min == 700_000


def test_bad_rules_are_named() -> None:
    text = MINIMAL + (
        "rules:\n  equity_cap:\n    base: omsättning\n"
        "    tiers: [{rate: 20}, {up_to: 10, rate: 0.1}]\n"
        "  equity_min: -5\n  admin_share_max: 0.12345\n  admin_categories: [board, board, kansli]\n"
    )
    assert problems(text) == [
        'rules.equity_cap.base: okänt underlag "omsättning" – ska vara revenues eller contributions',
        "rules.equity_cap.tiers[0].rate: en andel skrivs som decimaltal mellan 0 och 1 (20 % = "
        "0.20), inte 20",
        "rules.equity_cap.tiers[0].up_to: saknas – bara sista trappsteget får sakna up_to",
        "rules.equity_min: lägsta eget kapital kan inte vara negativt: -5",
        "rules.admin_share_max: högst 4 decimaler: 0.12345",
        'rules.admin_categories[1]: "board" står två gånger',
        'rules.admin_categories[2]: okänd kategori "kansli" – ska vara board, administration, '
        "premises, competence, individual, structural, other eller unallocated",
    ]


def test_years_follow_each_other() -> None:
    assert problems(MINIMAL.replace("[2024, 2025]", "[2024, 2026]")) == [
        "years: åren ska följa på varandra, budgetåret först: [2024, 2026]"
    ]


# --- targets and indicators ----------------------------------------------------------

INSATS = MINIMAL + (
    "interventions:\n  - name: Steget\n    kind: individual\n    targets:\n      - {TARGET}\n"
)


def target_problems(target: str) -> list[str]:
    return problems(INSATS.replace("{TARGET}", target))


def test_the_metric_vocabulary_is_checked() -> None:
    assert target_problems('{text: T, metric: deltagare, op: ">=", value: 1}')[0].startswith(
        'interventions[0].targets[0].metric: okänt mått "deltagare" – ska vara '
    )


def test_op_must_be_one_of_the_five() -> None:
    assert target_problems('{text: T, metric: participants, op: "=>", value: 1}') == [
        'interventions[0].targets[0].op: okänd jämförelse "=>" – ska vara >=, <=, >, < eller =='
    ]


def test_value_must_be_a_number_and_a_share_a_decimal() -> None:
    assert target_problems('{text: T, metric: participants, op: ">=", value: många}') == [
        'interventions[0].targets[0].value: inte ett tal: "många"'
    ]
    assert target_problems('{text: T, metric: handover_share, op: ">=", value: 90}') == [
        "interventions[0].targets[0].value: en andel skrivs som decimaltal mellan 0 och 1 "
        "(20 % = 0.20), inte 90"
    ]


def test_op_and_value_go_together() -> None:
    assert target_problems('{text: T, metric: participants, op: ">="}') == [
        "interventions[0].targets[0].value: saknas – op och value anges tillsammans"
    ]


@pytest.mark.parametrize(
    ("metric", "key"),
    [
        ("exit_outcome_share", "outcome"),
        ("survey_agree_share", "question"),
        ("screening_coverage", "instrument"),
        ("manual", "source"),
    ],
)
def test_a_missing_extra_key_is_an_error(metric: str, key: str) -> None:
    assert target_problems(f"{{text: T, metric: {metric}}}") == [
        f"interventions[0].targets[0].{key}: saknas – måttet {metric} kräver {key}"
    ]


def test_an_extra_key_of_another_metric_is_an_error() -> None:
    assert target_problems("{text: T, metric: participants, question: support}") == [
        'interventions[0].targets[0].question: nyckeln "question" hör inte till måttet '
        "participants (det har inga extra nycklar)"
    ]


def test_an_unknown_extra_key_is_an_error() -> None:
    assert target_problems("{text: T, metric: participants, fråga: x}")[0].startswith(
        'interventions[0].targets[0].fråga: okänd nyckel "fråga"'
    )


def test_the_municipality_of_full_year_equivalents_must_be_a_member() -> None:
    assert target_problems("{text: T, metric: full_year_equivalents, municipality: Ingen}") == [
        'interventions[0].targets[0].municipality: ingen medlem heter "Ingen"'
    ]


def test_an_unknown_code_is_a_warning_and_a_known_one_is_not() -> None:
    text = INSATS.replace("{TARGET}", "{text: T, metric: screening_coverage, instrument: vinr}")
    _, warnings = read(text)
    assert warnings == [
        'interventions[0].targets[0].instrument: koden "vinr" finns inte ännu i den här '
        "installationen – målet sparas men kan inte mätas förrän koden finns"
    ]

    def provider() -> dict[str, set[str]]:
        return {"instrument": {"vinr"}}

    vocabulary.register_code_provider(provider)
    try:
        _, warnings = read(text)
    finally:
        vocabulary.unregister_code_provider(provider)
    assert warnings == []


def test_targets_are_kept_as_plain_json_data() -> None:
    document, _ = read_plan((EXAMPLES / "exempel.yaml").read_bytes(), filename="e.yaml")
    json.dumps([document.interventions, document.goals])  # what the database's JSONField does
    assert document.interventions[0]["start"] == "2023-01-01"
    assert document.interventions[0]["targets"][1] == {
        "text": "90 % upplever att de får stöd",
        "metric": "survey_agree_share",
        "question": "support",
        "op": ">=",
        "value": 0.9,
    }


# --- the other text forms ------------------------------------------------------------


def example_data() -> dict[str, object]:
    return yaml.safe_load((EXAMPLES / "exempel.yaml").read_text())


def test_json_with_the_same_structure_is_read() -> None:
    text = json.dumps(example_data(), default=str, ensure_ascii=False)
    document, _ = read(text, filename="plan.json")
    expected, _ = read_plan((EXAMPLES / "exempel.yaml").read_bytes(), filename="exempel.yaml")
    assert document == expected


def test_json_is_recognised_without_the_extension() -> None:
    text = json.dumps(example_data(), default=str, ensure_ascii=False)
    assert read(text, filename="plan.txt")[0] is not None


def test_broken_json_says_where() -> None:
    assert problems('{"format": "stegvis-plan/1",}', filename="plan.json") == [
        "filen är inte giltig JSON (rad 1, kolumn 29): Expecting property name enclosed in "
        "double quotes"
    ]


def test_a_key_written_twice_is_an_error() -> None:
    assert problems(MINIMAL + "unit: kr\n") == ['rad 10: nyckeln "unit" står två gånger']


def test_yaml_1_1_surprises_stay_texts() -> None:
    text = MINIMAL.replace("Region Test", "no") + (
        "interventions:\n  - {name: on, kind: individual, start: 2023-01-01}\n"
    )
    document, _ = read(text)
    assert document.members[1].name == "no"
    assert document.interventions[0]["name"] == "on"


def test_aliases_are_refused() -> None:
    text = MINIMAL + "costs:\n  - &a {name: A, category: other, amounts: {2024: 1}}\n  - *a\n"
    assert any("YAML-alias" in line for line in problems(text))


def test_a_windows_1252_file_is_read_with_a_warning() -> None:
    document, warnings = read_plan(MINIMAL.encode("cp1252"), filename="plan.yaml")
    assert document.members[0].name == "Försäkringskassan"
    assert warnings[0].message == "filen är inte UTF-8; den har lästs som Windows-1252"


def test_the_old_excel_format_is_refused_clearly() -> None:
    with pytest.raises(PlanFileError, match=r"\.xls\) stöds inte"):
        read_plan(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, filename="plan.xls")


def test_a_year_written_with_other_digits_is_an_error_not_a_crash() -> None:
    """Found by the fuzzer: '¹' is a digit to str.isdigit() but not to int()."""
    from stegvis.plans.document import PlanFileError
    from stegvis.plans.reader import read_plan

    text = (
        "format: stegvis-plan/1\nunit: tkr\nassociation: {name: X, members: []}\n"
        "years: [2024]\nrevenues:\n  - {name: A, kind: grant, amounts: {'¹': 1}}\n"
    )
    try:
        read_plan(text.encode(), filename="plan.yaml")
    except PlanFileError as error:
        assert any("inte ett år" in str(problem) for problem in error.problems)
    else:
        raise AssertionError("the file should be refused")
