"""SHACL validation of the built graph: one call, input untouched, returns (conforms, readable problems)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import rdflib
from rdflib.collection import Collection

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


def validate_graph(data: rdflib.Graph) -> tuple[bool, list[Violation]]:
    """Validate ``data`` against our shapes without changing it; returns (conforms, violations)."""
    from pyshacl import validate as shacl_validate  # heavy import, needed only when a build runs

    shapes = shapes_graph()
    conforms, results, _ = shacl_validate(data, shacl_graph=shapes, inference="none", advanced=True, inplace=False)
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
            value=str(results.value(result, SH.value) or ""),
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


def _short(node: rdflib.term.Node | None) -> str:
    if node is None:
        return ""
    text = str(node)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
