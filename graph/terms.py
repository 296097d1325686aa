"""Term conversions in one place: Oxigraph terms <-> rdflib terms, result terms -> plain Python values."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
import rdflib

from ontology.namespace import entity_base, entity_id_of

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> rdflib.term.Node:
    """The rdflib equivalent of an Oxigraph term (RDF 1.2 triple terms have none and are refused)."""
    if isinstance(term, ox.Triple):
        raise TypeError("triple terms (RDF 1.2) cannot be converted to rdflib")
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    if term.datatype.value == XSD_STRING:  # RDF 1.1: a simple literal is an xsd:string; rdflib keeps them apart
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def oxigraph_term(term: rdflib.term.Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The Oxigraph equivalent of an rdflib term."""
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r}")


def rdflib_dataset(store: ox.Store) -> rdflib.Dataset:
    """An rdflib Dataset over an Oxigraph store, without copying (oxrdflib), for rdflib-based tools."""
    from oxrdflib import OxigraphStore

    return rdflib.Dataset(store=OxigraphStore(store=store))


def rdflib_graph_from_quads(quads: Iterable[ox.Quad]) -> rdflib.Graph:
    """Merge quads of all named graphs into one rdflib Graph (for SHACL validation and rdflib tools)."""
    graph = rdflib.Graph()
    add = graph.add
    for quad in quads:
        add((rdflib_term(quad.subject), rdflib_term(quad.predicate), rdflib_term(quad.object)))
    return graph


def python_value(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str | int | None:
    """A plain Python value for a result term: IRIs under our base become entity ids, integers become int."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        base = entity_base()
        return entity_id_of(term.value) if term.value.startswith(base) else term.value
    if isinstance(term, ox.Literal) and term.datatype.value.endswith(
        ("#integer", "#int", "#long", "#positiveInteger", "#nonNegativeInteger", "#gYear")
    ):
        try:
            return int(term.value)
        except ValueError:
            return term.value
    return term.value


def solutions(results: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> ox.QuerySolutions:
    """Narrow a query result to SELECT solutions, or fail clearly."""
    if not isinstance(results, ox.QuerySolutions):
        raise TypeError("expected a SELECT query")
    return results
