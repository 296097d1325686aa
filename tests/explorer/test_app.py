"""Every explorer page run with AppTest against the bundled graph, asserting real values from it."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from graph.views.kg import KnowledgeGraph
from graph.views.lineage import shortest_path
from graph.views.neighbourhood import select_neighbourhood
from loaders.registry import extensions
from ontology.example_queries import example_query
from tests.explorer.conftest import link_labels, links

MBT = "modality/mentalization-based-treatment"
DDP = "modality/dyadic-developmental-psychotherapy"


def texts(app: AppTest, kind: str) -> list[str]:
    """The values of every element of one kind (markdown, text, page_link ...) on the page."""
    return [str(element.value) for element in app.get(kind)]


def unescape(text: str) -> str:
    """Markdown-escaped text as a reader sees it."""
    return text.replace("\\", "")


def test_search_finds_fonagy_and_links_to_him(open_page: Callable[..., AppTest]) -> None:
    app = open_page("search")
    app.text_input(key="search-text").input("Fonagy")
    app.button[0].click().run()  # the form's "Search" (Enter in the browser)
    found = [(label, params) for label, _, params in links(app) if label.startswith("Peter Fonagy — Theorist")]
    assert found == [(found[0][0], {"q": "Fonagy", "entity": "theorist/peter-fonagy"})], links(app)
    assert app.query_params["q"] == "Fonagy"


def test_search_by_acronym_says_which_alias_matched(open_page: Callable[..., AppTest]) -> None:
    app = open_page("search", q="MBT")
    assert ("Mentalization-Based Treatment — Modality · Anthony Bateman, Peter Fonagy · 1990s (also called MBT)"
            in link_labels(app))


def test_mbt_page_lists_developer_condition_lineage_and_sources(open_page: Callable[..., AppTest],
                                                                kg: KnowledgeGraph) -> None:
    app = open_page("search", entity=MBT)
    assert unescape(app.header[0].value) == "Mentalization-Based Treatment"
    found = links(app)
    assert ("Peter Fonagy", "./", {"entity": "theorist/peter-fonagy"}) in found
    assert "Borderline personality disorder" in link_labels(app)
    assert ("Open the family tree and timeline", "lineage", {"entity": MBT}) in found
    subheaders = texts(app, "subheader")
    assert "Developed by" in subheaders and "Conditions" in subheaders
    origins = "\n".join(text for text in texts(app, "markdown") if "↑" in text)
    assert ">Attachment Theory</a> grounds Mentalization-Based Treatment" in origins
    facts = app.dataframe[0].value
    row = facts[facts["fact"] == "Mentalization-Based Treatment was developed by Peter Fonagy"]
    assert len(row) == 1
    source_ids = kg.entity(MBT)["sources"]
    titles = {r["t"] for r in kg.select("SELECT ?t WHERE { GRAPH ?g { ?g dct:title ?t } }")}
    assert row["source"].iloc[0] and all(part in titles for part in row["source"].iloc[0].split("; "))
    assert source_ids


def test_unknown_entity_in_url_is_a_message(open_page: Callable[..., AppTest]) -> None:
    app = open_page("search", entity="modality/no-such-thing")
    assert "modality/no-such-thing" in unescape(app.error[0].value)


def test_lineage_page_tree_timeline_and_path(open_page: Callable[..., AppTest], kg: KnowledgeGraph) -> None:
    app = open_page("lineage", entity=MBT, **{"from": "theorist/peter-fonagy", "to": "theorist/john-bowlby"})
    outline = "\n".join(texts(app, "text"))
    assert outline.startswith("Mentalization-Based Treatment")
    assert "(is grounded in) Attachment Theory" in outline
    assert "John Bowlby" in outline
    timeline = app.dataframe[0].value
    assert list(timeline.columns) == ["decade", "count", "who / what"]
    assert timeline["decade"].iloc[0].endswith("0s")
    path = [line for line in unescape("\n".join(texts(app, "markdown"))).splitlines() if line[:1].isdigit()]
    assert len(path) == len(shortest_path(kg.nx, "theorist/peter-fonagy", "theorist/john-bowlby"))
    assert path[0].startswith("1. ") and "Peter Fonagy" in path[0]
    assert "John Bowlby" in path[-1]


def test_map_page_embeds_the_map_with_a_download(open_page: Callable[..., AppTest], kg: KnowledgeGraph) -> None:
    app = open_page("map", focus=MBT, depth="1", layout="radial")
    caption = unescape(app.caption[0].value)
    assert caption.endswith("entities around Mentalization-Based Treatment.")
    shown = int(caption.split()[0])
    assert shown > 5
    assert shown == select_neighbourhood(kg.nx, MBT, 1).graph.number_of_nodes()  # the maps' own selection
    assert app.slider[0].value == 1 and app.selectbox[1].value == "radial"
    assert len(app.get("download_button")) == 1
    assert app.query_params["focus"] == MBT


def test_map_page_label_size_reaches_the_map_and_the_url(open_page: Callable[..., AppTest]) -> None:
    app = open_page("map", focus=MBT, depth="1", labels="150")
    assert app.slider[1].label == "Label size (%)" and app.slider[1].value == 150
    assert app.query_params["labels"] == "150"
    html = str(app.get("iframe")[0].proto.srcdoc) if app.get("iframe") else ""
    assert '"size":30.0' in html.replace(" ", "")  # 20 px labels at 150 %


def test_sources_page_uploads_take_the_loader_registry_suffixes(open_page: Callable[..., AppTest]) -> None:
    app = open_page("sources")
    assert [list(upload.proto.type) for upload in app.get("file_uploader")] == [list(extensions("page"))]
    assert ".xhtml" in extensions("page")


def test_compare_page_highlights_what_is_shared(open_page: Callable[..., AppTest]) -> None:
    app = open_page("compare", m=f"{MBT},{DDP}")
    table = app.dataframe[0].value
    assert list(table.columns) == ["Mentalization-Based Treatment", "Dyadic Developmental Psychotherapy"]
    assert "Peter Fonagy" in table.loc["Developers", "Mentalization-Based Treatment"]
    assert "Daniel Hughes" in table.loc["Developers", "Dyadic Developmental Psychotherapy"]
    shared = unescape("\n".join(texts(app, "markdown")))
    assert "Grounded in:** Attachment Theory" in shared


def test_sparql_page_runs_the_examples_and_reports_errors(open_page: Callable[..., AppTest]) -> None:
    app = open_page("sparql", example="where-does-a-fact-come-from")
    assert app.text_area[0].value.startswith("# Where a fact comes from")
    example = example_query("where-does-a-fact-come-from")
    assert example is not None
    assert app.selectbox[0].value == example.stem
    about = [caption for caption in texts(app.main, "caption") if caption.startswith("About this example")]
    assert [unescape(caption) for caption in about] == ["About this example: " + example.description]
    assert unescape(about[0]).endswith("or the curator's note.")  # the whole comment, not its first line
    table = app.dataframe[0].value
    assert len(table) >= 1 and "source" in table.columns
    assert len(app.get("download_button")) == 2
    app.text_area[0].input("SELECT ?x WHERE { ?x tkg:nosuch }}").run()
    assert not app.exception
    assert app.error[0].value.startswith("The query did not run:")


@pytest.mark.slow
def test_sparql_page_stops_a_runaway_query_at_the_endpoint_timeout(open_page: Callable[..., AppTest]) -> None:
    app = open_page("sparql")
    app.text_area[0].input("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }").run()
    assert "took longer than 5 s" in unescape(app.error[0].value)


def test_sources_page_lists_sources_and_what_they_contribute(open_page: Callable[..., AppTest],
                                                            kg: KnowledgeGraph) -> None:
    app = open_page("sources", source="bretherton-1992")
    table = app.dataframe[0].value
    expected = {row["g"] for row in kg.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?g a tkg:Source } }")}
    assert {f"source/{s}" for s in table["source"]} == expected
    facts = app.dataframe[3].value
    assert (facts["object"] == "John Bowlby").any()


def test_uploading_a_page_extracts_it_and_adds_it_to_the_session(open_page: Callable[..., AppTest],
                                                                  seed_page: Path) -> None:
    app = open_page("sources")
    app.file_uploader[0].upload("seed-page.txt", seed_page.read_bytes(), "text/plain").run()
    assert not app.exception
    assert unescape(app.success[0].value).startswith("Read seed-page.txt as text")
    entities, facts = app.dataframe[-2].value, app.dataframe[-1].value
    marks = dict(zip(entities["entity"], entities["in the graph"], strict=True))
    assert marks["Mentalization-Based Treatment"] == "already in the graph"  # resolved onto the curated entity
    assert marks["Circle of Security"] == "already in the graph" and "modality/" not in " ".join(marks)
    quoted = facts[facts["subject"] == "Attachment-Focused Psychotherapy"]["evidence"]
    assert len(quoted) > 5 and (quoted.str.len() > 0).all()
    # the seed page is the source of curated facts: it confirms them and contradicts none
    assert not app.warning or "contradicts" not in unescape(app.warning[0].value)
    confirmed = facts[facts["review"] == "confirms curated"]
    assert ("Dyadic Developmental Psychotherapy", "was developed by", "Daniel Hughes") in set(
        zip(confirmed["subject"], confirmed["relation"], confirmed["object"], strict=True))
    app.button[0].click().run()
    assert not app.exception
    assert "seed-page.txt" in unescape("".join(texts(app, "caption")))
    app.switch_page("app_pages/search.py")
    app.query_params["entity"] = "modality/attachment-focused-psychotherapy"
    app.run()
    evidence = app.dataframe[0].value["evidence"]
    assert (evidence.str.len() > 20).any()  # quotes from the uploaded page, only in this session's graph


def test_upload_review_lists_contradictions_with_names(open_page: Callable[..., AppTest]) -> None:
    app = open_page("sources")
    page = (b"Dyadic Developmental Psychotherapy\n\nDyadic Developmental Psychotherapy (DDP) was developed by Ann "
            b"Example in 1975. It is a form of Cognitive Behavioral Therapy.\n")
    app.file_uploader[0].upload("ddp-notes.txt", page, "text/plain").run()
    assert not app.exception
    assert unescape(app.warning[0].value) == ("This page contradicts 3 curated fact(s); check them before adding "
                                              "it.")
    conflicts = app.dataframe[-3].value
    assert list(zip(conflicts["relation"], conflicts["page says"], conflicts["curated"], conflicts["conflict"],
                    strict=True)) == [
        ("was developed by", "Ann Example", "Daniel Hughes", "another developer"),
        ("was introduced in", "1975", "1990s", "another introduction year"),
        ("is a subtype of", "Cognitive behavioural therapy", "Attachment-Focused Psychotherapy", "another parent"),
    ]
    assert set(conflicts["subject"]) == {"Dyadic Developmental Psychotherapy"}
    entities = app.dataframe[-2].value
    assert dict(zip(entities["entity"], entities["in the graph"], strict=True)) == {
        "Dyadic Developmental Psychotherapy": "already in the graph", "Ann Example": "new",
        "Cognitive behavioural therapy": "already in the graph"}
    facts = app.dataframe[-1].value
    assert set(facts["review"]) == {"contradicts curated"}


def test_uploading_a_malformed_file_shows_a_message_not_a_traceback(open_page: Callable[..., AppTest]) -> None:
    app = open_page("sources")
    app.file_uploader[0].upload("notes.txt", b"\x89PNG\r\n\x1a\n\x00\x00binary", "text/plain").run()
    assert not app.exception
    message = unescape(app.error[0].value)
    assert message.startswith("This file could not be read as a page: notes.txt") and "PNG" in message


def test_choices_are_written_to_the_url(open_page: Callable[..., AppTest]) -> None:
    app = open_page("lineage")
    app.text_input(key="lineage-search").input("DDP").run()
    assert app.query_params["entity"] == DDP
    assert "Dyadic Developmental Psychotherapy" in app.text[0].value
    compare = open_page("compare", m=MBT)
    compare.text_input(key="compare-1-search").input("Emotionally Focused").run()
    assert compare.query_params["m"] == f"{MBT},modality/emotionally-focused-therapy"
    sparql = open_page("sparql")
    sparql.selectbox[0].select("modalities-by-decade").run()
    assert sparql.query_params["example"] == "modalities-by-decade"
    assert "decade" in sparql.dataframe[0].value.columns


def test_entity_page_shows_disagreeing_dates_with_their_sources(open_page: Callable[..., AppTest],
                                                               kg: KnowledgeGraph) -> None:
    app = open_page("search", entity="modality/dialectical-behaviour-therapy")
    caption = unescape(app.caption[0].value)
    assert caption.startswith("Modality · introduced 1980s / 1993 (sources disagree)")
    titles = {str(r["g"]).removeprefix("source/"): r["t"] for r in kg.select(
        "SELECT ?g ?t WHERE { GRAPH ?g { ?g dct:title ?t } }")}
    by_source = [unescape(text) for text in texts(app, "markdown") if text.startswith("**Introduced, by source:**")]
    assert by_source == [f"**Introduced, by source:** 1980s: {titles['linehan-1987']}; "
                         f"1993: {titles['sage-health-communication-dbt']}"]
    app = open_page("search", entity=DDP)
    assert unescape(app.caption[0].value).startswith("Modality · introduced 1990s")
    assert not [text for text in texts(app, "markdown") if text.startswith("**Introduced, by source:**")]


@pytest.mark.parametrize(("typed", "meant"), [
    ("Bowlbey", "John Bowlby — Theorist · 1907-1990"),
    ("Fonagi", "Peter Fonagy — Theorist"),
    ("Frued", "Sigmund Freud — Theorist · 1856-1939"),
    ("attachement", "Attachment Theory — Theory · John Bowlby, Mary Ainsworth · 1950s"),
])
def test_misspelt_search_says_did_you_mean_with_the_clis_suggestions(open_page: Callable[..., AppTest],
                                                                     kg: KnowledgeGraph, typed: str,
                                                                     meant: str) -> None:
    app = open_page("search", q=typed)
    assert unescape(app.info[0].value) == "Nothing matches that name exactly. Did you mean:"
    suggested = links(app)
    assert [params["entity"] for _, _, params in suggested] == [c.id for c in kg.names.suggest(typed)]
    assert 1 <= len(suggested) <= 5 and meant in [label for label, _, _ in suggested]


def test_british_spelling_finds_the_american_label(open_page: Callable[..., AppTest]) -> None:
    app = open_page("search", q="emotionally focussed")
    assert not app.info
    assert link_labels(app)[0].startswith(
        "Emotionally Focused Therapy — Modality · Leslie Greenberg, Sue Johnson · 1980s")
    app = open_page("search", q="dialectical behavior")
    assert any(label.startswith("Dialectical behaviour therapy — Modality") for label in link_labels(app))


def test_an_ambiguous_acronym_lists_every_meaning(open_page: Callable[..., AppTest]) -> None:
    app = open_page("search", q="EFT")
    warning = unescape(app.warning[0].value)
    assert warning.startswith("“EFT” has 2 meanings: ")
    assert "Emotion-focused therapy — Modality · Laura N. Rice, Leslie Greenberg, Robert Elliott · 1980s" in warning
    assert "Emotionally Focused Therapy — Modality · Leslie Greenberg, Sue Johnson · 1980s" in warning
    compare = open_page("compare", m=MBT)
    compare.text_input(key="compare-1-search").input("EFT").run()
    assert "has 2 meanings" in unescape(compare.warning[0].value)
    options = [unescape(option) for option in compare.selectbox[1].options]
    assert "Emotionally Focused Therapy — Modality · Leslie Greenberg, Sue Johnson · 1980s" in options
    assert any(option.startswith("Emotion-focused therapy — Modality · Laura N. Rice") for option in options)


def test_pickers_show_type_developers_and_decade(open_page: Callable[..., AppTest]) -> None:
    app = open_page("lineage", entity="theory/attachment-theory")
    assert unescape(app.selectbox[0].value and app.selectbox[0].options[0]) == (
        "Attachment Theory — Theory · John Bowlby, Mary Ainsworth · 1950s")
    misspelt = open_page("lineage")
    misspelt.text_input(key="lineage-search").input("Bowlbey").run()
    assert misspelt.query_params["entity"] == "theorist/john-bowlby"


HOSTILE_VALUES = ("abc", "9", "-1", "", "<script>alert(1)</script>", "'; DROP GRAPH <x> ; --", "%00\x00 ١ 2.5",
                  "x" * 5000)
PAGE_PARAMETERS = {
    "search": ("q", "entity"),
    "lineage": ("entity", "from", "to", "all"),
    "map": ("focus", "depth", "layout", "types", "relations"),
    "compare": ("m",),
    "sparql": ("example",),
    "sources": ("source",),
    "timeline": ("from", "to", "family"),
    "start": ("entity",),
}


@pytest.mark.slow
@pytest.mark.parametrize("page", sorted(PAGE_PARAMETERS))
def test_hostile_query_parameters_fall_back_with_a_note(open_page: Callable[..., AppTest], page: str) -> None:
    for value in HOSTILE_VALUES:
        app = open_page(page, **dict.fromkeys(PAGE_PARAMETERS[page], value))  # fails on any exception
        html_blocks = [m.value for m in app.markdown if m.proto.allow_html]
        assert not any("<script" in block for block in html_blocks)  # links carry it HTML-escaped, as text


@pytest.mark.parametrize(("depth", "problem"), [("abc", "is not a whole number"), ("9", "is outside 0-4"),
                                                ("-1", "is outside 0-4")])
def test_map_depth_out_of_range_is_the_default_with_a_note(open_page: Callable[..., AppTest], depth: str,
                                                           problem: str) -> None:
    app = open_page("map", focus=MBT, depth=depth)
    assert app.slider[0].value == 2
    notes = [unescape(caption) for caption in texts(app.main, "caption") if caption.startswith("The link")]
    assert notes == [f"The link's depth='{depth}' {problem}; showing 2 instead."]
    assert app.query_params["depth"] == "2"


def test_unknown_choices_in_the_url_are_noted(open_page: Callable[..., AppTest]) -> None:
    app = open_page("map", focus="modality/nope", layout="spiral", types="Modality,Dragon")
    notes = " ".join(unescape(caption) for caption in texts(app.main, "caption") if caption.startswith("The link"))
    assert "focus='modality/nope' is not an entity of this graph" in notes
    assert "layout='spiral' is not one of the choices; showing lineage instead" in notes
    assert "types='Dragon' names nothing known" in notes
    assert app.multiselect[0].value == ["Modality"] and app.query_params["focus"] == MBT
    sparql = open_page("sparql", example="no-such-example")
    assert "example='no-such-example' is not one of the choices" in unescape(" ".join(texts(sparql.main, "caption")))


def test_tree_arrows_read_as_plain_phrases_in_the_facts_direction(kg: KnowledgeGraph) -> None:
    from graph.views.explore import family_tree, tree_dot

    klein = "theorist/melanie-klein"
    dot = tree_dot(kg.nx, klein, family_tree(kg.nx, klein, "up"), family_tree(kg.nx, klein, "down"))
    assert '"theorist/melanie-klein" -> "theorist/karl-abraham" [label="was a student of"];' in dot
    assert "studentOf" not in dot and "rankdir=BT" in dot


def test_sparql_page_has_a_run_button_and_refuses_updates(open_page: Callable[..., AppTest]) -> None:
    app = open_page("sparql", example="modalities-by-decade")
    assert [button.label for button in app.button] == ["Run"]
    rows = len(app.dataframe[0].value)
    app.button[0].click().run()
    assert len(app.dataframe[0].value) == rows
    app.text_area[0].input("DELETE WHERE { ?s ?p ?o }").run()
    assert unescape(app.error[0].value).startswith("The query did not run: the graph is read-only")
    app.text_area[0].input("PREFIX x: <http://x/> INSERT DATA { x:a x:b x:c }").run()
    assert "read-only" in unescape(app.error[0].value)


def test_timeline_lists_approaches_by_decade_with_range_and_family(open_page: Callable[..., AppTest],
                                                                  kg: KnowledgeGraph) -> None:
    from graph.views.explore import approaches_by_decade

    dated, undated = approaches_by_decade(kg.nx)
    app = open_page("timeline")
    headings = [unescape(h) for h in texts(app, "subheader")]
    assert headings == [f"{decade}s ({len(ids)})" for decade, ids in dated]
    assert len(links(app)) == sum(len(ids) for _, ids in dated) + len(undated)
    assert any(label.startswith("Dialectical behaviour therapy — Modality") for label in link_labels(app))
    narrowed = open_page("timeline", **{"from": "1980", "to": "1980"})
    assert [unescape(h) for h in texts(narrowed, "subheader")] == [
        f"1980s ({len(ids)})" for decade, ids in dated if decade == 1980]
    cbt = open_page("timeline", family="modality/cognitive-behavioural-therapy")
    assert cbt.multiselect[0].value == ["modality/cognitive-behavioural-therapy"]
    assert 0 < len(links(cbt)) < len(links(app))


def test_start_page_holds_families_questions_and_a_glossary(open_page: Callable[..., AppTest],
                                                           kg: KnowledgeGraph) -> None:
    app = open_page("start")
    first = unescape(app.markdown[0].value)
    assert first.startswith(f"{kg.nx.number_of_nodes():,} entities and {kg.nx.number_of_edges():,} facts")
    found = links(app)
    assert ("How is DBT connected to Freud?", "lineage", {"from": "modality/dialectical-behaviour-therapy",
                                                           "to": "theorist/sigmund-freud"}) in found
    assert ("Cognitive behavioural therapy", "./", {"entity": "modality/cognitive-behavioural-therapy"}) in found
    glossary = [text for text in texts(app, "markdown") if "<b>was a student of</b> (studentOf)" in text]
    assert len(glossary) == 1 and "<b>is a subtype of</b>" in glossary[0] and "<b>is grounded in</b>" in glossary[0]


ATTACHMENT = "theory/attachment-theory"


def drawn_tree(app: AppTest) -> str:
    """The SVG of the lineage page's family tree."""
    return next(str(block.value) for block in app.markdown if 'class="tkg-tree"' in str(block.value))


