"""The personal data check of avvikelser and guldkorn, on its own (no database).

Every personnummer-shaped string written here has an impossible date (month 00 or
13): the property test makes date-shaped numbers in memory only.
"""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stegvis.structural.personal_data import (
    EMAIL,
    NAME,
    PERSONAL_NUMBER,
    has_personal_number,
    known_words_of,
    name_findings,
    personal_data_findings,
    refusal_message,
    warning_message,
)
from stegvis.structural.tests.factories_deviations import check_digit, impossible_number

MEMBERS = [
    "Försäkringskassan",
    "Arbetsförmedlingen",
    "Region Värmland",
    "Karlstads kommun",
    "Kristinehamns kommun",
    "Grums kommun",
    "Hammarö kommun",
]
KNOWN = known_words_of([*MEMBERS, "Stegen Karlstad", "Styrgrupp Stegen Karlstad"])


def names(text: str) -> list[str]:
    return name_findings(text, known_words=KNOWN)


# ---------------------------------------------------------------------------
# Personnummer


@pytest.mark.parametrize(
    "number",
    [
        impossible_number(month="13"),
        impossible_number(month="00"),
        impossible_number(month="13", separator=""),
        impossible_number(month="13", separator="+"),
        impossible_number(month="00", separator="–"),
        impossible_number(month="13", century="19"),
        impossible_number(month="00", century="20", separator=""),
        impossible_number(month="13", separator=" - "),
    ],
)
def test_a_personal_number_with_a_right_check_digit_is_refused(number: str) -> None:
    text = f"Deltagaren ({number}) fick ingen tid hos handläggaren."
    findings = personal_data_findings(text)
    assert [finding.kind for finding in findings] == [PERSONAL_NUMBER]
    assert findings[0].refused and findings[0].text == ""


def test_the_refusal_never_repeats_the_number() -> None:
    number = impossible_number()
    assert number[-4:] not in refusal_message()
    assert "personnummer" in refusal_message()


def test_wrong_check_digit_and_impossible_date_is_not_a_personal_number() -> None:
    date, serial = "851307", "123"
    right = check_digit(date + serial)
    wrong = str((int(right) + 1) % 10)
    assert has_personal_number(f"{date}-{serial}{right}")
    assert not has_personal_number(f"{date}-{serial}{wrong}")


@pytest.mark.parametrize(
    "text",
    [
        "Samordningsförbundet Samspelet, organisationsnummer 222000-1636.",
        "Diarienummer 2024-0312, beslut 2024-03-12.",
        "Kostnaden blev 1 250 000 kr under 2024.",
        "Perioden 20240101-20240430 följdes upp.",
        "Ärendet har nummer 12345678901234.",
    ],
)
def test_organisation_numbers_dates_and_amounts_are_not_personal_numbers(text: str) -> None:
    assert not has_personal_number(text)


def _formatted(date: datetime.date, serial: int, samordning: bool, layout: int) -> str:
    day = date.day + (60 if samordning else 0)
    short = f"{date:%y%m}{day:02d}"
    full = f"{date:%Y%m}{day:02d}"
    tail = f"{serial:04d}"
    return [
        f"{short}-{tail}",
        f"{short}{tail}",
        f"{short}+{tail}",
        f"{full}-{tail}",
        f"{full}{tail}",
        f"{short} {tail}",
    ][layout]


@given(
    date=st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2099, 12, 31)),
    serial=st.integers(min_value=0, max_value=9999),
    samordning=st.booleans(),
    layout=st.integers(min_value=0, max_value=5),
    before=st.sampled_from(["", "Nummer ", "(", "Deltagaren med nr "]),
    after=st.sampled_from(["", ".", ") kom inte.", " hade fått fel besked"]),
)
def test_any_date_shaped_number_is_caught(
    date: datetime.date, serial: int, samordning: bool, layout: int, before: str, after: str
) -> None:
    """Whatever its check digit: a date-shaped ten or twelve digit number may be a
    mistyped personnummer, and it is refused."""
    text = before + _formatted(date, serial, samordning, layout) + after
    assert has_personal_number(text)
    assert personal_data_findings(text)[0].kind == PERSONAL_NUMBER


