"""Small-cell suppression of counts that leave an insats (DOMAIN.md §4 and §9,
spec/participant-file.md "Suppression").

Pure functions on plain values, so that every table of the app — the participant
report, flow tables, survey shares, goal indicators — suppresses the same way:

1. A count from 1 to `min_cell − 1` is not shown (`None`); 0 is shown.
2. Complementary suppression: no group of cells that adds up (the parts and their
   total) may hold exactly one hidden cell, or it could be computed from the shown
   ones. While some group holds exactly one, the smallest shown cell of that group
   that is not 0 is hidden too (ties: the first in the group's order). Groups are
   visited in the order given, and after each change from the first again, so the
   result does not depend on anything but the input.
3. A share is not shown when its numerator or denominator count is not shown, or
   when the denominator is below `min_cell` (or 0).

`min_cell` 1 turns suppression off (the insats's own staff).
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

K = TypeVar("K", bound=Hashable)

SHARE_PLACES = Decimal("0.0001")


def hide_small(value: int, min_cell: int) -> int | None:
    """The first rule alone: 1 … min_cell − 1 → None."""
    return None if 0 < value < min_cell else value


def suppress(
    cells: Mapping[K, int],
    groups: Sequence[Sequence[K]],
    min_cell: int,
    *,
    hidden: Collection[K] = (),
    keep: Collection[K] = (),
) -> dict[K, int | None]:
    """The cells as they may be shown: small counts and their complements as None.

    `groups` are the sets of cells that add up (e.g. the kön cells of a row and the
    row's total); a key may be in several groups. Every key of a group must be a key
    of `cells`.

    Cells that another table already shows (say the number who exited, beside a
    flow table of the same people) are pinned, so the two tables cannot be combined:
    those in `hidden` are hidden whatever their value, those in `keep` are never
    chosen for complementary suppression."""
    shown: dict[K, int | None] = dict(cells)
    if min_cell <= 1:
        return shown
    for key, value in cells.items():
        shown[key] = hide_small(value, min_cell)
    for key in hidden:
        shown[key] = None
    kept = set(keep)
    while True:
        for group in groups:
            if sum(1 for key in group if shown[key] is None) != 1:
                continue
            # shown, not 0, and not pinned
            candidates = [key for key in group if shown[key] and key not in kept]
            if not candidates:
                continue  # nothing left to hide (only when the group does not add up)
            smallest = min(candidates, key=lambda key: shown[key] or 0)  # first on ties
            shown[smallest] = None
            break
        else:
            return shown


def lone_hidden_groups(
    shown: Mapping[K, int | None], groups: Sequence[Sequence[K]]
) -> list[Sequence[K]]:
    """Groups that hold exactly one hidden cell (none after `suppress` on a table
    whose groups add up): for tests and for checking a table before it is shown."""
    return [group for group in groups if sum(1 for key in group if shown[key] is None) == 1]


def round_share(numerator: int, denominator: int) -> float:
    """numerator / denominator to four decimals, halves up (0.68425 → 0.6843)."""
    value = (Decimal(numerator) / Decimal(denominator)).quantize(SHARE_PLACES, ROUND_HALF_UP)
    return float(value)


def share(numerator: int | None, denominator: int | None, min_cell: int) -> float | None:
    """A share of shown (already suppressed) counts: None when either count is hidden,
    the denominator is 0 or below `min_cell`."""
    if numerator is None or denominator is None:
        return None
    if denominator == 0 or denominator < min_cell:
        return None
    return round_share(numerator, denominator)


def suppress_mean(value: float | None, count: int | None, min_cell: int) -> float | None:
    """A mean (or other figure computed from `count` people) is shown only when its
    count is shown and at least `min_cell`."""
    if value is None or count is None or count == 0 or count < min_cell:
        return None
    return value


def table_groups(
    rows: Sequence[Hashable],
    columns: Sequence[Hashable],
    *,
    total_column: Hashable | None = None,
    total_row: Hashable | None = None,
) -> list[list[tuple[Hashable, Hashable]]]:
    """The groups of a cross table keyed by (row, column): each row's cells with the
    row's total (in `total_column`), and each column's cells with the column's total
    (in `total_row`). The total row and the total column are a row and a column like
    the others, so the grand total is in both of their groups."""
    all_rows = [*rows, *([total_row] if total_row is not None else [])]
    all_columns = [*columns, *([total_column] if total_column is not None else [])]
    groups: list[list[tuple[Hashable, Hashable]]] = []
    if total_column is not None:
        groups += [[(row, column) for column in all_columns] for row in all_rows]
    if total_row is not None:
        groups += [[(row, column) for row in all_rows] for column in all_columns]
    return groups
