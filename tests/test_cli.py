"""The `tkg` command line: real output and exit codes over a small content folder and the seed content."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli.main import main
from tests.conftest import KITCHEN_SINK


@pytest.fixture()
def run(tmp_path: Path):
    """Invoke `tkg --store TMP --content KITCHEN_SINK ...` in-process and return the click result."""
    runner = CliRunner()

    def invoke(*args: str, content: Path = KITCHEN_SINK):
        return runner.invoke(main, ["--store", str(tmp_path / "store"), "--content", str(content), *args])

    return invoke


def test_every_command_has_help() -> None:
    runner = CliRunner()
    top = runner.invoke(main, ["--help"])
    assert top.exit_code == 0
    commands = [line.split()[0] for line in top.output.split("Commands:")[1].strip().splitlines()]
    assert {"build", "stats", "query", "lineage", "path", "central"} <= set(commands)
    for command in commands:
        result = runner.invoke(main, [command, "--help"])
        assert result.exit_code == 0, command
        assert "Usage:" in result.output


def test_build_then_up_to_date(run) -> None:
    first = run("build")
    assert first.exit_code == 0 and first.stdout.startswith("built:")
    second = run("build")
    assert second.exit_code == 0 and second.stdout.startswith("up to date:")


def test_stats_counts_and_shacl(run) -> None:
    result = run("stats", "--json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["classes"] == {"Modality": 4, "Theory": 1, "Theorist": 4, "Population": 1, "Condition": 2,
                                 "Goal": 1, "Technique": 1, "Concept": 2, "TreatmentPhase": 2}
    assert report["relations"]["subtypeOf"] == 2
    assert report["relations"]["introduced"] == 4  # MBT has two dates from two sources
    assert report["sources"] == 2
    again = json.loads(run("stats", "--json", "--revalidate").stdout)
    assert again["shacl"]["conforms"] is True and again["shacl"]["when"] == "now"
    assert again["shacl"]["triples"] > 100  # the data was checked, not an empty graph
    # the build's own run, as recorded in the build: it checked the same triples the run now checks
    assert report["shacl"] == {"conforms": True, "violations": 0, "when": "at build", "first": [],
                               "triples": again["shacl"]["triples"]}


def test_query_formats(run) -> None:
    sparql = ("SELECT ?label WHERE { ?m tkg:developedBy ?t ; skos:prefLabel ?label . "
              "?t skos:prefLabel 'Daniel Hughes' }")
    table = run("query", sparql)
    assert table.exit_code == 0
    assert "Dyadic Developmental Psychotherapy" in table.output and "(1 row)" in table.output
    assert run("query", sparql, "--format", "csv").stdout.splitlines() == ["label",
                                                                          "Dyadic Developmental Psychotherapy"]
    assert run("query", sparql, "--format", "tsv").stdout.splitlines()[1] == '"Dyadic Developmental Psychotherapy"'
    assert json.loads(run("query", sparql, "--format", "json").stdout) == {  # SPARQL 1.1 Query Results JSON
        "head": {"vars": ["label"]},
        "results": {"bindings": [{"label": {"type": "literal", "value": "Dyadic Developmental Psychotherapy"}}]}}


def test_query_from_file_and_ask(run, tmp_path: Path) -> None:
    query_file = tmp_path / "q.rq"
    query_file.write_text("ASK { ?m skos:prefLabel 'Dyadic Developmental Psychotherapy' }")
    result = run("query", f"@{query_file}")
    assert result.exit_code == 0 and result.stdout.strip() == "true"


def test_invalid_sparql_exits_2(run) -> None:
    result = run("query", "SELECT WHERE {")
    assert result.exit_code == 2
    assert "invalid SPARQL" in result.output


def test_lineage_up_and_down(run) -> None:
    up = run("lineage", "ddp")
    assert up.exit_code == 0
    assert "Attachment Theory (Theory, 1950s)" in up.output
    assert "John Bowlby (Theorist)" in up.output
    down = run("lineage", "Attachment Theory", "--down", "--depth", "1")
    assert down.exit_code == 0
    assert "Mentalization-Based Treatment" in down.output and "John Bowlby" not in down.output


def test_misspelt_name_suggests_with_the_shared_resolver(run) -> None:
    result = run("lineage", "Bowlbey")
    assert result.exit_code != 0
    assert "no entity is called 'Bowlbey'; did you mean: John Bowlby (theorist/john-bowlby)" in result.output
    assert "Traceback" not in result.output
    focussed = run("lineage", "attachement theori")
    assert "did you mean: Attachment Theory (theory/attachment-theory)" in focussed.output


def test_path_in_words(run) -> None:
    result = run("path", "Mentalization-Based Treatment", "Mary Ainsworth")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["1. Mentalization-Based Treatment is grounded in Attachment Theory",
                                          "2. Attachment Theory was developed by Mary Ainsworth"]


def test_unknown_name_exits_2_with_candidates(run) -> None:
    result = run("lineage", "Fonagi")
    assert result.exit_code == 2
    assert "Peter Fonagy (theorist/peter-fonagy)" in result.output


def test_ambiguous_name_exits_2_listing_all(run, tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "a.yaml").write_text("""
sources: [{id: s, title: S}]
entities:
  - {id: modality/emotionally-focused-therapy, type: Modality, label: Emotionally Focused Therapy,
     aliases: [EFT], ambiguous_aliases: [EFT], source: s}
  - {id: modality/emotion-focused-therapy, type: Modality, label: Emotion-Focused Therapy,
     aliases: [EFT], ambiguous_aliases: [EFT], source: s}
""")
    result = run("lineage", "EFT", content=content)
    assert result.exit_code == 2
    assert "modality/emotion-focused-therapy" in result.output
    assert "modality/emotionally-focused-therapy" in result.output


def test_broken_content_exits_1_naming_file(run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("entities:\n  - {id: modality/x, type: Modality, label: X, source: missing}\n")
    result = run("build", content=bad)
    assert result.exit_code == 1
    assert "bad.yaml:2 (modality/x)" in result.output
    assert "source 'missing' is not defined" in result.output


def test_console_script_is_installed(tmp_path: Path) -> None:
    result = subprocess.run(["tkg", "--store", str(tmp_path / "s"), "--content", str(KITCHEN_SINK),
                             "lineage", "DDP"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Attachment-Focused Psychotherapy" in result.stdout
    module = subprocess.run([sys.executable, "-m", "graph.cli", "--version"], capture_output=True, text=True)
    assert "0.1.0" in module.stdout


def test_ingest_adds_a_page_with_evidence(run) -> None:
    page = Path(__file__).resolve().parent / "resources" / "pages" / "dbt-encyclopedia.txt"
    result = run("ingest", str(page))
    assert result.exit_code == 0, result.output
    rows = json.loads(run("query", """
        SELECT ?who ?quote WHERE {
          GRAPH ?g { ?m tkg:developedBy ?t }
          ?t skos:prefLabel ?who .
          ?e a tkg:Evidence ; rdf:subject ?m ; rdf:predicate tkg:developedBy ; rdf:object ?t ; tkg:quote ?quote .
          FILTER(STRENDS(STR(?g), "/source/page-dbt-encyclopedia")) }""", "--format", "json").stdout)
    rows = [{name: cell["value"] for name, cell in row.items()} for row in rows["results"]["bindings"]]
    assert "Marsha M. Linehan" in {row["who"] for row in rows}
    assert all("Linehan" in row["quote"] for row in rows if row["who"] == "Marsha M. Linehan")
    # the page stays part of the graph for later commands
    assert json.loads(run("stats", "--json").stdout)["sources"] == 3
