"""Forms of the goal map pages. They parse what a person typed and hand plain values
to `goals.services`; shares are typed in percent (80) and stored as decimals (0.8)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stegvis.finance.forms import AmountField, show_percent
from stegvis.goals import metrics
from stegvis.goals.models import Goal, GoalMap, Indicator, IndicatorTarget, Op
from stegvis.goals.periods import Period, range_period
from stegvis.participants.vocabulary import Gender, Outcome
from stegvis.plans.vocabulary import RESPONDENT_GROUPS

# The extra keys of the metric vocabulary and the filters, as form fields.
PARAM_KEYS = ("outcome", "question", "group", "instrument", "kind", "municipality")
FILTER_KEYS = ("intervention", "gender")


def to_stored(value: Decimal, unit: str) -> Decimal:
    """A value as typed (80 for 80 % when a share) → as stored (0.8)."""
    return value / 100 if unit == "share" else value


def to_typed(value: Decimal | None, unit: str) -> str:
    if value is None:
        return ""
    if unit == "share":
        return show_percent(value)
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


class GoalForm(forms.Form):
    perspective = forms.ChoiceField(label=_("Perspektiv"), required=False)
    new_perspective = forms.CharField(
        label=_("Eller ett nytt perspektiv"),
        required=False,
        max_length=60,
        help_text=_("Läggs till i målkartans perspektiv, t.ex. ”Samverkan”."),
    )
    text = forms.CharField(label=_("Mål"), widget=forms.Textarea(attrs={"rows": 3}))
    activities = forms.CharField(
        label=_("Aktiviteter"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    responsible = forms.CharField(label=_("Ansvarig"), required=False, max_length=120)
    source = forms.CharField(label=_("Källa"), required=False, max_length=200)

    def __init__(self, *args: Any, goal_map: GoalMap, goal: Goal | None = None, **kwargs: Any):
        if goal is not None:
            kwargs.setdefault(
                "initial",
                {
                    "perspective": goal.perspective,
                    "text": goal.text,
                    "activities": goal.activities,
                    "responsible": goal.responsible,
                    "source": goal.source,
                },
            )
        super().__init__(*args, **kwargs)
        names = list(goal_map.perspectives or [])
        if goal is not None and goal.perspective not in names:
            names.append(goal.perspective)
        self.fields["perspective"].choices = [(name, name) for name in names]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        new = (data.pop("new_perspective", "") or "").strip()
        if new:
            data["perspective"] = new
        elif not data.get("perspective"):
            self.add_error("perspective", _("Välj ett perspektiv eller skriv ett nytt."))
        return data


def _metric_choice_label(spec: metrics.MetricSpec) -> str:
    if spec.measurable_now:
        return str(spec.label)
    not_yet = _("kan inte mätas än")
    return f"{spec.label} ({not_yet})"


class IndicatorForm(forms.Form):
    text = forms.CharField(label=_("Indikator"), max_length=300)
    metric = forms.ChoiceField(
        label=_("Mått"),
        help_text=_(
            "Hur värdet räknas fram. Välj ”Inmatat värde” för en indikator som förs in "
            "för hand varje period."
        ),
    )
    outcome = forms.ChoiceField(
        label=_("Avslutsorsak"),
        required=False,
        choices=[("", "–"), *Outcome.choices],
        help_text=_("För andel avslutade med en avslutsorsak."),
    )
    question = forms.CharField(
        label=_("Enkätfråga (kod)"),
        required=False,
        max_length=80,
        help_text=_("För andel svar som instämmer: frågans kod."),
    )
    group = forms.CharField(
        label=_("Svarsgrupp"),
        required=False,
        max_length=80,
        help_text=_(
            "För ett påstående i en samverkansenkät: bara personal, chefer, styrelse eller "
            "remittenter, flera med kommatecken (lämna tomt för alla som svarat)."
        ),
    )
    instrument = forms.CharField(
        label=_("Instrument"),
        required=False,
        max_length=200,
        help_text=_("För andel påbörjade som screenats: instrumentets namn eller kod."),
    )
    kind = forms.CharField(
        label=_("Slag av aktivitet"),
        required=False,
        max_length=80,
        help_text=_("För samverkansaktiviteter: bara ett slag (lämna tomt för alla)."),
    )
    municipality = forms.CharField(
        label=_("Kommun"),
        required=False,
        max_length=120,
        help_text=_("För helårsekvivalenter: en kommun (lämna tomt för alla)."),
    )
    intervention = forms.ChoiceField(
        label=_("Insats"),
        required=False,
        help_text=_("För mått på deltagare: bara en insats (lämna tomt för hela förbundet)."),
    )
    gender = forms.ChoiceField(
        label=_("Kön"),
        required=False,
        choices=[("", _("Alla")), *Gender.choices],
        help_text=_("För mått på deltagare: bara ett kön."),
    )
    responsible = forms.CharField(label=_("Ansvarig"), required=False, max_length=120)
    source = forms.CharField(label=_("Källa"), required=False, max_length=200)

    def __init__(
        self,
        *args: Any,
        interventions: list[str],
        indicator: Indicator | None = None,
        **kwargs: Any,
    ) -> None:
        if indicator is not None:
            params = indicator.params or {}
            initial = {
                "text": indicator.text,
                "metric": indicator.metric,
                "responsible": indicator.responsible,
                "source": indicator.source or params.get("source", ""),
            }
            initial.update(
                {key: params.get(key, "") for key in (*PARAM_KEYS, *FILTER_KEYS)},
            )
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.fields["metric"].choices = [  # type: ignore[attr-defined]
            (code, _metric_choice_label(spec)) for code, spec in metrics.METRICS.items()
        ]
        names = list(interventions)
        current = (indicator.params or {}).get("intervention") if indicator else None
        if current and current not in names:
            names.append(str(current))
        self.fields["intervention"].choices = [  # type: ignore[attr-defined]
            ("", _("Hela förbundet")),
            *[(name, name) for name in names],
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        spec = metrics.METRICS.get(data.get("metric", ""))
        if spec is None:
            return data
        for key in spec.needs:
            if not data.get(key):
                self.add_error(key, _("Måttet behöver detta."))
        groups = [word.strip() for word in (data.get("group") or "").split(",") if word.strip()]
        unknown = [word for word in groups if word not in RESPONDENT_GROUPS]
        if "group" in spec.optional and unknown:
            self.add_error(
                "group",
                _("Okänd svarsgrupp ”%(group)s”. Välj bland: %(known)s.")
                % {"group": unknown[0], "known": ", ".join(RESPONDENT_GROUPS)},
            )
        return data

    def params(self) -> dict[str, Any]:
        """The metric's extra keys and filters; keys the metric does not use are left
        out, keys this form does not know (kept from a plan file) are kept."""
        data = self.cleaned_data
        code = data["metric"]
        spec = metrics.METRICS[code]
        used = set(spec.needs) | set(spec.optional)
        if spec.participant_based:
            used |= set(FILTER_KEYS)
        known = set(PARAM_KEYS) | set(FILTER_KEYS) | {"source"}
        old = (self.indicator.params or {}) if self.indicator is not None else {}
        # A manual indicator's `source` key is its source (the service sets it).
        params = {key: value for key, value in old.items() if key not in known}
        for key in sorted(used - {"source"}):
            value = data.get(key)
            if value:
                params[key] = value
        return params

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "text": data["text"],
            "metric": data["metric"],
            "params": self.params(),
            "responsible": data["responsible"],
            "source": data["source"],
        }

    def unit(self) -> str:
        code = self.cleaned_data["metric"]
        return str(metrics.metric_unit(code, self.params()))


class TargetForm(forms.Form):
    """One målvärde: operator, value and the year it is for (empty: every year)."""

    target_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    op = forms.ChoiceField(label=_("Villkor"), choices=Op.choices, required=False)
    value = AmountField(
        label=_("Målvärde"),
        help_text=_("En andel skrivs i procent: 80 för 80 %."),
    )
    year = forms.IntegerField(
        label=_("År"),
        required=False,
        min_value=1990,
        max_value=2100,
        help_text=_("Lämna tomt för alla år."),
    )
    delete = forms.BooleanField(label=_("Ta bort"), required=False)

    @staticmethod
    def initial_for(target: IndicatorTarget, unit: str) -> dict[str, Any]:
        return {
            "target_id": target.pk,
            "op": target.op,
            "value": to_typed(target.value, unit),
            "year": target.year,
        }


TargetFormSet = forms.formset_factory(TargetForm, extra=1)


def target_formset(data: Any, *, indicator: Indicator | None, unit: str) -> forms.BaseFormSet:
    initial = (
        [TargetForm.initial_for(each, unit) for each in indicator.targets.all()]
        if indicator is not None
        else []
    )
    return TargetFormSet(data, initial=initial, prefix="targets")


class ManualValueForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"))
    start = forms.DateField(
        label=_("Från (eget datumintervall)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=_("Till (eget datumintervall)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    value = AmountField(label=_("Värde"), required=True)
    source = forms.CharField(
        label=_("Källa"),
        max_length=200,
        help_text=_("Varifrån värdet kommer, t.ex. ”Gruppdialog på chefsmöte”."),
    )
    comment = forms.CharField(
        label=_("Kommentar"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    CUSTOM = "custom"

    def __init__(self, *args: Any, periods: list[Period], unit: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.periods = {period.code: period for period in periods}
        self.unit = unit
        self.fields["period"].choices = [  # type: ignore[attr-defined]
            *[(period.code, period.label) for period in periods],
            (self.CUSTOM, _("Eget datumintervall")),
        ]
        if unit == "share":
            self.fields["value"].help_text = _("I procent: 80 för 80 %.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code = data.get("period")
        if code == self.CUSTOM:
            start: datetime.date | None = data.get("start")
            end: datetime.date | None = data.get("end")
            if start is None or end is None or start > end:
                self.add_error("end", _("Ange från- och till-datum, från före till."))
            else:
                data["chosen"] = range_period(start, end)
        elif code in self.periods:
            data["chosen"] = self.periods[code]
        value = data.get("value")
        if value is not None:
            data["stored"] = to_stored(value, self.unit)
        return data
