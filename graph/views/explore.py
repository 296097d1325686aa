"""What the explorer shows, from the networkx view and SPARQL: search, profiles, lineage, paths, comparisons."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph.views.datings import Dating, datings_by_source, sorted_datings
from graph.views.kg import KnowledgeGraph
from graph.views.lineage import RELATION_PHRASES, LineageStep, explain_path, lineage_of, shortest_path
from ontology.names import NameIndex, variant_key
from ontology.vocabulary import vocabulary

# Relations shown on an entity page, in reading order, with a heading each: these first, then every other relation
# of therapy.ttl in the order of that file, headed by its label.
_PROFILE_ORDER: tuple[tuple[str, str], ...] = (
    ("developedBy", "Developed by"),
    ("groundedIn", "Grounded in"),
    ("subtypeOf", "A kind of"),
    ("derivedFrom", "Grew out of"),
    ("servesPopulation", "Populations"),
    ("addressesCondition", "Conditions"),
    ("hasGoal", "Goals"),
    ("usesTechnique", "Techniques"),
    ("involvesConcept", "Concepts"),
    ("hasPhase", "Phases"),
    ("studentOf", "Student of"),
    ("influencedBy", "Influenced by"),
    ("collaboratedWith", "Collaborated with"),
)
PROFILE_SECTIONS: tuple[tuple[str, str], ...] = (
    *_PROFILE_ORDER,
    *((r.name, r.heading) for r in vocabulary().relations if r.name not in dict(_PROFILE_ORDER)),
)
# How each relation reads from object to subject ("developed"): tkg:inversePhrase in therapy.ttl.
INVERSE_PHRASES: dict[str, str] = {relation.name: relation.inverse_phrase for relation in vocabulary().relations}
# Aspects of a side-by-side comparison: heading and the relation it reads; these first, then every other relation a
# modality may have, headed by its label, except those that never compare: phases belong to one modality.
_COMPARE_ORDER: tuple[tuple[str, str], ...] = (
    ("Developers", "developedBy"),
    ("Grounded in", "groundedIn"),
    ("Grew from", "derivedFrom"),
    ("Kind of", "subtypeOf"),
    ("Populations", "servesPopulation"),
    ("Conditions", "addressesCondition"),
    ("Goals", "hasGoal"),
    ("Techniques", "usesTechnique"),
    ("Concepts", "involvesConcept"),
)
NOT_COMPARED: tuple[str, ...] = ("hasPhase",)
COMPARE_ASPECTS: tuple[tuple[str, str], ...] = (
    *_COMPARE_ORDER,
    *((r.heading, r.name) for r in vocabulary().relations if r.allows_subject("Modality")
      and r.name not in NOT_COMPARED and r.name not in {relation for _, relation in _COMPARE_ORDER}),
)


def label_of(graph: nx.MultiDiGraph, entity_id: str) -> str:
    """The display label of an entity (its id when it has none)."""
    return str(graph.nodes[entity_id].get("label") or entity_id) if entity_id in graph else entity_id


def entity_detail(graph: nx.MultiDiGraph, entity_id: str, max_developers: int = 3) -> str:
    """What tells an entity from its namesakes: ``"Modality · Susan Johnson · 1980s"`` (type, developers, decade).

    Developers are the ``developedBy`` objects (first ``max_developers`` by label, then "et al."); the decade is
    :func:`decade_of` (introduction, or birth for theorists, whose life years are shown instead when known).
    """
    if entity_id not in graph:
        return ""
    data = graph.nodes[entity_id]
    parts = [str(data.get("type") or "")]
    developers = sorted({label_of(graph, v) for _, v, k in graph.out_edges(entity_id, keys=True)
                         if k == "developedBy"}, key=str.casefold)
    if developers:
        parts.append(", ".join(developers[:max_developers]) + (" et al." if len(developers) > max_developers else ""))
    born, died = data.get("birth_year"), data.get("death_year")
    if isinstance(born, int):
        parts.append(f"{born}-{died}" if isinstance(died, int) else f"born {born}")
    else:
        decade = decade_of(data)
        if decade is not None:
            parts.append(f"{decade}s")
    return " · ".join(part for part in parts if part)


def entity_caption(graph: nx.MultiDiGraph, entity_id: str) -> str:
    """``"Emotionally Focused Therapy — Modality · Susan Johnson · 1980s"``: label and :func:`entity_detail`."""
    detail = entity_detail(graph, entity_id)
    return f"{label_of(graph, entity_id)} — {detail}" if detail else label_of(graph, entity_id)


# ---------------------------------------------------------------- search


@dataclass(frozen=True)
class SearchHit:
    """One entity found by a search; ``matched`` is the alias that matched when it was not the label."""

    id: str
    label: str
    type: str
    matched: str = ""


class SearchIndex:
    """Type-ahead search over labels and aliases (case-, accent-, punctuation- and British/American
    spelling-insensitive), with "did you mean" from the CLI's resolver (:meth:`ontology.names.NameIndex.suggest`)."""

    def __init__(self, graph: nx.MultiDiGraph, names: NameIndex | None = None):
        """Index every node's label and aliases; ``names`` is the graph's NameIndex (built from it when None)."""
        self._entries: list[tuple[str, str, str]] = []  # (variant key, entity id, name as written)
        self._nodes: dict[str, tuple[str, str]] = {}
        for node, data in graph.nodes(data=True):
            label = str(data.get("label") or node)
            self._nodes[node] = (label, str(data.get("type", "")))
            for name in dict.fromkeys([label, *data.get("aliases", [])]):
                key = variant_key(name)
                if key:
                    self._entries.append((key, node, name))
        self._entries.sort()
        self.names = names if names is not None else NameIndex(
            (n, str(d.get("type", "")), str(d.get("label") or n), d.get("aliases", []))
            for n, d in graph.nodes(data=True))

    def __len__(self) -> int:
        return len(self._nodes)

    def search(self, text: str, limit: int = 25, types: Iterable[str] | None = None) -> list[SearchHit]:
        """Entities whose label or alias contains ``text``; exact, then prefix, then word-prefix, then substring."""
        query = variant_key(text)
        if not query:
            return []
        wanted = set(types) if types else None
        best: dict[str, tuple[int, str]] = {}
        for key, node, name in self._entries:
            if query not in key:
                continue
            if wanted is not None and self._nodes[node][1] not in wanted:
                continue
            if key == query:
                rank = 0
            elif key.startswith(query):
                rank = 1
            elif f" {query}" in f" {key}":
                rank = 2
            else:
                rank = 3
            if node not in best or rank < best[node][0]:
                best[node] = (rank, name)
        ordered = sorted(best.items(), key=lambda item: (item[1][0], self._nodes[item[0]][0].casefold(), item[0]))
        hits = []
        for node, (_, name) in ordered[:limit]:
            label, entity_type = self._nodes[node]
            hits.append(SearchHit(node, label, entity_type, "" if name == label else name))
        return hits

    def suggest(self, text: str, limit: int = 5, types: Iterable[str] | None = None) -> list[SearchHit]:
        """"Did you mean": the ``limit`` entities whose names are closest to ``text`` (misspelt, British or
        American), best first, by the resolver the CLI uses (:meth:`ontology.names.NameIndex.suggest`)."""
        hits = []
        for candidate in self.names.suggest(text, limit, types):
            if candidate.id in self._nodes:
                label, entity_type = self._nodes[candidate.id]
                hits.append(SearchHit(candidate.id, label, entity_type))
        return hits