def test_wide_family_tree_folds_large_sibling_groups_until_show_all(open_page: Callable[..., AppTest],
                                                                    kg: KnowledgeGraph) -> None:
    from graph.views.lineage import lineage_of

    children = [step.id for step in lineage_of(kg.nx, ATTACHMENT, "down") if step.depth == 1]
    assert len(children) == 18
    app = open_page("lineage", entity=ATTACHMENT)
    drawn = re.findall(r'data-entity="([^"]+)"', drawn_tree(app))
    assert [child for child in children if child in drawn] == children[:8]
    assert "+ 10 more" in drawn_tree(app) and 'href="lineage?entity=theory%2Fattachment-theory&amp;all=1"' in (
        drawn_tree(app))
    assert "11 more relatives are folded away" in unescape(" ".join(texts(app, "caption")))
    assert not app.toggle[0].value
    app.toggle[0].set_value(True).run()
    assert app.query_params["all"] == "1"
    relatives = {step.id for side in ("up", "down") for step in lineage_of(kg.nx, ATTACHMENT, side)}
    assert set(re.findall(r'data-entity="([^"]+)"', drawn_tree(app))) == relatives | {ATTACHMENT}
    assert "more" not in re.findall(r"<text[^>]*>([^<]*)</text>", drawn_tree(app))
    assert [label for label in re.findall(r"<text[^>]*>([^<]*)</text>", drawn_tree(app)) if "grounded" in label]


