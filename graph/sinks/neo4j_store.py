"""Neo4j node and relationship records read straight from the Oxigraph store (SPARQL, streamed per relation).

The records are exactly those :func:`graph.sinks.neo4j.neo4j_records_from_networkx` makes from the networkx view
(:func:`graph.views.networkx_view.networkx_from_store`), by the same rules (a node labelled in several sources
keeps its first row's label and type and merges every row's sources; an edge's sources are the named graphs that
state it; evidence is matched in the graph that states the fact), without building the networkx graph first.
Nodes are read with one simple query per class and per property (the view's dating query imported; its node query
only when a node has several types, labels or single values, where the view's choice depends on that query);
relationships one relation at a time (facts grouped by object and source graph, evidence apart), so at most one
relation's facts are held while they become rows. Every answer comes as SPARQL TSV that Oxigraph writes in one
piece without holding Python's global interpreter lock, split here with ``str.split`` (no Python object per term),
and the dearest queries (the datings, the next relations' facts) are evaluated on helper threads meanwhile.
``tests/neo4j/test_store_records.py`` checks that both ways give equal records.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import pyoxigraph as ox

from graph.terms import python_value, solutions
from graph.views.datings import introduced_text, sorted_datings
from graph.views.networkx_view import DATING_QUERY, NODE_QUERY
from ontology.namespace import entity_base, sparql_prologue
from ontology.records import ENTITY_RELATIONS, TYPE_PREFIXES

_SEPARATOR = "\x1f"  # GROUP_CONCAT's separator in NODE_QUERY
_SINGLE_VALUED = ("birthYear", "deathYear", "phaseOrder")  # node properties with at most one value

# One relation's facts, and their evidence, as EDGE_QUERY of the networkx view reads them (each fact with every
# source graph stating it; evidence only in the graph that states the fact), in two queries instead of one OPTIONAL
# join. Facts come grouped by object and graph, their subjects' IRIs joined by spaces (an IRI holds no space, quote
# or backslash: RFC 3987): each object and graph is written out once per group instead of once per fact.
FACT_QUERY = """
SELECT ?o ?g (GROUP_CONCAT(STR(?s); SEPARATOR=" ") AS ?subjects)
WHERE { GRAPH ?g { ?s tkg:%s ?o } FILTER(isIRI(?s)) }
GROUP BY ?o ?g
"""
EVIDENCE_QUERY = """
SELECT ?s ?o ?g ?quote ?start ?end WHERE {
  GRAPH ?g { ?s tkg:%s ?o . ?e a tkg:Evidence ; rdf:subject ?s ; rdf:predicate tkg:%s ; rdf:object ?o ;
                          tkg:quote ?quote ; tkg:startOffset ?start ; tkg:endOffset ?end }
}
"""
# Nodes: one query per class (type and label in the same source graph, as the view's node query joins them) and one
# per property, over the union default graph like the view's OPTIONALs.
LABEL_QUERY = "SELECT ?node ?label ?g WHERE { GRAPH ?g { ?node a tkg:%s ; skos:prefLabel ?label } }"
VALUE_QUERY = "SELECT ?node ?value WHERE { ?node %s ?value }"
VALUE_PREDICATES = {"aliases": "skos:altLabel", "description": "skos:definition", "birthYear": "tkg:birthYear",
                    "deathYear": "tkg:deathYear", "phaseOrder": "tkg:phaseOrder"}
RELATION_COUNT_QUERY = "SELECT (COUNT(*) AS ?count) WHERE { ?s tkg:%s ?o }"  # the union default graph
# The single-valued properties (years, phase order) with each value's datatype: TSV writes every integer type bare,
# and which of them becomes a Python int follows the datatype (graph.terms.python_value).
TYPED_VALUE_QUERY = "SELECT ?node ?value (DATATYPE(?value) AS ?type) WHERE { ?node %s ?value }"
# The view's dating query with the year's datatype, for the same reason.
DATING_TSV_QUERY = DATING_QUERY.replace("SELECT ?node ?year ?precision",
                                        "SELECT ?node ?year (DATATYPE(?year) AS ?type) ?precision")
if DATING_TSV_QUERY == DATING_QUERY:
    raise ImportError("graph.views.networkx_view.DATING_QUERY changed: update DATING_TSV_QUERY beside it")
# xsd datatypes whose values graph.terms.python_value turns into int (kept in step with it by the tests)
INTEGER_DATATYPES = ("#integer", "#int", "#long", "#positiveInteger", "#nonNegativeInteger", "#gYear")
# N-Triples escapes (ECHAR, UCHAR), as they may appear inside a literal written by the TSV results writer
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_ESCAPED = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def tsv_lines(store: ox.Store, query: str) -> list[str]:
    """The solution lines of a SELECT query as Oxigraph writes them in the SPARQL 1.1 TSV results format (header
    and trailing empty line dropped): one tab-separated term per variable, written as in N-Triples (``<iri>``,
    ``_:id``, ``"text"@lang``, ``"text"^^<datatype>``, integers and booleans bare; unbound: empty). Several times
    cheaper than a pyoxigraph object per term. Tabs and newlines inside literals are escaped, so splitting on
    ``"\\n"`` and ``"\\t"`` is exact (never ``str.splitlines``: it also splits on characters written raw)."""
    return _table_lines(_tsv_table(store, query))


def _tsv_table(store: ox.Store, query: str) -> bytes:
    """A SELECT query's answer in the SPARQL TSV results format, as Oxigraph writes it (without the GIL)."""
    return solutions(store.query(query)).serialize(format=ox.QueryResultsFormat.TSV) or b""


