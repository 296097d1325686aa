"""Page loaders: formats, decoding, bad input, name resolution, EFT by context, and the extract command."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.cli.main import main
from graph.pipeline.corpus import BUNDLED_CONTENT, assemble, content_files, read_content
from graph.pipeline.resolve import PageResolver
from graph.views.kg import load_graph
from loaders import page_html, page_markdown, page_text
from loaders.extract import extract_records
from loaders.extract.names import disambiguate_eft, person_id
from loaders.extract.segment import split_sentences
from loaders.registry import detect_format, load_page, read_page
from ontology.names import NameIndex
from ontology.records import Entity, Extraction, Fact, RecordError, Source

PAGES = Path(__file__).resolve().parent.parent / "resources" / "pages"
SOURCE = Source("page-test", "test page", "web-page")


def facts_of(records: list[Entity | Fact]) -> set[tuple[str, str, str]]:
    return {(r.subject, r.predicate, str(r.object)) for r in records if isinstance(r, Fact)}


# ---- structure ------------------------------------------------------------------------------------------------


def test_sentences_do_not_break_at_initials_or_titles() -> None:
    text = "Dr. Susan M. Johnson developed it. Later work followed."
    spans = split_sentences(text, 0, len(text))
    assert [text[s:e] for s, e in spans] == ["Dr. Susan M. Johnson developed it.", "Later work followed."]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Sue Johnson", "theorist/susan-johnson"),
        ("Susan M. Johnson", "theorist/susan-johnson"),
        ("Dr. Susan Johnson", "theorist/susan-johnson"),
        ("Marsha M. Linehan, PhD", "theorist/marsha-linehan"),
    ],
)
def test_person_name_variants_share_one_id(name: str, expected: str) -> None:
    assert person_id(name) == expected


def test_format_detection_by_extension_and_content(tmp_path: Path) -> None:
    assert detect_format(tmp_path / "a.md", "text").name == "markdown"
    assert detect_format(tmp_path / "a.htm", "text").name == "html"
    assert detect_format(tmp_path / "a.txt", "<!DOCTYPE html><html><p>x</p></html>").name == "html"
    assert detect_format(tmp_path / "page", "# Title\n\nSome [link](http://x).").name == "markdown"
    assert detect_format(tmp_path / "page", "Plain words here.").name == "text"


def test_same_page_in_three_formats_yields_the_same_facts() -> None:
    text = (
        "Schema Therapy\n\nSchema Therapy (ST) was developed by Jeffrey Young in the 1990s. It grew out of "
        "Cognitive Therapy (CT). It is effective for borderline personality disorder.\n"
    )
    markdown = text.replace("Schema Therapy\n", "# Schema Therapy\n", 1).replace("Jeffrey Young", "**Jeffrey Young**")
    html = (
        "<html><head><title>x</title><script>var a = 'Loading...';</script></head><body><nav>Home</nav><main>"
        "<h1>Schema Therapy</h1><p>Schema Therapy (ST) was developed by <a href='#'>Jeffrey Young</a> in the "
        "1990s. It grew out of Cognitive Therapy (CT). It is effective for borderline personality disorder.</p>"
        "</main><footer>Sign up</footer></body></html>"
    )
    from_text = facts_of(list(page_text.parse(text, SOURCE)))
    assert from_text == facts_of(list(page_markdown.parse(markdown, SOURCE)))
    assert from_text == facts_of(list(page_html.parse(html, SOURCE)))
    assert ("modality/schema-therapy", "developedBy", "theorist/jeffrey-young") in from_text
    assert ("modality/schema-therapy", "introduced", "1990s") in from_text
    assert ("modality/schema-therapy", "derivedFrom", "modality/cognitive-therapy") in from_text


# ---- patterns named in the issue --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Gamma Therapy was created by Ann Lee.", ("modality/gamma-therapy", "developedBy", "theorist/ann-lee")),
        ("Ann Lee developed Gamma Therapy in 1987.", ("modality/gamma-therapy", "developedBy", "theorist/ann-lee")),
        ("Ann Lee developed Gamma Therapy in 1987.", ("modality/gamma-therapy", "introduced", "1987")),
        (
            "Gamma Therapy was devised by Ann Lee and Bo Park.",
            ("modality/gamma-therapy", "developedBy", "theorist/bo-park"),
        ),
        (
            "Gamma Therapy was originated by Ann Lee in the late 1980s.",
            ("modality/gamma-therapy", "introduced", "1980s"),
        ),
        (
            "Gamma Therapy is a modified form of Delta Therapy.",
            ("modality/gamma-therapy", "derivedFrom", "modality/delta-therapy"),
        ),
        (
            "Gamma Therapy is based on attachment theory.",
            ("modality/gamma-therapy", "groundedIn", "theory/attachment-theory"),
        ),
        (
            "Gamma Therapy grew out of Delta Therapy.",
            ("modality/gamma-therapy", "derivedFrom", "modality/delta-therapy"),
        ),
        ("Ann Lee's work on Gamma Therapy began early.", ("modality/gamma-therapy", "developedBy", "theorist/ann-lee")),
        (
            "Gamma Therapy is designed for couples.",
            ("modality/gamma-therapy", "servesPopulation", "population/couples"),
        ),
        (
            "Gamma Therapy is effective for borderline personality disorder.",
            ("modality/gamma-therapy", "addressesCondition", "condition/borderline-personality-disorder"),
        ),
    ],
)
def test_issue_patterns(sentence: str, expected: tuple[str, str, str]) -> None:
    text = f"Gamma Therapy\n\n{sentence}\n"
    assert expected in facts_of(extract_records(text, SOURCE))


# ---- EFT and resolution -------------------------------------------------------------------------------------------


def test_bare_eft_is_resolved_by_context() -> None:
    assert disambiguate_eft("EFT helps couples; Sue Johnson") == "modality/emotionally-focused-therapy"
    assert disambiguate_eft("EFT, Greenberg's emotion-focused individual therapy") == "modality/emotion-focused-therapy"
    assert disambiguate_eft("EFT tapping on acupressure points (Emotional Freedom Techniques)") is None


def test_emotional_freedom_techniques_is_not_a_modality() -> None:
    text = (
        "Tapping\n\nEmotional Freedom Techniques (EFT) is tapping on acupressure points. EFT was devised by Gary "
        "Craig in the 1990s.\n"
    )
    records = extract_records(text, SOURCE)
    assert not [r for r in records if isinstance(r, Entity) and r.type == "Modality"]


def test_resolution_maps_variants_to_curated_and_keeps_unknowns_new() -> None:
    index = NameIndex(
        [
            ("theorist/susan-johnson", "Theorist", "Sue Johnson", ["Susan M. Johnson"]),
            ("modality/emotionally-focused-therapy", "Modality", "Emotionally Focused Therapy", ["EFT"]),
            ("modality/emotion-focused-therapy", "Modality", "Emotion-Focused Therapy", ["EFT"]),
        ]
    )
    text = (
        "Couples work\n\nEmotionally Focused Couple Therapy was developed by Dr. Susan Johnson. Later, Zed "
        "Quill's work on Emotionally Focused Couple Therapy added a module.\n"
    )
    resolved = PageResolver(index)(read_text_extraction(text))
    facts = {(f.subject, f.predicate, f.object) for f in resolved.facts}
    assert ("modality/emotionally-focused-therapy", "developedBy", "theorist/susan-johnson") in facts
    ids = {e.id for e in resolved.entities}
    assert "theorist/zed-quill" in ids and "modality/emotion-focused-therapy" not in ids
    assert all(e.source == "page-test" for e in resolved.entities)


def test_never_merges_two_curated_entities() -> None:
    index = NameIndex(
        [
            ("population/adults", "Population", "Adults", ["Grown-ups"]),
            ("population/older-adults", "Population", "Older adults", ["Grown-ups"]),
        ]
    )
    entity = Entity("population/grown-ups", "Population", "Grown-ups", "page-test")
    assert PageResolver(index).match(entity) is None


def read_text_extraction(text: str) -> Extraction:
    records = extract_records(text, SOURCE)
    return Extraction(
        SOURCE, [r for r in records if isinstance(r, Entity)], [r for r in records if isinstance(r, Fact)]
    )


def test_seed_resolves_onto_curated_content(seed_page: Path) -> None:
    index = assemble(read_content(content_files([BUNDLED_CONTENT]))).name_index()
    extraction = read_page(seed_page, PageResolver(index))
    facts = {(f.subject, f.predicate, f.object) for f in extraction.facts}
    assert ("modality/emotionally-focused-therapy", "developedBy", "theorist/susan-johnson") in facts
    assert (
        "modality/attachment-focused-psychotherapy",
        "hasPhase",
        "phase/attachment-focused-building-safety",
    ) in facts


# ---- bad input ----------------------------------------------------------------------------------------------------


def test_empty_file_is_a_clear_error(tmp_path: Path) -> None:
    page = tmp_path / "empty.txt"
    page.write_text("  \n\n")
    with pytest.raises(RecordError, match="empty.txt: the file is empty"):
        read_page(page)


def test_binary_file_is_a_clear_error(tmp_path: Path) -> None:
    page = tmp_path / "picture.html"
    page.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with pytest.raises(RecordError, match="picture.html: this is a PNG image"):
        read_page(page)
    noise = tmp_path / "noise.txt"
    noise.write_bytes(bytes([0, 1, 2, 3, 250, 7]) * 500)
    with pytest.raises(RecordError, match="noise.txt"):
        read_page(noise)


def test_latin1_and_utf16_pages_decode(tmp_path: Path) -> None:
    text = "Schema Therapy\n\nSchema Therapy was developed by Jeffrey Young in the 1990s for café owners.\n"
    latin = tmp_path / "latin.txt"
    latin.write_bytes(text.encode("latin-1"))
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    for page in (latin, utf16):
        reading = load_page(page)
        assert "café" in reading.text
        assert ("modality/schema-therapy", "developedBy", "theorist/jeffrey-young") in {
            (f.subject, f.predicate, f.object) for f in reading.extraction.facts
        }
    assert any("Windows-1252" in w for w in load_page(latin).warnings)


def test_too_large_file_is_refused_without_reading(tmp_path: Path) -> None:
    page = tmp_path / "huge.txt"
    with page.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(RecordError, match=r"huge.txt: the file is too large \(50.0 MB"):
        read_page(page)


def test_html_with_only_scripts_gives_an_empty_result_with_a_warning(tmp_path: Path) -> None:
    page = tmp_path / "scripts.html"
    page.write_text(
        "<html><head><script>var x = '<p>Schema Therapy</p>';</script></head><body>"
        "<script>document.write('DBT was developed by Marsha Linehan')</script></body></html>"
    )
    reading = load_page(page)
    assert reading.extraction.facts == [] and reading.extraction.entities == []
    assert any("no readable text" in w for w in reading.warnings)


def test_page_naming_no_modality_warns_and_invents_nothing(tmp_path: Path) -> None:
    page = tmp_path / "recipe.txt"
    page.write_text("Banana bread\n\nMash three bananas. Bake for an hour in the 1990s style.\n")
    reading = load_page(page)
    assert reading.extraction.facts == []
    assert any("names no therapy approach" in w for w in reading.warnings)


def test_hostile_names_stay_plain_text() -> None:
    text = (
        "Gamma Therapy\n\nGamma Therapy was developed by Robert'); DROP Theorist; MATCH (n) DETACH DELETE n "
        'and by <script>alert(1)</script> Ann "Lee" } INSERT DATA { <a> <b> <c> }.\n'
    )
    records = extract_records(text, SOURCE)
    for record in records:
        if isinstance(record, Entity):
            assert "<" not in record.id and "'" not in record.id and " " not in record.id
            assert all(ch.isalnum() or ch in "/-" for ch in record.id)


# ---- property-based -----------------------------------------------------------------------------------------------

_WORDS = st.sampled_from(
    [
        "Therapy",
        "Schema",
        "developed",
        "by",
        "Ann",
        "Lee",
        "(ST)",
        "in",
        "the",
        "1990s",
        "for",
        "couples",
        "EFT",
        "•",
        "-",
        "1.",
        "\n",
        "\n\n",
        ":",
        "“quoted”",
        "depression",
        "grew",
        "out",
        "of",
        "theory",
        "Dr.",
        "M.",
        "’s",
        "work",
        "on",
        "phases",
        "stages",
        "<p>",
        "</p>",
        "<h2>",
        "#",
        "**",
        "é",
        "\t",
        "\r\n",
        "\x00",
        "Loading...",
    ]
)


NOISE = st.one_of(st.lists(_WORDS, max_size=80).map(" ".join), st.text(max_size=400))


def assert_records_quote_exactly(text: str) -> None:
    """Every format's parser yields records from ``text``, and each quoted evidence sits at its offsets."""
    for module in (page_text, page_markdown, page_html):
        parsed_text = module.readable_text(text)[0]
        for record in module.parse(text, SOURCE):
            assert isinstance(record, Entity | Fact)
            if isinstance(record, Fact) and record.evidence is not None:
                evidence = record.evidence
                assert parsed_text[evidence.start : evidence.end] == evidence.text