# ---------------------------------------------------------------- entity profile


@dataclass(frozen=True)
class FactView:
    """One fact seen from an entity: the other end, how it is related, and where the fact comes from."""

    relation: str
    phrase: str
    other: str
    other_label: str
    other_type: str
    outgoing: bool
    sources: tuple[str, ...]
    evidence: tuple[Mapping[str, Any], ...]
    notes: tuple[str, ...] = ()


@dataclass
class EntityProfile:
    """Everything the entity page shows about one entity."""

    id: str
    label: str
    type: str
    description: str | None
    aliases: list[str]
    introduced: str | None  # "1990s", "1987", or "1980s / 1993 (sources disagree)"
    birth_year: int | None
    death_year: int | None
    sources: list[str]
    sections: list[tuple[str, list[FactView]]] = field(default_factory=list)
    related: list[FactView] = field(default_factory=list)
    origins: list[LineageStep] = field(default_factory=list)
    descendants: list[LineageStep] = field(default_factory=list)
    descendants_total: int = 0
    details: list[tuple[str, str, str]] = field(default_factory=list)  # (relation, value, source)
    datings: list[Dating] = field(default_factory=list)  # every source's year and precision, earliest first


NoteIndex = Mapping[tuple[str, str, str], Sequence[str]]


def _fact_view(graph: nx.MultiDiGraph, subject: str, relation: str, obj: str, data: Mapping[str, Any],
               outgoing: bool, notes: NoteIndex) -> FactView:
    other = obj if outgoing else subject
    phrase = RELATION_PHRASES.get(relation, relation) if outgoing else INVERSE_PHRASES.get(relation, relation)
    return FactView(relation, phrase, other, label_of(graph, other), str(graph.nodes[other].get("type", "")),
                    outgoing, tuple(data.get("sources", ())), tuple(data.get("evidence", ())),
                    tuple(notes.get((subject, relation, obj), ())))