def term_value(term: str) -> str:
    """The ``value`` of a term as :func:`tsv_lines` writes it, as pyoxigraph gives it: an IRI's IRI, a blank node's
    id, a literal's lexical form (escapes undone; language tag or datatype dropped; a bare number as written).
    Raises ValueError for an empty (unbound) or malformed term."""
    if term.startswith("<") and term.endswith(">"):
        return term[1:-1]
    if term.startswith('"'):
        end = term.rfind('"')  # a language tag or datatype IRI holds no quote
        if end > 0:
            body = term[1:end]
            return _ESCAPE.sub(_unescape, body) if "\\" in body else body
    elif term.startswith("_:"):
        return term[2:]
    elif term and not term.startswith(("<", "@", "^")):
        return term  # a bare integer, decimal, double or boolean
    raise ValueError(f"malformed term {term[:200]!r} in SPARQL TSV results")


def _unescape(match: re.Match[str]) -> str:
    short, long, char = match.groups()
    if char is not None:
        if char not in _ESCAPED:
            raise ValueError(f"unknown escape \\{char} in SPARQL TSV results")
        return _ESCAPED[char]
    return chr(int(short or long, 16))


def tsv_python_value(term: str, datatype: str = "") -> str | int | None:
    """:func:`graph.terms.python_value` of a term written by :func:`tsv_lines`, given its ``DATATYPE`` column
    (``<iri>``, empty for IRIs, blank nodes and unbound): IRIs under the entity base become entity ids, literals of
    an integer datatype become int (their text if it is not one), other literals their text; unbound gives None."""
    if not term:
        return None
    value = term_value(term)
    if term.startswith("<"):
        base = entity_base()
        return value[len(base):] if value.startswith(base) else value
    if datatype.endswith(tuple(dt + ">" for dt in INTEGER_DATATYPES)):
        try:
            return int(value)
        except ValueError:
            return value
    return value


def node_records_from_store(store: ox.Store, prologue: str | None = None) -> list[dict]:
    """Every entity as a Neo4j node record ``{"id", "type", "properties"}`` (shapes: :mod:`graph.sinks.neo4j`).

    Properties hold no None and no empty list (Neo4j stores no nulls); ``aliases``, ``sources`` are sorted and
    the datings are parallel lists, earliest first. Order: by class (as :data:`ontology.records.TYPE_PREFIXES`
    lists them), then as the store gives them.

    Read with one simple query per class (type and label stated in the same source graph) and one per property,
    each answered as SPARQL TSV written by Oxigraph and split here (no Python object per term), joined here: the
    view's single ``GROUP BY`` query with five ``OPTIONAL`` joins took twice the CPU at 20,000 modalities. A node
    with several (type, label) pairs or several values of a single-valued property (definition, birth and death
    year, phase order) makes the view's choice depend on its query (first row, ``SAMPLE``, ``MIN``): then every
    node is read with that query itself, so both pushes stay identical.
    Raises ValueError for a typed, labelled node whose IRI is not under the entity base.
    """
    prologue = prologue if prologue is not None else sparql_prologue()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="neo4j-store-datings") as pool:
        # the datings' five-pattern join is the dearest query: Oxigraph evaluates it on a helper thread meanwhile
        dating_table = pool.submit(_tsv_table, store, prologue + DATING_TSV_QUERY)
        records = _node_records(store, prologue, dating_table)
        if records is None:
            base = entity_base()
            records = _node_records_from_view_query(store, prologue,
                                                    _datings(dating_table.result(), base, base + "source/"))
        return records


