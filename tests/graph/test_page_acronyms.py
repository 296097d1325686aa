"""Pages never rewrite curated entities by acronym, and two pages may share a new acronym (issue 12, item 8)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from graph.pipeline.corpus import BUNDLED_CONTENT, assemble, content_files, read_curated
from graph.pipeline.resolve import PageResolver
from graph.views.kg import KnowledgeGraph, load_graph
from loaders.registry import read_page

CAT_PAGE = ("Computer-Assisted Therapy\n\nComputer-Assisted Therapy (CAT) was developed by Hugo Example in 2005. "
            "CAT is used for insomnia.\n")
PE_PAGE = ("Physical Exercise Therapy\n\nPhysical Exercise Therapy (PE) was created by Cleo Sample in 2011 to treat "
           "depression.\n")
IBT_IMAGERY = "Imagery-Based Therapy\n\nImagery-Based Therapy (IBT) was developed by Ann Example in 1999.\n"
IBT_INTERNET = "Internet-Based Therapy\n\nInternet-Based Therapy (IBT) was developed by Greta Sample in 2004.\n"


def facts_about(kg: KnowledgeGraph, entity_id: str) -> set[tuple[str, str]]:
    """``(predicate, object)`` of the built graph's edges from an entity (its networkx view)."""
    return {(key, target) for _, target, key in kg.nx.out_edges(entity_id, keys=True)}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeGraph:
    folder = tmp_path_factory.mktemp("acronym-pages")
    for name, text in (("cat.txt", CAT_PAGE), ("pe.txt", PE_PAGE), ("ibt-imagery.txt", IBT_IMAGERY),
                       ("ibt-internet.txt", IBT_INTERNET)):
        (folder / name).write_text(text, encoding="utf-8")
    return load_graph(tmp_path_factory.mktemp("store"), pages=[folder])


def test_a_page_acronym_with_another_expansion_never_merges_into_the_curated_entity(built: KnowledgeGraph) -> None:
    cat = built.resolve("Cognitive Analytic Therapy")
    assert cat == "modality/cognitive-analytic-therapy"
    assert ("developedBy", "theorist/hugo-example") not in facts_about(built, cat)
    assert not any(key == "addressesCondition" and "insomnia" in target for key, target in facts_about(built, cat))
    new = built.resolve("Computer-Assisted Therapy")
    assert new != cat and ("developedBy", "theorist/hugo-example") in facts_about(built, new)
    prolonged = built.resolve("Prolonged Exposure")
    assert ("developedBy", "theorist/cleo-sample") not in facts_about(built, prolonged)
    assert ("developedBy", "theorist/cleo-sample") in facts_about(built, built.resolve("Physical Exercise Therapy"))


def test_introduction_years_of_a_misread_acronym_stay_on_the_page_entity(built: KnowledgeGraph) -> None:
    query = "SELECT ?m ?year WHERE { ?dating tkg:dates ?m ; tkg:year ?year }"
    years = {str(row["year"]) for row in built.select(query, m="modality/cognitive-analytic-therapy")}
    assert years and "2005" not in years
    assert "2005" in {str(row["year"]) for row in built.select(query, m=built.resolve("Computer-Assisted Therapy"))}


def test_two_pages_sharing_a_new_acronym_build_and_keep_both(built: KnowledgeGraph) -> None:
    imagery, internet = built.resolve("Imagery-Based Therapy"), built.resolve("Internet-Based Therapy")
    assert imagery != internet
    assert ("developedBy", "theorist/ann-example") in facts_about(built, imagery)
    assert ("developedBy", "theorist/greta-sample") in facts_about(built, internet)


def test_the_resolver_warns_when_a_page_expands_a_curated_acronym_differently(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    page = tmp_path / "cat.txt"
    page.write_text(CAT_PAGE, encoding="utf-8")
    resolver = PageResolver(assemble(read_curated(content_files([BUNDLED_CONTENT]))).name_index())
    with caplog.at_level(logging.WARNING, logger="therapy_kg.resolve"):
        extraction = read_page(page, resolver, gazetteer=resolver.gazetteer)
    assert any("'CAT' stands for 'Computer-Assisted Therapy'" in w and "modality/cognitive-analytic-therapy" in w
               for w in resolver.warnings)
    assert any("Computer-Assisted Therapy" in record.message for record in caplog.records)
    ids = {e.id for e in extraction.entities}
    assert "modality/cognitive-analytic-therapy" not in ids and "modality/computer-assisted-therapy" in ids


def test_an_acronym_whose_expansion_agrees_still_resolves(tmp_path: Path) -> None:
    page = tmp_path / "ipt.txt"
    page.write_text("Interpersonal Psychotherapy\n\nInterpersonal Psychotherapy (IPT) was developed by Gerald "
                    "Klerman in the 1970s. IPT is used for depression.\n", encoding="utf-8")
    resolver = PageResolver(assemble(read_curated(content_files([BUNDLED_CONTENT]))).name_index())
    extraction = read_page(page, resolver, gazetteer=resolver.gazetteer)
    assert "modality/interpersonal-psychotherapy" in {e.id for e in extraction.entities}
    assert resolver.warnings == []