def entity_profile(graph: nx.MultiDiGraph, entity_id: str, notes: NoteIndex | None = None,
                   details: Sequence[tuple[str, str, str]] = (), lineage_limit: int = 60) -> EntityProfile:
    """The profile of one entity: attributes, facts grouped by relation, related entities, lineage up and down."""
    data = graph.nodes[entity_id]
    notes = notes or {}
    profile = EntityProfile(
        id=entity_id, label=label_of(graph, entity_id), type=str(data.get("type", "")),
        description=data.get("description"), aliases=list(data.get("aliases", [])),
        introduced=data.get("introduced"), birth_year=data.get("birth_year"), death_year=data.get("death_year"),
        sources=list(data.get("sources", [])), details=list(details),
        datings=sorted_datings(data.get("datings") or ()))
    outgoing: dict[str, list[FactView]] = defaultdict(list)
    for _, obj, relation, edge in graph.out_edges(entity_id, keys=True, data=True):
        outgoing[relation].append(_fact_view(graph, entity_id, relation, obj, edge, True, notes))
    for title_relation, heading in PROFILE_SECTIONS:
        facts = sorted(outgoing.pop(title_relation, []), key=lambda f: f.other_label.casefold())
        if facts:
            profile.sections.append((heading, facts))
    for relation, facts in sorted(outgoing.items()):
        profile.sections.append((relation, sorted(facts, key=lambda f: f.other_label.casefold())))
    related = [_fact_view(graph, subject, relation, entity_id, edge, False, notes)
               for subject, _, relation, edge in graph.in_edges(entity_id, keys=True, data=True)]
    profile.related = sorted(related, key=lambda f: (f.relation, f.other_label.casefold()))
    profile.origins = lineage_of(graph, entity_id, "up")[:lineage_limit]
    down = lineage_of(graph, entity_id, "down")
    profile.descendants, profile.descendants_total = down[:lineage_limit], len(down)
    return profile


def life_years(profile: EntityProfile) -> str:
    """``introduced 1990s`` / ``1907-1990`` / ``born 1952``: the years worth showing, or ''."""
    if profile.introduced:
        return f"introduced {profile.introduced}"
    if profile.birth_year and profile.death_year:
        return f"{profile.birth_year}-{profile.death_year}"
    if profile.birth_year:
        return f"born {profile.birth_year}"
    return ""


