"""Review before trust: what a page would add to the graph, the curated facts it confirms and those it contradicts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

import networkx as nx

from graph.views.kg import KnowledgeGraph
from graph.views.lineage import RELATION_PHRASES
from loaders.registry import PAGE_ID_PREFIX
from ontology.records import ENTITY_RELATIONS, Extraction, Fact, Year

PARENT_RELATIONS = ("subtypeOf", "derivedFrom")
# Relations where a page's value beside different curated values is a contradiction, and what to call it.
CONFLICTS: dict[str, str] = {
    "developedBy": "another developer",
    "introduced": "another introduction year",
    "subtypeOf": "another parent",
    "derivedFrom": "another parent",
}

Value = str | Year  # an entity id, or the year of an ``introduced`` fact
LITERAL_PHRASES: dict[str, str] = {
    "introduced": "was introduced in",
    "birthYear": "was born in",
    "deathYear": "died in",
    "phaseOrder": "is phase number",
    "typicalDuration": "typically lasts",
    "sessionExpectation": "what sessions are like:",
}


def relation_phrase(relation: str) -> str:
    """A relation in words ("developedBy" -> "was developed by"), as the lineage view phrases it."""
    return RELATION_PHRASES.get(relation) or LITERAL_PHRASES.get(relation, relation)


@dataclass
class Reference:
    """What the graph already holds, as a review compares against it.

    ``labels``/``types``: every entity by id. ``described_by``: the sources that describe each entity.
    ``curated``: ``(subject, relation) -> {value: source ids}`` for facts from curated sources only (not pages read
    by the loader, whose source ids all start with :data:`loaders.registry.PAGE_ID_PREFIX`), over every entity
    relation and ``introduced``.
    """

    labels: dict[str, str] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)
    described_by: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    curated: dict[tuple[str, str], dict[Value, set[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(set)))

    def add_fact(self, subject: str, relation: str, value: Value, source: str) -> None:
        """Record one curated fact."""
        self.curated[(subject, relation)][value].add(source)

    def label(self, value: Value) -> str:
        """An entity's label (its id if unknown), or a year as written ("1987", "1980s")."""
        return str(value) if isinstance(value, Year) else self.labels.get(value, value)


REFERENCE_QUERY = """
SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } VALUES ?p { %s } }
"""


def _add_datings(reference: Reference, graph: nx.MultiDiGraph) -> None:
    """Curated introduction years from the view's datings (each keeps its precision and source)."""
    for node, data in graph.nodes(data=True):
        for dating in data.get("datings") or []:
            if not is_page_source(str(dating["source"])):
                reference.add_fact(node, "introduced", Year(int(dating["year"]), str(dating["precision"])),
                                   str(dating["source"]))


def is_page_source(source_id: str) -> bool:
    """Whether a source is a page read by the loader (its id starts with ``page-``) rather than curated content."""
    return source_id.startswith(PAGE_ID_PREFIX)


def reference_from_kg(kg: KnowledgeGraph) -> Reference:
    """The reference of a built graph: entities from its networkx view, curated facts by one SPARQL query."""
    reference = _entities(kg.nx)
    relations = " ".join(f"tkg:{name}" for name in ENTITY_RELATIONS)
    for row in kg.select(REFERENCE_QUERY % relations):
        relation = str(row["p"]).rsplit("#", 1)[-1]
        source = str(row["g"]).removeprefix("source/")
        if is_page_source(source):
            continue
        reference.add_fact(str(row["s"]), relation, str(row["o"]), source)
    _add_datings(reference, kg.nx)
    return reference


def reference_from_networkx(graph: nx.MultiDiGraph) -> Reference:
    """The reference of a networkx view alone (the explorer's Neo4j backend): entity relations from its edges,
    introduction years from the nodes' datings."""
    page = is_page_source
    reference = _entities(graph)
    for subject, obj, relation, data in graph.edges(keys=True, data=True):
        for source in data.get("sources", []):
            if not page(source):
                reference.add_fact(subject, relation, obj, source)
    _add_datings(reference, graph)
    return reference


def _entities(graph: nx.MultiDiGraph) -> Reference:
    reference = Reference()
    for node, data in graph.nodes(data=True):
        reference.labels[node] = str(data.get("label", node))
        reference.types[node] = str(data.get("type", ""))
        reference.described_by[node].update(data.get("sources", []))
    return reference


@dataclass(frozen=True)
class EntityRow:
    """One entity a page names: its label, class, and whether the graph already has it from another source."""

    id: str
    label: str
    type: str
    known: bool


