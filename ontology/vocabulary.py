"""The classes and relations of ontology/therapy.ttl, read once: the vocabulary every table in the code derives from."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path

import pyoxigraph as ox  # light to import (a few ms), unlike rdflib: the loaders import this module

ONTOLOGY_IRI = "https://w3id.org/therapy-kg/ontology"
TKG_NS = ONTOLOGY_IRI + "#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"

_TYPE = RDF + "type"
_LABEL, _COMMENT, _DOMAIN, _RANGE = RDFS + "label", RDFS + "comment", RDFS + "domain", RDFS + "range"
_FIRST, _REST, _NIL = RDF + "first", RDF + "rest", RDF + "nil"


@dataclass(frozen=True)
class EntityClass:
    """A class of graph entities (it has a ``tkg:idPrefix``): ``TreatmentPhase``, label "Treatment phase", ids
    ``phase/...``."""

    name: str  # local name, e.g. "TreatmentPhase"
    iri: str
    label: str  # rdfs:label, e.g. "Treatment phase"
    plural: str  # tkg:pluralLabel, e.g. "Treatment phases"
    id_prefix: str  # tkg:idPrefix, e.g. "phase"
    comment: str


@dataclass(frozen=True)
class Relation:
    """An object property between entities (its range is an entity class), as the tools read and say it.

    ``domain`` lists the classes a subject may have (several for an ``owl:unionOf`` domain; empty when the Turtle
    declares none, meaning any entity). ``lineage_rank`` is set on the relations followed when tracing lineage.
    """

    name: str  # local name, e.g. "developedBy"
    iri: str
    label: str  # rdfs:label, e.g. "developed by"
    comment: str
    domain: tuple[str, ...]  # entity class names; () = undeclared
    range: str  # entity class name
    phrase: str  # subject -> object, e.g. "was developed by" (tkg:phrase, default the label)
    inverse_phrase: str  # object -> subject, e.g. "developed" (tkg:inversePhrase)
    lineage_rank: int | None  # tkg:lineageRank; None = not a lineage relation
    symmetric: bool  # an owl:SymmetricProperty

    @property
    def lineage(self) -> bool:
        """Whether tracing lineage follows this relation (subject -> its origin)."""
        return self.lineage_rank is not None

    @property
    def heading(self) -> str:
        """The label as a heading: "Developed by"."""
        return self.label[:1].upper() + self.label[1:]

    def allows_subject(self, class_name: str) -> bool:
        """Whether an entity of ``class_name`` may be this relation's subject (any class when no domain is given)."""
        return not self.domain or class_name in self.domain


@dataclass(frozen=True)
class LiteralProperty:
    """A datatype property: its domain classes (() = undeclared), the datatype IRI of its range and whether it
    states a fact about an entity (``tkg:statesFact``; by default, when its domain is undeclared or entity classes;
    False for provenance, naming and dating properties)."""

    name: str
    iri: str
    label: str
    comment: str
    domain: tuple[str, ...]
    datatype: str  # full IRI, e.g. http://www.w3.org/2001/XMLSchema#gYear
    states_fact: bool


@dataclass(frozen=True)
class Link:
    """An object property whose range is not an entity class (``introducedPrecision`` -> ``YearPrecision``)."""

    name: str
    iri: str
    label: str
    comment: str
    range: str  # class local name, full IRI when outside tkg, "" when undeclared


