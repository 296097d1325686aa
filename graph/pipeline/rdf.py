"""Map typed records to RDF quads: one named graph per source, evidence and notes as reified statements, datings."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from functools import lru_cache

from pyoxigraph import Literal, NamedNode, Quad

from ontology.namespace import ONTOLOGY_IRI, TKG, entity_iri, source_iri
from ontology.records import ENTITY_RELATIONS, Entity, Fact, Source, Year
from ontology.vocabulary import vocabulary

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
EXACT_MATCH_PREFIXES = {"wikidata": "http://www.wikidata.org/entity/", "mesh": "http://id.nlm.nih.gov/mesh/"}

A = NamedNode(RDF + "type")
GYEAR = NamedNode(XSD + "gYear")
ONTOLOGY_GRAPH = NamedNode(ONTOLOGY_IRI)


@lru_cache(maxsize=1 << 16)  # predicates, classes and much-cited entities recur: a third of mapping was NamedNode()
def _n(iri: str) -> NamedNode:
    return NamedNode(str(iri))


def _year(value: int) -> Literal:
    return Literal(f"{value:04d}", datatype=GYEAR)


def source_quads(source: Source, base: str) -> Iterator[Quad]:
    """Describe a source inside its own named graph."""
    node = _n(source_iri(source.id, base))
    yield Quad(node, A, _n(TKG.Source), node)
    yield Quad(node, _n(DCT + "title"), Literal(source.title), node)
    yield Quad(node, _n(TKG.sourceKind), Literal(source.kind), node)
    if source.url:
        yield Quad(node, _n(DCT + "source"), _n(source.url), node)
    if source.author:
        yield Quad(node, _n(DCT + "creator"), Literal(source.author), node)
    if source.year:
        yield Quad(node, _n(DCT + "date"), _year(source.year), node)


def entity_quads(entity: Entity, base: str, extra_aliases: Iterable[str] = ()) -> Iterator[Quad]:
    """Type, labels, aliases, description and identifiers of an entity, in the graph of its source."""
    node = _n(entity_iri(entity.id, base))
    graph = _n(source_iri(entity.source, base))
    yield Quad(node, A, _n(vocabulary().iri(entity.type)), graph)
    yield Quad(node, _n(SKOS + "prefLabel"), Literal(entity.label), graph)
    yield Quad(node, _n(RDFS + "label"), Literal(entity.label), graph)
    for alias in dict.fromkeys((*entity.aliases, *extra_aliases)):
        if alias != entity.label:
            yield Quad(node, _n(SKOS + "altLabel"), Literal(alias), graph)
    for alias in entity.ambiguous_aliases:
        yield Quad(node, _n(TKG.ambiguousAlias), Literal(alias), graph)
    if entity.description:
        yield Quad(node, _n(SKOS + "definition"), Literal(entity.description), graph)
    if entity.note:
        yield Quad(node, _n(SKOS + "editorialNote"), Literal(entity.note), graph)
    for identifier in entity.exact_match:
        prefix, _, local = identifier.partition(":")
        yield Quad(node, _n(SKOS + "exactMatch"), _n(EXACT_MATCH_PREFIXES[prefix] + local), graph)


def _object_term(fact: Fact, base: str) -> NamedNode | Literal:
    if fact.predicate in ENTITY_RELATIONS:
        return _n(entity_iri(str(fact.object), base))
    if isinstance(fact.object, Year):
        return _year(fact.object.year)
    datatype = vocabulary().literal(fact.predicate).datatype  # the rdfs:range in therapy.ttl
    return Literal(str(fact.object)) if datatype == XSD + "string" else Literal(str(fact.object), datatype=_n(datatype))


def statement_iri(fact: Fact, base: str) -> str:
    """A stable IRI for the reified statement of a fact (same fact, same source -> same IRI)."""
    key = f"{fact.subject}|{fact.predicate}|{fact.object}|{fact.source}"
    if fact.evidence is not None:
        key += f"|{fact.evidence.start}|{fact.evidence.end}"
    return f"{base}statement/{hashlib.sha1(key.encode()).hexdigest()[:16]}"


def dating_iri(entity_id: str, source_id: str, year: Year, base: str) -> str:
    """A stable IRI for one source's dating of an entity (same entity, source, year and precision -> same IRI)."""
    key = f"{entity_id}|{source_id}|{year.year}|{year.precision}"
    return f"{base}dating/{hashlib.sha1(key.encode()).hexdigest()[:16]}"


def dating_quads(entity_id: str, year: Year, source_id: str, base: str) -> Iterator[Quad]:
    """The ``tkg:Dating`` of an ``introduced`` fact, in its source's graph: the entity it dates, the year
    (``xsd:gYear``, a decade as its first year), the precision (``tkg:YearPrecision_year`` or ``_decade``) and the
    source (``prov:wasDerivedFrom``, which survives exports that drop named graphs), kept together.

    An entity dated by two sources gets two datings, so each year stays paired with its own precision and source;
    the entity itself keeps every year as ``tkg:introduced`` for simple queries.
    """
    node = _n(dating_iri(entity_id, source_id, year, base))
    graph = _n(source_iri(source_id, base))
    precision = TKG.YearPrecision_decade if year.precision == "decade" else TKG.YearPrecision_year
    yield Quad(node, A, _n(TKG.Dating), graph)
    yield Quad(node, _n(TKG.dates), _n(entity_iri(entity_id, base)), graph)
    yield Quad(node, _n(TKG.year), _year(year.year), graph)
    yield Quad(node, _n(TKG.precision), _n(precision), graph)
    yield Quad(node, _n(PROV + "wasDerivedFrom"), graph, graph)


def fact_quads(fact: Fact, base: str) -> Iterator[Quad]:
    """The triple of a fact in its source's graph, a dating for an introduced year, a reified statement for its
    evidence or note."""
    subject = _n(entity_iri(fact.subject, base))
    predicate = _n(vocabulary().iri(fact.predicate))
    obj = _object_term(fact, base)
    graph = _n(source_iri(fact.source, base))
    yield Quad(subject, predicate, obj, graph)
    if isinstance(fact.object, Year) and fact.predicate == "introduced":
        yield from dating_quads(fact.subject, fact.object, fact.source, base)
    if fact.evidence is None and fact.note is None:
        return
    statement = _n(statement_iri(fact, base))
    yield Quad(statement, A, _n(TKG.Evidence if fact.evidence else RDF + "Statement"), graph)
    yield Quad(statement, _n(RDF + "subject"), subject, graph)
    yield Quad(statement, _n(RDF + "predicate"), predicate, graph)
    yield Quad(statement, _n(RDF + "object"), obj, graph)
    yield Quad(statement, _n(PROV + "wasQuotedFrom" if fact.evidence else PROV + "wasDerivedFrom"),
               _n(source_iri(fact.source, base)), graph)
    if fact.note:
        yield Quad(statement, _n(TKG.note), Literal(fact.note), graph)
    if fact.evidence:
        nonneg = _n(XSD + "integer")  # Oxigraph stores derived integer types as xsd:integer
        yield Quad(statement, _n(TKG.quote), Literal(fact.evidence.text), graph)
        yield Quad(statement, _n(TKG.startOffset), Literal(str(fact.evidence.start), datatype=nonneg), graph)
        yield Quad(statement, _n(TKG.endOffset), Literal(str(fact.evidence.end), datatype=nonneg), graph)