def test_entity_page_cites_its_sources_and_puts_disagreeing_dates_side_by_side(
        open_page: Callable[..., AppTest], kg: KnowledgeGraph) -> None:
    from datetime import date

    from graph.views.citations import profile_source_ids
    from graph.views.explore import entity_profile, provenance_tables

    dbt = "modality/dialectical-behaviour-therapy"
    app = open_page("search", entity=dbt)
    blocks = [str(block.value) for block in app.markdown]
    at = blocks.index("**Sources disagree on when it was introduced**")
    assert blocks[at + 1:at + 5:2] == ["**1980s**", "**1993**"]
    assert blocks[at + 2].startswith(
        '<div class="tkg-citation"><p>Linehan, M. M. (1987). Dialectical behavior therapy')
    assert "https://sk.sagepub.com/Reference/encyclopedia-of-health-communication/n123.xml" in blocks[at + 4]
    references = next(block for block in blocks if block.startswith('<ol class="tkg-references">'))
    # one entry per source behind the page: the entity's own, its facts' and its datings' (6 in the bundled content)
    profile = entity_profile(kg.nx, dbt, *provenance_tables(kg)[1:2])
    assert references.count("<li>") == len(profile_source_ids(profile)) >= 5
    assert "Linehan, M. M. (1993). <i>Cognitive-Behavioral Treatment" in references
    assert references.index("Dialectical behavior therapy (Encyclopedia") < references.index("Linehan, M. M. (1987)")
    facts = app.dataframe[0].value
    row = facts[facts["fact"] == "Dialectical behaviour therapy was developed by Marsha Linehan"]
    assert "Linehan, 1993" in row["cited as"].iloc[0]
    assert app.code[0].value == (
        f"therapy-kg. (n.d.). Dialectical behaviour therapy [Knowledge graph entry]. Retrieved "
        f"{date.today():%B} {date.today().day}, {date.today().year}, from "
        "./?entity=modality%2Fdialectical-behaviour-therapy")
    existential = open_page("search", entity="theory/existential-theory")
    references = next(str(b.value) for b in existential.markdown if str(b.value).startswith('<ol class="tkg-ref'))
    assert "<li>May, R., Angel, E., &amp; Ellenberger, H. F. (Eds.). (1958). <i>Existence: A New Dimension" in (
        references)


