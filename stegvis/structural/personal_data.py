"""Does a text look like it holds personal data? (DOMAIN.md §9: avvikelser and guldkorn
are about how collaboration worked, never about a person.)

A pure function of the text and the words the förbund itself uses (its members,
insatser, groups): no database, so it is tested on its own.

* A **personnummer or samordningsnummer** is refused: ten or twelve digits as
  YYMMDD-NNNN, YYMMDD+NNNN or YYYYMMDDNNNN (with or without the dash, a space or an
  en dash), when the date part is a date (a samordningsnummer's day is day + 60) or
  the check digit is right. An organisationsnummer (its "month" is 20 or more) is not
  a person's. The number is never repeated back.
* A **name** gives a warning the reporter confirms: a common first name, two
  capitalised words in a row in the middle of a sentence that are not the förbund's
  own words or known organisations (Försäkringskassan, Region …), or a capitalised
  word after a word for a person ("handläggaren Svensson"). Swedish writes only proper
  nouns with a capital letter mid-sentence, so what is left is a person, a place or an
  organisation, and the reporter says which.
* An **e-mail address** also gives a warning.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from stegvis.associations.validators import luhn_ok

PERSONAL_NUMBER = "personal_number"
NAME = "name"
EMAIL = "email"

# Ten or twelve digits, not inside a longer run of digits.
_NUMBER = re.compile(
    r"(?<![\d])(?P<century>\d{2})?(?P<date>\d{6}) ?(?P<sep>[-+–])? ?(?P<serial>\d{4})(?![\d])"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# What ends a sentence (or starts a new one) between two words.
_SENTENCE_BREAK = re.compile(r"[.!?:;…\n\r•”“\"»«]")
_CENTURIES = {"18", "19", "20"}

# Common first names in Sweden (SCB's most common for all ages, and common names of
# people born abroad). Not complete: the two-capitalised-words rule catches most others.
FIRST_NAMES = frozenset(
    [
        "agnes",
        "agneta",
        "aisha",
        "alice",
        "alma",
        "alva",
        "amanda",
        "amina",
        "anja",
        "ann",
        "anna",
        "anneli",
        "annika",
        "astrid",
        "barbro",
        "birgitta",
        "britt",
        "camilla",
        "carina",
        "caroline",
        "cecilia",
        "charlotte",
        "clara",
        "cornelia",
        "ebba",
        "elif",
        "elin",
        "elina",
        "elisabeth",
        "ella",
        "ellen",
        "elsa",
        "emelie",
        "emilia",
        "emma",
        "ester",
        "eva",
        "fatima",
        "freja",
        "frida",
        "gun",
        "gunilla",
        "gunnel",
        "hanna",
        "hawa",
        "hedvig",
        "helen",
        "helena",
        "hiba",
        "hilda",
        "ida",
        "ines",
        "inga",
        "ingela",
        "inger",
        "ingrid",
        "irene",
        "irina",
        "iris",
        "jasmin",
        "jeanette",
        "jenny",
        "jessica",
        "johanna",
        "josefin",
        "julia",
        "karin",
        "katarina",
        "kerstin",
        "klara",
        "kristin",
        "kristina",
        "layla",
        "leila",
        "lena",
        "lilly",
        "lina",
        "linda",
        "linnea",
        "lisa",
        "liv",
        "lotta",
        "louise",
        "lova",
        "lovisa",
        "madeleine",
        "maja",
        "malin",
        "margareta",
        "maria",
        "marianne",
        "marie",
        "maryam",
        "matilda",
        "meja",
        "mia",
        "minna",
        "moa",
        "molly",
        "märta",
        "nadia",
        "natalia",
        "nina",
        "noor",
        "nora",
        "nova",
        "olga",
        "olivia",
        "petra",
        "pia",
        "rebecka",
        "ronja",
        "sabina",
        "saga",
        "sandra",
        "sara",
        "selma",
        "signe",
        "sigrid",
        "siv",
        "sofia",
        "sofie",
        "sol",
        "stella",
        "stina",
        "sumaya",
        "susanne",
        "thea",
        "therese",
        "tilda",
        "tova",
        "tove",
        "tyra",
        "ulla",
        "ulrika",
        "vera",
        "veronica",
        "viktoria",
        "vilma",
        "viola",
        "wilma",
        "yasmin",
        "ylva",
        "yvonne",
        "zahra",
        "zeynep",
        "åsa",
        "abdi",
        "abdullah",
        "adam",
        "ahmad",
        "ahmed",
        "albin",
        "alexander",
        "alfred",
        "ali",
        "amir",
        "anders",
        "andreas",
        "anton",
        "arne",
        "arvid",
        "axel",
        "benjamin",
        "bengt",
        "bert",
        "björn",
        "bo",
        "christer",
        "christoffer",
        "claes",
        "conny",
        "dag",
        "daniel",
        "david",
        "dennis",
        "elias",
        "elliot",
        "emil",
        "erik",
        "erland",
        "filip",
        "fredrik",
        "glenn",
        "gunnar",
        "gustav",
        "gösta",
        "hamid",
        "hampus",
        "hans",
        "harald",
        "hassan",
        "henrik",
        "hugo",
        "hussein",
        "håkan",
        "ibrahim",
        "ingvar",
        "isak",
        "ivar",
        "jacob",
        "jakob",
        "jan",
        "janne",
        "jesper",
        "jimmy",
        "joakim",
        "johan",
        "johannes",
        "jonas",
        "jonathan",
        "jonny",
        "karim",
        "karl",
        "kalle",
        "kenneth",
        "kent",
        "khalid",
        "kjell",
        "klas",
        "kristoffer",
        "kurt",
        "lars",
        "lennart",
        "leif",
        "leo",
        "liam",
        "linus",
        "lucas",
        "ludvig",
        "magnus",
        "marcus",
        "markus",
        "martin",
        "mats",
        "mattias",
        "max",
        "mehmet",
        "melvin",
        "mikael",
        "micke",
        "mohamed",
        "mohammed",
        "muhammad",
        "mustafa",
        "niklas",
        "nils",
        "noah",
        "ola",
        "olle",
        "omar",
        "oliver",
        "oscar",
        "oskar",
        "ove",
        "patrik",
        "per",
        "peter",
        "pontus",
        "rasmus",
        "reza",
        "robert",
        "roger",
        "roland",
        "rolf",
        "rune",
        "samir",
        "samuel",
        "sebastian",
        "simon",
        "staffan",
        "stefan",
        "sten",
        "stig",
        "sven",
        "tariq",
        "theo",
        "thomas",
        "tobias",
        "tomas",
        "tommy",
        "tor",
        "torbjörn",
        "ulf",
        "urban",
        "viktor",
        "victor",
        "vincent",
        "william",
        "youssef",
        "yusuf",
        "åke",
    ]
)
# First names that are also ordinary words ("Inga remisser kom fram", "Per månad"):
# at the start of a sentence only a name when a capitalised surname follows.
AMBIGUOUS_FIRST_NAMES = frozenset(
    [
        "axel",
        "bo",
        "dag",
        "ebba",
        "inga",
        "iris",
        "jan",
        "klara",
        "lina",
        "lisa",
        "liv",
        "lova",
        "max",
        "per",
        "saga",
        "sol",
        "sten",
        "stig",
        "tor",
    ]
)

# Organisations, places and systems that are written with a capital letter and are
# not people. The förbund adds its own (members, insatser, groups) as `known_words`.
KNOWN_WORDS = frozenset(
    [
        "försäkringskassan",
        "försäkringskassa",
        "arbetsförmedlingen",
        "arbetsförmedling",
        "region",
        "regionen",
        "kommun",
        "kommunen",
        "landsting",
        "landstinget",
        "samordningsförbundet",
        "samordningsförbund",
        "förbundet",
        "finsam",
        "socialtjänsten",
        "socialtjänst",
        "socialförvaltningen",
        "socialnämnden",
        "individ",
        "familj",
        "familjeomsorgen",
        "vuxenpsykiatrin",
        "psykiatrin",
        "barn",
        "ungdomspsykiatrin",
        "primärvården",
        "vårdcentralen",
        "vårdcentral",
        "hälsocentralen",
        "hälsocentral",
        "habiliteringen",
        "beroendecentrum",
        "sjukhuset",
        "centralsjukhuset",
        "jobbcentrum",
        "arbetsmarknadsenheten",
        "arbetsmarknadsförvaltningen",
        "vuxenutbildningen",
        "komvux",
        "folkhögskola",
        "folkhögskolan",
        "gymnasiet",
        "gymnasieskolan",
        "skolan",
        "migrationsverket",
        "skatteverket",
        "kronofogden",
        "polisen",
        "csn",
        "styrgruppen",
        "styrgrupp",
        "styrelsen",
        "beredningsgruppen",
        "konsultationsteamet",
        "konsultationsteam",
        "kansliet",
        "lärcentrum",
        "ungdomsmottagningen",
        "samverkan",
        "samverkansgruppen",
        "guldkorn",
        "avvikelse",
        "rehabkoordinator",
        "supported",
        "employment",
        "sverige",
        "stockholm",
        "göteborg",
        "malmö",
        "uppsala",
        "norge",
        "danmark",
        "finland",
        "europa",
        "teams",
        "zoom",
        "outlook",
        "excel",
        "word",
        "skype",
        "platina",
        "treserva",
        "lifecare",
        "procapita",
        "cosmos",
        "takecare",
    ]
)
# Words for a person, after which a capitalised word is likely their name.
PERSON_WORDS = frozenset(
    [
        "handläggare",
        "handläggaren",
        "handläggarens",
        "coach",
        "coachen",
        "coachens",
        "deltagare",
        "deltagaren",
        "deltagarens",
        "läkare",
        "läkaren",
        "kurator",
        "kuratorn",
        "chef",
        "chefen",
        "chefens",
        "socialsekreterare",
        "socialsekreteraren",
        "arbetsterapeut",
        "arbetsterapeuten",
        "sjuksköterska",
        "sjuksköterskan",
        "psykolog",
        "psykologen",
        "klienten",
        "patienten",
        "brukaren",
        "personen",
        "kollega",
        "kollegan",
        "kollegor",
        "herr",
        "fru",
        "doktor",
        "dr",
        "mamma",
        "pappa",
        "mor",
        "far",
        "son",
        "dotter",
        "bror",
        "syster",
        "sambo",
        "make",
        "maka",
    ]
)

MIN_NAME_LENGTH = 2


@dataclass(frozen=True)
class Finding:
    kind: str  # PERSONAL_NUMBER, NAME or EMAIL
    text: str  # what was found; "" for a personal number (never repeated)

    @property
    def refused(self) -> bool:
        return self.kind == PERSONAL_NUMBER


# ---------------------------------------------------------------------------
# Personnummer and samordningsnummer


def _date_shaped(century: str | None, date: str) -> bool:
    month, day = int(date[2:4]), int(date[4:6])
    if day > 60:  # samordningsnummer
        day -= 60
    if not 1 <= month <= 12 or day < 1:
        return False
    if century is None:
        # Any year: 29 February is a date in some year of every century.
        return day <= (29 if month == 2 else calendar.monthrange(2001, month)[1])
    return day <= calendar.monthrange(int(century + date[:2]), month)[1]


def looks_like_personal_number(century: str | None, date: str, serial: str) -> bool:
    """Ten digits YYMMDDNNNN (and the century, if given) that may be a person's."""
    if century is not None and century not in _CENTURIES:
        return False
    digits = date + serial
    if int(digits[2]) >= 2:  # an organisationsnummer: "month" 20 or more
        return False
    return _date_shaped(century, date) or luhn_ok(digits)


