"""SHACL validation of the built graph as SPARQL on Oxigraph (pyshacl as a cross-check); input untouched."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib.collection import Collection

from graph.pipeline.rdf import ONTOLOGY_GRAPH
from graph.pipeline.shacl_sparql import ShapeCompiler, ShapeQuery
from graph.terms import oxigraph_term
from ontology.namespace import ontology_path
from ontology.vocabulary import Vocabulary, vocabulary

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
TKGSH = rdflib.Namespace("https://w3id.org/therapy-kg/shapes#")


@dataclass(frozen=True)
class Violation:
    """One SHACL result: the node it is about, the property path, the message and the offending value."""

    focus: str
    path: str
    message: str
    value: str

    def __str__(self) -> str:
        value = f" (value {self.value})" if self.value else ""
        path = f"{self.path}: " if self.path else ""
        return f"{self.focus}: {path}{self.message}{value}"


@lru_cache(maxsize=1)
def shapes_graph() -> rdflib.Graph:
    """The SHACL shapes: ontology/shapes.ttl plus the shapes generated from the vocabulary (see
    :func:`vocabulary_shapes`)."""
    graph = rdflib.Graph().parse(ontology_path("shapes.ttl"), format="turtle")
    graph += vocabulary_shapes(vocabulary())
    return graph


def _a(name: str) -> str:
    return ("an " if name[:1].upper() in "AEIOU" else "a ") + name


def vocabulary_shapes(words: Vocabulary) -> rdflib.Graph:
    """SHACL shapes that follow from therapy.ttl, so a relation added there is checked with no shapes.ttl edit.

    For each relation, ``tkgsh:<relation>Shape`` targets the relation's subjects; it requires the subject to be of
    a class of the relation's ``rdfs:domain`` (when one is declared; "subtypeOf is for a Modality only") and every
    object to be of its ``rdfs:range`` ("developedBy must point at a Theorist"); ``tkgsh:<relation>SelfShape``
    refuses an entity that is its own object (``sh:disjoint`` on a node shape: "X subtypeOf X"). For each literal
    property with an ``rdfs:domain`` of entity classes, ``tkgsh:<property>DomainShape`` refuses it on an entity of
    another class ("birthYear is for a Theorist only"). ``tkgsh:LabelledEntityShape`` (in shapes.ttl) gets every
    entity class as a target.
    """
    graph = rdflib.Graph()
    graph.bind("sh", SH)
    graph.bind("tkgsh", TKGSH)
    for cls in words.classes:
        graph.add((TKGSH.LabelledEntityShape, SH.targetClass, rdflib.URIRef(cls.iri)))
    for relation in words.relations:
        shape, path = TKGSH[f"{relation.name}Shape"], rdflib.URIRef(relation.iri)
        graph.add((shape, rdflib.RDF.type, SH.NodeShape))
        graph.add((shape, SH.targetSubjectsOf, path))
        if relation.domain:
            _add_classes(graph, shape, [rdflib.URIRef(words.entity_class(name).iri) for name in relation.domain])
            allowed = " or ".join(_a(name) for name in relation.domain)
            graph.add((shape, SH.message, rdflib.Literal(f"{relation.name} is for {allowed} only")))
        node = rdflib.BNode()
        graph.add((shape, SH.property, node))
        graph.add((node, SH.path, path))
        graph.add((node, SH["class"], rdflib.URIRef(words.entity_class(relation.range).iri)))
        graph.add((node, SH.message, rdflib.Literal(f"{relation.name} must point at {_a(relation.range)}")))
        itself = TKGSH[f"{relation.name}SelfShape"]
        graph.add((itself, rdflib.RDF.type, SH.NodeShape))
        graph.add((itself, SH.targetSubjectsOf, path))
        graph.add((itself, SH.disjoint, path))
        graph.add((itself, SH.message, rdflib.Literal(f"{relation.name} must not point at the entity itself")))
    entity_classes = {cls.name for cls in words.classes}
    for literal in words.literals:
        if not literal.domain or not set(literal.domain) <= entity_classes:
            continue
        shape = TKGSH[f"{literal.name}DomainShape"]
        graph.add((shape, rdflib.RDF.type, SH.NodeShape))
        graph.add((shape, SH.targetSubjectsOf, rdflib.URIRef(literal.iri)))
        _add_classes(graph, shape, [rdflib.URIRef(words.entity_class(name).iri) for name in literal.domain])
        allowed = " or ".join(_a(name) for name in literal.domain)
        graph.add((shape, SH.message, rdflib.Literal(f"{literal.name} is for {allowed} only")))
    return graph


def _add_classes(graph: rdflib.Graph, shape: rdflib.term.Node, classes: list[rdflib.URIRef]) -> None:
    """Require the focus node to be of one of ``classes`` (``sh:class``, or ``sh:or`` of them)."""
    if len(classes) == 1:
        graph.add((shape, SH["class"], classes[0]))
        return
    alternatives: list[rdflib.term.Node] = []
    for cls_iri in classes:
        alternative = rdflib.BNode()
        graph.add((alternative, SH["class"], cls_iri))
        alternatives.append(alternative)
    graph.add((shape, SH["or"], Collection(graph, rdflib.BNode(), alternatives).uri))


@lru_cache(maxsize=1)
def shape_queries() -> tuple[ShapeQuery, ...]:
    """Every constraint of :func:`shapes_graph` as a SPARQL query (compiled once per process)."""
    return tuple(ShapeCompiler(shapes_graph()).queries())


def store_violations(store: ox.Store) -> list[Violation]:
    """The violations of our shapes in the default graph of ``store``, found by the SPARQL queries compiled from
    the shapes (:mod:`graph.pipeline.shacl_sparql`); sorted by focus, path and message. The store is not changed.

    In a build the default graph is the union of all graphs, the ontology's included: the ontology holds no
    instance of a targeted class and no targeted relation (``tests/graph/test_validate.py`` checks it), so only
    its ``rdfs:subClassOf`` axioms take part, as SHACL's sh:class and sh:targetClass read them.
    """
    shapes = shapes_graph()
    violations = set()
    for query in shape_queries():
        if query.path is not None:
            path = _path_text(shapes, query.path)
        else:  # a node-level result (a relation's domain): name the property its shape targets
            path = _short(shapes.value(query.node_shape, SH.targetSubjectsOf))
        rows = store.query(query.text)
        assert isinstance(rows, ox.QuerySolutions)  # noqa: S101 - a SELECT query
        for row in rows:
            focus, value = row["focus"], row["value"]
            violations.add(Violation(focus=focus.value, path=path, message=query.message,
                                     value=value.value if value is not None else ""))
    return sorted(violations, key=lambda v: (v.focus, v.path, v.message, v.value))


def validate_graph(data: rdflib.Graph) -> tuple[bool, list[Violation]]:
    """Validate ``data`` against our shapes without changing it; returns (conforms, violations).

    The triples are copied into an in-memory Oxigraph store and checked by :func:`store_violations`.
    """
    store = ox.Store()
    store.bulk_extend(ox.Quad(oxigraph_term(s), oxigraph_term(p), oxigraph_term(o))  # type: ignore[arg-type]
                      for s, p, o in data)
    violations = store_violations(store)
    return not violations, violations


def validate_graph_pyshacl(data: rdflib.Graph) -> tuple[bool, list[Violation]]:
    """The same check by pyshacl (a development-time cross-check of the SPARQL validator; ``tests`` compare the
    two on every shape case). ``data`` is validated in place, without inference, and is not changed."""
    from pyshacl import validate as shacl_validate  # heavy import, needed only for the cross-check

    shapes = shapes_graph()
    conforms, results, _ = shacl_validate(data, shacl_graph=shapes, inference="none", advanced=True, inplace=True)
    violations = []
    for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        path_node = results.value(result, SH.resultPath)
        if path_node is None:  # a node-level result (a relation's domain): name the property its shape targets
            path = _short(shapes.value(results.value(result, SH.sourceShape), SH.targetSubjectsOf))
        else:
            path = _path_text(results, path_node)
        violations.append(Violation(
            focus=str(results.value(result, SH.focusNode) or ""),
            path=path,
            message=str(results.value(result, SH.resultMessage) or ""),
            value=_text(results.value(result, SH.value)),
        ))
    violations.sort(key=lambda v: (v.focus, v.path, v.message))
    return bool(conforms), violations


@dataclass(frozen=True)
class ShaclRun:
    """One SHACL run over the data: the verdict, the violations, and how many triples were checked.

    The triple count is part of the verdict: a run over an empty graph conforms trivially.
    """

    conforms: bool
    triples: int
    violations: tuple[Violation, ...] = ()

    def record(self, shown: int = 10) -> dict[str, Any]:
        """JSON-ready summary as a build stores it and ``tkg stats`` prints it: conforms, triples, the number of
        violations and the first ``shown`` of them as text."""
        return {"conforms": self.conforms, "triples": self.triples, "violations": len(self.violations),
                "first": [str(v) for v in self.violations[:shown]]}


def run_shacl(data: rdflib.Graph) -> ShaclRun:
    """Validate ``data`` (see :func:`validate_graph`) and keep the verdict with the number of triples checked."""
    conforms, violations = validate_graph(data)
    return ShaclRun(conforms, len(data), tuple(violations))


def data_triple_count(store: ox.Store) -> int:
    """Distinct triples of the sources' graphs in a built store: the union default graph's triples less those only
    the ontology graph holds."""
    rows = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert isinstance(rows, ox.QuerySolutions)  # noqa: S101 - a SELECT query
    union = next(rows)["n"]
    ontology_only = sum(
        1 for quad in store.quads_for_pattern(None, None, None, ONTOLOGY_GRAPH)
        if not any(isinstance(other.graph_name, ox.NamedNode) and other.graph_name != ONTOLOGY_GRAPH
                   for other in store.quads_for_pattern(quad.subject, quad.predicate, quad.object, None)))
    return int(union.value) - ontology_only  # type: ignore[union-attr]


def run_shacl_on_store(store: ox.Store, triples: int) -> ShaclRun:
    """Validate the default graph of ``store`` (see :func:`store_violations`); ``triples`` is the number of data
    triples it holds (the ontology's left out), kept with the verdict."""
    violations = store_violations(store)
    return ShaclRun(not violations, triples, tuple(violations))


def _path_text(graph: rdflib.Graph, node: rdflib.term.Node | None) -> str:
    """A SHACL property path in SPARQL's path syntax with short names: ``introduced``, ``^dates/year``."""
    if isinstance(node, rdflib.BNode):
        inverse = graph.value(node, SH.inversePath)
        if inverse is not None:
            return "^" + _path_text(graph, inverse)
        steps = list(Collection(graph, node)) if graph.value(node, rdflib.RDF.first) is not None else []
        if steps:
            return "/".join(_path_text(graph, step) for step in steps)
    return _short(node)


def _text(node: rdflib.term.Node | None) -> str:
    return "" if node is None else str(node)  # not `node or ""`: a Literal of 0 or false is falsy


def _short(node: rdflib.term.Node | None) -> str:
    if node is None:
        return ""
    text = str(node)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
