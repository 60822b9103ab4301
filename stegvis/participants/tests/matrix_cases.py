"""This app's rows of the permission matrix (collected by core/tests/test_permissions.py):
the row pages' (matrix_rows), the import's (matrix_import) and the report pages' (matrix_report)."""

from __future__ import annotations

from stegvis.participants.tests import matrix_import, matrix_report, matrix_rows

CASES = [*matrix_rows.CASES, *matrix_import.CASES, *matrix_report.CASES]

# (name, path) of another förbund's objects reached through the own förbund's URLs: 404.
OTHER_ASSOCIATION_OBJECTS = [
    *matrix_rows.OTHER_ASSOCIATION_OBJECTS,
    *matrix_import.OTHER_ASSOCIATION_OBJECTS,
    *matrix_report.OTHER_ASSOCIATION_OBJECTS,
]
