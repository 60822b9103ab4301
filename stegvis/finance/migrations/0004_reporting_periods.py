"""The follow-up periods every förbund starts with (tertial 1, tertial 2, helår), for
the förbund made before they came with the förbund
(associations.services.STARTING_POINT).

The utfall pages used to add them on the first GET; a GET no longer writes. The
list is copied here as it was (models.DEFAULT_PERIODS)."""

from django.db import migrations

PERIODS = [
    ("t1", "Tertial 1 (jan–apr)", 4),
    ("t2", "Tertial 2 (jan–aug)", 8),
    ("year", "Helår", 12),
]


def periods_add(apps, schema_editor):
    Association = apps.get_model("associations", "Association")
    ReportingPeriod = apps.get_model("finance", "ReportingPeriod")
    for association in Association.objects.all():
        if ReportingPeriod.objects.filter(association=association).exists():
            continue  # the förbund's own periods
        ReportingPeriod.objects.bulk_create(
            ReportingPeriod(association=association, code=code, name=name, end_month=end_month)
            for code, name, end_month in PERIODS
        )


class Migration(migrations.Migration):
    dependencies = [
        ("associations", "0001_initial"),
        ("finance", "0003_plan_goals_to_goal_map"),
    ]

    operations = [
        migrations.RunPython(periods_add, migrations.RunPython.noop),
    ]