def dating_sources(profile: EntityProfile, titles: Mapping[str, str] | None = None) -> str:
    """Which source gives which date, when sources give more than one: ``"1980s: <title>; 1993: <title>"``.

    ``titles`` maps source ids to titles (ids are shown for sources without one); '' when there is at most one
    value, so an entity with one date shows exactly its date and nothing more.
    """
    grouped = datings_by_source(profile.datings)
    if len(grouped) <= 1:
        return ""
    titles = titles or {}
    return "; ".join(f"{value}: " + ", ".join(titles.get(source, source) for source in sources)
                     for value, sources in grouped)


# ---------------------------------------------------------------- lineage


@dataclass(frozen=True)
class TreeLine:
    """One line of an indented family tree."""

    depth: int
    id: str
    label: str
    phrase: str  # how this entity relates to the line above it


def family_tree(graph: nx.MultiDiGraph, entity_id: str, direction: str = "up", limit: int = 200) -> list[TreeLine]:
    """Ancestors (``up``) or descendants (``down``) as an indented tree, depth first, at most ``limit`` lines."""
    steps = lineage_of(graph, entity_id, direction)
    children: dict[str, list[LineageStep]] = defaultdict(list)
    for step in steps:
        children[step.parent].append(step)
    lines: list[TreeLine] = []
    order: list[tuple[LineageStep, int]] = []
    pending = [(step, 1) for step in reversed(children.get(entity_id, []))]
    while pending and len(order) < limit:
        step, depth = pending.pop()
        order.append((step, depth))
        pending.extend((child, depth + 1) for child in reversed(children.get(step.id, [])))
    for step, depth in order:
        relation = RELATION_PHRASES.get(step.via, step.via) if direction == "up" else INVERSE_PHRASES.get(
            step.via, step.via)
        lines.append(TreeLine(depth, step.id, label_of(graph, step.id), relation))
    return lines


def tree_outline(graph: nx.MultiDiGraph, entity_id: str, lines: Sequence[TreeLine], direction: str) -> str:
    """A plain-text rendering of a tree: the root, then one indented line per entity."""
    arrow = "↑" if direction == "up" else "↓"
    out = [label_of(graph, entity_id)]
    for line in lines:
        out.append(f"{'    ' * (line.depth - 1)}└ {arrow} ({line.phrase}) {line.label}")
    return "\n".join(out)


def tree_dot(graph: nx.MultiDiGraph, entity_id: str, up: Sequence[TreeLine], down: Sequence[TreeLine]) -> str:
    """Graphviz DOT text of a family tree (labels quoted and escaped; ids are never pasted unquoted).

    Each arrow is a fact read in its stated direction, labelled with its plain phrase from
    :data:`graph.views.lineage.RELATION_PHRASES`: ``Melanie Klein -> Karl Abraham`` labelled "was a student of".
    The drawing runs bottom to top (``rankdir=BT``), so origins stay above what grew from them.
    """
    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'

    nodes = {entity_id}
    edges: set[tuple[str, str, str]] = set()
    for direction, lines in (("up", up), ("down", down)):
        for step in lineage_of(graph, entity_id, direction):
            if step.id not in {line.id for line in lines}:
                continue
            nodes.add(step.id)
            child, origin = (step.parent, step.id) if direction == "up" else (step.id, step.parent)
            edges.add((child, origin, step.via))
    out = ["digraph lineage {", "  rankdir=BT;", '  node [shape=box, style="rounded,filled", fillcolor="#eef3f8", '
           'fontname="Helvetica"];', '  edge [fontname="Helvetica", fontsize=9, color="#777777"];']
    for node in sorted(nodes):
        extra = ', fillcolor="#0072B2", fontcolor="white"' if node == entity_id else ""
        out.append(f"  {quoted(node)} [label={quoted(label_of(graph, node))}{extra}];")
    for child, origin, relation in sorted(edges):
        phrase = RELATION_PHRASES.get(relation, relation)
        out.append(f"  {quoted(child)} -> {quoted(origin)} [label={quoted(phrase)}];")
    out.append("}")
    return "\n".join(out)


