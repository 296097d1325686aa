"""Typed records that every loader yields and the build pipeline consumes."""

from __future__ import annotations

from dataclasses import dataclass, field

from ontology.vocabulary import vocabulary

# Derived from ontology/therapy.ttl (see ontology/vocabulary.py), in the order of that file.
# Entity class local name -> id prefix used in entity ids ("modality/dyadic-developmental-psychotherapy").
TYPE_PREFIXES: dict[str, str] = {cls.name: cls.id_prefix for cls in vocabulary().classes}

# Relations between entities (object properties whose range is an entity class), by local name.
ENTITY_RELATIONS: tuple[str, ...] = tuple(relation.name for relation in vocabulary().relations)

# Facts whose object is a literal value (datatype properties not marked tkg:statesFact false), by local name.
LITERAL_RELATIONS: tuple[str, ...] = tuple(p.name for p in vocabulary().literals if p.states_fact)

YEAR_PRECISIONS: tuple[str, ...] = ("year", "decade")


class RecordError(ValueError):
    """Raised when a loader meets input it cannot turn into records; the message names the place."""


@dataclass(frozen=True)
class Evidence:
    """A quoted sentence and its character offsets in the source text (``text == page[start:end]``)."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Year:
    """A year or the start year of a decade; ``precision`` says which ("the 1950s" is not 1950)."""

    year: int
    precision: str = "year"

    def __str__(self) -> str:
        return f"{self.year}s" if self.precision == "decade" else str(self.year)


@dataclass(frozen=True)
class Source:
    """Where facts come from: a page, a book, a paper or a reference site."""

    id: str
    title: str
    kind: str = "reference"
    url: str | None = None
    author: str | None = None
    year: int | None = None


@dataclass(frozen=True)
class Entity:
    """A node of the graph: a modality, theorist, theory, population, condition, goal, technique, concept or phase."""

    id: str
    type: str
    label: str
    source: str
    aliases: tuple[str, ...] = ()
    description: str | None = None
    exact_match: tuple[str, ...] = ()
    ambiguous_aliases: tuple[str, ...] = ()
    note: str | None = None  # curator's note on the entity, e.g. why a modality has no founding date
    where: str = ""  # "file:line" or "page" for error messages


@dataclass(frozen=True)
class Fact:
    """One statement ``subject predicate object`` from one source, with optional evidence and note."""

    subject: str
    predicate: str
    object: str | Year | int
    source: str
    evidence: Evidence | None = None
    note: str | None = None
    where: str = ""


@dataclass
class Extraction:
    """Everything one source yields: its description, entities and facts."""

    source: Source
    entities: list[Entity] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
