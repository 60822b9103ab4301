"""Synthetic förbund in the database: members, insatser, participants, follow-up.

`synthetic_build(scale="small"|"national", seed=…)` makes förbund whose slugs start
with `syn-` (so they are easy to find and to remove with `synthetic_remove`), each
with Försäkringskassan, Arbetsförmedlingen, a region and 2–8 kommuner with made-up
names, individual and structural insatser, the default instruments attached to
the individual ones, participants drawn by `synthetic.people`, their responses and
answers, and anonymous counts. The same seed and day give the same data.

What "follow-up events" counts: instrument responses (one occasion an instrument
was used with a participant). Their answers (one row per question) come on top
and are reported apart. The national scale is 75 förbund, 1 500 insatser,
400 000 participants and 2.5 million responses (about 10 million answers).

The large tables are written as plain rows (`synthetic.storage`), one förbund per
transaction; nothing here goes through per-row saves.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django_scopes import scopes_disabled

from stegvis.associations import services as association_services
from stegvis.associations.models import Association, Member, Population
from stegvis.associations.roles import Role
from stegvis.audit.services import audit_log
from stegvis.core.synthetic.people import (
    FIRST_START,
)
from stegvis.core.synthetic.plan import (
    SCALES,
    SLUG_PREFIX,
    AssociationPlan,
    InterventionPlan,
    Scale,
    organisation_number,
    plan_associations,
    window,
)
from stegvis.core.synthetic.storage import sequences_reset
from stegvis.core.synthetic.writer import (
    Batch,
    Summary,
    Writer,
    anonymous_counts,
    instruments_attach,
    instruments_install,
    schedules_for,
)
from stegvis.instruments.models import (
    Instrument,
    InterventionInstrument,
    Response,
    ResponseAnswer,
)
from stegvis.interventions import services as intervention_services
from stegvis.interventions.models import Intervention, InterventionStaff, Kind, TargetGroup
from stegvis.participants.models import AnonymousCount, Answer, Participant, RetainedCount

USER_PREFIX = "syn-"
Progress = Callable[[str], None]


class SyntheticDataExists(Exception):
    """Synthetic förbund are there already (remove them first, or replace)."""


# The whole build -----------------------------------------------------------------


def synthetic_exists() -> bool:
    return Association.objects.filter(slug__startswith=SLUG_PREFIX).exists()


def synthetic_build(
    *,
    scale: str | Scale = "small",
    seed: int = 1,
    today: datetime.date | None = None,
    replace_existing: bool = False,
    share: float = 1.0,
    progress: Progress | None = None,
) -> Summary:
    """Make the synthetic förbund of `scale`. `share` (0–1] makes only that share of
    the förbund, the largest first, each exactly as in the whole set (for benchmarks).
    Refuses when synthetic förbund exist, unless `replace_existing`."""
    started = time.perf_counter()
    today = today or datetime.date.today()
    chosen = SCALES[scale] if isinstance(scale, str) else scale
    say = progress or (lambda _message: None)
    with scopes_disabled():
        if synthetic_exists():
            if not replace_existing:
                raise SyntheticDataExists
            say("Tar bort de syntetiska förbund som finns …")
            synthetic_remove()
        plans = plan_associations(chosen, seed=seed, today=today)
        if share < 1.0:
            count = max(1, round(len(plans) * share))
            largest = max(plans, key=lambda plan: plan.participants)
            plans = [largest, *[plan for plan in plans if plan is not largest][: count - 1]]
        ratio = chosen.responses / max(1, chosen.participants)
        summary = Summary()
        number = 1
        for plan in plans:
            part = _association_build(
                plan, seed=seed, today=today, ratio=ratio, first_number=number, staff=chosen.staff
            )
            number += part.participants
            summary.add(part)
            summary.associations += 1
            summary.users += part.users
            summary.slugs.append(plan.slug)
            if part.participants > summary.largest_participants:
                summary.largest, summary.largest_participants = plan.slug, part.participants
            say(
                f"{summary.associations}/{len(plans)} {plan.name}: "
                f"{part.interventions} insatser, {part.participants} deltagare, "
                f"{part.responses} svar ({time.perf_counter() - started:.0f} s)"
            )
        sequences_reset([Participant, Response, ResponseAnswer])
    summary.seconds = time.perf_counter() - started
    return summary


@transaction.atomic
def _association_build(
    plan: AssociationPlan,
    *,
    seed: int,
    today: datetime.date,
    ratio: float,
    first_number: int,
    staff: bool,
) -> Summary:
    rng = random.Random(f"stegvis-synthetic-{seed}-{plan.index}")  # noqa: S311 - made-up data
    association = association_services.association_create(
        actor=None,
        name=plan.name,
        slug=plan.slug,
        organisation_number=organisation_number(plan.index),
        founded=datetime.date(rng.randint(2005, 2015), 1, 1),
        seat=plan.place,
    )
    member_rows = [
        Member(association=association, name="Försäkringskassan", kind=Member.Kind.STATE),
        Member(association=association, name="Arbetsförmedlingen", kind=Member.Kind.STATE),
        Member(association=association, name=plan.region, kind=Member.Kind.REGION),
    ] + [
        Member(association=association, name=name, kind=Member.Kind.MUNICIPALITY)
        for name, _population in plan.municipalities
    ]
    Member.objects.bulk_create(member_rows)
    members = {member.name: member for member in Member.objects.filter(association=association)}
    Population.objects.bulk_create(
        Population(
            association=association,
            member=members[name],
            year=year,
            population=round(population * (1 + 0.004 * (year - today.year))),
        )
        for name, population in plan.municipalities
        for year in (today.year - 1, today.year)
    )
    intervention_services.target_groups_ensure(association=association)
    target_groups = list(TargetGroup.objects.filter(association=association))
    instruments_install(association)

    interventions: list[tuple[Intervention, InterventionPlan]] = []
    for intervention_plan in plan.interventions:
        intervention = Intervention.objects.create(
            association=association,
            name=intervention_plan.name,
            kind=intervention_plan.kind,
            focus=intervention_plan.focus,
            target_group=rng.choice(target_groups) if target_groups else None,
            owner=members[intervention_plan.owner],
            start=intervention_plan.start,
            end=intervention_plan.end,
            status=intervention_plan.status,
            reference=f"SYN {intervention_plan.start.year}/{len(interventions) + 1}",
        )
        intervention.members.set([members[name] for name in intervention_plan.members])
        interventions.append((intervention, intervention_plan))

    batches = []
    anonymous: list[AnonymousCount] = []
    for intervention, intervention_plan in interventions:
        if intervention.kind != Kind.INDIVIDUAL:
            continue
        instruments_attach(intervention)
        first, last, closes = window(intervention_plan, today)
        batches.append(
            Batch(
                intervention=intervention,
                count=intervention_plan.participants,
                first=first,
                last=last,
                closes=closes,
                schedules=schedules_for(intervention),
            )
        )
        anonymous += anonymous_counts(rng, intervention, first, closes or today)
    summary = Writer(association=association, today=today).write(
        rng, batches, responses_per_participant=ratio, first_number=first_number
    )
    AnonymousCount.objects.bulk_create(anonymous)
    summary.anonymous = sum(row.count for row in anonymous)
    summary.interventions = len(interventions)
    if staff:
        summary.users = _staff_create(association, [i for i, _p in interventions], plan.index)
    audit_log(
        action="synthetic.generated",
        association=association,
        obj=association,
        changes={
            "interventions": summary.interventions,
            "participants": summary.participants,
            "responses": summary.responses,
        },
    )
    return summary


def _staff_create(association: Association, interventions: list[Intervention], index: int) -> int:
    """A förbundschef, an insatsansvarig and a deltagaransvarig, with made-up labels
    for names; they log in with the demo password in a demo installation only."""
    password = None
    if settings.STEGVIS_DEMO:
        from stegvis.associations.demo import DEMO_PASSWORD

        password = DEMO_PASSWORD
    individual = [i for i in interventions if i.kind == Kind.INDIVIDUAL]
    people = [
        ("chef", Role.CHIEF, "Förbundschef", []),
        ("insats", Role.INTERVENTION_OWNER, "Insatsansvarig", individual[:1]),
        ("deltagare", Role.PARTICIPANT_REGISTRAR, "Deltagaransvarig", individual),
    ]
    for label, role, title, works_on in people:
        username = f"{USER_PREFIX}{label}-{index:03d}"
        membership = association_services.person_add(
            actor=None,
            association=association,
            username=username,
            role=role,
            first_name="Syntetisk",
            last_name=title.lower(),
            title=title,
            password=password,
        )
        for intervention in works_on:
            intervention_services.staff_add(
                actor=None, intervention=intervention, user=membership.user
            )
    return len(people)


# Removal -------------------------------------------------------------------------


def _delete_rows(model: type[Any], association_ids: list[int]) -> None:
    quote = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(association_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {quote(model._meta.db_table)} WHERE "  # noqa: S608 - our own names
            f"{quote(model._meta.get_field('association').column)} IN ({marks})",
            association_ids,
        )


def synthetic_remove() -> int:
    """Remove every synthetic förbund (slug `syn-…`) with all its data, and the
    synthetic staff users. Returns how many förbund went."""
    with scopes_disabled(), transaction.atomic():
        ids = list(
            Association.objects.filter(slug__startswith=SLUG_PREFIX).values_list("pk", flat=True)
        )
        if ids:
            # The large tables first, in one statement each (no per-row collection).
            for model in (
                ResponseAnswer,
                Response,
                Answer,
                Participant,
                AnonymousCount,
                RetainedCount,
                InterventionInstrument,
                InterventionStaff,
            ):
                _delete_rows(model, ids)
            Intervention.objects.filter(association_id__in=ids).delete()
            Instrument.objects.filter(association_id__in=ids).delete()
            TargetGroup.objects.filter(association_id__in=ids).delete()
            Association.objects.filter(pk__in=ids).delete()
        get_user_model().objects.filter(username__startswith=USER_PREFIX).delete()
    return len(ids)


def participants_populate(
    *,
    intervention: Intervention,
    count: int,
    seed: int,
    today: datetime.date | None = None,
    responses_per_participant: float = 5.0,
    first: datetime.date | None = None,
) -> Summary:
    """Add `count` synthetic participants with follow-up to one insats (the demo's).
    Codes continue after the highest synthetic code in the förbund's data."""
    today = today or datetime.date.today()
    association = intervention.association
    existing = Participant.objects.filter(
        association=association, code__startswith="SYN-"
    ).values_list("code", flat=True)
    first_number = max((int(code[4:]) for code in existing if code[4:].isdigit()), default=0) + 1
    plan = InterventionPlan(
        name=intervention.name,
        kind=intervention.kind,
        owner="",
        members=[],
        start=intervention.start or first or FIRST_START,
        end=intervention.end,
        status=intervention.status,
        focus="",
    )
    window_first, last, closes = window(plan, today)
    if first is not None:
        window_first = max(window_first, first)
        last = max(window_first, last)
    batch = Batch(
        intervention=intervention,
        count=count,
        first=window_first,
        last=last,
        closes=closes,
        schedules=schedules_for(intervention),
    )
    rng = random.Random(f"stegvis-synthetic-{seed}-{association.slug}-{intervention.name}")  # noqa: S311 - made-up data
    with transaction.atomic():
        summary = Writer(association=association, today=today).write(
            rng,
            [batch],
            responses_per_participant=responses_per_participant,
            first_number=first_number,
        )
        sequences_reset([Participant, Response, ResponseAnswer])
    return summary


__all__ = [
    "SCALES",
    "Scale",
    "Summary",
    "SyntheticDataExists",
    "participants_populate",
    "plan_associations",
    "synthetic_build",
    "synthetic_remove",
]