def _is_personal_number(match: re.Match[str]) -> bool:
    return looks_like_personal_number(
        match.group("century"), match.group("date"), match.group("serial")
    )


def has_personal_number(text: str) -> bool:
    return any(_is_personal_number(match) for match in _NUMBER.finditer(text or ""))


def without_personal_numbers(text: str) -> str:
    """The text with every personal number replaced by a marker, so a form can show
    the text again without repeating the number."""
    marker = _("[personnummer borttaget]")
    return _NUMBER.sub(
        lambda match: marker if _is_personal_number(match) else match.group(), text or ""
    )


# ---------------------------------------------------------------------------
# Names


def _fold(word: str) -> str:
    return word.casefold().replace("’", "'")


def known_words_of(names: Iterable[str]) -> frozenset[str]:
    """The words of the förbund's own names (members, insatser, groups): "Karlstads
    kommun" gives "karlstads", "karlstad" and "kommun"."""
    words: set[str] = set()
    for name in names:
        for match in _WORD.finditer(name or ""):
            for part in [match.group(), *re.split(r"[-'’]", match.group())]:
                folded = _fold(part)
                words.add(folded)
                if folded.endswith("s") and len(folded) > 3:
                    words.add(folded[:-1])
    return frozenset(words)


def _is_known(word: str, known: frozenset[str]) -> bool:
    folded = _fold(word)
    if folded in known or folded in KNOWN_WORDS:
        return True
    # Genitive: "Försäkringskassans", "Karlstads".
    return folded.endswith("s") and (folded[:-1] in known or folded[:-1] in KNOWN_WORDS)


