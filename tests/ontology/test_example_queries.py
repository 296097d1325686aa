"""One reader of the example queries (stem, whole-sentence title, full description, text, Cypher twin), shared."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli.main import main
from graph.serve.endpoint import landing_page
from ontology.example_queries import ExampleQueryError, example_queries, example_query, read_example_query
from ontology.namespace import PREFIXES, ontology_path
from tests.conftest import KITCHEN_SINK

QUERIES = ontology_path("queries")


def test_every_bundled_query_is_read_with_its_whole_description() -> None:
    examples = example_queries()
    assert [e.stem for e in examples] == sorted(p.stem for p in QUERIES.glob("*.rq"))
    for example in examples:
        assert example.text == (QUERIES / f"{example.stem}.rq").read_text(encoding="utf-8")
        lines = example.text.splitlines()
        header = lines[:next(i for i, line in enumerate(lines) if not line.startswith("#"))]
        assert example.description.split() == " ".join(line.lstrip("# ") for line in header).split()
        assert example.description.endswith(".") and example.title.endswith(".")
        assert example.description.startswith(example.title)
    two_steps = example_query("theorists-within-two-steps-of-a-modality")
    assert two_steps is not None
    assert two_steps.title == ("Theorists connected to a modality within two steps: who developed it (distance 1), and "
                               "who developed, taught, influenced or worked with the theorists, theories and parent "
                               "modalities it rests on (distance 2).")
    assert two_steps.description == two_steps.title + " The modality's name appears in both branches: change both."
    descendants = example_query("descendants-of-attachment-theory")
    assert descendants is not None and descendants.description.endswith("one of those (at any depth).")


def test_the_cypher_twin_comes_with_its_query() -> None:
    lineage = example_query("lineage-of-a-modality")
    assert lineage is not None and lineage.cypher is not None
    assert lineage.cypher.startswith("// Lineage of a modality") and "MATCH (modality:Modality)" in lineage.cypher
    notes = example_query("facts-with-curator-notes.rq")
    assert notes is not None and notes.cypher is None
    assert {e.stem for e in example_queries() if e.cypher} == {p.stem for p in QUERIES.glob("*.cypher")}
    assert example_query("no-such-query") is None


def test_a_query_without_a_header_and_an_unreadable_one(tmp_path: Path) -> None:
    bare = tmp_path / "count-all-facts.rq"
    bare.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }\n", encoding="utf-8")
    example = read_example_query(bare)
    assert (example.title, example.description, example.cypher) == ("Count all facts", "", None)
    broken = tmp_path / "broken.rq"
    broken.write_bytes(b"# caf\xe9\nSELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(ExampleQueryError, match="broken.rq"):
        example_queries(tmp_path)


def test_the_endpoint_page_shows_each_whole_description() -> None:
    page = landing_page(example_queries(), PREFIXES, 5.0)
    for example in example_queries():
        assert f'data-example="{example.stem}" title="{html.escape(example.description)}"' in page


def test_tkg_query_runs_an_example_by_name(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["--store", str(tmp_path / "store"), "--content", str(KITCHEN_SINK),
                                  "query", "@founders-of-theories", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "theory,label,introduced,founders"
    missing = runner.invoke(main, ["--store", str(tmp_path / "store"), "--content", str(KITCHEN_SINK),
                                   "query", "@no-such-query"])
    assert missing.exit_code == 2 and "no-such-query among the example queries" in missing.output
