"""Exports of the built graph (Turtle, N-Triples, N-Quads, JSON-LD, GraphML, CSV), its VoID/DCAT description and push.

Pure builders (``generate_*``) turn store contents into text or records; ``write_*`` and ``push_*`` do the I/O.
RDF exports hold every source's facts (the ontology is published separately as ``ontology/therapy.ttl``; its graph
is added on request, ``include_ontology``) and are deterministic: triples sorted, prefixes fixed, so the same
content gives the same bytes.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import os
import sys
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import networkx as nx
import pyoxigraph as ox
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, VOID, XSD

from graph.files import write_atomically
from graph.pipeline.rdf import ONTOLOGY_GRAPH
from graph.terms import rdflib_graph_from_quads
from graph.views.datings import dating_value
from ontology.jsonld import export_prefixes as export_prefixes  # re-exported: the prefixes of every export
from ontology.jsonld import jsonld_context as jsonld_context  # re-exported: the context of the JSON-LD export
from ontology.namespace import ONTOLOGY_IRI, entity_base

RDF_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS,
               "trig": ox.RdfFormat.TRIG}
EXPORT_FORMATS = ("ttl", "nt", "nq", "trig", "jsonld", "graphml", "csv")
DATASET_TITLE = "therapy-kg: a knowledge graph of psychotherapy approaches"
DATASET_LICENSE = "https://opensource.org/licenses/MIT"
DATASET_DESCRIPTION = ("Psychotherapy modalities, the theories and theorists behind them, the populations, conditions, "
                       "goals, techniques and concepts they involve; every fact in the named graph of its source, "
                       "quoted evidence where a page was read.")
DATASET_KEYWORDS = ("psychotherapy", "attachment", "knowledge graph")
EXAMPLE_RESOURCES = ("modality/dyadic-developmental-psychotherapy", "modality/mentalization-based-treatment",
                     "theory/attachment-theory", "theorist/john-bowlby")


class ExportError(Exception):
    """An export or push could not be done; the message says why."""


def data_quads(store: ox.Store, include_ontology: bool = False) -> list[ox.Quad]:
    """Every quad of the sources' named graphs (and of the ontology's with ``include_ontology``; never the
    default graph, which repeats them as their union), sorted."""
    quads = [q for q in store.quads_for_pattern(None, None, None)
             if isinstance(q.graph_name, ox.NamedNode) and (include_ontology or q.graph_name != ONTOLOGY_GRAPH)]
    quads.sort(key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))
    return quads


def union_triples(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    """The distinct triples of all graphs, sorted (subject, predicate, object)."""
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
    return sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def generate_rdf(store: ox.Store, fmt: str, base: str | None = None, include_ontology: bool = False) -> bytes:
    """Turtle, N-Triples (union of the sources' graphs) or N-Quads, TriG (one named graph per source); the
    ontology's triples (its own graph in nq/trig) only with ``include_ontology``."""
    quads = data_quads(store, include_ontology)
    rdf_format = RDF_FORMATS[fmt]
    prefixes = export_prefixes(base) if fmt in ("ttl", "trig") else None
    items: list[ox.Quad] | list[ox.Triple] = quads if fmt in ("nq", "trig") else union_triples(quads)
    return ox.serialize(items, format=rdf_format, prefixes=prefixes) or b""


def generate_jsonld(store: ox.Store, base: str | None = None, include_ontology: bool = False) -> dict[str, object]:
    """The union of the sources' graphs (plus the ontology's with ``include_ontology``) as compact JSON-LD under
    :func:`jsonld_context` (context inline), written by rdflib's JSON-LD serializer and put in canonical form so
    the same content gives the same bytes: node objects sorted by ``@id``, their keys sorted, every value an array
    sorted by its JSON text."""
    context = jsonld_context(base)
    graph = rdflib_graph_from_quads(data_quads(store, include_ontology))
    compact = json.loads(graph.serialize(format="json-ld", context=context["@context"], auto_compact=True))
    if "@graph" in compact:
        nodes = compact["@graph"]
    else:  # a single node object is written without @graph
        nodes = [node] if (node := {k: v for k, v in compact.items() if k != "@context"}) else []
    return {**context, "@graph": sorted((_canonical_node(n) for n in nodes), key=lambda n: str(n["@id"]))}


def _canonical_node(node: dict[str, Any]) -> dict[str, Any]:
    canonical: dict[str, Any] = {"@id": node["@id"]}
    for key in sorted(k for k in node if k != "@id"):
        values = node[key] if isinstance(node[key], list) else [node[key]]
        canonical[key] = sorted(values, key=lambda value: json.dumps(value, sort_keys=True, ensure_ascii=False))
    return canonical


def generate_graphml(graph: nx.MultiDiGraph) -> str:
    """The networkx view as GraphML: scalar attributes kept, lists (aliases, sources, evidence) as JSON text."""
    flat = nx.MultiDiGraph()
    for node in sorted(graph.nodes):
        flat.add_node(node, **_scalar_attributes(graph.nodes[node]))
    for source, target, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        flat.add_edge(source, target, key=key, **_scalar_attributes(data))
    buffer = io.BytesIO()
    nx.write_graphml(flat, buffer, named_key_ids=True)
    return buffer.getvalue().decode("utf-8")


def _scalar_attributes(data: dict[str, object]) -> dict[str, str | int | float | bool]:
    flat: dict[str, str | int | float | bool] = {}
    for name, value in sorted(data.items()):
        if value is None:
            continue
        if isinstance(value, (list, tuple, dict)):
            flat[name] = json.dumps(value, ensure_ascii=False, sort_keys=True)
        elif isinstance(value, (str, int, float, bool)):
            flat[name] = value
        else:
            flat[name] = str(value)
    return flat


NODE_COLUMNS = ("id", "type", "label", "aliases", "description", "introduced", "datings", "birth_year", "death_year",
                "sources")
# subject/relation/object as in RDF; citations: the ids of the sources stating the fact ("source" next to "sources"
# read as one thing twice)
EDGE_COLUMNS = ("subject", "relation", "object", "citations", "evidence_quote", "evidence_start", "evidence_end")


def generate_csv_tables(graph: nx.MultiDiGraph) -> dict[str, str]:
    """``nodes.csv`` and ``edges.csv`` of the networkx view (multi-valued cells joined with ``|``).

    ``introduced`` is the text of all datings ("1980s / 1993 (sources disagree)"); ``datings`` gives each with its
    source: ``1980s (linehan-1987)|1993 (sage-health-communication-dbt)``.
    """
    nodes = io.StringIO()
    writer = csv.writer(nodes, lineterminator="\n")
    writer.writerow(NODE_COLUMNS)
    for node in sorted(graph.nodes):
        data = graph.nodes[node]
        writer.writerow([node, data.get("type"), data.get("label"), "|".join(data.get("aliases") or ()),
                         data.get("description") or "", data.get("introduced") or "",
                         "|".join(f"{dating_value(d)} ({d['source']})" for d in data.get("datings") or ()),
                         _blank(data.get("birth_year")), _blank(data.get("death_year")),
                         "|".join(data.get("sources") or ())])
    edges = io.StringIO()
    writer = csv.writer(edges, lineterminator="\n")
    writer.writerow(EDGE_COLUMNS)
    for source, target, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[2], e[1])):
        evidence = sorted(data.get("evidence") or [], key=lambda e: (e["source"], e["start"]))
        first = evidence[0] if evidence else None
        writer.writerow([source, key, target, "|".join(sorted(data.get("sources") or ())),
                         first["text"] if first else "", first["start"] if first else "",
                         first["end"] if first else ""])
    return {"nodes.csv": nodes.getvalue(), "edges.csv": edges.getvalue()}