def _capitalised(word: str) -> bool:
    # Acronyms (FK, AF, IFO) are organisations, not names.
    return len(word) >= MIN_NAME_LENGTH and word[0].isupper() and not word.isupper()


def _first_name(word: str) -> str | None:
    """The first name a word is or begins with ("Anna-Karin" → "anna"), else None."""
    for part in re.split(r"[-'’]", _fold(word)):
        if part in FIRST_NAMES:
            return part
    return None


@dataclass(frozen=True)
class _Token:
    word: str
    start: int
    end: int
    sentence_start: bool
    joined: bool  # only spaces between it and the token before


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    previous_end = 0
    for match in _WORD.finditer(text):
        gap = text[previous_end : match.start()]
        first = not tokens
        tokens.append(
            _Token(
                word=match.group(),
                start=match.start(),
                end=match.end(),
                sentence_start=first or bool(_SENTENCE_BREAK.search(gap)),
                joined=not first and gap.strip(" \t") == "",
            )
        )
        previous_end = match.end()
    return tokens


def _runs(tokens: list[_Token], known: frozenset[str]) -> list[tuple[int, int]]:
    """(first, last) indexes of runs of capitalised words that the förbund does not
    know, separated by nothing but spaces."""
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for index, token in enumerate(tokens):
        candidate = _capitalised(token.word) and not _is_known(token.word, known)
        if candidate and start is not None and token.joined:
            continue
        if start is not None:
            runs.append((start, index - 1))
            start = None
        if candidate:
            start = index
    if start is not None:
        runs.append((start, len(tokens) - 1))
    return runs


