"""The ontology and shapes parse, document every term, match the Python namespace, and are valid SHACL."""

from __future__ import annotations

import pytest
import rdflib
from pyshacl import validate
from rdflib.namespace import OWL, RDF, RDFS

from graph.pipeline.validate import shapes_graph
from ontology.namespace import TKG, ontology_path
from ontology.records import ENTITY_RELATIONS, LITERAL_RELATIONS, TYPE_PREFIXES
from ontology.vocabulary import vocabulary

ONTOLOGY = rdflib.Graph().parse(ontology_path("therapy.ttl"))
SHAPES = shapes_graph()  # shapes.ttl plus the shapes generated from the vocabulary
NS = str(TKG._NS)


def local_terms() -> set[str]:
    return {str(s)[len(NS):] for s in ONTOLOGY.subjects() if isinstance(s, rdflib.URIRef) and str(s).startswith(NS)}


def test_every_term_has_label_and_comment() -> None:
    missing = [t for t in local_terms()
               if ONTOLOGY.value(rdflib.URIRef(NS + t), RDFS.label) is None
               or ONTOLOGY.value(rdflib.URIRef(NS + t), RDFS.comment) is None]
    assert missing == []
    assert len(local_terms()) >= 40


def test_namespace_matches_turtle_both_ways() -> None:
    declared = set(TKG.__annotations__)
    assert declared == local_terms() == set(vocabulary().terms)
    assert len(TKG.__annotations__) == len(vocabulary().terms)  # no term listed twice
    with pytest.raises(AttributeError):
        TKG.Modalty  # noqa: B018 - a typo must fail


def test_core_vocabulary_is_present_with_domains_and_ranges() -> None:
    for name in TYPE_PREFIXES:
        assert (rdflib.URIRef(NS + name), RDF.type, OWL.Class) in ONTOLOGY
    for name in ENTITY_RELATIONS:
        assert (rdflib.URIRef(NS + name), RDF.type, OWL.ObjectProperty) in ONTOLOGY
        assert ONTOLOGY.value(rdflib.URIRef(NS + name), RDFS.range) is not None
    for name in LITERAL_RELATIONS:
        assert (rdflib.URIRef(NS + name), RDF.type, OWL.DatatypeProperty) in ONTOLOGY
    assert ONTOLOGY.value(TKG.developedBy, RDFS.range) == TKG.Theorist
    assert (TKG.Theorist, RDFS.subClassOf, rdflib.URIRef("https://schema.org/Person")) in ONTOLOGY
    assert (TKG.subtypeOf, RDFS.subPropertyOf, rdflib.URIRef("http://www.w3.org/2004/02/skos/core#broader")) in ONTOLOGY


def test_shapes_are_valid_shacl() -> None:
    # meta-SHACL: the shapes graph validated against the SHACL-for-SHACL shapes
    conforms, _, text = validate(rdflib.Graph(), shacl_graph=SHAPES, meta_shacl=True)
    assert conforms, text


def test_every_class_has_a_shape() -> None:
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    targeted = set(SHAPES.objects(None, sh.targetClass))
    for name in [*TYPE_PREFIXES, "Source", "Evidence", "Dating"]:
        assert rdflib.URIRef(NS + name) in targeted, name
