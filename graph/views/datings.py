"""Datings as the views show them: each source's year with its precision, and one text for all of an entity's."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypedDict

from ontology.records import Year

AGREE = ""
DISAGREE = "sources disagree"
PRECISION_ONLY = "sources differ in precision"  # e.g. 1985 and "the 1980s": both can be right


class Dating(TypedDict):
    """One source's answer to when something was introduced: ``year`` (a decade's first year), its ``precision``
    ("year" or "decade") and the ``source`` id. Read from a ``tkg:Dating`` node of the graph."""

    year: int
    precision: str
    source: str


def sorted_datings(datings: Iterable[Mapping[str, Any]]) -> list[Dating]:
    """Datings without duplicates, earliest first (at the same year a decade before the exact year), then by source."""
    unique = {(int(d["year"]), str(d["precision"]), str(d["source"])) for d in datings}
    ordered = sorted(unique, key=lambda d: (d[0], d[1] != "decade", d[2]))
    return [Dating(year=year, precision=precision, source=source) for year, precision, source in ordered]


def dating_value(dating: Mapping[str, Any]) -> str:
    """One dating as written in the content: ``"1987"`` or ``"1980s"``."""
    return str(Year(int(dating["year"]), str(dating["precision"])))


def dating_values(datings: Sequence[Mapping[str, Any]]) -> list[str]:
    """The distinct values of some datings, earliest first: ``["1980s", "1993"]``."""
    return list(dict.fromkeys(dating_value(d) for d in sorted_datings(datings)))


def agreement(datings: Sequence[Mapping[str, Any]]) -> str:
    """How the sources' datings relate: ``""`` when they give one value, ``"sources differ in precision"`` when
    they give one exact year and only decades that contain it (1985 and "the 1980s"), else ``"sources disagree"``."""
    values = {(int(d["year"]), str(d["precision"])) for d in datings}
    if len(values) <= 1:
        return AGREE
    exact = {year for year, precision in values if precision != "decade"}
    decades = {year for year, precision in values if precision == "decade"}
    if len(exact) == 1 and all(decade <= min(exact) < decade + 10 for decade in decades):
        return PRECISION_ONLY
    return DISAGREE


def introduced_text(datings: Sequence[Mapping[str, Any]]) -> str | None:
    """All datings of an entity in one text: ``"1990s"`` or ``"1987"`` for one value (as the content writes it),
    ``"1980s / 1993 (sources disagree)"`` for several; None without datings."""
    values = dating_values(datings)
    if not values:
        return None
    note = agreement(datings)
    return " / ".join(values) + (f" ({note})" if note else "")


def earliest(datings: Sequence[Mapping[str, Any]]) -> Dating | None:
    """The earliest dating (the sort year of an entity and where maps place it); None without datings."""
    ordered = sorted_datings(datings)
    return ordered[0] if ordered else None


def datings_by_source(datings: Sequence[Mapping[str, Any]]) -> list[tuple[str, list[str]]]:
    """Each value with the sources giving it, earliest first: ``[("1980s", ["linehan-1987"]), ...]``."""
    grouped: dict[str, list[str]] = {}
    for dating in sorted_datings(datings):
        grouped.setdefault(dating_value(dating), []).append(dating["source"])
    return list(grouped.items())