def _name_in_run(tokens: list[_Token], first: int, last: int) -> tuple[int, int] | None:
    """The part of a run that looks like a name, or None."""
    head = tokens[first]
    name = _first_name(head.word)
    if head.sentence_start:
        if first < last and name is not None:
            return first, last  # "Per Holm ringde"
        if first == last:
            unambiguous = name is not None and name not in AMBIGUOUS_FIRST_NAMES
            return (first, last) if unambiguous else None  # "Anna ringde", not "Inga kom"
        first += 1  # "Möte med Region …": the sentence's first word is just capitalised
        head = tokens[first]
        name = _first_name(head.word)
    if first < last or name is not None:
        return first, last
    before = tokens[first - 1] if first > 0 and not head.sentence_start else None
    if before is not None and _fold(before.word) in PERSON_WORDS:
        return first, last  # "handläggaren Svensson"
    return None


def name_findings(text: str, *, known_words: Iterable[str] = ()) -> list[str]:
    """The parts of the text that look like a person's name, in order, once each."""
    known = frozenset(_fold(word) for word in known_words)
    tokens = _tokens(text or "")
    found: list[str] = []
    for first, last in _runs(tokens, known):
        part = _name_in_run(tokens, first, last)
        if part is None:
            continue
        words = text[tokens[part[0]].start : tokens[part[1]].end]
        if words not in found:
            found.append(words)
    return found


# ---------------------------------------------------------------------------
# Together


def personal_data_findings(text: str, *, known_words: Iterable[str] = ()) -> list[Finding]:
    """What in the text looks like personal data: a personal number (refused; one
    finding however many), then names and e-mail addresses (warnings)."""
    text = text or ""
    findings: list[Finding] = []
    if has_personal_number(text):
        findings.append(Finding(PERSONAL_NUMBER, ""))
    emails = [match.group() for match in _EMAIL.finditer(text)]
    without_emails = _EMAIL.sub(" ", text)
    findings += [
        Finding(NAME, words) for words in name_findings(without_emails, known_words=known_words)
    ]
    findings += [Finding(EMAIL, address) for address in dict.fromkeys(emails)]
    return findings


def refusal_message(*, removed: bool = False) -> str:
    if removed:
        return _(
            "Texten såg ut att innehålla ett personnummer eller samordningsnummer. Det är "
            "borttaget ur texten nedan – kontrollera texten och skicka igen. Avvikelser och "
            "guldkorn får aldrig innehålla personuppgifter."
        )
    return _(
        "Texten ser ut att innehålla ett personnummer eller samordningsnummer. Ta bort "
        "det – avvikelser och guldkorn får aldrig innehålla personuppgifter."
    )


def warning_message(findings: Iterable[Finding]) -> str:
    names = [f"”{finding.text}”" for finding in findings if finding.kind == NAME]
    emails = [f"”{finding.text}”" for finding in findings if finding.kind == EMAIL]
    parts = []
    if names:
        parts.append(
            _("Texten ser ut att innehålla ett namn: %(names)s.") % {"names": ", ".join(names)}
        )
    if emails:
        parts.append(
            _("Texten ser ut att innehålla en e-postadress: %(emails)s.")
            % {"emails": ", ".join(emails)}
        )
    return " ".join(parts)
