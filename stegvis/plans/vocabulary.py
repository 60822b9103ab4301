"""The words a plan file may use for targets and indicators, and the codes the
installation knows.

The metric table is that of `shared/spec/plan-format.md` ("Metrics"). A metric's
extra keys are either required (`exit_outcome_share` needs the `outcome` it
counts) or optional (`activities` may be limited to one `kind`). The codes a metric
refers to (`question`, `instrument`, `outcome`) belong to apps that do not exist
yet; until they register what they know, every code is unknown, which is a warning
and not an error: the target is stored and shown as "kan inte mätas ännu".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

OPS = (">=", "<=", ">", "<", "==")


@dataclass(frozen=True)
class Metric:
    code: str
    label: str  # Swedish, for the Excel template and messages
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    share: bool = False  # the value is a share, written as a decimal (0.90)

    @property
    def extra_keys(self) -> tuple[str, ...]:
        return self.required + self.optional


METRICS: dict[str, Metric] = {
    metric.code: metric
    for metric in [
        Metric("participants", "deltagare under perioden"),
        Metric("participants_started", "deltagare som började under perioden"),
        Metric("participants_exited", "deltagare som avslutades under perioden"),
        Metric("step_progress_share", "andel avslutade med stegförflyttning", share=True),
        Metric(
            "exit_outcome_share", "andel avslutade med ett visst utfall", ("outcome",), share=True
        ),
        Metric("handover_share", "andel avslutade med planerad överlämning", share=True),
        Metric(
            "survey_agree_share",
            "andel som instämmer i en enkätfråga",
            ("question",),
            optional=("group",),
            share=True,
        ),
        Metric(
            "screening_coverage",
            "andel startade som screenats med ett instrument",
            ("instrument",),
            share=True,
        ),
        Metric("activities", "strukturövergripande aktiviteter", optional=("kind",)),
        Metric("deviations", "rapporterade avvikelser"),
        Metric("equity_ratio", "utgående eget kapital / intäkter"),
        Metric("admin_share", "administrativa kostnader / kostnader", share=True),
        Metric("budget_adherence", "utfall / budgeterade kostnader"),
        Metric("full_year_equivalents", "helårsekvivalenter (SCB)", optional=("municipality",)),
        Metric("manual", "värde som förs in för hand", ("source",)),
    ]
}

# Every extra key any metric has, in the order they are written.
EXTRA_KEYS = ("outcome", "question", "group", "instrument", "kind", "municipality", "source")
# The extra keys whose value is a code another part of Stegvis defines.
CODE_KEYS = ("outcome", "question", "instrument")
# The respondent groups of a collaboration survey (`group` of survey_agree_share: one,
# or several separated by commas), as structural.models.surveys.RespondentGroup has them.
RESPONDENT_GROUPS = ("personal", "chefer", "styrelse", "remittenter")

CodeProvider = Callable[[], Mapping[str, Iterable[str]]]
_providers: list[CodeProvider] = []


def register_code_provider(provider: CodeProvider) -> None:
    """Let an app tell the plan reader which codes it knows, e.g. the instruments app
    `{"question": {...}, "instrument": {...}}` from its `AppConfig.ready()`. The
    provider is called on every read, so it may answer from the database."""
    if provider not in _providers:
        _providers.append(provider)


def unregister_code_provider(provider: CodeProvider) -> None:
    if provider in _providers:
        _providers.remove(provider)


def known_codes() -> dict[str, frozenset[str]]:
    """The codes the installation knows, per code key (`question`, `instrument`,
    `outcome`). Empty until the apps that own the codes register them."""
    known: dict[str, set[str]] = {key: set() for key in CODE_KEYS}
    for provider in _providers:
        for key, codes in provider().items():
            known.setdefault(key, set()).update(codes)
    return {key: frozenset(codes) for key, codes in known.items()}
