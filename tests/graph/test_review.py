"""Review before trust (graph/views/review.py): page facts sorted into adds, confirms and contradicts against the
curated facts of a real build of the kitchen-sink content."""

from __future__ import annotations

import pytest

from graph.views.kg import KnowledgeGraph, load_graph
from graph.views.review import (
    Reference,
    reference_from_kg,
    reference_from_networkx,
    review_extraction,
    years_agree,
)
from ontology.records import Entity, Extraction, Fact, Source, Year
from tests.conftest import KITCHEN_SINK

MBT = "modality/mentalization-based-treatment"
DDP = "modality/dyadic-developmental-psychotherapy"
AFP = "modality/attachment-focused-psychotherapy"
PAGE = Source("page-notes", "Notes on attachment therapies", "web-page")


@pytest.fixture(scope="module")
def sink(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeGraph:
    """The kitchen-sink content plus one registered page that disagrees with it."""
    folder = tmp_path_factory.mktemp("review")
    page = folder / "ddp-notes.txt"
    page.write_text("Dyadic Developmental Psychotherapy\n\nDyadic Developmental Psychotherapy (DDP) was developed by "
                    "Ann Example in 1975.\n")
    return load_graph(folder / "store", [KITCHEN_SINK], pages=[page])


@pytest.fixture(scope="module")
def reference(sink: KnowledgeGraph) -> Reference:
    return reference_from_kg(sink)


def fact(subject: str, predicate: str, obj: str | Year) -> Fact:
    return Fact(subject, predicate, obj, PAGE.id)


def test_reference_holds_curated_facts_only(sink: KnowledgeGraph, reference: Reference) -> None:
    assert sink.nx.get_edge_data(DDP, "theorist/ann-example") is not None  # the page is in the graph ...
    assert dict(reference.curated[(DDP, "developedBy")]) == {"theorist/daniel-hughes": {"kitchen-sink"}}  # ... not here
    assert dict(reference.curated[(MBT, "introduced")]) == {Year(1999): {"kitchen-sink"},
                                                             Year(1990, "decade"): {"second-opinion"}}
    assert reference.labels["theorist/peter-fonagy"] == "Peter Fonagy"
    assert reference.described_by["theorist/ann-example"] == {"page-ddp-notes"}


def test_years_agree_when_equal_or_inside_the_decade() -> None:
    assert years_agree(Year(1999), Year(1990, "decade")) and years_agree(Year(1990, "decade"), Year(1999))
    assert years_agree(Year(1987), Year(1987))
    assert not years_agree(Year(1987), Year(1989)) and not years_agree(Year(1989), Year(1990, "decade"))


def test_facts_are_sorted_into_contradicts_confirms_and_adds(reference: Reference) -> None:
    extraction = Extraction(PAGE, [
        Entity(MBT, "Modality", "MBT", PAGE.id),
        Entity("theorist/ann-example", "Theorist", "Ann Example", PAGE.id),
        Entity("modality/cognitive-behavioral-therapy", "Modality", "Cognitive Behavioral Therapy", PAGE.id),
        Entity("modality/new-therapy", "Modality", "New Therapy", PAGE.id),
    ], [
        fact(MBT, "developedBy", "theorist/peter-fonagy"),
        fact(MBT, "developedBy", "theorist/ann-example"),
        fact(MBT, "introduced", Year(1999)),
        fact(MBT, "introduced", Year(1987)),
        fact(MBT, "derivedFrom", AFP),  # curated as its subtypeOf parent: agrees
        fact(MBT, "derivedFrom", "modality/cognitive-behavioral-therapy"),
        fact(DDP, "subtypeOf", "modality/cognitive-behavioral-therapy"),
        fact("modality/new-therapy", "developedBy", "theorist/ann-example"),
        fact(AFP, "subtypeOf", "modality/new-therapy"),  # AFP has no curated parent: an addition
        fact(MBT, "usesTechnique", "technique/rupture-and-repair-work"),
    ])
    review = review_extraction(extraction, reference)
    assert [(r.subject, r.relation, r.value, r.conflict, r.curated) for r in review.contradicts] == [
        ("Mentalization-Based Treatment", "developedBy", "Ann Example", "another developer", ("Peter Fonagy",)),
        ("Mentalization-Based Treatment", "introduced", "1987", "another introduction year", ("1990s", "1999")),
        ("Mentalization-Based Treatment", "derivedFrom", "Cognitive Behavioral Therapy", "another parent",
         ("Psychodynamic Psychotherapy",)),
        ("Dyadic Developmental Psychotherapy", "subtypeOf", "Cognitive Behavioral Therapy", "another parent",
         ("Attachment-Focused Psychotherapy",)),
    ]
    assert review.contradicts[1].curated_sources == ("kitchen-sink", "second-opinion")
    assert [(r.relation, r.value, r.curated, r.curated_sources) for r in review.confirms] == [
        ("developedBy", "Peter Fonagy", ("Peter Fonagy",), ("kitchen-sink",)),
        ("introduced", "1999", ("1990s", "1999"), ("kitchen-sink", "second-opinion")),
        ("derivedFrom", "Attachment-Focused Psychotherapy", ("Attachment-Focused Psychotherapy",), ("kitchen-sink",)),
    ]
    assert [(r.subject, r.relation, r.value) for r in review.adds] == [
        ("New Therapy", "developedBy", "Ann Example"),
        ("Attachment-Focused Psychotherapy", "subtypeOf", "New Therapy"),
        ("Mentalization-Based Treatment", "usesTechnique", "Working through ruptures"),  # the graph's label
    ]
    # labels come from the graph where it has the entity ("MBT" on the page), and "known" ignores this page itself
    assert [(e.label, e.known) for e in review.entities] == [
        ("Mentalization-Based Treatment", True), ("Ann Example", True), ("Cognitive Behavioral Therapy", False),
        ("New Therapy", False)]


def test_the_registered_page_reviewed_again_sees_only_its_own_entities_as_new(sink: KnowledgeGraph,
                                                                                reference: Reference) -> None:
    own = Extraction(Source("page-ddp-notes", "Dyadic Developmental Psychotherapy", "web-page"),
                     [Entity("theorist/ann-example", "Theorist", "Ann Example", "page-ddp-notes")],
                     [Fact(DDP, "developedBy", "theorist/ann-example", "page-ddp-notes")])
    review = review_extraction(own, reference)
    assert [(e.label, e.known) for e in review.entities] == [("Ann Example", False)]
    assert [r.conflict for r in review.contradicts] == ["another developer"]


def test_networkx_reference_agrees_on_entity_relations(sink: KnowledgeGraph, reference: Reference) -> None:
    from_nx = reference_from_networkx(sink.nx)
    for key in [(DDP, "developedBy"), (MBT, "subtypeOf"), (MBT, "derivedFrom"), ("theory/attachment-theory",
                                                                                  "developedBy")]:
        assert dict(from_nx.curated[key]) == dict(reference.curated[key]), key
    assert (DDP, "developedBy") in from_nx.curated and from_nx.labels[DDP] == "Dyadic Developmental Psychotherapy"
