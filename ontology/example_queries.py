"""The bundled example queries (ontology/queries/*.rq and their Cypher twins), read in one place."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ontology.namespace import ontology_path

# A sentence ends at . ! or ? followed by a capital letter (so "e.g. who" or "tkg:subtypeOf* then" never ends one).
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")


@dataclass(frozen=True)
class ExampleQuery:
    """One example query: its file stem, what it answers, its SPARQL text and its Cypher twin when there is one.

    ``description`` is the whole leading comment block as one paragraph; ``title`` its first sentence (both
    whole sentences, never cut); ``text`` the file as written, comment included.
    """

    stem: str
    title: str
    description: str
    text: str
    cypher: str | None
    path: Path


class ExampleQueryError(ValueError):
    """An example query file that cannot be read (names the file)."""


def header_comment(text: str, marker: str = "#") -> str:
    """The comment lines a query starts with (``#`` for SPARQL, ``//`` for Cypher), joined into one paragraph."""
    lines = []
    for line in text.splitlines():
        if not line.startswith(marker):
            break
        lines.append(line[len(marker):].strip())
    return " ".join(part for part in lines if part)


def first_sentence(paragraph: str) -> str:
    """The first whole sentence of a paragraph (the paragraph itself when it is one sentence)."""
    return _SENTENCE_END.split(paragraph, maxsplit=1)[0]


def read_example_query(path: Path) -> ExampleQuery:
    """One ``.rq`` file and the ``.cypher`` file of the same name beside it, if any.

    Without a header comment the title is the file stem in words and the description is empty.
    Raises ExampleQueryError naming the file when it cannot be read as UTF-8 text.
    """
    path = Path(path)
    twin = path.with_suffix(".cypher")
    try:
        text = path.read_text(encoding="utf-8")
        cypher = twin.read_text(encoding="utf-8") if twin.exists() else None
    except (OSError, UnicodeDecodeError) as error:
        raise ExampleQueryError(f"{path}: cannot read example query: {error}") from None
    description = header_comment(text)
    title = first_sentence(description) if description else path.stem.replace("-", " ").capitalize()
    return ExampleQuery(path.stem, title, description, text, cypher, path)


def example_queries(folder: Path | None = None) -> tuple[ExampleQuery, ...]:
    """Every example query in ``folder`` (default: the bundled ontology/queries), sorted by file name."""
    folder = Path(folder) if folder is not None else ontology_path("queries")
    return tuple(read_example_query(path) for path in sorted(folder.glob("*.rq")))


def example_query(name: str, folder: Path | None = None) -> ExampleQuery | None:
    """The example query called ``name`` (its stem, e.g. ``lineage-of-a-modality``, or file name), or None."""
    folder = Path(folder) if folder is not None else ontology_path("queries")
    path = folder / Path(name).name
    if path.suffix != ".rq":
        path = path.with_name(path.name + ".rq")
    return read_example_query(path) if path.is_file() else None
