"""Map typed records to RDF as N-Quads text: one named graph per source, evidence and notes as reified statements,
datings; Oxigraph's own parser turns the text into quads."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from pyoxigraph import NamedNode

from graph.pipeline.corpus import BuildError
from ontology.namespace import ONTOLOGY_IRI, TKG, entity_base, entity_iri, ontology_path, source_iri
from ontology.records import ENTITY_RELATIONS, Entity, Fact, Source, Year
from ontology.vocabulary import vocabulary

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
EXACT_MATCH_PREFIXES = {"wikidata": "http://www.wikidata.org/entity/", "mesh": "http://id.nlm.nih.gov/mesh/"}

ONTOLOGY_GRAPH = NamedNode(ONTOLOGY_IRI)

# N-Triples terms written once. A statement below is the text "subject predicate object" of one triple; its graph
# and the final " ." are added by :func:`corpus_nquads`.
A = f"<{RDF}type>"
_GYEAR = f"<{XSD}gYear>"
_INTEGER = f"<{XSD}integer>"  # Oxigraph stores derived integer types as xsd:integer
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _iri(iri: str) -> str:
    return f"<{iri}>"


def _literal(text: str, datatype: str | None = None) -> str:
    """An N-Triples literal: the four characters N-Quads forbids raw in a string are escaped (W3C N-Quads, [9])."""
    quoted = '"' + text.translate(_ESCAPES) + '"'
    return quoted if datatype is None or datatype == XSD + "string" else f"{quoted}^^<{datatype}>"


def _year(value: int) -> str:
    return f'"{value:04d}"^^{_GYEAR}'


def _checked_iri(iri: str, what: str) -> str:
    """``<iri>`` for an IRI taken from content (a source's URL): validated as a quad's term would be, because the
    text is parsed leniently; BuildError ``<what> '<iri>' is not an IRI (<why>)`` if it is none."""
    try:
        NamedNode(iri)
    except ValueError as error:
        raise BuildError([f"{what} {iri!r} is not an IRI ({error})"]) from None
    return f"<{iri}>"


def source_statements(source: Source, base: str) -> Iterator[str]:
    """Describe a source inside its own named graph."""
    node = _iri(source_iri(source.id, base))
    yield f"{node} {A} <{TKG.Source}>"
    yield f"{node} <{DCT}title> {_literal(source.title)}"
    yield f"{node} <{TKG.sourceKind}> {_literal(source.kind)}"
    if source.url:
        yield f"{node} <{DCT}source> {_checked_iri(source.url, f'source {source.id}: url')}"
    if source.author:
        yield f"{node} <{DCT}creator> {_literal(source.author)}"
    if source.year:
        yield f"{node} <{DCT}date> {_year(source.year)}"


def entity_statements(entity: Entity, base: str, extra_aliases: Iterable[str] = ()) -> Iterator[str]:
    """Type, labels, aliases, description and identifiers of an entity, in the graph of its source."""
    node = _iri(entity_iri(entity.id, base))
    label = _literal(entity.label)
    yield f"{node} {A} <{vocabulary().iri(entity.type)}>"
    yield f"{node} <{SKOS}prefLabel> {label}"
    yield f"{node} <{RDFS}label> {label}"
    for alias in dict.fromkeys((*entity.aliases, *extra_aliases)):
        if alias != entity.label:
            yield f"{node} <{SKOS}altLabel> {_literal(alias)}"
    for alias in entity.ambiguous_aliases:
        yield f"{node} <{TKG.ambiguousAlias}> {_literal(alias)}"
    if entity.description:
        yield f"{node} <{SKOS}definition> {_literal(entity.description)}"
    if entity.note:
        yield f"{node} <{SKOS}editorialNote> {_literal(entity.note)}"
    for identifier in entity.exact_match:
        prefix, _, local = identifier.partition(":")
        match = _checked_iri(EXACT_MATCH_PREFIXES[prefix] + local, f"{entity.where}: exact_match")
        yield f"{node} <{SKOS}exactMatch> {match}"


def _object_term(fact: Fact, base: str) -> str:
    if fact.predicate in ENTITY_RELATIONS:
        return _iri(entity_iri(str(fact.object), base))
    if isinstance(fact.object, Year):
        return _year(fact.object.year)
    return _literal(str(fact.object), vocabulary().literal(fact.predicate).datatype)  # the rdfs:range in therapy.ttl


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


def dating_statements(entity_id: str, year: Year, source_id: str, base: str) -> Iterator[str]:
    """The ``tkg:Dating`` of an ``introduced`` fact, in its source's graph: the entity it dates, the year
    (``xsd:gYear``, a decade as its first year), the precision (``tkg:YearPrecision_year`` or ``_decade``) and the
    source (``prov:wasDerivedFrom``, which survives exports that drop named graphs), kept together.

    An entity dated by two sources gets two datings, so each year stays paired with its own precision and source;
    the entity itself keeps every year as ``tkg:introduced`` for simple queries.
    """
    node = _iri(dating_iri(entity_id, source_id, year, base))
    precision = TKG.YearPrecision_decade if year.precision == "decade" else TKG.YearPrecision_year
    yield f"{node} {A} <{TKG.Dating}>"
    yield f"{node} <{TKG.dates}> {_iri(entity_iri(entity_id, base))}"
    yield f"{node} <{TKG.year}> {_year(year.year)}"
    yield f"{node} <{TKG.precision}> <{precision}>"
    yield f"{node} <{PROV}wasDerivedFrom> {_iri(source_iri(source_id, base))}"


def fact_statements(fact: Fact, base: str) -> Iterator[str]:
    """The triple of a fact in its source's graph, a dating for an introduced year, a reified statement for its
    evidence or note."""
    subject = _iri(entity_iri(fact.subject, base))
    predicate = _iri(vocabulary().iri(fact.predicate))
    obj = _object_term(fact, base)
    yield f"{subject} {predicate} {obj}"
    if isinstance(fact.object, Year) and fact.predicate == "introduced":
        yield from dating_statements(fact.subject, fact.object, fact.source, base)
    if fact.evidence is None and fact.note is None:
        return
    statement = _iri(statement_iri(fact, base))
    yield f"{statement} {A} <{TKG.Evidence if fact.evidence else RDF + 'Statement'}>"
    yield f"{statement} <{RDF}subject> {subject}"
    yield f"{statement} <{RDF}predicate> {predicate}"
    yield f"{statement} <{RDF}object> {obj}"
    derived = PROV + "wasQuotedFrom" if fact.evidence else PROV + "wasDerivedFrom"
    yield f"{statement} <{derived}> {_iri(source_iri(fact.source, base))}"
    if fact.note:
        yield f"{statement} <{TKG.note}> {_literal(fact.note)}"
    if fact.evidence:
        yield f"{statement} <{TKG.quote}> {_literal(fact.evidence.text)}"
        yield f'{statement} <{TKG.startOffset}> "{fact.evidence.start}"^^{_INTEGER}'
        yield f'{statement} <{TKG.endOffset}> "{fact.evidence.end}"^^{_INTEGER}'


def corpus_nquads(sources: Iterable[Source], entities: Iterable[tuple[Entity, Iterable[str]]],
                  facts: Iterable[Fact], base: str | None = None, union: bool = False) -> Iterator[str]:
    """The graph as N-Quads lines (each ending in a newline): the ontology in its own graph, then each source's
    statements in the source's graph (``entities`` pairs each entity with its extra aliases from pages).

    With ``union`` each line is followed by its triple in the default graph, which thus holds the union of all
    graphs (see :func:`graph.pipeline.build.with_union_default_graph`). ``base`` (default :func:`entity_base`) is
    checked as an IRI first (BuildError naming it); every other IRI is built from it and checked ids, or is checked
    itself, so the text may be parsed leniently.
    """
    base = base or entity_base()
    _checked_iri(base, "the base IRI (TKG_BASE_IRI)")
    default = " .\n" if union else None

    def lines(statements: Iterable[str], graph: str) -> Iterator[str]:
        in_graph = f" {graph} .\n"
        for statement in statements:
            yield statement + in_graph
            if default:
                yield statement + default

    ontology = (f"{t.subject} {t.predicate} {t.object}"
                for t in ox.parse(path=str(ontology_path("therapy.ttl")), format=ox.RdfFormat.TURTLE))
    yield from lines(ontology, _iri(ONTOLOGY_IRI))
    for source in sources:
        yield from lines(source_statements(source, base), _iri(source_iri(source.id, base)))
    for entity, extra_aliases in entities:
        yield from lines(entity_statements(entity, base, extra_aliases), _iri(source_iri(entity.source, base)))
    for fact in facts:
        yield from lines(fact_statements(fact, base), _iri(source_iri(fact.source, base)))
