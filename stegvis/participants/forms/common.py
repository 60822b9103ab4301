"""What the participant forms share: a date input in ISO format, the förbund's members
in their usual order, and the blank first choice of a select."""

from __future__ import annotations

from typing import Any

from django import forms

from stegvis.associations.models import Association, Member


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def members_of(association: Association) -> Any:
    return association.members.order_by(Member.kind_order(), "name")


def _blank(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]