def _blank(value: object) -> object:
    return "" if value is None else value


# ---------------------------------------------------------------- VoID / DCAT

NOT_ONTOLOGY = "FILTER(?g != <" + ONTOLOGY_IRI + ">)"
COUNT_QUERIES = {
    "triples": "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
               + NOT_ONTOLOGY + " } }",
    "subjects": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } " + NOT_ONTOLOGY + " }",
}
CLASS_COUNTS = ("SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?class } " + NOT_ONTOLOGY
                + " } GROUP BY ?class ORDER BY ?class")
PROPERTY_COUNTS = ("SELECT ?p (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
                   + NOT_ONTOLOGY + " } } GROUP BY ?p ORDER BY ?p")
GRAPH_COUNTS = ("SELECT ?g ?title (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } " + NOT_ONTOLOGY
                + " OPTIONAL { GRAPH ?g { ?g <http://purl.org/dc/terms/title> ?title } } } "
                "GROUP BY ?g ?title ORDER BY ?g")


@dataclass(frozen=True)
class DatasetStatistics:
    """Counts a VoID description reports."""

    triples: int
    entities: int
    classes: list[tuple[str, int]]
    properties: list[tuple[str, int]]
    graphs: list[tuple[str, str | None, int]]


def dataset_statistics(store: ox.Store) -> DatasetStatistics:
    """Count triples, distinct subjects, instances per class, triples per property and per source graph."""
    def one(sparql: str) -> int:
        return int(next(iter(store.query(sparql)))["n"].value)  # type: ignore[index, arg-type]

    classes = [(r["class"].value, int(r["n"].value)) for r in store.query(CLASS_COUNTS)]  # type: ignore[union-attr]
    properties = [(r["p"].value, int(r["n"].value)) for r in store.query(PROPERTY_COUNTS)]  # type: ignore[union-attr]
    graphs = [(r["g"].value, r["title"].value if r["title"] else None, int(r["n"].value))
              for r in store.query(GRAPH_COUNTS)]  # type: ignore[union-attr]
    return DatasetStatistics(one(COUNT_QUERIES["triples"]), one(COUNT_QUERIES["subjects"]), classes, properties,
                             graphs)


