"""Each SHACL shape with one passing and one failing inline example; the SPARQL validator agrees with pyshacl."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib

from graph.pipeline.shacl_sparql import SH, ShapeCompiler, UnsupportedShape
from graph.pipeline.validate import shape_queries, shapes_graph, validate_graph, validate_graph_pyshacl
from graph.terms import oxigraph_term
from ontology.namespace import ontology_path

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


ALL_CASES = [*(text for name in sorted(CASES) for text in CASES[name][:2]),
             f"{DATED.replace('1990', '1995')} {DATING.replace('1990', '1995')}",
             f"{DATED.replace('1990', '1995')} {DATING.replace('1990', '1995').replace('_decade', '_year')}"]


@pytest.mark.parametrize("turtle", ALL_CASES)
def test_sparql_validator_and_pyshacl_agree(turtle: str) -> None:
    graph = parse(turtle)
    ours, reference = validate_graph(graph), validate_graph_pyshacl(graph)
    assert ours[0] == reference[0]
    assert {(v.focus, v.path, v.value) for v in ours[1]} == {(v.focus, v.path, v.value) for v in reference[1]}
    declared = {str(m) for m in shapes_graph().objects(None, SH.message)}  # our messages, where a shape has one
    assert ({str(v) for v in ours[1] if v.message in declared}
            == {str(v) for v in reference[1] if v.message in declared})


def test_the_ontology_holds_no_focus_node() -> None:
    # a build validates the union graph, ontology included: no ontology term may be a target of any shape
    store = ox.Store()
    store.load(path=str(ontology_path("therapy.ttl")), format=ox.RdfFormat.TURTLE)
    compiler = ShapeCompiler(shapes_graph())
    shapes = {q.node_shape for q in shape_queries()}
    assert len(shapes) >= 20
    for shape in shapes:
        assert list(store.query(f"SELECT ?focus WHERE {{ {compiler.targets(shape)} }}")) == [], shape


NEW_SHAPES = """
@prefix ex: <https://example.org/> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:ThingShape a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:code ; sh:maxLength 3 ; sh:pattern "^[a-z]+$" ; sh:flags "i" ; sh:maxCount 2 ] ;
    sh:property [ sh:path ex:name ; sh:languageIn ( "en" "de" ) ; sh:disjoint ex:code ] ;
    sh:property [ sh:path ( ex:partOf ex:partOf ) ; sh:not [ sh:hasValue ex:a ] ] ;
    sh:property [ sh:path [ sh:alternativePath ( ex:next ex:prev ) ] ; sh:nodeKind sh:IRI ; sh:node ex:Named ] ;
    sh:property [ sh:path [ sh:oneOrMorePath ex:partOf ] ; sh:xone ( [ sh:class ex:Thing ] [ sh:class ex:Box ] ) ] ;
    sh:property [ sh:path ex:size ; sh:datatype xsd:integer ; sh:maxExclusive 10 ; sh:lessThanOrEquals ex:cap ] ;
    sh:property [ sh:path ex:weight ; sh:datatype xsd:integer ] .
ex:Named a sh:NodeShape ; sh:property [ sh:path ex:name ; sh:minCount 2 ] .
"""
NEW_DATA = """
@prefix ex: <https://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a a ex:Thing ; ex:code "ABC", "abcd", "x1", "ok" ; ex:name "A"@en, "B"@fr, "ok" ; ex:partOf ex:b ;
    ex:next ex:b ; ex:prev "lit" ; ex:size 3, 12 ; ex:cap 5 ; ex:weight "x"^^xsd:integer .
