"""Pages registered with the store: clean refusals, several paths at once, unreadable or deleted registered pages,
and `tkg pages list | remove | review` over the kitchen-sink content."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from graph.cli.main import main
from graph.pipeline.store import registered_pages
from ontology.namespace import entity_id_of
from ontology.records import ENTITY_RELATIONS, LITERAL_RELATIONS
from tests.conftest import KITCHEN_SINK

PAGES = Path(__file__).resolve().parents[1] / "resources" / "pages"
DDP_PAGE = ("Dyadic Developmental Psychotherapy\n\nDyadic Developmental Psychotherapy (DDP) was developed by Ann "
            "Example in 1975. It is a form of Cognitive Behavioral Therapy.\n")


@pytest.fixture()
def store(tmp_path: Path) -> Path:
    return tmp_path / "store"


@pytest.fixture()
def tkg(store: Path):
    """Invoke `tkg --store STORE --content KITCHEN_SINK ...` in-process; stdout and stderr kept apart."""
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(main, ["--store", str(store), "--content", str(KITCHEN_SINK), *args])

    return invoke


@pytest.fixture()
def saved(tmp_path: Path) -> Path:
    """A folder of three saved pages (text, Markdown, HTML) copied from the development pages."""
    folder = tmp_path / "saved"
    folder.mkdir()
    for name in ("dbt-encyclopedia.txt", "ifs-guide.md", "cbt-saved-page.html"):
        shutil.copy(PAGES / name, folder / name)
    return folder


def sources(tkg) -> int:  # noqa: ANN001 - the fixture above
    result = tkg("stats", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["sources"]


def test_pages_option_takes_several_paths_as_the_readme_says(tkg, saved: Path, tmp_path: Path, store: Path) -> None:
    ddp = tmp_path / "ddp-notes.txt"
    ddp.write_text(DDP_PAGE)
    result = tkg("build", "--pages", str(saved / "dbt-encyclopedia.txt"), str(saved / "ifs-guide.md"), str(ddp))
    assert result.exit_code == 0, result.output
    assert [p.name for p in registered_pages(store)] == ["dbt-encyclopedia.txt", "ifs-guide.md", "ddp-notes.txt"]
    assert sources(tkg) == 2 + 3


def test_a_refused_page_gives_one_line_and_exit_1(tkg, saved: Path, tmp_path: Path, store: Path) -> None:
    picture = tmp_path / "photo.html"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    for args, line in [
        (("ingest", str(picture), str(saved)), f"error: {picture}: this is a PNG image, not a text, Markdown or HTML "
                                                "page"),
        (("build", "--pages", str(fifo)), f"error: {fifo}: is a named pipe (FIFO), not a regular file; only saved "
                                          "pages can be read"),
        (("build", "--pages", "/dev/zero"), "error: /dev/zero: is a character device, not a regular file; only "
                                            "saved pages can be read"),
        (("ingest", str(tmp_path / "gone.txt")), f"error: {tmp_path / 'gone.txt'}: no such page file or folder"),
    ]:
        result = tkg(*args)
        assert result.exit_code == 1
        assert result.stderr.splitlines() == [line]
        assert "Traceback" not in result.output
    assert registered_pages(store) == []  # nothing was added


def test_unreadable_registered_page_keeps_the_last_good_store(tkg, saved: Path, store: Path) -> None:
    assert tkg("ingest", str(saved)).exit_code == 0
    before = sources(tkg)
    page = saved / "dbt-encyclopedia.txt"
    page.write_bytes(b"\x00\x01binary\x00" * 40)
    for args in (("stats",), ("lineage", "DDP"), ("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")):
        result = tkg(*args)
        assert result.exit_code == 0, result.output
        warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
        assert warnings == [f"warning: registered page {page}: binary data (NUL bytes), not a text, Markdown or HTML "
                            f"page; serving the last good build (restore it, or `tkg pages remove {page}`)"]
    assert sources(tkg) == before
    lineage = tkg("lineage", "DDP")
    assert "Attachment-Focused Psychotherapy" in lineage.stdout
    page.unlink()
    os.mkfifo(page)  # a FIFO is refused from stat, never opened
    result = tkg("stats")
    assert result.exit_code == 0 and "is a named pipe (FIFO)" in result.stderr and "serving the last good" in \
        result.stderr
    forced = tkg("build", "--force")
    assert forced.exit_code == 1
    assert forced.stderr.splitlines()[-1].startswith(f"error: registered page {page}: is a named pipe (FIFO)")


def test_deleted_registered_page_is_reported_and_left_out(tkg, saved: Path, store: Path) -> None:
    assert tkg("ingest", str(saved)).exit_code == 0
    assert sources(tkg) == 5
    gone = saved / "ifs-guide.md"
    gone.unlink()
    result = tkg("stats", "--json")
    assert result.exit_code == 0
    assert f"warning: registered page {gone} no longer exists; the graph is built without it" in result.stderr
    assert json.loads(result.stdout)["sources"] == 4
    listed = json.loads(tkg("pages", "list", "--json").stdout)
    assert [(row["source_id"], row["status"]) for row in listed] == [
        ("page-cbt-saved-page", "ok"), ("page-dbt-encyclopedia", "ok"), ("page-ifs-guide", "missing")]


def test_pages_list_shows_ids_formats_status_and_facts(tkg, saved: Path, store: Path) -> None:
    assert "No pages are registered" in tkg("pages", "list").stdout
    assert tkg("ingest", str(saved)).exit_code == 0
    rows = json.loads(tkg("pages", "list", "--json").stdout)
    relations = " ".join(f"tkg:{name}" for name in (*ENTITY_RELATIONS, *LITERAL_RELATIONS))
    query = f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} VALUES ?p {{ {relations} }} }} GROUP BY ?g"
    bindings = json.loads(tkg("query", query, "--format", "json").stdout)["results"]["bindings"]
    facts = {entity_id_of(row["g"]["value"]): int(row["n"]["value"]) for row in bindings}
    assert [(r["source_id"], r["format"], r["status"]) for r in rows] == [
        ("page-cbt-saved-page", "html", "ok"), ("page-dbt-encyclopedia", "text", "ok"),
        ("page-ifs-guide", "markdown", "ok")]
    for row in rows:
        assert row["facts"] == facts[f"source/{row['source_id']}"] > 5
    text = tkg("pages", "list").stdout.splitlines()
    assert text[0].split() == ["source", "id", "format", "status", "facts", "path"]
    assert text[2].split()[:3] == ["page-dbt-encyclopedia", "text", "ok"]


def test_pages_remove_by_id_path_or_folder_rebuilds(tkg, saved: Path, store: Path) -> None:
    assert tkg("ingest", str(saved)).exit_code == 0
    result = tkg("pages", "remove", "page-dbt-encyclopedia")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == f"removed: {saved / 'dbt-encyclopedia.txt'}"
    assert result.stdout.splitlines()[1].startswith("built: ")
    assert sources(tkg) == 4
    assert tkg("pages", "remove", str(saved / "ifs-guide.md")).exit_code == 0
    assert [p.name for p in registered_pages(store)] == ["cbt-saved-page.html"]
    unknown = tkg("pages", "remove", "page-nothing")
    assert unknown.exit_code == 2
    assert unknown.stderr.strip() == "error: no registered page matches 'page-nothing'; `tkg pages list` shows them"
    assert tkg("pages", "remove", str(saved)).exit_code == 0
    assert registered_pages(store) == [] and sources(tkg) == 2


def test_pages_review_lists_contradictions_in_labels(tkg, tmp_path: Path, store: Path) -> None:
    page = tmp_path / "ddp-notes.txt"
    page.write_text(DDP_PAGE)
    result = tkg("pages", "review", str(page))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"page-ddp-notes: Dyadic Developmental Psychotherapy  ({page})"
    assert "Dyadic Developmental Psychotherapy was developed by Ann Example  [another developer; curated: Daniel " \
           "Hughes (kitchen-sink)]" in [line.strip() for line in lines]
    assert "Dyadic Developmental Psychotherapy was introduced in 1975  [another introduction year; curated: 1990s " \
           "(kitchen-sink)]" in [line.strip() for line in lines]
    assert "modality/" not in result.stdout and "theorist/" not in result.stdout
    payload = json.loads(tkg("pages", "review", str(page), "--json").stdout)
    assert [(row["relation"], row["value"], row["conflict"]) for row in payload[0]["contradicts"]][:2] == [
        ("developedBy", "Ann Example", "another developer"), ("introduced", "1975", "another introduction year")]
    assert {(e["label"], e["known"]) for e in payload[0]["entities"]} >= {
        ("Dyadic Developmental Psychotherapy", True), ("Ann Example", False)}
    assert registered_pages(store) == []  # a review changes nothing


def test_pages_review_without_paths_reviews_every_registered_page(tkg, saved: Path) -> None:
    assert tkg("pages", "review").stdout.startswith("No pages to review")
    assert tkg("ingest", str(saved)).exit_code == 0
    payload = json.loads(tkg("pages", "review", "--json").stdout)
    assert [row["source_id"] for row in payload] == ["page-cbt-saved-page", "page-dbt-encyclopedia",
                                                     "page-ifs-guide"]
    for row in payload:  # registered pages are in the graph already, yet their own entities still count as new
        assert row["adds"] and any(not e["known"] for e in row["entities"])
