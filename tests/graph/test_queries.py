"""Real answers from the bundled graph: SPARQL, provenance, lineage, paths, centrality and name resolution."""

from __future__ import annotations

import pytest

from graph.views.kg import KnowledgeGraph
from graph.views.lineage import centrality, descendants_of, explain_path, lineage_of, shortest_path
from ontology.names import AmbiguousName, UnknownName, normalise_name, variant_key

DDP = "modality/dyadic-developmental-psychotherapy"


def test_sparql_who_developed_ddp(kg: KnowledgeGraph) -> None:
    rows = kg.select("""SELECT ?m ?name WHERE { ?m tkg:developedBy ?t . ?t skos:prefLabel ?name }""", m=DDP)
    assert [r["name"] for r in rows] == ["Daniel Hughes"]


def test_binding_is_a_value_not_query_text(kg: KnowledgeGraph) -> None:
    hostile = "Daniel Hughes' } ; DROP ALL ; #"
    rows = kg.select("SELECT ?name ?t WHERE { ?t skos:prefLabel ?name }", name=hostile)
    assert rows == []


def test_provenance_of_a_fact(kg: KnowledgeGraph) -> None:
    rows = kg.select("""
        SELECT ?m ?title WHERE {
          GRAPH ?g { ?m tkg:developedBy ?t }
          ?g dct:title ?title }""", m=DDP)
    assert len(rows) == 1
    assert rows[0]["title"].startswith("Attachment-Focused Psychotherapy")


def test_every_fact_sits_in_a_source_graph(kg: KnowledgeGraph) -> None:
    orphan = kg.select("""
        SELECT ?s ?p WHERE {
          ?s ?p ?o . FILTER(STRSTARTS(STR(?p), STR(tkg:)))
          FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } ?g a tkg:Source }
          FILTER NOT EXISTS { GRAPH <https://w3id.org/therapy-kg/ontology> { ?s ?p ?o } }
        } LIMIT 5""")
    assert orphan == []


def test_lineage_of_ddp_reaches_attachment_theory_and_bowlby(kg: KnowledgeGraph) -> None:
    steps = {step.id: step for step in lineage_of(kg.nx, DDP, "up")}
    assert steps["theory/attachment-theory"].depth == 1
    assert steps["theorist/john-bowlby"].via == "developedBy"
    assert steps["theorist/john-bowlby"].parent == "theory/attachment-theory"


def test_descendants_of_attachment_theory_include_the_five_subtypes(kg: KnowledgeGraph) -> None:
    descendants = descendants_of(kg.nx, "theory/attachment-theory")
    assert {DDP, "modality/emotionally-focused-therapy", "modality/mentalization-based-treatment",
            "modality/circle-of-security", "modality/attachment-based-family-therapy"} <= descendants


def test_shortest_path_is_explained(kg: KnowledgeGraph) -> None:
    steps = shortest_path(kg.nx, DDP, "theorist/john-bowlby")
    assert len(steps) == 2
    assert explain_path(kg.nx, steps) == ["Dyadic Developmental Psychotherapy is grounded in Attachment Theory",
                                          "Attachment Theory was developed by John Bowlby"]


def test_attachment_focused_approach_is_central(kg: KnowledgeGraph) -> None:
    top = [entity for entity, _ in centrality(kg.nx, "degree", top=30, types=("Modality",))]
    assert "modality/attachment-focused-psychotherapy" in top


@pytest.mark.parametrize("name, expected", [
    ("Sue Johnson", "theorist/susan-johnson"),
    ("susan m. johnson", "theorist/susan-johnson"),
    ("Dr. Sue Johnson", "theorist/susan-johnson"),
    ("DDP", DDP),
    ("dyadic developmental PSYCHOTHERAPY", DDP),
    ("Mentalisation-Based Treatment", "modality/mentalization-based-treatment"),
    ("Máry Áinsworth", "theorist/mary-ainsworth"),
    ("  peter   FONAGY ", "theorist/peter-fonagy"),
])
def test_names_resolve_case_and_accent_insensitively(kg: KnowledgeGraph, name: str, expected: str) -> None:
    assert kg.resolve(name) == expected