@dataclass(frozen=True)
class Vocabulary:
    """Everything the Turtle declares in the ``tkg:`` namespace, each group in the order of the file.

    Term IRIs are ``TKG_NS + name`` for every name in ``terms``.
    """

    classes: tuple[EntityClass, ...]  # entity classes only
    other_classes: tuple[str, ...]  # Source, Evidence, YearPrecision ...
    relations: tuple[Relation, ...]
    literals: tuple[LiteralProperty, ...]
    links: tuple[Link, ...]
    terms: tuple[str, ...]  # every local name declared in the namespace (classes, properties, individuals)

    _by_name: dict[str, EntityClass | Relation | LiteralProperty] = field(init=False, repr=False, compare=False)
    _iris: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_name = {item.name: item for group in (self.classes, self.relations, self.literals) for item in group}
        object.__setattr__(self, "_by_name", by_name)
        object.__setattr__(self, "_iris", {name: TKG_NS + name for name in self.terms})

    def iri(self, name: str) -> str:
        """The IRI of a term the Turtle declares (``developedBy`` -> ``...ontology#developedBy``); a misspelled or
        undeclared name raises KeyError rather than minting a new IRI."""
        try:
            return self._iris[name]
        except KeyError:
            raise KeyError(f"tkg:{name} is not declared in ontology/therapy.ttl") from None

    def entity_class(self, name: str) -> EntityClass:
        """The entity class with this local name; KeyError if there is none."""
        found = self._by_name[name]
        if not isinstance(found, EntityClass):
            raise KeyError(name)
        return found

    def relation(self, name: str) -> Relation:
        """The relation between entities with this local name; KeyError if there is none."""
        found = self._by_name[name]
        if not isinstance(found, Relation):
            raise KeyError(name)
        return found

    def literal(self, name: str) -> LiteralProperty:
        """The datatype property with this local name; KeyError if there is none."""
        found = self._by_name[name]
        if not isinstance(found, LiteralProperty):
            raise KeyError(name)
        return found

    @property
    def lineage_relations(self) -> tuple[Relation, ...]:
        """The relations followed when tracing lineage, by rank."""
        return tuple(sorted((r for r in self.relations if r.lineage), key=lambda r: (r.lineage_rank, r.name)))

    @property
    def class_names(self) -> tuple[str, ...]:
        """Every class of the namespace: entity classes first, then the others."""
        return (*(c.name for c in self.classes), *self.other_classes)


# ---------------------------------------------------------------- reading the Turtle


def ontology_file() -> Path:
    """Path of ``ontology/therapy.ttl`` as shipped in the package."""
    return Path(str(files("ontology").joinpath("therapy.ttl")))


Term = ox.NamedNode | ox.BlankNode | ox.Literal


class _Description:
    """The triples of one Turtle file by subject, subjects in the order they first appear."""

    def __init__(self, path: Path):
        self.by_subject: dict[Term, dict[str, list[Term]]] = {}
        for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            properties = self.by_subject.setdefault(triple.subject, {})  # type: ignore[arg-type]
            properties.setdefault(triple.predicate.value, []).append(triple.object)  # type: ignore[arg-type]

    def values(self, subject: Term, predicate: str) -> list[Term]:
        return self.by_subject.get(subject, {}).get(predicate, [])

    def text(self, subject: Term, predicate: str) -> str | None:
        """The English (or untagged) literal value of a property, if any."""
        found = [o for o in self.values(subject, predicate) if isinstance(o, ox.Literal)]
        for literal in found:
            if literal.language in (None, "en"):
                return literal.value
        return found[0].value if found else None

    def types(self, subject: Term) -> set[str]:
        return {o.value for o in self.values(subject, _TYPE) if isinstance(o, ox.NamedNode)}

    def members(self, node: Term) -> Iterator[Term]:
        """The items of an RDF list."""
        while isinstance(node, (ox.BlankNode, ox.NamedNode)) and node != ox.NamedNode(_NIL):
            yield from self.values(node, _FIRST)[:1]
            rest = self.values(node, _REST)
            node = rest[0] if rest else ox.NamedNode(_NIL)

    def class_names(self, node: Term) -> tuple[str, ...]:
        """Local names of a class or of the members of an ``owl:unionOf`` class expression."""
        if isinstance(node, ox.NamedNode):
            return (_local(node.value),)
        union = self.values(node, OWL + "unionOf")
        return tuple(_local(m.value) for m in self.members(union[0]) if isinstance(m, ox.NamedNode)) if union else ()


def _local(iri: str) -> str:
    return iri[len(TKG_NS):] if iri.startswith(TKG_NS) else iri


def _flag(description: _Description, subject: Term, predicate: str, default: bool) -> bool:
    value = description.text(subject, predicate)
    return default if value is None else value.strip().lower() in ("true", "1")


