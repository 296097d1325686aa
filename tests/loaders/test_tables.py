"""Data tables in HTML and Markdown pages: infoboxes and comparison tables give the facts their cells state."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.pipeline.corpus import BUNDLED_CONTENT, assemble, content_files, read_curated
from graph.pipeline.resolve import PageResolver
from loaders.page_html import readable_text
from loaders.registry import load_page
from loaders.tables import table_records
from ontology.records import Fact

LANTERN = "modality/lantern-therapy"
HARBOUR = "modality/harbour-therapy"
CBT = "modality/cognitive-behavioural-therapy"
DBT = "modality/dialectical-behaviour-therapy"
ACT = "modality/acceptance-and-commitment-therapy"

INFOBOX = """<html><head><title>Lantern therapy - Encyclopedia</title></head><body><h1>Lantern therapy</h1>
<table class="infobox"><tr><th>Developer</th><td>Ann Example</td></tr><tr><th>Introduced</th><td>1987</td></tr>
<tr><th>Used for</th><td>Depression<br>insomnia</td></tr><tr><th>Based on</th><td>Attachment theory</td></tr></table>
<p>Lantern therapy is a talking therapy.</p></body></html>"""

COMPARISON = """<html><head><title>CBT vs DBT vs ACT</title></head><body><h1>CBT, DBT and ACT compared</h1>
<p>Three of the most used therapies differ in origin and focus.</p>
<table><thead><tr><th></th><th>CBT</th><th>DBT</th><th>ACT</th></tr></thead>
<tbody><tr><td>Developed by</td><td>Aaron Beck</td><td>Marsha Linehan</td><td>Steven C. Hayes</td></tr>
<tr><td>Decade</td><td>1960s</td><td>1980s</td><td>1980s</td></tr>
<tr><td>Main use</td><td>Depression, anxiety</td><td>Borderline personality disorder</td><td>Chronic pain</td></tr>
</tbody></table><p>All three are offered at our clinic.</p></body></html>"""

RECORDS_MD = """# Lantern therapy

Lantern therapy is one of two approaches our team offers.

| Approach | Founder | Year |
| --- | --- | --- |
| **Lantern therapy** | Ann Example | 1987 |
| Harbour therapy | Greta Sample | 1992 |

Lantern therapy treats insomnia.
"""


@pytest.fixture(scope="module")
def resolver() -> PageResolver:
    return PageResolver(assemble(read_curated(content_files([BUNDLED_CONTENT]))).name_index())


def facts(tmp_path: Path, resolver: PageResolver, text: str, suffix: str) -> set[tuple[str, str, str]]:
    page = tmp_path / f"page{suffix}"
    page.write_text(text, encoding="utf-8")
    extraction = load_page(page, resolver, gazetteer=resolver.gazetteer).extraction
    return {(f.subject, f.predicate, str(f.object)) for f in extraction.facts if isinstance(f, Fact)}


def test_an_infobox_gives_the_topic_its_developer_year_uses_and_theory(tmp_path: Path, resolver: PageResolver) -> None:
    found = facts(tmp_path, resolver, INFOBOX, ".html")
    assert {(LANTERN, "developedBy", "theorist/ann-example"), (LANTERN, "introduced", "1987"),
            (LANTERN, "addressesCondition", "condition/depression"),
            (LANTERN, "addressesCondition", "condition/insomnia"),
            (LANTERN, "groundedIn", "theory/attachment-theory")} <= found


def test_a_comparison_table_with_approaches_as_columns_keeps_each_fact_with_its_column(
    tmp_path: Path, resolver: PageResolver
) -> None:
    found = facts(tmp_path, resolver, COMPARISON, ".html")
    assert {(CBT, "developedBy", "theorist/aaron-beck"), (CBT, "introduced", "1960s"),
            (DBT, "developedBy", "theorist/marsha-linehan"), (DBT, "introduced", "1980s"),
            (DBT, "addressesCondition", "condition/borderline-personality-disorder"),
            (ACT, "developedBy", "theorist/steven-hayes"),
            (ACT, "addressesCondition", "condition/chronic-pain")} <= found
    assert (CBT, "developedBy", "theorist/marsha-linehan") not in found
    assert (CBT, "addressesCondition", "condition/borderline-personality-disorder") not in found


def test_a_markdown_table_with_approaches_as_rows_and_the_section_resuming_after_it(
    tmp_path: Path, resolver: PageResolver
) -> None:
    found = facts(tmp_path, resolver, RECORDS_MD, ".md")
    assert {(LANTERN, "developedBy", "theorist/ann-example"), (LANTERN, "introduced", "1987"),
            (HARBOUR, "developedBy", "theorist/greta-sample"), (HARBOUR, "introduced", "1992"),
            (LANTERN, "addressesCondition", "condition/insomnia")} <= found
    assert (HARBOUR, "addressesCondition", "condition/insomnia") not in found


def test_table_records_layouts() -> None:
    assert table_records([["Founder", "Ann Example"], ["Year", "1987"]], 0) == [
        ("Founder: Ann Example", "para"), ("Year: 1987", "para")]
    assert table_records([["", "CBT", "DBT"], ["Developed by", "Beck", "Linehan"]], 1) == [
        ("CBT", "heading"), ("Developed by: Beck", "para"), ("DBT", "heading"), ("Developed by: Linehan", "para")]
    assert table_records([["Approach", "Founder"], ["CBT", "Beck"], ["DBT", "Linehan"]], 1) == [
        ("CBT", "heading"), ("Founder: Beck", "para"), ("DBT", "heading"), ("Founder: Linehan", "para")]
    assert table_records([["one cell"]], 0) is None
    assert table_records([["Intro", " ".join(["word"] * 41)], ["x", "y"]], 0) is None  # prose: a layout table


def test_a_layout_table_around_paragraphs_is_read_as_text() -> None:
    html = ("<html><body><h1>Lantern therapy</h1><table><tr><td><p>Lantern therapy was developed by Ann Example."
            "</p></td><td><p>Menu</p></td></tr></table></body></html>")
    text, _headings = readable_text(html)
    assert "Lantern therapy was developed by Ann Example." in text
    assert "Developed by:" not in text