# ---------------------------------------------------------------------------
# Names


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Mötet med Anna Svensson ställdes in.", ["Anna Svensson"]),
        ("Per Holm från Försäkringskassan kom inte.", ["Per Holm"]),
        ("Anna ringde aldrig tillbaka.", ["Anna"]),
        ("Vi pratade med Inga om remissen.", ["Inga"]),
        ("Remissen skickades till handläggaren Lundqvist.", ["Lundqvist"]),
        ("Det var Björn-Erik Strandberg som tog emot.", ["Björn-Erik Strandberg"]),
        ("Både Fatima och Mohammed fick vänta.", ["Fatima", "Mohammed"]),
        ("Coachen träffade Lisa Ek på Arbetsförmedlingen.", ["Lisa Ek"]),
    ],
)
def test_names_are_found(text: str, found: list[str]) -> None:
    assert names(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "Inga remisser kom fram till Region Värmland under våren.",
        "Per månad kom tre nya ärenden från Karlstads kommun.",
        "Försäkringskassan och Arbetsförmedlingen hade olika besked.",
        "Styrgrupp Stegen Karlstad tog upp frågan i april.",
        "Handläggare på Försäkringskassans lokalkontor svarade inte.",
        "Möte i Teams med Region Värmland och Hammarö kommun.",
        "FK och AF bjöd in till ett gemensamt möte om SIP.",
        "Remiss och överlämning fungerade inte. Kristinehamns kommun fick vänta.",
        "Samverkan kring BIP fungerade mycket bra i Stegen Karlstad.",
    ],
)
def test_ordinary_text_is_not_taken_for_a_name(text: str) -> None:
    assert names(text) == []


def test_two_capitalised_words_the_förbund_does_not_know_are_a_warning() -> None:
    assert names("Deltagaren bor hos Lundgren Karlsson sedan mars.") == ["Lundgren Karlsson"]


def test_a_name_of_the_förbund_is_known_in_the_genitive() -> None:
    known = known_words_of(["Ljusnarsbergs kommun"])
    assert name_findings("Frågan gick till Ljusnarsberg Västra i våras.", known_words=known) == []


ORDINARY_WORDS = [
    "remissen",
    "kom",
    "inte",
    "fram",
    "till",
    "mötet",
    "samverkan",
    "fungerade",
    "bra",
    "och",
    "handläggaren",
    "ringde",
    "deltagaren",
    "fick",
    "vänta",
    "på",
    "besked",
    "från",
    "parterna",
    "i",
    "våras",
    "under",
    "hösten",
    "styrgruppen",
    "överlämningen",
    "dröjde",
    "veckor",
]
SENTENCE_STARTS = [
    "Remissen",
    "Mötet",
    "Samverkan",
    "Inga",
    "Per",
    "Klara",
    "Det",
    "Handläggaren",
    "Under",
    "Efter",
]
ORGANISATIONS = [*MEMBERS, "Stegen Karlstad", "Försäkringskassans", "Regionen", "FK", "AF"]
NUMBERS = ["2024", "3", "12 000 kr", "2024-03-01", "tertial 1", "8 av 10"]

sentence = st.builds(
    lambda start, words, end: " ".join([start, *words]) + end,
    st.sampled_from(SENTENCE_STARTS),
    st.lists(
        st.one_of(
            st.sampled_from(ORDINARY_WORDS),
            st.sampled_from(ORGANISATIONS),
            st.sampled_from(NUMBERS),
        ),
        min_size=1,
        max_size=14,
    ),
    st.sampled_from([".", "!", "?", ":"]),
)


@given(sentences=st.lists(sentence, min_size=1, max_size=4))
def test_ordinary_text_with_organisation_names_is_not_flagged(sentences: list[str]) -> None:
    text = " ".join(sentences)
    assert personal_data_findings(text, known_words=KNOWN) == []


# ---------------------------------------------------------------------------
# E-mail and the messages


def test_an_email_address_is_a_warning() -> None:
    findings = personal_data_findings("Svar kom från handlaggare@kommun.example.se i går.")
    assert [(finding.kind, finding.text) for finding in findings] == [
        (EMAIL, "handlaggare@kommun.example.se")
    ]
    assert not findings[0].refused


def test_the_warning_names_what_it_found() -> None:
    findings = personal_data_findings("Mötet med Anna Svensson ställdes in.")
    assert [finding.kind for finding in findings] == [NAME]
    assert warning_message(findings) == ("Texten ser ut att innehålla ett namn: ”Anna Svensson”.")
