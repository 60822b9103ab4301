"""`stegvis plan check|import|export` (spec "Commands"): exit 0 or 2, every problem on
stderr as `path: message`, nothing stored when the file is not valid."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, cast

import pytest
from django.core.management import call_command
from django_scopes import scope, scopes_disabled

from stegvis.associations.models import Association, Member
from stegvis.associations.tests.factories import AssociationFactory, MemberFactory
from stegvis.finance.models import BudgetLine, Plan
from stegvis.plans.reader import read_plan

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
EXAMPLE = (EXAMPLES / "exempel.yaml").read_text()


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("plan", *args, stdout=out, stderr=err)
    except SystemExit as exit:
        return int(exit.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def plans() -> int:
    with scopes_disabled():
        return Plan.objects.count()


@pytest.fixture
def exempel(db: Any) -> Association:
    return cast(
        Association, AssociationFactory(name="Samordningsförbundet Exempel", slug="exempel")
    )


def write(tmp_path: Path, text: str, name: str = "plan.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


# --- check ---------------------------------------------------------------------------


def test_check_of_a_valid_file_exits_0_with_a_summary_findings_and_warnings() -> None:
    code, out, err = run("check", str(EXAMPLES / "exempel.yaml"))
    assert code == 0, err
    assert "Samordningsförbundet Exempel: Budget 2024, plan 2025–2026 (belopp i tkr)" in out
    assert "2024: Eget kapital 6 299 tkr överstiger taket 1 595 tkr [equity_cap]" in out
    # `support` is a question of the default survey; `person_centred` is unknown.
    assert 'goals[0].indicators[0].question: koden "person_centred"' in out
    assert 'koden "support"' not in out
    assert err == ""


def test_check_json_prints_the_report_and_warnings_go_to_stderr() -> None:
    code, out, err = run("check", "--json", str(EXAMPLES / "exempel.yaml"))
    assert code == 0
    report = json.loads(out)
    assert report["format"] == "stegvis-plan-check/1"
    assert report["years"][0]["closing_equity"] == 6_299_000
    assert err.startswith('varning: goals[0].indicators[0].question: koden "person_centred"')


def test_check_reads_excel_and_json_too(tmp_path: Path) -> None:
    from stegvis.plans.writer import plan_template_xlsx, write_plan

    document = read_plan(EXAMPLE.encode(), filename="e.yaml")[0]
    (tmp_path / "p.xlsx").write_bytes(plan_template_xlsx())
    (tmp_path / "p.json").write_bytes(write_plan(document, fmt="json"))
    outputs = [run("check", "--json", str(tmp_path / name))[1] for name in ("p.xlsx", "p.json")]
    assert outputs[0] == outputs[1] == run("check", "--json", str(EXAMPLES / "exempel.yaml"))[1]


def test_check_of_an_unreadable_path_exits_2() -> None:
    code, out, err = run("check", "/ingen/sådan/fil.yaml")
    assert (code, out) == (2, "")
    assert err == "/ingen/sådan/fil.yaml: kan inte läsa filen: No such file or directory\n"


def test_check_lists_every_problem(tmp_path: Path) -> None:
    text = EXAMPLE.replace("unit: tkr ", "unit: mkr ").replace(
        "category: premises", "category: lokal"
    )
    code, _, err = run("check", write(tmp_path, text))
    assert code == 2
    assert [line.split(":")[0] for line in err.splitlines()] == ["unit", "costs[1].category"]


# --- import: one test per error class of the spec ------------------------------------

ERRORS = [
    # (what, change to the example, the path named)
    ("unknown key", ("category: administration", "categroy: administration"), "costs[0].categroy"),
    ("unknown category", ("category: premises", "category: lokaler"), "costs[1].category"),
    (
        "bad number",
        ("2025: 1000, 2026: 1000}", '2025: "1 0O0", 2026: 1000}'),
        "costs[0].amounts.2025",
    ),
    ("year outside years", ("{2024: 2051}", "{2024: 2051, 2027: 5}"), "costs[2].amounts.2027"),
    (
        "unknown member",
        ("owner: Exempels kommun", "owner: Exempelby kommun"),
        "interventions[0].owner",
    ),
    ("unknown insats", ("intervention: Steget", "intervention: Stegen"), "costs[2].intervention"),
    ("negative cost", ("{2024: 50000}", "{2024: -50000}"), "costs[1].amounts.2024"),
    ("wrong format", ("format: stegvis-plan/1", "format: stegvis-plan/0"), "format"),
    ("empty file", (EXAMPLE, ""), "FILE"),
    ("not YAML", (EXAMPLE, "format: stegvis-plan/1\nunit: [tkr\n"), "FILE"),
]


@pytest.mark.parametrize(("what", "change", "path"), ERRORS, ids=[e[0] for e in ERRORS])
def test_an_invalid_file_is_not_imported_and_the_path_is_named(
    exempel: Association, tmp_path: Path, what: str, change: tuple[str, str], path: str
) -> None:
    assert change[0] in EXAMPLE
    filename = write(tmp_path, EXAMPLE.replace(change[0], change[1], 1))
    path = filename if path == "FILE" else path
    for action in ("check", "import"):
        code, out, err = run(action, filename)
        assert code == 2, (action, err)
        assert out == ""
        assert err.startswith(f"{path}: "), err
        assert "Traceback" not in err
    assert plans() == 0


def test_import_names_a_missing_association(db: Any, tmp_path: Path) -> None:
    code, _, err = run("import", str(EXAMPLES / "exempel.yaml"))
    assert code == 2
    assert err == 'association.name: inget förbund heter "Samordningsförbundet Exempel"\n'
    assert plans() == 0


def test_import_reports_a_member_that_does_not_fit_the_association(exempel: Association) -> None:
    with scopes_disabled():
        MemberFactory(association=exempel, name="Region Exempel", kind=Member.Kind.MUNICIPALITY)
    code, _, err = run("import", str(EXAMPLES / "exempel.yaml"))
    assert code == 2
    assert err.startswith("association.members[2].kind: ")
    assert plans() == 0


# --- import and export ---------------------------------------------------------------


def test_import_stores_the_plan_with_its_generated_contributions(exempel: Association) -> None:
    code, out, err = run("import", str(EXAMPLES / "exempel.yaml"))
    assert code == 0, err
    assert "Samordningsförbundet Exempel: Budget 2024, plan 2025–2026 är inläst" in out
    # `support` is a question code of the default survey; `person_centred` is unknown.
    assert err.startswith("varning: goals[0].indicators[0].question")
    assert "interventions[0].targets[1].question" not in err
    with scope(association=exempel):
        plan = Plan.objects.get()
        assert (plan.first_year, plan.last_year, plan.opening_equity) == (2024, 2026, 1_500_000)
        generated = plan.lines.filter(generated=True).order_by("position")
        assert [line.name for line in generated] == [
            "Medlemsavgift Försäkringskassan",
            "Medlemsavgift Region Exempel",
            "Medlemsavgift Exempels kommun",
            "Medlemsavgift Grannby kommun",
        ]
        assert plan.lines.filter(side=BudgetLine.Side.COST).count() == 3


def test_importing_again_replaces_the_plan_and_keeps_the_old_in_history(
    exempel: Association, tmp_path: Path
) -> None:
    assert run("import", str(EXAMPLES / "exempel.yaml"))[0] == 0
    changed = write(tmp_path, EXAMPLE.replace("opening_equity: 1500", "opening_equity: 1800"))
    assert run("import", changed)[0] == 0
    with scope(association=exempel):
        plan = Plan.objects.get()
        assert plan.opening_equity == 1_800_000
        assert [h.opening_equity for h in plan.history.order_by("history_date")][:1] == [1_500_000]


@pytest.mark.parametrize("fmt", ["yaml", "json", "xlsx"])
def test_export_import_export_gives_the_same_bytes(
    exempel: Association, tmp_path: Path, fmt: str
) -> None:
    assert run("import", str(EXAMPLES / "exempel.yaml"))[0] == 0
    first = tmp_path / f"first.{fmt}"
    code, out, err = run("export", "exempel", "2024", "--format", fmt, "-o", str(first))
    assert code == 0, err
    assert str(first) in out
    assert (
        read_plan(first.read_bytes(), filename=first.name)[0]
        == read_plan(EXAMPLE.encode(), filename="e.yaml")[0]
    )
    assert run("import", str(first))[0] == 0
    second = tmp_path / f"second.{fmt}"
    assert run("export", "exempel", "2024", "-o", str(second))[0] == 0  # format from the name
    assert second.read_bytes() == first.read_bytes()


def test_export_writes_yaml_to_stdout_by_default(exempel: Association) -> None:
    assert run("import", str(EXAMPLES / "exempel.yaml"))[0] == 0
    code, out, _ = run("export", "exempel", "2024")
    assert code == 0
    assert out.startswith("# Samordningsförbundet Exempel: budget 2024, plan 2025–2026")
    assert "format: stegvis-plan/1\nunit: tkr\n" in out


def test_export_of_excel_needs_a_file(exempel: Association) -> None:
    assert run("import", str(EXAMPLES / "exempel.yaml"))[0] == 0
    assert run("export", "exempel", "2024", "--format", "xlsx") == (
        2,
        "",
        "Excel skrivs till en fil: ange -o FIL.xlsx\n",
    )


def test_export_names_an_unknown_association_or_plan(exempel: Association) -> None:
    assert run("export", "okand", "2024") == (
        2,
        "",
        'okand: inget förbund har kortnamnet "okand"\n',
    )
    assert run("export", "exempel", "2030") == (
        2,
        "",
        "exempel: Samordningsförbundet Exempel har ingen plan med budgetåret 2030\n",
    )


def test_the_seed_plans_import(db: Any) -> None:
    for name, slug in [
        ("Samordningsförbundet Samspelet", "samspelet"),
        ("Samordningsförbundet i Blekinge län", "blekinge"),
    ]:
        AssociationFactory(name=name, slug=slug)
    for example in ("samspelet-2024.yaml", "blekinge-2024.yaml"):
        code, _, err = run("import", str(EXAMPLES / example))
        assert code == 0, err
    assert plans() == 2


def test_the_installed_command_never_shows_a_traceback(tmp_path: Path) -> None:
    """The whole process, as a user runs it: exit 2 and the problems, nothing else."""
    bad = write(tmp_path, "format: stegvis-plan/1\nunit: tkr\ncosts: [{amounts: {2024: x}}]\n")
    env = {
        **os.environ,
        "SECRET_KEY": os.environ.get("SECRET_KEY", "test-only"),
        "DJANGO_SETTINGS_MODULE": "stegvis.settings",
    }
    stegvis = Path(sys.executable).with_name("stegvis")
    for target in (bad, str(tmp_path / "saknas.yaml"), str(tmp_path)):
        result = subprocess.run(  # noqa: S603 - our own command
            [str(stegvis), "plan", "check", target],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr
        assert result.stdout == ""
    assert result.stderr.startswith(f"{tmp_path}: kan inte läsa filen: ")