def dataset_iri(base: str | None = None) -> str:
    """The IRI of the dataset itself."""
    return (base or entity_base()) + "dataset"


def void_graph(stats: DatasetStatistics, sparql_endpoint: str, base: str | None = None) -> rdflib.Graph:
    """The VoID and DCAT description as a graph: title, license, counts, class, property and per-source
    partitions, example resources, endpoint. Partitions are blank nodes labelled in order, so the Turtle
    serializer (which sorts subjects, predicates and objects) writes the same bytes for the same counts."""
    base = base or entity_base()
    dataset = URIRef(dataset_iri(base))
    graph = rdflib.Graph()
    for prefix, namespace in (("void", VOID), ("dcat", DCAT), ("dct", DCTERMS), ("xsd", XSD)):
        graph.bind(prefix, namespace)
    add = graph.add
    add((dataset, RDF.type, VOID.Dataset))
    add((dataset, RDF.type, DCAT.Dataset))
    add((dataset, DCTERMS.title, Literal(DATASET_TITLE, lang="en")))
    add((dataset, DCTERMS.description, Literal(DATASET_DESCRIPTION, lang="en")))
    add((dataset, DCTERMS.license, URIRef(DATASET_LICENSE)))
    for predicate, count in ((VOID.triples, stats.triples), (VOID.entities, stats.entities),
                             (VOID.classes, len(stats.classes)), (VOID.properties, len(stats.properties)),
                             (VOID.distinctSubjects, stats.entities)):
        add((dataset, predicate, Literal(count)))
    add((dataset, VOID.uriSpace, Literal(base)))
    add((dataset, VOID.vocabulary, URIRef(ONTOLOGY_IRI + "#")))
    add((dataset, VOID.sparqlEndpoint, URIRef(sparql_endpoint)))
    add((dataset, DCAT.accessURL, URIRef(sparql_endpoint)))
    for example in EXAMPLE_RESOURCES:
        add((dataset, VOID.exampleResource, URIRef(base + example)))
    for keyword in DATASET_KEYWORDS:
        add((dataset, DCAT.keyword, Literal(keyword, lang="en")))
    for index, (cls, count) in enumerate(stats.classes):
        partition = BNode(f"class{index:05d}")
        add((dataset, VOID.classPartition, partition))
        add((partition, VOID["class"], URIRef(cls)))
        add((partition, VOID.entities, Literal(count)))
    for index, (prop, count) in enumerate(stats.properties):
        partition = BNode(f"property{index:05d}")
        add((dataset, VOID.propertyPartition, partition))
        add((partition, VOID.property, URIRef(prop)))
        add((partition, VOID.triples, Literal(count)))
    for index, (source_graph, title, count) in enumerate(stats.graphs):
        subset = BNode(f"subset{index:05d}")
        add((dataset, VOID.subset, subset))
        add((subset, RDF.type, VOID.Dataset))
        add((subset, VOID.inDataset, dataset))
        add((subset, DCTERMS.source, URIRef(source_graph)))
        if title:
            add((subset, DCTERMS.title, Literal(title)))
        add((subset, VOID.triples, Literal(count)))
    distribution = BNode("distribution")
    add((dataset, DCAT.distribution, distribution))
    add((distribution, RDF.type, DCAT.Distribution))
    add((distribution, DCAT.mediaType, Literal("text/turtle")))
    add((distribution, DCTERMS.description, Literal("tkg export --format ttl", lang="en")))
    return graph