def _node_records(store: ox.Store, prologue: str, dating_table: Future[bytes]) -> list[dict] | None:
    """The body of :func:`node_records_from_store`, given the datings' TSV answer to come; None when some node has
    several (type, label) pairs or several values of a single-valued property."""
    base = entity_base()
    source_prefix = base + "source/"
    # node term (as TSV writes it) -> (type, label term, graph terms): one entry per node unless it is ambiguous
    labelled: dict[str, tuple[str, str, list[str]]] = {}
    for node_type in TYPE_PREFIXES:  # class names from the ontology, not from input
        for line in tsv_lines(store, prologue + LABEL_QUERY % node_type):
            node, label, graph = line.split("\t")
            found = labelled.get(node)
            if found is None:
                labelled[node] = (node_type, label, [graph])
            elif found[0] != node_type or found[1] != label:
                return None
            elif graph not in found[2]:
                found[2].append(graph)
    values: dict[str, dict[str, set[str]]] = {}  # property -> node term -> its distinct value terms
    for name, predicate in VALUE_PREDICATES.items():
        found_values: dict[str, set[str]] = defaultdict(set)
        query = (TYPED_VALUE_QUERY if name in _SINGLE_VALUED else VALUE_QUERY) % predicate
        for line in tsv_lines(store, prologue + query):
            node, value = line.split("\t", 1)  # with a datatype column: "term\tdatatype", kept as one key
            found_values[node].add(value)
        if name != "aliases" and any(len(terms) > 1 for node, terms in found_values.items() if node in labelled):
            return None
        values[name] = found_values
    datings = _datings(dating_table.result(), base, source_prefix)
    records: list[dict] = []
    aliases_of, descriptions = values["aliases"], values["description"]
    for node, (node_type, label, graphs) in labelled.items():
        node_iri = term_value(node)
        if not node_iri.startswith(base):
            raise ValueError(f"{node_iri} is not under {base}")
        node_id = node_iri[len(base):]
        # as the view reads GROUP_CONCAT(DISTINCT ?alias; SEPARATOR="\x1f"): distinct terms, split on the separator
        aliases = sorted(part for term in aliases_of.get(node, ()) for part in term_value(term).split(_SEPARATOR)
                         if part)
        description = descriptions.get(node)
        singles: dict[str, object] = {}
        for name in _SINGLE_VALUED:
            terms = values[name].get(node)
            singles[name] = tsv_python_value(*next(iter(terms)).split("\t")) if terms else None
        sources = set()
        for graph in graphs:
            graph_value = term_value(graph)
            if graph_value.startswith(source_prefix):
                sources.add(graph_value[len(source_prefix):])
        properties = _node_properties(
            node_id, node_iri, term_value(label), aliases,
            term_value(next(iter(description))) if description else None, singles, sources,
            datings.get(node_id, ()),
        )
        records.append({"id": node_id, "type": node_type, "properties": properties})
    return records


def _datings(table: bytes, base: str, source_prefix: str) -> dict[str, list[dict]]:
    """Entity id -> its datings ``{"year", "precision", "source"}``, as the networkx view reads them
    (:data:`graph.views.networkx_view.DATING_QUERY`: a year that is not an integer, an entity or a source outside
    the entity base is left out), from the TSV answer of that query with the year's datatype."""
    datings: dict[str, list[dict]] = defaultdict(list)
    for line in _table_lines(table):
        node, year_term, year_type, precision, source = line.split("\t")
        year, node_value, source_value = tsv_python_value(year_term, year_type), term_value(node), term_value(source)
        if isinstance(year, int) and node_value.startswith(base) and source_value.startswith(source_prefix):
            datings[node_value[len(base):]].append({"year": year, "precision": term_value(precision).rsplit("_", 1)[-1],
                                                    "source": source_value[len(source_prefix):]})
    return datings