def test_map_page_has_the_map_in_words_as_its_text_alternative(open_page: Callable[..., AppTest],
                                                               kg: KnowledgeGraph) -> None:
    app = open_page("map", focus=MBT, depth="1")
    chosen = select_neighbourhood(kg.nx, MBT, 1, max_nodes=300).graph
    assert [expander.label for expander in app.expander] == [
        f"The map in words: {chosen.number_of_nodes():,} entities and {chosen.number_of_edges():,} facts"]
    entities = next(str(b.value) for b in app.markdown if str(b.value).startswith('<ul class="tkg-map-entities">'))
    facts = next(str(b.value) for b in app.markdown if str(b.value).startswith('<ul class="tkg-map-facts">'))
    assert entities.count("<li>") == chosen.number_of_nodes() and facts.count("<li>") == chosen.number_of_edges()
    assert ('<li><a href="./?entity=modality%2Fmentalization-based-treatment" target="_self">'
            'Mentalization-Based Treatment</a> was developed by <a href="./?entity=theorist%2Fpeter-fonagy" '
            'target="_self">Peter Fonagy</a></li>') in facts


@pytest.mark.parametrize("typed", ["1980s", "the 1980s", "1980's"])
def test_searching_a_decade_opens_the_timeline_at_that_decade(open_page: Callable[..., AppTest],
                                                              kg: KnowledgeGraph, typed: str) -> None:
    from graph.views.explore import approaches_by_decade

    app = open_page("search")
    app.text_input(key="search-text").input(typed)
    app.button[0].click().run()
    assert not app.exception
    assert app.title[0].value == "Timeline"
    assert dict(app.query_params) == {"from": "1980", "to": "1980"}
    dated, _ = approaches_by_decade(kg.nx)
    assert [unescape(h) for h in texts(app, "subheader")] == [f"1980s ({len(ids)})" for d, ids in dated if d == 1980]