@pytest.fixture(scope="module")
def seed_text(seed_page: Path) -> str:
    return seed_page.read_text(encoding="utf-8")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NOISE)
def test_random_pages_yield_records_with_exact_evidence(noise: str) -> None:
    assert_records_quote_exactly(noise)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NOISE, st.integers(min_value=0), st.text(max_size=30))
def test_mutated_seed_pages_yield_records_with_exact_evidence(seed_text: str, noise: str, cut: int,
                                                              insert: str) -> None:
    cut %= len(seed_text) + 1
    assert_records_quote_exactly(seed_text[:cut] + insert + noise + seed_text[cut:])


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=600))
def test_random_bytes_give_records_or_a_typed_error(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    page = tmp_path_factory.mktemp("bytes") / "page.txt"
    page.write_bytes(data)
    try:
        reading = load_page(page)
    except RecordError as error:
        assert "page.txt" in str(error)
        return
    for fact in reading.extraction.facts:
        assert reading.text[fact.evidence.start : fact.evidence.end] == fact.evidence.text


# ---- the command --------------------------------------------------------------------------------------------------


def test_extract_command_prints_the_json_contract() -> None:
    result = CliRunner().invoke(main, ["extract", str(PAGES / "cbt-saved-page.html"), "--json", "--no-resolve"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["format"] == "html" and "readable text" in payload["offsets_into"]
    facts = {(f["subject"], f["predicate"], f["object"]) for f in payload["facts"]}
    assert ("modality/cognitive-behavioral-therapy", "developedBy", "theorist/aaron-beck") in facts
    text = load_page(PAGES / "cbt-saved-page.html").text
    for fact in payload["facts"]:
        assert text[fact["evidence"]["start"] : fact["evidence"]["end"]] == fact["evidence"]["text"]
    assert not any(
        "Sponsored" in f["evidence"]["text"] or "directory" in f["evidence"]["text"] for f in payload["facts"]
    )


def test_extract_command_table_and_user_error_exit_code(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["extract", str(PAGES / "dbt-encyclopedia.txt"), "--no-resolve"])
    assert result.exit_code == 0 and "Marsha M. Linehan" in result.output
    empty = tmp_path / "empty.md"
    empty.write_text("")
    result = CliRunner().invoke(main, ["extract", str(empty)])
    assert result.exit_code == 2 and "empty.md: the file is empty" in result.output


def test_page_entity_named_like_a_curated_entity_of_another_type_stays_distinct() -> None:
    index = NameIndex(
        [("modality/behavioural-activation", "Modality", "Behavioural Activation", ["Behavioral activation"])]
    )
    text = "Gamma Therapy\n\nGamma Therapy uses techniques such as behavioral activation and exposure.\n"
    resolved = PageResolver(index)(read_text_extraction(text))
    technique = next(e for e in resolved.entities if e.type == "Technique" and e.id.endswith("behavioral-activation"))
    assert technique.id == "technique/behavioral-activation"
    assert technique.label == "Behavioral activation (technique)"


def test_build_with_pages_validates_and_keeps_evidence(tmp_path: Path) -> None:
    kg = load_graph(tmp_path / "store", pages=[PAGES])
    edges = kg.nx.get_edge_data("modality/eye-movement-desensitization-and-reprocessing", "theorist/francine-shapiro")
    if edges is None:  # the curated content may name EMDR differently; resolve it the way users do
        emdr = kg.resolve("EMDR")
        edges = kg.nx.get_edge_data(emdr, kg.resolve("Francine Shapiro"))
    evidence = [e for e in edges["developedBy"]["evidence"] if e["source"] == "page-emdr-clinic"]
    assert evidence and "created by Francine Shapiro" in evidence[0]["text"]


def test_two_pages_numbering_one_phase_differently_build_and_keep_the_first(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "harbour-a.txt").write_text(
        "Harbour Therapy\n\nHarbour therapy was developed by Ann Example.\n\nThe phases of treatment:\n\n"
        "1. Engagement\n2. Behaviour change\n3. Generalisation\n", encoding="utf-8")
    (folder / "harbour-b.txt").write_text(
        "Harbour Therapy\n\nHarbour therapy was developed by Ann Example.\n\nThe phases of treatment:\n\n"
        "1. Engagement\n2. Motivation\n3. Behaviour change\n", encoding="utf-8")
    with caplog.at_level("WARNING", logger="therapy_kg.build"):
        kg = load_graph(tmp_path / "store", pages=[folder])
    rows = kg.query("""
        SELECT ?order WHERE { ?phase skos:prefLabel ?label ; tkg:phaseOrder ?order .
                              FILTER(LCASE(STR(?label)) = "behaviour change") }""")
    assert [int(row[0].value) for row in rows] == [2]
    assert any("is number 3 here but number 2 in page-harbour-a" in message for message in caplog.messages)


def test_a_theory_gets_no_typical_duration(tmp_path: Path) -> None:
    page = tmp_path / "harbour-theory.md"
    page.write_text("# Harbour theory\n\nHarbour theory was proposed by Ann Example in 1994.\n\n## Length\n\n"
                    "Courses based on it typically last 12 weeks.\n", encoding="utf-8")
    facts = load_page(page).extraction.facts
    assert not [f for f in facts if isinstance(f, Fact) and f.predicate == "typicalDuration"]
    assert any(isinstance(f, Fact) and f.predicate == "developedBy" for f in facts)
