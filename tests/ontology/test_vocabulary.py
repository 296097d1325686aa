"""The vocabulary read from therapy.ttl gives the tables the code used to write by hand, and the hand-written lists
that remain (presentation order, map looks, layout bands, the YAML literal keys, map.js) name only its terms."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import rdflib
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF

import graph.sinks.maps as maps
from benchmarks.synthetic import DESCRIPTIVE_FACTS, VOCABULARY_TYPES
from graph.views import explore
from graph.views.lineage import LINEAGE_RELATIONS, RELATION_PHRASES
from loaders.content_yaml import LITERAL_KEYS
from ontology.records import ENTITY_RELATIONS, LITERAL_RELATIONS, TYPE_PREFIXES
from ontology.vocabulary import TKG_NS, parse_vocabulary, vocabulary

ROOT = Path(__file__).resolve().parents[2]


def test_tables_derived_from_the_turtle_are_the_ones_written_before() -> None:
    assert TYPE_PREFIXES == {"Modality": "modality", "Theory": "theory", "Theorist": "theorist",
                             "Population": "population", "Condition": "condition", "Goal": "goal",
                             "Technique": "technique", "Concept": "concept", "TreatmentPhase": "phase"}
    assert ENTITY_RELATIONS == ("developedBy", "subtypeOf", "derivedFrom", "groundedIn", "influencedBy", "studentOf",
                                "collaboratedWith", "servesPopulation", "addressesCondition", "hasGoal",
                                "usesTechnique", "involvesConcept", "hasPhase")
    assert LITERAL_RELATIONS == ("introduced", "birthYear", "deathYear", "phaseOrder", "typicalDuration",
                                 "sessionExpectation")
    assert LINEAGE_RELATIONS == ("subtypeOf", "derivedFrom", "groundedIn", "developedBy", "studentOf", "influencedBy")
    assert RELATION_PHRASES == {
        "developedBy": "was developed by", "subtypeOf": "is a subtype of", "derivedFrom": "is derived from",
        "groundedIn": "is grounded in", "influencedBy": "was influenced by", "studentOf": "was a student of",
        "collaboratedWith": "collaborated with", "servesPopulation": "serves", "addressesCondition": "addresses",
        "hasGoal": "has the goal", "usesTechnique": "uses", "involvesConcept": "involves", "hasPhase": "has the phase"}
    assert explore.INVERSE_PHRASES == {
        "developedBy": "developed", "subtypeOf": "has the subtype", "derivedFrom": "gave rise to",
        "groundedIn": "grounds", "influencedBy": "influenced", "studentOf": "taught",
        "collaboratedWith": "collaborated with", "servesPopulation": "is served by",
        "addressesCondition": "is addressed by", "hasGoal": "is a goal of", "usesTechnique": "is used by",
        "involvesConcept": "is involved in", "hasPhase": "is a phase of"}
    assert maps.CLASS_PLURALS["TreatmentPhase"] == "Treatment phases" and maps.CLASS_PLURALS["Theory"] == "Theories"
    assert maps.UNDIRECTED_RELATIONS == ("collaboratedWith",)
    assert maps.DESCRIPTIVE_RELATIONS == ("servesPopulation", "addressesCondition", "hasGoal", "usesTechnique",
                                          "involvesConcept", "hasPhase")


def test_relations_carry_domain_range_and_comment() -> None:
    words = vocabulary()
    developed = words.relation("developedBy")
    assert (developed.domain, developed.range, developed.lineage_rank) == (("Modality", "Theory"), "Theorist", 4)
    assert developed.comment == "A theorist who created or developed this modality or theory."
    assert words.relation("collaboratedWith").symmetric and not words.relation("studentOf").symmetric
    assert words.relation("hasPhase").heading == "Has phase"
    assert words.entity_class("TreatmentPhase").label == "Treatment phase"
    assert words.literal("phaseOrder").datatype == "http://www.w3.org/2001/XMLSchema#integer"
    assert not words.literal("quote").states_fact
    assert [(link.name, link.range) for link in words.links] == [
        ("introducedPrecision", "YearPrecision"), ("dates", ""), ("precision", "YearPrecision")]
    assert words.iri("hasGoal") == TKG_NS + "hasGoal"


def test_every_relation_and_class_appears_in_the_presentation_tables() -> None:
    names = {relation.name for relation in vocabulary().relations}
    assert [relation for relation, _ in explore.PROFILE_SECTIONS] == [
        *(relation for relation, _ in explore._PROFILE_ORDER),
        *sorted(names - {relation for relation, _ in explore._PROFILE_ORDER}, key=ENTITY_RELATIONS.index)]
    assert set(explore.NOT_COMPARED) <= names
    assert {relation for _, relation in explore.COMPARE_ASPECTS} <= names
    assert set(maps.RELATION_STYLES) == names and set(maps._RELATION_LOOKS) <= names
    assert list(maps.CLASS_STYLES) == list(TYPE_PREFIXES) and set(maps._CLASS_LOOKS) <= set(TYPE_PREFIXES)


def test_hand_written_lists_name_only_vocabulary_terms() -> None:
    relations = set(ENTITY_RELATIONS)
    assert set(maps.LINEAGE_BAND_RELATIONS) <= set(LINEAGE_RELATIONS)
    assert set(maps.MENTOR_RELATIONS) == {r.name for r in vocabulary().relations
                                          if r.domain == ("Theorist",) and r.range == "Theorist"}
    assert set(maps.TYPE_BAND_ORDER) <= set(TYPE_PREFIXES)
    # map.js keeps stops of a presentation framed by their lineage and mentor edges
    script = (ROOT / "graph" / "sinks" / "map_assets" / "map.js").read_text(encoding="utf-8")
    listed = re.search(r"const LINEAGE = new Set\(\[(.*?)\]\)", script, re.S)
    assert listed is not None
    assert set(re.findall(r'"(\w+)"', listed[1])) == set(LINEAGE_RELATIONS) | set(maps.MENTOR_RELATIONS)
    # the YAML loader reads every literal fact except the phase order, which it derives from hasPhase's list order
    assert set(LITERAL_RELATIONS) - {"phaseOrder"} == LITERAL_KEYS
    for relation, prefix, _ in DESCRIPTIVE_FACTS:
        assert relation in relations and TYPE_PREFIXES[vocabulary().relation(relation).range] == prefix
    assert all(TYPE_PREFIXES[name] == prefix for prefix, name in VOCABULARY_TYPES.items())


def test_disjoint_classes_list_every_entity_class() -> None:
    ontology = rdflib.Graph().parse(ROOT / "ontology" / "therapy.ttl")
    disjoint = next(ontology.subjects(RDF.type, OWL.AllDisjointClasses))
    members = {str(m).removeprefix(TKG_NS) for m in Collection(ontology, ontology.value(disjoint, OWL.members))}
    assert members == {*TYPE_PREFIXES, "Source"}


def test_defaults_for_a_relation_and_a_class_without_annotations(tmp_path: Path) -> None:
    turtle = (ROOT / "ontology" / "therapy.ttl").read_text(encoding="utf-8") + """
tkg:Setting a owl:Class ; rdfs:label "Setting"@en ; rdfs:comment "Where therapy happens."@en ; tkg:idPrefix "setting" .
tkg:contraindicatedFor a owl:ObjectProperty ; rdfs:label "contraindicated for"@en ;
    rdfs:comment "A condition this modality is advised against for."@en ;
    rdfs:domain tkg:Modality ; rdfs:range tkg:Condition .
"""
    (tmp_path / "therapy.ttl").write_text(turtle, encoding="utf-8")
    words = parse_vocabulary(tmp_path / "therapy.ttl")
    setting = words.entity_class("Setting")
    assert (setting.plural, setting.id_prefix) == ("Settings", "setting")
    relation = words.relation("contraindicatedFor")
    assert (relation.phrase, relation.inverse_phrase, relation.heading) == (
        "contraindicated for", "← contraindicated for", "Contraindicated for")
    assert relation.domain == ("Modality",) and relation.range == "Condition" and not relation.lineage
    assert [r.name for r in words.relations][-1] == "contraindicatedFor"


def test_shipped_context_is_current_and_the_command_says_so() -> None:
    check = subprocess.run([sys.executable, "-m", "ontology.jsonld", "--check"], cwd=ROOT,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
