"""Plain-text therapy pages (including a browser's "save as text"): the text is parsed as it is."""

from __future__ import annotations

from collections.abc import Iterator

from loaders.extract import extract_records
from ontology.records import Entity, Fact, Source

TEXT_BASIS = "the page text as decoded (UTF-8, line ends normalised to \\n)"


def readable_text(text: str) -> tuple[str, frozenset[int] | None]:
    """The text that is parsed and the line offsets of known headings (None: guess headings from layout)."""
    return text, None


def parse(text: str, source: Source) -> Iterator[Entity | Fact]:
    """Entities and facts of a plain-text page (pure); evidence offsets index into ``text``."""
    yield from extract_records(text, source)