def test_unknown_name_suggests_candidates(kg: KnowledgeGraph) -> None:
    with pytest.raises(UnknownName) as error:
        kg.resolve("Peter Fonagi")
    assert "theorist/peter-fonagy" in [c.id for c in error.value.candidates]


def test_ambiguous_acronym_lists_both(kg: KnowledgeGraph) -> None:
    assert len(kg.names.lookup("EFT")) >= 2  # Emotionally Focused and Emotion-Focused Therapy
    with pytest.raises(AmbiguousName) as error:
        kg.resolve("EFT")
    assert "modality/emotionally-focused-therapy" in [c.id for c in error.value.candidates]


def test_normalise_name() -> None:
    assert normalise_name("Dr.  Susan M. Johnson") == "susan m johnson"
    assert normalise_name("Émile") == "emile"


def test_rdflib_view_over_the_same_store(kg: KnowledgeGraph) -> None:
    dataset = kg.rdflib_dataset()
    rows = list(dataset.query("""
        PREFIX tkg: <https://w3id.org/therapy-kg/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?name WHERE {
          ?m skos:prefLabel "Attachment-Based Family Therapy" ; tkg:developedBy/skos:prefLabel ?name }
    """))
    assert [str(row[0]) for row in rows] == ["Guy Diamond"]


@pytest.mark.parametrize(("typed", "meant"), [
    ("Bowlbey", "theorist/john-bowlby"),
    ("Fonagi", "theorist/peter-fonagy"),
    ("Frued", "theorist/sigmund-freud"),
    ("attachement", "theory/attachment-theory"),
    ("emotionally focussed", "modality/emotionally-focused-therapy"),
])
def test_misspelt_names_suggest_the_meant_entity_among_five(kg: KnowledgeGraph, typed: str, meant: str) -> None:
    suggestions = kg.names.suggest(typed)
    assert 1 <= len(suggestions) <= 5 and meant in [c.id for c in suggestions], suggestions
    with pytest.raises(UnknownName) as error:
        kg.resolve(typed)
    assert meant in [c.id for c in error.value.candidates] and "did you mean" in str(error.value)


def test_british_and_american_spellings_fold_alike() -> None:
    assert variant_key("Child-centred play therapy") == variant_key("Child-Centered Play Therapy")
    assert variant_key("Emotionally Focussed") == "emotionally focused"


def test_suggestions_rank_the_closest_first_and_respect_types(kg: KnowledgeGraph) -> None:
    assert kg.names.suggest("Bowlbey")[0].id == "theorist/john-bowlby"
    assert kg.names.suggest("attachement")[0].id == "theory/attachment-theory"
    assert kg.names.suggest("emotionally focussed")[0].id == "modality/emotionally-focused-therapy"
    assert {c.type for c in kg.names.suggest("attachement", types=("Modality",))} == {"Modality"}
    assert kg.names.suggest("zzzzqx") == []


def test_variant_key_folds_british_and_american_spellings() -> None:
    assert variant_key("Dialectical Behaviour Therapy") == variant_key("dialectical behavior therapy")
    assert variant_key("Emotionally Focussed") == "emotionally focused"
    assert variant_key("Mentalisation-based") == variant_key("mentalization based") == "mentalization based"
    assert variant_key("Cognitive Behavioural") == "cognitive behavioral"
    assert variant_key("Counselling centre") == "counseling center"


def test_names_in_the_other_spelling_resolve_to_the_same_entity(kg: KnowledgeGraph) -> None:
    assert variant_key("Post-traumatic stress disorder") == variant_key("posttraumatic stress disorder")
    british = kg.resolve("Traditional behavioural couple therapy")
    assert kg.resolve("traditional behavioral couple therapy") == british == "modality/behavioural-couple-therapy"
    assert [c.id for c in kg.names.lookup("Dialectical Behavior Therapy")] == ["modality/dialectical-behaviour-therapy"]