ex:b a ex:Thing, ex:Box ; ex:partOf ex:a ; ex:name "b"@en, "B"@de ; ex:next ex:a ; ex:size 4 ; ex:cap 5 .
ex:c a ex:Thing ; ex:code "ok" ; ex:name "ok"@en .
"""


def test_a_shape_with_other_core_constraints_needs_no_code_change() -> None:
    # a new shape is compiled from the shapes graph alone, and both engines find the same violations
    from pyshacl import validate as shacl_validate

    shapes = rdflib.Graph().parse(data=NEW_SHAPES, format="turtle")
    data = rdflib.Graph().parse(data=NEW_DATA, format="turtle")
    _, results, _ = shacl_validate(data, shacl_graph=shapes, inference="none", inplace=True)
    reference = {(str(results.value(r, SH.focusNode)), str(results.value(r, SH.sourceConstraintComponent)))
                 for r in results.subjects(rdflib.RDF.type, SH.ValidationResult)
                 if (None, SH.detail, r) not in results}  # pyshacl also lists a nested shape's own results
    store = ox.Store()
    store.bulk_extend(ox.Quad(oxigraph_term(s), oxigraph_term(p), oxigraph_term(o)) for s, p, o in data)
    ours = set()
    for query in ShapeCompiler(shapes).queries():
        component = f"{SH}{query.component[0].upper()}{query.component[1:]}ConstraintComponent"
        ours |= {(row["focus"].value, component) for row in store.query(query.text)}
    assert len(reference) >= 8
    assert ours == reference


def test_an_uncovered_shape_feature_is_refused_by_name() -> None:
    shapes = rdflib.Graph().parse(data=NEW_SHAPES.replace("sh:maxCount 2", "sh:uniqueLang true"), format="turtle")
    with pytest.raises(UnsupportedShape, match="uses sh:uniqueLang"):
        list(ShapeCompiler(shapes).queries())


def test_counts_and_has_value_agree_with_pyshacl() -> None:
    # sh:maxCount is one grouped count per focus node: a value reached twice along a path is one value node (ex:a
    # conforms), two different values are two (ex:b does not); sh:minCount 1 and sh:hasValue are anti-joins
    # (MINUS): ex:c, without a code, fails both; the same results as pyshacl
    from pyshacl import validate as shacl_validate

    shapes = rdflib.Graph().parse(format="turtle", data="""
        @prefix ex: <https://example.org/> .
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        ex:S a sh:NodeShape ; sh:targetClass ex:Thing ;
            sh:property [ sh:path [ sh:alternativePath ( ex:next ex:prev ) ] ; sh:maxCount 1 ] ;
            sh:property [ sh:path ex:code ; sh:maxCount 2 ; sh:minCount 1 ; sh:hasValue "1" ] .""")
    data = rdflib.Graph().parse(format="turtle", data="""
        @prefix ex: <https://example.org/> .
        ex:a a ex:Thing ; ex:next ex:x ; ex:prev ex:x ; ex:code "1", "2" .
        ex:b a ex:Thing ; ex:next ex:x ; ex:prev ex:y ; ex:code "1", "2", "2"@en .
        ex:c a ex:Thing .""")
    _, results, _ = shacl_validate(data, shacl_graph=shapes, inference="none", inplace=True)
    reference = sorted((str(results.value(r, SH.focusNode)), str(results.value(r, SH.sourceConstraintComponent)))
                       for r in results.subjects(rdflib.RDF.type, SH.ValidationResult))
    store = ox.Store()
    store.bulk_extend(ox.Quad(oxigraph_term(s), oxigraph_term(p), oxigraph_term(o)) for s, p, o in data)
    ours = sorted((row["focus"].value, f"{SH}{query.component[0].upper()}{query.component[1:]}ConstraintComponent")
                  for query in ShapeCompiler(shapes).queries() for row in store.query(query.text))
    ex, sh = "https://example.org/", str(SH)
    assert ours == reference == [(f"{ex}b", f"{sh}MaxCountConstraintComponent"),
                                 (f"{ex}b", f"{sh}MaxCountConstraintComponent"),
                                 (f"{ex}c", f"{sh}HasValueConstraintComponent"),
                                 (f"{ex}c", f"{sh}MinCountConstraintComponent")]
