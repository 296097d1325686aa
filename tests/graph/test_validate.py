"""Each SHACL shape with one passing and one failing inline example; validation never mutates its input."""

from __future__ import annotations

import pytest
import rdflib

from graph.pipeline.validate import validate_graph

PREFIXES = """
@prefix tkg: <https://w3id.org/therapy-kg/ontology#> .
@prefix id: <https://w3id.org/therapy-kg/id/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
"""
HUGHES = "<https://w3id.org/therapy-kg/id/theorist/hughes> a tkg:Theorist ; skos:prefLabel 'Daniel Hughes' ."
DDP = "<https://w3id.org/therapy-kg/id/modality/ddp>"
DATED = f"{DDP} a tkg:Modality ; skos:prefLabel 'DDP' ; tkg:introduced '1990'^^xsd:gYear ."
DATING = (f"id:d a tkg:Dating ; tkg:dates {DDP} ; tkg:year '1990'^^xsd:gYear ; tkg:precision tkg:YearPrecision_decade ;"
          " prov:wasDerivedFrom id:s . id:s a tkg:Source ; dct:title 'A page' ; tkg:sourceKind 'web-page' .")

CASES = {
    "label": (f"{HUGHES}",
              "<https://w3id.org/therapy-kg/id/theorist/x> a tkg:Theorist .",
              "prefLabel"),
    "dated": (f"{DDP} a tkg:Modality ; skos:prefLabel 'DDP' ; tkg:introduced '1990'^^xsd:gYear . {DATING}",
              f"{DDP} a tkg:Modality ; skos:prefLabel 'DDP' ; tkg:introduced '1990' . {DATING}",
              "introduced"),
    "dated-without-dating": (f"{DATED} {DATING}",
                             f"{DATED} {DDP} tkg:introduced '1993'^^xsd:gYear . {DATING}",
                             "^dates/year"),
    "dating": (f"{DATED} {DATING}",
               f"{DATED} {DATING} id:d tkg:precision tkg:YearPrecision_year .",
               "precision"),
    "dating-source": (f"{DATED} {DATING}",
                      f"{DATED} {DATING.replace('prov:wasDerivedFrom id:s', 'prov:wasDerivedFrom id:nowhere')}",
                      "wasDerivedFrom"),
    "dating-year-on-entity": (f"{DATED} {DATING}",
                              f"{DDP} a tkg:Modality ; skos:prefLabel 'DDP' . {DATING}",
                              "^dates/year"),
    "modality": (f"{HUGHES} {DDP} a tkg:Modality ; skos:prefLabel 'DDP' ;"
                 " tkg:developedBy <https://w3id.org/therapy-kg/id/theorist/hughes> .",
                 f"{DDP} a tkg:Modality ; skos:prefLabel 'DDP' ; tkg:developedBy {DDP} .",
                 "developedBy"),
    "theory": (f"{HUGHES} id:t a tkg:Theory ; skos:prefLabel 'T' ; tkg:developedBy id:theorist\\/hughes .",
               "id:t a tkg:Theory ; skos:prefLabel 'T' ; tkg:developedBy id:t .",
               "developedBy"),
    "theorist": ("id:p a tkg:Theorist ; skos:prefLabel 'P' ; tkg:birthYear '1907'^^xsd:gYear .",
                 "id:p a tkg:Theorist ; skos:prefLabel 'P' ; tkg:birthYear 1907 .",
                 "birthYear"),
    "phase": ("id:ph a tkg:TreatmentPhase ; skos:prefLabel 'Safety' ; tkg:phaseOrder 1 .",
              "id:ph a tkg:TreatmentPhase ; skos:prefLabel 'Safety' ; tkg:phaseOrder 0 .",
              "phaseOrder"),
    "not-developed": ("id:g a tkg:Goal ; skos:prefLabel 'G' .",
                      f"{HUGHES} id:g a tkg:Goal ; skos:prefLabel 'G' ; tkg:developedBy id:theorist\\/hughes .",
                      "developedBy"),
    "domain": ("id:t a tkg:Theory ; skos:prefLabel 'T' .",
               "id:t a tkg:Theory ; skos:prefLabel 'T' ; tkg:groundedIn id:t .",
               "groundedIn"),
    "range of a descriptive relation": ("id:m a tkg:Modality ; skos:prefLabel 'M' ; tkg:hasGoal id:g ."
                                        " id:g a tkg:Goal ; skos:prefLabel 'G' .",
                                        "id:m a tkg:Modality ; skos:prefLabel 'M' ; tkg:hasGoal id:g ."
                                        " id:g a tkg:Population ; skos:prefLabel 'G' .",
                                        "hasGoal"),
    "self-reference": ("id:m a tkg:Modality ; skos:prefLabel 'M' ; tkg:subtypeOf id:n ."
                       " id:n a tkg:Modality ; skos:prefLabel 'N' .",
                       "id:m a tkg:Modality ; skos:prefLabel 'M' ; tkg:subtypeOf id:m .",
                       "subtypeOf"),
    "literal domain": ("id:p a tkg:Theorist ; skos:prefLabel 'P' ; tkg:birthYear '1907'^^xsd:gYear .",
                       "id:m a tkg:Modality ; skos:prefLabel 'M' ; tkg:birthYear '1907'^^xsd:gYear .",
                       "birthYear"),
    "life span": ("id:p a tkg:Theorist ; skos:prefLabel 'P' ; tkg:birthYear '0050'^^xsd:gYear ;"
                  " tkg:deathYear '0135'^^xsd:gYear .",
                  "id:p a tkg:Theorist ; skos:prefLabel 'P' ; tkg:birthYear '1990'^^xsd:gYear ;"
                  " tkg:deathYear '1980'^^xsd:gYear .",
                  "birthYear"),
    "source": ("id:s a tkg:Source ; dct:title 'A page' ; tkg:sourceKind 'web-page' .",
               "id:s a tkg:Source ; tkg:sourceKind 'blog' .",
               "title"),
    "evidence": (f"id:e a tkg:Evidence ; rdf:subject {DDP} ; rdf:predicate tkg:developedBy ; rdf:object id:h ;"
                 " tkg:quote 'Created by Daniel Hughes' ; tkg:startOffset 10 ; tkg:endOffset 34 .",
                 f"id:e a tkg:Evidence ; rdf:subject {DDP} ; rdf:predicate tkg:developedBy ; rdf:object id:h ;"
                 " tkg:quote 'Created by Daniel Hughes' ; tkg:startOffset 34 ; tkg:endOffset 10 .",
                 "startOffset"),
}


def parse(turtle: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=PREFIXES + turtle, format="turtle")


@pytest.mark.parametrize("name", sorted(CASES))
def test_shape_passes_and_fails(name: str) -> None:
    passing, failing, path = CASES[name]
    conforms, violations = validate_graph(parse(passing))
    assert conforms, [str(v) for v in violations]
    conforms, violations = validate_graph(parse(failing))
    assert not conforms
    assert any(v.path == path for v in violations), [str(v) for v in violations]


def test_a_decade_starts_at_a_year_ending_in_zero() -> None:
    conforms, violations = validate_graph(parse(f"{DATED.replace('1990', '1995')} {DATING.replace('1990', '1995')}"))
    assert not conforms
    assert [str(v) for v in violations] == [
        "https://w3id.org/therapy-kg/id/d: a dating's year and precision must fit: a decade starts at a year ending"
        " in 0 (value https://w3id.org/therapy-kg/id/d)"]
    assert validate_graph(parse(f"{DATED.replace('1990', '1995')} "
                                f"{DATING.replace('1990', '1995').replace('_decade', '_year')}"))[0]


def test_validation_does_not_mutate_input() -> None:
    graph = parse(CASES["modality"][1])
    before = set(graph)
    validate_graph(graph)
    assert set(graph) == before
