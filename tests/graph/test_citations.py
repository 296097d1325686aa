"""APA citations of the graph's sources: author names, reference entries, in-text citations, disagreements."""

from __future__ import annotations

from datetime import date

import pytest

from graph.views.citations import (
    apa_author,
    apa_authors,
    cite_this_page,
    disagreements,
    profile_source_ids,
    reference,
    source_references,
)
from graph.views.explore import SourceInfo, entity_profile, provenance_tables
from graph.views.kg import KnowledgeGraph


@pytest.mark.parametrize(("name", "apa"), [
    ("Marsha M. Linehan", "Linehan, M. M."),
    ("Bessel van der Kolk", "van der Kolk, B."),
    ("Jean-Paul Sartre", "Sartre, J.-P."),
    ("Thomas J. D'Zurilla", "D'Zurilla, T. J."),
    ("UNESCO", "UNESCO"),
])
def test_one_name_as_apa_writes_it(name: str, apa: str) -> None:
    assert apa_author(name) == apa


def test_author_lists_editors_and_missing_authors() -> None:
    assert apa_authors("Jeffrey E. Young; Janet S. Klosko; Marjorie E. Weishaar") == (
        "Young, J. E., Klosko, J. S., & Weishaar, M. E.")
    assert apa_authors("Rollo May; Ernest Angel; Henri F. Ellenberger (eds.)") == (
        "May, R., Angel, E., & Ellenberger, H. F. (Eds.)")
    assert apa_authors("") == ""


def test_references_of_the_bundled_sources(kg: KnowledgeGraph) -> None:
    sources, _, _ = provenance_tables(kg)
    linehan = reference(sources["linehan-1993"])
    assert linehan.text() == "Linehan, M. M. (1993). Cognitive-Behavioral Treatment of Borderline Personality Disorder."
    assert linehan.html() == ("Linehan, M. M. (1993). "
                              "<i>Cognitive-Behavioral Treatment of Borderline Personality Disorder.</i>")
    assert linehan.in_text() == "Linehan, 1993"
    assert reference(sources["kohlenberg-tsai-1991"]).in_text() == "Kohlenberg & Tsai, 1991"
    assert reference(sources["young-klosko-weishaar-2003"]).in_text() == "Young et al., 2003"
    sage = reference(sources["sage-health-communication-dbt"])  # no author, no year: the title leads, "n.d."
    assert sage.text() == ("Dialectical behavior therapy (Encyclopedia of Health Communication, SAGE). (n.d.). "
                           "https://sk.sagepub.com/Reference/encyclopedia-of-health-communication/n123.xml")
    assert '<a href="https://sk.sagepub.com/' in sage.html() and 'target="_blank"' in sage.html()


def test_hostile_source_fields_are_escaped_in_html() -> None:
    hostile = reference(SourceInfo("x", "<img src=x onerror=alert(1)>", "book", 'javascript:"><b>', "A <b>B</b>"))
    assert "<img" not in hostile.html() and "<b>" not in hostile.html() and "&lt;img" in hostile.html()


def test_cite_this_page_is_apa_with_retrieval_date() -> None:
    assert cite_this_page("Attachment Theory", "https://kg.example/?entity=theory%2Fattachment-theory",
                          date(2026, 11, 30)) == (
        "therapy-kg. (n.d.). Attachment Theory [Knowledge graph entry]. Retrieved November 30, 2026, from "
        "https://kg.example/?entity=theory%2Fattachment-theory")


def test_disagreeing_dates_come_with_their_sources_and_developers_are_not_compared(kg: KnowledgeGraph) -> None:
    sources, notes, details = provenance_tables(kg)
    dbt = entity_profile(kg.nx, "modality/dialectical-behaviour-therapy", notes, details.get(
        "modality/dialectical-behaviour-therapy", ()))
    assert [(d.aspect, d.answers) for d in disagreements(dbt)] == [
        ("introduced", [("1980s", ["linehan-1987"]), ("1993", ["sage-health-communication-dbt"])])]
    # MBT's developers come from different sources (Bateman from one, Fonagy from another): not a disagreement
    mbt = entity_profile(kg.nx, "modality/mentalization-based-treatment", notes)
    assert [d.aspect for d in disagreements(mbt)] == ["introduced"]
    ddp = entity_profile(kg.nx, "modality/dyadic-developmental-psychotherapy", notes)
    assert disagreements(ddp) == []
    ids = profile_source_ids(dbt)
    assert {"linehan-1987", "sage-health-communication-dbt", "linehan-1993"} <= set(ids)
    listed = source_references(sources, ids)
    assert [ref.source_id for ref in listed] == sorted(ids, key=lambda i: reference(sources[i]).text().casefold())