@dataclass(frozen=True)
class FactRow:
    """One fact of a page, in labels: ``subject relation value``, its evidence sentence, and for a contradiction
    what kind it is and the curated values (labels) with their sources."""

    subject: str
    relation: str
    value: str
    evidence: str = ""
    conflict: str = ""
    curated: tuple[str, ...] = ()
    curated_sources: tuple[str, ...] = ()


@dataclass
class PageReview:
    """The review of one page: its entities, and its facts as adds, confirms and contradicts (each in page order)."""

    source_id: str
    title: str
    entities: list[EntityRow] = field(default_factory=list)
    adds: list[FactRow] = field(default_factory=list)
    confirms: list[FactRow] = field(default_factory=list)
    contradicts: list[FactRow] = field(default_factory=list)

    @property
    def new_entities(self) -> list[EntityRow]:
        """The entities the graph does not have yet."""
        return [e for e in self.entities if not e.known]


def years_agree(page: Year, curated: Year) -> bool:
    """Whether two introduction years agree: equal, or one is the decade the other year falls in (1987 and the
    1980s agree; 1987 and 1989 do not)."""
    if page.precision == curated.precision:
        return page.year == curated.year
    decade, year = (page, curated) if page.precision == "decade" else (curated, page)
    return year.year // 10 * 10 == decade.year


def _curated_values(fact: Fact, reference: Reference) -> tuple[dict[Value, set[str]], list[Value]]:
    """The curated values of the fact's own relation, and the values it agrees with (parents: either relation)."""
    own = reference.curated.get((fact.subject, fact.predicate), {})
    value = fact.object
    if fact.predicate == "introduced" and isinstance(value, Year):
        return own, [v for v in own if isinstance(v, Year) and years_agree(value, v)]
    if fact.predicate in PARENT_RELATIONS:
        parents = {v for relation in PARENT_RELATIONS for v in reference.curated.get((fact.subject, relation), {})}
        return own, [value] if value in parents else []
    return own, [value] if isinstance(value, str) and value in own else []


def review_extraction(extraction: Extraction, reference: Reference) -> PageReview:
    """Sort a (resolved) page extraction against the graph: every fact is a contradiction (a relation of
    :data:`CONFLICTS` whose subject has curated values and none agrees: another developer of a modality that has
    curated developers, another introduction year or decade, another parent), a confirmation (a curated fact states
    it; years agree as in :func:`years_agree`), or an addition. Entities are "known" when a source other than this
    page describes them. Labels are the graph's where it has the entity, else the page's."""
    page_labels = {e.id: e.label for e in extraction.entities}
    source = extraction.source.id

    def label(value: object) -> str:
        if isinstance(value, str):
            return reference.labels.get(value) or page_labels.get(value, value)
        return str(value)

    review = PageReview(source, extraction.source.title)
    for entity in extraction.entities:
        known = bool(reference.described_by.get(entity.id, set()) - {source})
        review.entities.append(EntityRow(entity.id, label(entity.id), entity.type, known))
    for fact in extraction.facts:
        own, agreeing = _curated_values(fact, reference)
        row = FactRow(label(fact.subject), fact.predicate, label(fact.object),
                      fact.evidence.text if fact.evidence else "")
        if agreeing:
            sources = sorted({s for v in agreeing for s in own.get(v, ())} or _parent_sources(fact, reference))
            review.confirms.append(FactRow(row.subject, row.relation, row.value, row.evidence,
                                           curated=tuple(sorted(reference.label(v) for v in agreeing)),
                                           curated_sources=tuple(sources)))
        elif fact.predicate in CONFLICTS and own:
            review.contradicts.append(FactRow(
                row.subject, row.relation, row.value, row.evidence, CONFLICTS[fact.predicate],
                tuple(sorted(reference.label(v) for v in own)), tuple(sorted({s for v in own.values() for s in v}))))
        else:
            review.adds.append(row)
    return review


def _parent_sources(fact: Fact, reference: Reference) -> set[str]:
    """Sources of a parent the fact agrees with under the other parent relation (subtypeOf vs derivedFrom)."""
    parent = str(fact.object)
    return {s for relation in PARENT_RELATIONS
            for s in reference.curated.get((fact.subject, relation), {}).get(parent, ())}


def review_counts(review: PageReview) -> Mapping[str, int]:
    """How many entities are new and how many facts each kind has (for one-line summaries)."""
    return {"entities": len(review.entities), "new": len(review.new_entities), "adds": len(review.adds),
            "confirms": len(review.confirms), "contradicts": len(review.contradicts)}