def decade_of(data: Mapping[str, Any]) -> int | None:
    """The decade (e.g. 1990) an entity was introduced in, or born in for theorists; None when undated.

    An entity that sources date differently counts in the decade of its earliest dating (``introduced_year``).
    """
    year = data.get("introduced_year") or data.get("birth_year")
    return (int(year) // 10) * 10 if isinstance(year, int) else None


def timeline_by_decade(graph: nx.MultiDiGraph, entity_ids: Iterable[str]) -> list[tuple[str, list[str]]]:
    """Entities grouped by decade, oldest first, undated last: ``[("1950s", [labels...]), ...]``."""
    groups: dict[int | None, list[str]] = defaultdict(list)
    for node in dict.fromkeys(entity_ids):
        if node in graph:
            groups[decade_of(graph.nodes[node])].append(label_of(graph, node))
    dated = sorted(k for k in groups if k is not None)
    rows = [(f"{decade}s", sorted(groups[decade], key=str.casefold)) for decade in dated]
    if None in groups:
        rows.append(("undated", sorted(groups[None], key=str.casefold)))
    return rows


def _parents(graph: nx.MultiDiGraph, entity_id: str) -> list[str]:
    """What ``entity_id`` is a ``subtypeOf``, sorted by id (read from the successor dict: building out_edges' tuples
    for every relation cost 12 s over 20,000 modalities' families)."""
    return sorted(v for v, keys in graph.succ[entity_id].items() if "subtypeOf" in keys)


def family_of(graph: nx.MultiDiGraph, entity_id: str) -> str:
    """The family an approach belongs to: the top of its ``subtypeOf`` chain (itself when it is a kind of nothing).

    Where an approach is a subtype of several, the parent first by id is followed; a cycle stops where it closes.
    """
    seen = {entity_id}
    current = entity_id
    while True:
        parents = [v for v in _parents(graph, current) if v not in seen]
        if not parents:
            return current
        current = parents[0]
        seen.add(current)


def families_of(graph: nx.MultiDiGraph, ids: Iterable[str]) -> dict[str, str]:
    """:func:`family_of` for each of ``ids`` (the same answers), sharing the walks up their chains: a chain walked
    without meeting a cycle gives every entity on it the same family, so each entity's parents are read once.
    20,000 modalities: about 0.2 s instead of 4 s (quiet machine)."""
    found: dict[str, str] = {}  # in the order of ids
    shared: dict[str, str] = {}  # families from chains walked clean, valid from any start
    for start in ids:
        chain, seen, current = [start], {start}, start
        clean = True  # no parent skipped for having been seen: every entity on the chain shares its end
        while True:
            if clean and current in shared:
                family = shared[current]
                break
            everyone = _parents(graph, current)
            parents = [v for v in everyone if v not in seen]
            if parents[:1] != everyone[:1]:
                clean = False
            if not parents:
                family = current
                break
            current = parents[0]
            chain.append(current)
            seen.add(current)
        if clean:
            shared.update((node, family) for node in chain)
        found[start] = family
    return found


def approaches_by_decade(graph: nx.MultiDiGraph, types: Iterable[str] = ("Modality",)
                         ) -> tuple[list[tuple[int, list[str]]], list[str]]:
    """Entities of ``types`` by the decade they were introduced (:func:`decade_of`), oldest first, each decade's
    ids sorted by label; and the undated ones, sorted by label: ``([(1950, [ids]), ...], [undated ids])``."""
    wanted = set(types)
    groups: dict[int, list[str]] = defaultdict(list)
    undated: list[str] = []
    for node, data in graph.nodes(data=True):
        if data.get("type") in wanted:
            decade = decade_of(data)
            (undated if decade is None else groups[decade]).append(node)
    def by_label(ids: list[str]) -> list[str]:
        return sorted(ids, key=lambda n: (label_of(graph, n).casefold(), n))
    return [(decade, by_label(groups[decade])) for decade in sorted(groups)], by_label(undated)


def path_in_words(graph: nx.MultiDiGraph, start: str, end: str) -> list[str]:
    """The shortest path between two entities (:func:`graph.views.lineage.shortest_path`, the one `tkg path` gives) as
    numbered-ready sentences ([] when they are the same); raises ``networkx.NetworkXNoPath`` when not connected."""
    return explain_path(graph, shortest_path(graph, start, end))


# ---------------------------------------------------------------- comparison


@dataclass
class Comparison:
    """Modalities side by side: per aspect, per modality, the labels; and what all of them share."""

    ids: list[str]
    labels: list[str]
    rows: list[tuple[str, list[list[str]]]]
    shared: dict[str, list[str]]
    notes: list[list[str]]


def compare_modalities(graph: nx.MultiDiGraph, ids: Sequence[str], notes: NoteIndex | None = None) -> Comparison:
    """Compare two to four entities aspect by aspect; ``shared`` lists what every one of them has."""
    if not 2 <= len(ids) <= 4:
        raise ValueError("compare two to four modalities")
    notes = notes or {}
    rows: list[tuple[str, list[list[str]]]] = [("Introduced", [[graph.nodes[i].get("introduced") or "—"]
                                                                 for i in ids])]
    shared: dict[str, list[str]] = {}
    for heading, relation in COMPARE_ASPECTS:
        cells = [sorted({label_of(graph, v) for _, v, k in graph.out_edges(i, keys=True) if k == relation},
                        key=str.casefold) for i in ids]
        if not any(cells):
            continue
        rows.append((heading, cells))
        common = set(cells[0]).intersection(*cells[1:])
        if common:
            shared[heading] = sorted(common, key=str.casefold)
    decades = {decade_of(graph.nodes[i]) for i in ids}
    if len(decades) == 1 and None not in decades:
        shared["Decade"] = [f"{decades.pop()}s"]
    evidence_notes = []
    for entity_id in ids:
        found = []
        for _, obj, relation, edge in graph.out_edges(entity_id, keys=True, data=True):
            for quote in edge.get("evidence", ()):
                found.append(f"{RELATION_PHRASES.get(relation, relation)} {label_of(graph, obj)}: “{quote['text']}”")
            for note in notes.get((entity_id, relation, obj), ()):
                found.append(f"{RELATION_PHRASES.get(relation, relation)} {label_of(graph, obj)}: {note}")
        evidence_notes.append(sorted(found))
    return Comparison(list(ids), [label_of(graph, i) for i in ids], rows, shared, evidence_notes)


# ---------------------------------------------------------------- sources and statement notes (SPARQL)

SOURCES_QUERY = """
SELECT ?source ?title ?kind ?url ?author ?date WHERE {
  GRAPH ?source { ?source a tkg:Source ; dct:title ?title .
    OPTIONAL { ?source tkg:sourceKind ?kind } OPTIONAL { ?source dct:source ?url }
    OPTIONAL { ?source dct:creator ?author } OPTIONAL { ?source dct:date ?date } }
} ORDER BY ?source
"""
NOTES_QUERY = """
SELECT ?s ?p ?o ?note WHERE { ?statement tkg:note ?note ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o . }
"""
# Details: the facts stated in words (xsd:string literal facts of therapy.ttl), headed by DETAIL_HEADINGS or label.
DETAIL_PROPERTIES: tuple[str, ...] = tuple(p.name for p in vocabulary().literals
                                           if p.states_fact and p.datatype.endswith("#string"))
DETAIL_HEADINGS: dict[str, str] = {p.name: p.label[:1].upper() + p.label[1:] for p in vocabulary().literals
                                   if p.name in DETAIL_PROPERTIES} | {"sessionExpectation": "What sessions are like"}
DETAILS_QUERY = ("\nSELECT ?s ?p ?value ?g WHERE {\n  GRAPH ?g { ?s ?p ?value } VALUES ?p { "
                 + " ".join(f"tkg:{name}" for name in DETAIL_PROPERTIES) + " }\n}\n")  # names from therapy.ttl only


@dataclass(frozen=True)
class SourceInfo:
    """A source as the Sources page lists it."""

    id: str
    title: str
    kind: str = ""
    url: str = ""
    author: str = ""
    year: int | None = None


def source_catalogue(rows: Iterable[Mapping[str, Any]]) -> dict[str, SourceInfo]:
    """Sources by id from the rows of :data:`SOURCES_QUERY` (``source/<id>`` values shortened to ``<id>``)."""
    found: dict[str, SourceInfo] = {}
    for row in rows:
        source_id = str(row["source"]).removeprefix("source/")
        if source_id not in found:
            year = row.get("date")
            found[source_id] = SourceInfo(source_id, str(row["title"]), str(row.get("kind") or ""),
                                          str(row.get("url") or ""), str(row.get("author") or ""),
                                          year if isinstance(year, int) else None)
    return found


def note_index(rows: Iterable[Mapping[str, Any]]) -> dict[tuple[str, str, str], list[str]]:
    """Notes on statements by ``(subject id, relation, object id)`` from the rows of :data:`NOTES_QUERY`."""
    notes: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for row in rows:
        relation = str(row["p"]).rsplit("#", 1)[-1]
        notes[(str(row["s"]), relation, str(row["o"]))].append(str(row["note"]))
    return dict(notes)


def detail_index(rows: Iterable[Mapping[str, Any]]) -> dict[str, list[tuple[str, str, str]]]:
    """Literal details (typical duration, session expectations) by entity: ``(relation, value, source id)``."""
    details: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for row in rows:
        details[str(row["s"])].append((str(row["p"]).rsplit("#", 1)[-1], str(row["value"]),
                                       str(row["g"]).removeprefix("source/")))
    return {key: sorted(values) for key, values in details.items()}


def provenance_tables(kg: KnowledgeGraph) -> tuple[dict[str, SourceInfo], dict[tuple[str, str, str], list[str]],
                                                   dict[str, list[tuple[str, str, str]]]]:
    """Sources, statement notes and literal details of a KnowledgeGraph, each by one SPARQL query."""
    return (source_catalogue(kg.select(SOURCES_QUERY)), note_index(kg.select(NOTES_QUERY)),
            detail_index(kg.select(DETAILS_QUERY)))


@dataclass
class SourceContribution:
    """What one source contributes: entities it names and facts per relation."""

    source: SourceInfo
    entities: Counter[str]
    facts: Counter[str]

    @property
    def entity_total(self) -> int:
        """How many entities the source describes."""
        return sum(self.entities.values())

    @property
    def fact_total(self) -> int:
        """How many entity-to-entity facts the source states."""
        return sum(self.facts.values())


def source_contributions(graph: nx.MultiDiGraph, sources: Mapping[str, SourceInfo]) -> list[SourceContribution]:
    """For every source: entity counts per class and fact counts per relation, from the networkx view."""
    entities: dict[str, Counter[str]] = defaultdict(Counter)
    facts: dict[str, Counter[str]] = defaultdict(Counter)
    for _, data in graph.nodes(data=True):
        for source in data.get("sources", ()):
            entities[source][str(data.get("type", ""))] += 1
    for _, _, relation, data in graph.edges(keys=True, data=True):
        for source in data.get("sources", ()):
            facts[source][relation] += 1
    known = dict(sources)
    for source in set(entities) | set(facts):
        known.setdefault(source, SourceInfo(source, source))
    return [SourceContribution(known[s], entities.get(s, Counter()), facts.get(s, Counter()))
            for s in sorted(known)]


def source_facts(graph: nx.MultiDiGraph, source_id: str, limit: int = 500) -> list[tuple[str, str, str, str]]:
    """Facts stated by one source as ``(subject label, phrase, object label, quoted evidence)`` rows."""
    rows = []
    for u, v, relation, data in graph.edges(keys=True, data=True):
        if source_id in data.get("sources", ()):
            quotes = " / ".join(e["text"] for e in data.get("evidence", ()) if e.get("source") == source_id)
            rows.append((label_of(graph, u), RELATION_PHRASES.get(relation, relation), label_of(graph, v), quotes))
            if len(rows) >= limit:
                break
    return sorted(rows, key=lambda row: (row[0].casefold(), row[1], row[2].casefold()))
