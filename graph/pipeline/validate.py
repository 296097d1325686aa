"""SHACL validation of the built graph: one call, input untouched, returns (conforms, readable problems)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import rdflib
from rdflib.collection import Collection

from ontology.namespace import ontology_path

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


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
    """The SHACL shapes shipped in ontology/shapes.ttl."""
    return rdflib.Graph().parse(ontology_path("shapes.ttl"), format="turtle")


def validate_graph(data: rdflib.Graph) -> tuple[bool, list[Violation]]:
    """Validate ``data`` against our shapes without changing it; returns (conforms, violations)."""
    from pyshacl import validate as shacl_validate  # heavy import, needed only when a build runs

    conforms, results, _ = shacl_validate(data, shacl_graph=shapes_graph(), inference="none",
                                          advanced=True, inplace=False)
    violations = []
    for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        violations.append(Violation(
            focus=str(results.value(result, SH.focusNode) or ""),
            path=_path_text(results, results.value(result, SH.resultPath)),
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