def generate_void(stats: DatasetStatistics, sparql_endpoint: str, base: str | None = None) -> str:
    """The VoID and DCAT description (:func:`void_graph`) as Turtle, written by rdflib's serializer."""
    return void_graph(stats, sparql_endpoint, base).serialize(format="turtle")


# ---------------------------------------------------------------- I/O edges


def write_export(store: ox.Store, graph_view: nx.MultiDiGraph | None, fmt: str, output: Path | None,
                 base: str | None = None, include_ontology: bool = False) -> list[Path]:
    """Write one export; returns the files written (stdout when ``output`` is None, except for csv).

    ``include_ontology`` adds the ontology's triples to the RDF formats (ttl, nt, nq, trig, jsonld); graphml and
    csv (views of the entities) refuse it with ExportError.

    Files are written atomically with the umask's permissions (:func:`graph.files.write_atomically`), so a failed
    export leaves nothing half-written and an old file as it was.
    """
    if fmt not in EXPORT_FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    if include_ontology and fmt in ("graphml", "csv"):
        raise ExportError(f"--include-ontology applies to the RDF formats, not {fmt}")
    if fmt == "csv":
        if output is None:
            raise ExportError("csv export writes nodes.csv and edges.csv: give a folder with --output")
        assert graph_view is not None
        output.mkdir(parents=True, exist_ok=True)
        written = []
        for name, text in generate_csv_tables(graph_view).items():
            written.append(write_atomically(output / name, text))
        return written
    if fmt in RDF_FORMATS:
        data = generate_rdf(store, fmt, base, include_ontology)
    elif fmt == "jsonld":
        document = generate_jsonld(store, base, include_ontology)
        data = (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
    else:
        assert graph_view is not None
        data = generate_graphml(graph_view).encode("utf-8")
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return []
    return [write_atomically(output, data)]


def graphs_for_push(store: ox.Store, include_ontology: bool = True) -> Iterator[tuple[str | None, bytes]]:
    """Each named graph (sources, and the ontology unless excluded) as N-Triples, in IRI order, then the default
    graph (None) if the store materialises the union there."""
    names: list[str | None] = [*sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)), None]
    for name in names:
        if name == ONTOLOGY_IRI and not include_ontology:
            continue
        graph = ox.DefaultGraph() if name is None else ox.NamedNode(name)
        quads = sorted(store.quads_for_pattern(None, None, None, graph),
                       key=lambda q: (str(q.subject), str(q.predicate), str(q.object)))
        if name is None and not quads:
            continue
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
        yield name, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def push_to_graph_store(store: ox.Store, url: str, include_ontology: bool = True,
                        timeout: float = 120.0) -> list[tuple[str, int]]:
    """Replace each named graph at a SPARQL 1.1 Graph Store Protocol endpoint (HTTP PUT ``?graph=IRI``).

    Credentials, if needed, come from TKG_GRAPH_STORE_USER / TKG_GRAPH_STORE_PASSWORD (never the command line).
    Returns (graph IRI, bytes sent) per graph.
    """
    headers = {"Content-Type": "application/n-triples"}
    user = os.environ.get("TKG_GRAPH_STORE_USER")
    if user:
        secret = os.environ.get("TKG_GRAPH_STORE_PASSWORD", "")
        headers["Authorization"] = "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode("ascii")
    separator = "&" if "?" in url else "?"
    pushed = []
    for name, body in graphs_for_push(store, include_ontology):
        target = f"{url}{separator}default" if name is None else f"{url}{separator}graph={quote(name, safe='')}"
        request = urllib.request.Request(target, data=body, method="PUT", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                response.read()
        except urllib.error.HTTPError as error:
            detail = error.read().decode("utf-8", errors="replace").strip()[:500]
            raise ExportError(f"graph store refused graph <{name or 'default'}>: HTTP {error.code} {detail}") from None
        except (urllib.error.URLError, OSError) as error:
            raise ExportError(f"cannot reach graph store {url}: {getattr(error, 'reason', error)}") from None
        pushed.append((name or "default graph", len(body)))
    return pushed
