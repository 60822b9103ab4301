"""Fast inserts for the large synthetic tables (participants, responses, answers).

`bulk_create` spends most of its time building model instances; for millions of
rows the generator writes plain tuples instead: `COPY … FROM STDIN` on PostgreSQL,
`executemany` elsewhere. Primary keys are given by the generator (`next_ids`), so
children can point at their parents without reading anything back; afterwards
`sequences_reset` moves PostgreSQL's sequences past them. Columns the generator
does not give get the field's default, so a field added later does not break it.
Run it while nobody else writes these tables.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max
from django.utils import timezone
from django_scopes import scopes_disabled


def next_id(model: type[models.Model]) -> int:
    with scopes_disabled():
        return (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1


def sequences_reset(models_: Sequence[type[models.Model]]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


class RawTable:
    """Insert rows of `columns` (attnames, in order) into `model`'s table."""

    def __init__(self, model: type[models.Model], columns: Sequence[str]) -> None:
        self.model = model
        self.columns = list(columns)
        fields = {field.attname: field for field in model._meta.concrete_fields}
        unknown = set(self.columns) - set(fields)
        if unknown:
            raise ValueError(f"{model.__name__} har inte {sorted(unknown)}")
        now = timezone.now()
        self.extra_columns: list[str] = []
        extra_values: list[Any] = []
        for attname, field in fields.items():
            if attname in self.columns or (field.primary_key and attname not in self.columns):
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value: Any = now
            elif field.has_default():
                value = field.get_default()
            elif field.null:
                value = None
            elif field.empty_strings_allowed and field.blank:
                value = ""
            else:
                raise ValueError(f"{model.__name__}.{attname} behöver ett värde")
            self.extra_columns.append(attname)
            extra_values.append(self._prepare(field, value))
        self.extra_values = tuple(extra_values)
        self.converters = [self._converter(fields[name]) for name in self.columns]
        self.postgres = connection.vendor == "postgresql"

    def _converter(self, field: models.Field[Any, Any]) -> Any:
        if isinstance(field, models.JSONField):
            return json.dumps
        if isinstance(field, models.DateTimeField):
            return connection.ops.adapt_datetimefield_value
        if isinstance(field, models.DateField):
            return connection.ops.adapt_datefield_value
        return None

    def _prepare(self, field: models.Field[Any, Any], value: Any) -> Any:
        converter = self._converter(field)
        if value is None or converter is None:
            return value
        if isinstance(value, datetime.date) or converter is json.dumps:
            return converter(value)
        return value

    def insert(self, rows: Iterable[Sequence[Any]]) -> int:
        converters = [
            (index, converter)
            for index, converter in enumerate(self.converters)
            if converter is not None
        ]
        extra = self.extra_values
        concrete = {field.attname: field.column for field in self.model._meta.concrete_fields}
        columns = [concrete[name] for name in [*self.columns, *self.extra_columns]]
        quote = connection.ops.quote_name
        table = quote(self.model._meta.db_table)
        names = ", ".join(quote(column) for column in columns)
        count = 0

        def prepared() -> Iterable[tuple[Any, ...]]:
            nonlocal count
            for row in rows:
                values = list(row)
                for index, converter in converters:
                    if values[index] is not None:
                        values[index] = converter(values[index])
                count += 1
                yield (*values, *extra)

        with connection.cursor() as cursor:
            if self.postgres:
                raw = cursor.cursor  # psycopg's own cursor, for COPY
                with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for values in prepared():
                        copy.write_row(values)
            else:
                marks = ", ".join(["%s"] * len(columns))
                sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 - our own names
                batch: list[tuple[Any, ...]] = []
                for values in prepared():
                    batch.append(values)
                    if len(batch) >= 20_000:
                        cursor.executemany(sql, batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
        return count
