"""The deviation categories and kinds of activity every förbund starts with, for the
förbund made before they came with the förbund (associations.services.STARTING_POINT).

The pages used to add them on the first GET; a GET no longer writes. The lists are
copied here as they were (models.deviations.DEFAULT_CATEGORIES,
models.activities.DEFAULT_KINDS), so a later change of them does not change what
this migration did."""

from django.db import migrations

CATEGORIES = [
    "Information/kommunikation",
    "Remiss och överlämning",
    "Roller och ansvar",
    "Tillgänglighet",
    "Regelverk",
    "Övrigt",
]
KINDS = [
    ("utbildning", "Utbildning"),
    ("seminarium", "Seminarium"),
    ("kunskapsdialog", "Kunskapsdialog"),
    ("frukostmote", "Frukostmöte"),
    ("natverkstraff", "Nätverksträff"),
    ("konferens", "Konferens"),
    ("workshop", "Workshop"),
    ("ovrigt", "Övrigt"),
]


def starting_point_add(apps, schema_editor):
    Association = apps.get_model("associations", "Association")
    DeviationCategory = apps.get_model("structural", "DeviationCategory")
    ActivityKind = apps.get_model("structural", "ActivityKind")
    for association in Association.objects.all():
        # Categories only for a förbund that has none: one with categories of its own
        # chose them.
        if not DeviationCategory.objects.filter(association=association).exists():
            DeviationCategory.objects.bulk_create(
                DeviationCategory(association=association, name=name, position=position)
                for position, name in enumerate(CATEGORIES, start=1)
            )
        # The built-in kinds it lacks (by code; a kind of its own with the same name
        # stays), as services_activities.install_default_kinds did on the pages.
        existing = ActivityKind.objects.filter(association=association)
        codes = set(existing.values_list("code", flat=True))
        names = {name.casefold() for name in existing.values_list("name", flat=True)}
        ActivityKind.objects.bulk_create(
            ActivityKind(
                association=association, name=name, code=code, builtin=True, position=position
            )
            for position, (code, name) in enumerate(KINDS)
            if code not in codes and name.casefold() not in names
        )


class Migration(migrations.Migration):
    dependencies = [
        ("associations", "0001_initial"),
        ("structural", "0004_surveys"),
    ]

    operations = [
        migrations.RunPython(starting_point_add, migrations.RunPython.noop),
    ]