def _node_properties(node_id: str, node_iri: str, label: str, aliases: list[str], description: str | None,
                     singles: dict[str, object], sources: set[str], datings: Iterable[dict]) -> dict[str, object]:
    """A node's Neo4j properties as the networkx view gives them: id, IRI, label, aliases, description, the
    introduction (text, first year and precision, every dating with its source), life years and phase order, and the
    source ids that state it; empty values are left out."""
    properties: dict[str, object] = {"id": node_id, "iri": node_iri, "label": label}
    if aliases:
        properties["aliases"] = aliases
    if description is not None:
        properties["description"] = description
    dated = sorted_datings(datings)
    if dated:
        properties["introduced"] = introduced_text(dated)
        properties["introducedYear"] = dated[0]["year"]
        properties["introducedPrecision"] = dated[0]["precision"]
    properties.update((name, value) for name, value in singles.items() if value is not None)
    if sources:
        properties["sources"] = sorted(sources)
    if dated:
        properties["datingYear"] = [d["year"] for d in dated]
        properties["datingPrecision"] = [d["precision"] for d in dated]
        properties["datingSource"] = [d["source"] for d in dated]
    return properties


def _node_records_from_view_query(store: ox.Store, prologue: str, datings: dict[str, list[dict]]) -> list[dict]:
    """The node records read with the networkx view's own node query (``GROUP BY`` node, type and label; the first
    row of each node wins): for graphs where a node has several types or labels, or several values of a
    single-valued property, so that the push keeps exactly the view's choice."""
    base = entity_base()
    source_prefix = base + "source/"
    classes = " ".join(f'(tkg:{name} "{name}")' for name in TYPE_PREFIXES)
    records: dict[str, dict] = {}
    for row in solutions(store.query(prologue + NODE_QUERY % classes)):
        node_iri = row["node"].value
        if not node_iri.startswith(base):
            raise ValueError(f"{node_iri} is not under {base}")
        node_id = node_iri[len(base):]
        sources = {g[len(source_prefix):] for g in row["graphs"].value.split(_SEPARATOR) if g.startswith(source_prefix)}
        record = records.get(node_id)
        if record is not None:  # labelled in several sources: keep the first row, merge the sources
            merged = sorted(set(record["properties"].get("sources", ())) | sources)
            if merged:
                record["properties"]["sources"] = merged
            continue
        aliases = sorted(a for a in row["aliases"].value.split(_SEPARATOR) if a) if row["aliases"] else []
        properties = _node_properties(
            node_id, node_iri, row["label"].value, aliases,
            row["description"].value if row["description"] is not None else None,
            {name: python_value(row[name]) for name in _SINGLE_VALUED}, sources, datings.get(node_id, ()),
        )
        records[node_id] = {"id": node_id, "type": row["type"].value, "properties": properties}
    return list(records.values())


def relationship_records_from_store(store: ox.Store, relation: str, prologue: str | None = None) -> Iterator[dict]:
    """The facts of one core relation as relationship records ``{"source", "target", "relation", "properties"}``.

    ``properties`` holds ``sources`` (sorted source ids) and, for facts with evidence, the parallel lists
    ``evidenceText``, ``evidenceStart``, ``evidenceEnd``, ``evidenceSource`` sorted by (source, start, end, text).
    Raises ValueError for a relation that is not one of :data:`ontology.records.ENTITY_RELATIONS`.
    """
    return relationship_records_from_tables(relation, *relation_tables(store, relation, prologue))


def relation_tables(store: ox.Store, relation: str, prologue: str | None = None) -> tuple[bytes, bytes]:
    """The TSV answers (:func:`tsv_lines`) of :data:`FACT_QUERY` and :data:`EVIDENCE_QUERY` for one core relation:
    Oxigraph's share of reading it, which runs without Python's global interpreter lock (so on a helper thread it
    overlaps with the caller). Raises ValueError for a relation that is not a core relation."""
    if relation not in ENTITY_RELATIONS:
        raise ValueError(f"{relation!r} is not a core relation")
    prologue = prologue if prologue is not None else sparql_prologue()
    tables = []
    for query in (FACT_QUERY % relation, EVIDENCE_QUERY % (relation, relation)):  # relation: from the fixed list
        tables.append(_tsv_table(store, prologue + query))
    return tables[0], tables[1]


