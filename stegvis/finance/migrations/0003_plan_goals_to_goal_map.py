"""The plan file's goal map moves from Plan.goals (JSON) to the goals app's models."""

from decimal import Decimal

from django.db import migrations

EXTRA_KEYS = ("outcome", "question", "instrument", "kind", "municipality", "source")


def goals_move(apps, schema_editor):
    """Each plan's goals become the goal map of its first year, unless that year has a
    goal map already. The goals were validated when the plan was stored."""
    Plan = apps.get_model("finance", "Plan")
    GoalMap = apps.get_model("goals", "GoalMap")
    Goal = apps.get_model("goals", "Goal")
    Indicator = apps.get_model("goals", "Indicator")
    IndicatorTarget = apps.get_model("goals", "IndicatorTarget")
    defaults = ["Individ", "Utveckling", "Arbetssätt", "Ekonomi"]
    for plan in Plan.objects.exclude(goals=[]).order_by("first_year"):
        if (
            not plan.goals
            or GoalMap.objects.filter(
                association_id=plan.association_id, year=plan.first_year
            ).exists()
        ):
            continue
        perspectives = list(defaults)
        goal_map = GoalMap.objects.create(
            association_id=plan.association_id, year=plan.first_year, perspectives=perspectives
        )
        for order, entry in enumerate(plan.goals):
            perspective = str(entry.get("perspective") or "")[:60]
            if perspective and perspective not in perspectives:
                perspectives.append(perspective)
            goal = Goal.objects.create(
                association_id=plan.association_id,
                goal_map=goal_map,
                perspective=perspective,
                text=str(entry.get("text") or ""),
                activities=str(entry.get("activities") or ""),
                responsible=str(entry.get("responsible") or "")[:120],
                order=order,
            )
            for position, item in enumerate(entry.get("indicators") or []):
                params = {key: str(item[key]) for key in EXTRA_KEYS if item.get(key)}
                indicator = Indicator.objects.create(
                    association_id=plan.association_id,
                    goal=goal,
                    text=str(item.get("text") or "")[:300],
                    metric=str(item.get("metric") or "manual"),
                    params=params,
                    source=params.get("source", "")[:200] if item.get("metric") == "manual" else "",
                    order=position,
                )
                if item.get("op") and item.get("value") is not None:
                    IndicatorTarget.objects.create(
                        association_id=plan.association_id,
                        indicator=indicator,
                        year=item.get("year"),
                        op=item["op"],
                        value=Decimal(str(item["value"])),
                    )
        goal_map.perspectives = perspectives
        goal_map.save(update_fields=["perspectives"])


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0002_plan_member_ids"),
        ("goals", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(goals_move, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="historicalplan",
            name="goals",
        ),
        migrations.RemoveField(
            model_name="plan",
            name="goals",
        ),
    ]
