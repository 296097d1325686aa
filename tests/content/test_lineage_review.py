"""Lineage edges fixed in the issue-16 review: applied behaviour analysis, behavioural activation, FAP, notes."""

from __future__ import annotations

from graph.views.kg import KnowledgeGraph


def targets(kg: KnowledgeGraph, entity_id: str, relation: str) -> set[str]:
    """Ids that ``entity_id`` points at through ``relation`` in the built graph."""
    return {target for _, target, key in kg.nx.out_edges(entity_id, keys=True) if key == relation}


def test_applied_behaviour_analysis_grew_from_skinners_behaviour_analysis(kg: KnowledgeGraph) -> None:
    aba = "modality/applied-behaviour-analysis"
    assert "modality/behaviour-therapy" not in targets(kg, aba, "derivedFrom")
    assert targets(kg, aba, "groundedIn") == {"theory/behaviour-analysis", "theory/learning-theory"}
    assert targets(kg, "theory/behaviour-analysis", "developedBy") == {"theorist/b-f-skinner"}


def test_functional_analytic_psychotherapy_rests_on_behaviour_analysis(kg: KnowledgeGraph) -> None:
    fap = "modality/functional-analytic-psychotherapy"
    assert targets(kg, fap, "derivedFrom") == set()
    assert "theory/behaviour-analysis" in targets(kg, fap, "groundedIn")


def test_behavioural_activation_is_credited_to_jacobson_martell_and_addis(kg: KnowledgeGraph) -> None:
    developers = targets(kg, "modality/behavioural-activation", "developedBy")
    assert developers == {"theorist/neil-jacobson", "theorist/christopher-martell", "theorist/michael-addis"}
    assert "theorist/peter-lewinsohn" in targets(kg, "theorist/neil-jacobson", "influencedBy")


def test_attachment_therapy_is_ambiguous_between_the_two_meanings(kg: KnowledgeGraph) -> None:
    coercive = kg.nx.nodes["modality/coercive-attachment-therapy"]
    assert "not evidence-based" in coercive["description"].lower()
    rows = kg.select("""SELECT ?entity WHERE { ?entity tkg:ambiguousAlias "Attachment Therapy" }""")
    assert {row["entity"] for row in rows} == {
        "modality/attachment-focused-psychotherapy", "modality/coercive-attachment-therapy"}
