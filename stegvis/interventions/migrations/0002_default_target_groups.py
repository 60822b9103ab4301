"""The målgrupper every förbund starts with, for the förbund made before they came
with the förbund (associations.services.STARTING_POINT).

The insats and application forms and the målgrupper page used to add them on the
first GET; a GET no longer writes. The list is copied here as it was
(models.DEFAULT_TARGET_GROUPS), so a later change of it does not change what this
migration did."""

from django.db import migrations

TARGET_GROUPS = [
    "Unga vuxna 16–29 år",
    "Personer med psykisk ohälsa",
    "Personer med långvarigt försörjningsstöd",
    "Personer med sjukpenning eller aktivitetsersättning",
    "Utrikes födda",
    "Personer med neuropsykiatrisk funktionsnedsättning",
]


def target_groups_add(apps, schema_editor):
    Association = apps.get_model("associations", "Association")
    TargetGroup = apps.get_model("interventions", "TargetGroup")
    for association in Association.objects.all():
        if TargetGroup.objects.filter(association=association).exists():
            continue  # the förbund's own list: a removed default does not come back
        TargetGroup.objects.bulk_create(
            TargetGroup(association=association, name=name) for name in TARGET_GROUPS
        )


class Migration(migrations.Migration):
    dependencies = [
        ("associations", "0001_initial"),
        ("interventions", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(target_groups_add, migrations.RunPython.noop),
    ]
