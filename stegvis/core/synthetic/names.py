"""Made-up but plausible Swedish names for synthetic förbund, members and insatser.

Place names are put together from common Swedish parts, so they read naturally
while not naming a real förbund; no person is ever named.
"""

from __future__ import annotations

import random

_PREFIXES = [
    "Björk",
    "Sjö",
    "Lind",
    "Älv",
    "Berg",
    "Hag",
    "Ros",
    "Ask",
    "Gran",
    "Tall",
    "Ljung",
    "Mos",
    "Klint",
    "Sten",
    "Ström",
    "Vass",
    "Hassel",
    "Rönn",
    "Al",
    "Lugn",
    "Ny",
    "Väst",
    "Öster",
    "Norr",
    "Söder",
    "Mellan",
    "Hög",
    "Ljus",
    "Myr",
    "Tjärn",
    "Kvarn",
    "Fur",
    "Ekel",
    "Dals",
    "Skog",
    "Ängs",
    "Åker",
    "Strand",
    "Fjäll",
    "Vik",
]
_SUFFIXES = [
    "vik",
    "ås",
    "hult",
    "fors",
    "sund",
    "torp",
    "ryd",
    "näs",
    "dal",
    "berga",
    "holm",
    "mo",
    "sjö",
    "backa",
    "lunda",
    "hed",
    "bro",
    "vall",
    "stad",
    "åker",
]
# Names the parts could spell that belong to real places; skipped.
_REAL = {"Norrsund", "Vikdal", "Strandmo", "Alsjö", "Bergsjö", "Hagfors", "Ljusdal", "Myrbacka"}

INDIVIDUAL_NAMES = [
    "Steget",
    "Vägen vidare",
    "Kompassen",
    "Brobygget",
    "Jobbspåret",
    "Ung framtid",
    "Navigatorn",
    "Arbetsträning",
    "Team rehab",
    "Nästa steg",
    "Språngbrädan",
    "Motivationslotsen",
    "Framåt",
    "Lotsen",
    "Resursteamet",
]
STRUCTURAL_NAMES = [
    "Konsultationsteam",
    "Kunskapsdialog psykisk hälsa",
    "Samverkansutbildning",
    "Nätverk för handläggare",
    "Frukostseminarier",
    "Metodstöd arbetsträning",
    "Lokal samverkansgrupp",
]
INDIVIDUAL_FOCUS = [
    "Samordnat stöd till unga vuxna som varken arbetar eller studerar.",
    "Arbetslivsinriktad rehabilitering för personer med sjukpenning eller aktivitetsersättning.",
    "Stöd till personer med långvarigt ekonomiskt bistånd att närma sig arbete eller studier.",
    "Arbetsträning och individuellt stöd för personer med psykisk ohälsa.",
    "Stöd till utrikes födda att komma vidare till arbete eller studier.",
]
STRUCTURAL_FOCUS = [
    "Parternas handläggare ger varandra konsultation i ärenden där flera parter behövs.",
    "Gemensam kompetensutveckling för parternas medarbetare.",
    "Mötesplatser där parterna lär känna varandras uppdrag.",
]


def place_names(rng: random.Random, count: int, *, taken: set[str] | None = None) -> list[str]:
    """`count` different place names, none of them in `taken` (which is extended)."""
    taken = taken if taken is not None else set()
    names: list[str] = []
    while len(names) < count:
        name = rng.choice(_PREFIXES) + rng.choice(_SUFFIXES)
        name = name[0] + name[1:].lower()
        if name in taken or name in _REAL:
            continue
        taken.add(name)
        names.append(name)
    return names


def municipality_name(place: str) -> str:
    return f"{place}s kommun" if not place.endswith("s") else f"{place} kommun"