def relationship_records_from_tables(relation: str, facts: bytes, evidence_table: bytes) -> Iterator[dict]:
    """The records of :func:`relationship_records_from_store` from that relation's :func:`relation_tables`."""
    base = entity_base()
    source_prefix = base + "source/"
    iri_base, cut, graph_cut = "<" + base, len(base) + 1, len(source_prefix) + 1
    edges: dict[tuple[str, str], list[str]] = {}
    # Objects and graphs are IRIs (``<...>``, never a tab or a newline inside), the subjects one plain literal
    # (``"iri iri ..."``, nothing to unescape); facts whose ends are not entities are skipped, as in the view.
    for line in _table_lines(facts):
        obj, graph_name, subjects = line.split("\t")
        if not obj.startswith(iri_base):
            continue
        if not (subjects.startswith('"') and subjects.endswith('"')) or "\\" in subjects:
            raise ValueError(f"tkg:{relation}: unexpected subject list {subjects[:200]!r} from the store")
        target, source_id = obj[cut:-1], graph_name[graph_cut:-1]
        for subject in subjects[1:-1].split(" "):
            if not subject.startswith(base):
                continue
            sources = edges.setdefault((subject[len(base):], target), [])
            if source_id not in sources:
                sources.append(source_id)
    evidence: dict[tuple[str, str], list[tuple[str, int, int, str]]] = defaultdict(list)
    for line in _table_lines(evidence_table):
        subject_term, obj_term, graph, quote, start, end = line.split("\t")
        subject, obj = term_value(subject_term), term_value(obj_term)
        if subject.startswith(base) and obj.startswith(base):
            evidence[(subject[len(base):], obj[len(base):])].append(
                (term_value(graph)[len(source_prefix):], int(term_value(start)), int(term_value(end)),
                 term_value(quote)))
    for (source, target), sources in edges.items():
        properties: dict[str, object] = {}
        if sources:
            properties["sources"] = sorted(sources)
        quoted = evidence.get((source, target))
        if quoted:
            quoted.sort()
            properties["evidenceText"] = [e[3] for e in quoted]
            properties["evidenceStart"] = [e[1] for e in quoted]
            properties["evidenceEnd"] = [e[2] for e in quoted]
            properties["evidenceSource"] = [e[0] for e in quoted]
        yield {"source": source, "target": target, "relation": relation, "properties": properties}


def prefetched_relationships(store: ox.Store, prologue: str | None = None,
                             ahead: int = 2) -> Callable[[str], Iterator[dict]]:
    """:func:`relationship_records_from_store` for each core relation in turn, with the next ``ahead`` relations'
    :func:`relation_tables` evaluated on a helper thread from the moment this is called (while the caller reads
    nodes, or waits for Neo4j), so Oxigraph's work overlaps with the caller's. At most ``ahead`` relations' tables
    wait in memory; a relation asked for out of order, or again, is read when asked. Errors of the helper thread
    are raised to the caller when it asks for that relation."""
    prologue = prologue if prologue is not None else sparql_prologue()
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="neo4j-store-reader")
    pending: dict[str, Future[tuple[bytes, bytes]]] = {}
    order = iter(ENTITY_RELATIONS)
    lock = threading.Lock()

    def top_up() -> None:
        while len(pending) < ahead:
            relation = next(order, None)
            if relation is None:
                pool.shutdown(wait=False)
                return
            pending[relation] = pool.submit(relation_tables, store, relation, prologue)

    def relationships(relation: str) -> Iterator[dict]:
        with lock:
            future = pending.pop(relation, None)
            top_up()
        tables = future.result() if future is not None else relation_tables(store, relation, prologue)
        return relationship_records_from_tables(relation, *tables)

    with lock:
        top_up()
    return relationships


def _table_lines(table: bytes) -> list[str]:
    """The solution lines of a TSV answer (see :func:`tsv_lines`)."""
    lines = table.decode("utf-8").split("\n")
    return lines[1:-1] if lines and lines[-1] == "" else lines[1:]


def relationship_count_in_store(store: ox.Store, relation: str, prologue: str | None = None) -> int:
    """How many facts of one core relation the store's default graph (the union of its sources, where each fact is
    stated once) holds: what :func:`relationship_records_from_store` yields, counted by Oxigraph without reading
    them out (for a progress bar). Raises ValueError for a relation that is not a core relation."""
    if relation not in ENTITY_RELATIONS:
        raise ValueError(f"{relation!r} is not a core relation")
    prologue = prologue if prologue is not None else sparql_prologue()
    for row in solutions(store.query(prologue + RELATION_COUNT_QUERY % relation)):  # relation: from the fixed list
        return int(row["count"].value)
    return 0