def parse_vocabulary(path: Path) -> Vocabulary:
    """Read a Turtle ontology into a :class:`Vocabulary`.

    Rules (documented with each annotation property in therapy.ttl): an ``owl:Class`` with ``tkg:idPrefix`` is an
    entity class; an ``owl:ObjectProperty`` whose ``rdfs:range`` is an entity class is a relation; phrases default to
    the label. Raises ValueError naming the term when a relation or class lacks what the tools need.
    """
    description = _Description(path)
    tkg_subjects = [s for s in description.by_subject if isinstance(s, ox.NamedNode) and s.value.startswith(TKG_NS)]
    classes: list[EntityClass] = []
    other_classes: list[str] = []
    for subject in tkg_subjects:
        if OWL + "Class" not in description.types(subject):
            continue
        name = _local(subject.value)
        label = description.text(subject, _LABEL) or name
        prefix = description.text(subject, TKG_NS + "idPrefix")
        if prefix is None:
            other_classes.append(name)
            continue
        classes.append(EntityClass(name, subject.value, label, description.text(subject, TKG_NS + "pluralLabel")
                                   or label + "s", prefix, description.text(subject, _COMMENT) or ""))
    entity_classes = {c.name for c in classes}
    relations: list[Relation] = []
    literals: list[LiteralProperty] = []
    links: list[Link] = []
    for subject in tkg_subjects:
        types = description.types(subject)
        name = _local(subject.value)
        label = description.text(subject, _LABEL) or name
        comment = description.text(subject, _COMMENT) or ""
        ranges = description.values(subject, _RANGE)
        domain = tuple(n for d in description.values(subject, _DOMAIN) for n in description.class_names(d))
        if OWL + "ObjectProperty" in types:
            target = description.class_names(ranges[0])[0] if ranges else ""
            if target not in entity_classes:
                links.append(Link(name, subject.value, label, comment, target))
                continue
            unknown = [d for d in domain if d not in entity_classes]
            if unknown:
                raise ValueError(f"{path}: tkg:{name}: domain {unknown} is not an entity class (one with tkg:idPrefix)")
            phrase = description.text(subject, TKG_NS + "phrase") or label
            symmetric = OWL + "SymmetricProperty" in types
            inverse = description.text(subject, TKG_NS + "inversePhrase") or (phrase if symmetric else f"← {phrase}")
            rank = description.text(subject, TKG_NS + "lineageRank")
            relations.append(Relation(name, subject.value, label, comment, domain, target, phrase, inverse,
                                      int(rank) if rank is not None else None, symmetric))
        elif OWL + "DatatypeProperty" in types:
            datatype = ranges[0].value if ranges and isinstance(ranges[0], ox.NamedNode) else XSD + "string"
            about_entities = all(d in entity_classes for d in domain)  # an undeclared domain counts as entities
            literals.append(LiteralProperty(name, subject.value, label, comment, domain, datatype,
                                            _flag(description, subject, TKG_NS + "statesFact", about_entities)))
    terms = tuple(_local(s.value) for s in tkg_subjects)
    return Vocabulary(tuple(classes), tuple(other_classes), tuple(relations), tuple(literals), tuple(links), terms)


@cache
def vocabulary() -> Vocabulary:
    """The vocabulary of the shipped ``ontology/therapy.ttl``, read on first use and then kept."""
    return parse_vocabulary(ontology_file())


def main(argv: list[str] | None = None) -> int:
    """``python -m ontology.vocabulary``: print the vocabulary as the tools read it."""
    argparse.ArgumentParser(prog="python -m ontology.vocabulary", description=__doc__).parse_args(argv)
    words = vocabulary()
    for cls in words.classes:
        print(f"class    {cls.name:<20} {cls.id_prefix + '/':<14} {cls.plural}")
    for relation in words.relations:
        domain = " | ".join(relation.domain) or "any"
        lineage = f"  lineage {relation.lineage_rank}" if relation.lineage else ""
        print(f"relation {relation.name:<20} {domain} -> {relation.range}: {relation.phrase!r} / "
              f"{relation.inverse_phrase!r}{lineage}")
    for literal in words.literals:
        kind = "" if literal.states_fact else "  (not a fact: provenance or naming)"
        print(f"literal  {literal.name:<20} {literal.datatype.removeprefix(XSD)}{kind}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
