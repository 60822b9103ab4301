"""The verksamhetsplan: its page (the texts and what the document holds, with the
PDF), the PDF itself, and the förbundschef's form for the texts with their versions.

Everything the document shows comes from `reports.plan.plan_report`; the PDF and the
page can never disagree. Another förbund's plan is never reached: every read goes
through `request.association`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from stegvis.associations.roles import Permission
from stegvis.associations.tenancy import AssociationRequest, association_view
from stegvis.core.forms import add_service_errors
from stegvis.reports import plan as plan_selectors
from stegvis.reports import services
from stegvis.reports.forms_plan import PlanTextsForm
from stegvis.reports.models import PlanSection, PlanText

# How many earlier versions of the texts the form lists.
VERSIONS_SHOWN = 40


def _year(year: int) -> int:
    first, last = services.YEAR_RANGE
    if not first <= year <= last:
        raise Http404
    return year


@association_view(Permission.VIEW_REPORTS)
def plan(request: AssociationRequest, year: int) -> HttpResponse:
    association = request.association
    report = plan_selectors.plan_report(association=association, year=_year(year), chart=False)
    years = plan_selectors.plan_years(association=association)
    if year not in years:
        years = sorted({*years, year}, reverse=True)
    return render(
        request,
        "reports/plan.html",
        {
            "report": report,
            "year": year,
            "years": years,
            "can_edit": Permission.EDIT_REPORT_TEXTS in request.permissions,
        },
    )


@association_view(Permission.VIEW_REPORTS)
def plan_pdf(request: AssociationRequest, year: int) -> HttpResponse:
    report = plan_selectors.plan_report(association=request.association, year=_year(year))
    response = HttpResponse(plan_selectors.plan_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{report.filename}"'
    return response


@association_view(Permission.EDIT_REPORT_TEXTS)
def plan_texts(request: AssociationRequest, year: int) -> HttpResponse:
    association = request.association
    year = _year(year)
    stored = plan_selectors.plan_texts(association=association, year=year)
    initial: dict[str, Any] = {key: text.text for key, text in stored.items()}
    initial["version"] = services.plan_texts_version(association=association, year=year)
    form = PlanTextsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.plan_texts_save(
                actor=request.user,
                association=association,
                year=year,
                texts=form.texts(),
                expected_version=form.cleaned_data["version"],
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if changed:
                labels = dict(PlanSection.choices)
                messages.success(
                    request,
                    _("Texterna är sparade: %(sections)s.")
                    % {"sections": ", ".join(str(labels[key]).lower() for key in changed)},
                )
            else:
                messages.info(request, _("Inget är ändrat."))
            return redirect("reports:plan", association_slug=association.slug, year=year)
    return render(
        request,
        "reports/plan_texts.html",
        {"form": form, "year": year, "versions": _versions(request, year)},
    )


def _versions(request: AssociationRequest, year: int) -> list[Any]:
    """The year's saved versions, newest first: who saved which section when."""
    return list(
        PlanText.history.filter(association_id=request.association.pk, year=year)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:VERSIONS_SHOWN]
    )
