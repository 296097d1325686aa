"""`tkg query`: SPARQL-standard result formats, a table that keeps term kinds apart, time and memory limits, Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli.main import main
from tests.conftest import KITCHEN_SINK

ROOT = Path(__file__).resolve().parents[1]
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
SORTED_CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"
DDP = "<https://w3id.org/therapy-kg/id/modality/dyadic-developmental-psychotherapy>"
DDP_CELL = r"id:modality\/dyadic-developmental-psychotherapy"  # the table's shorter form, valid SPARQL too


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("query-store") / "store"
    assert CliRunner().invoke(main, ["--store", str(folder), "--content", str(KITCHEN_SINK), "build"]).exit_code == 0
    return folder


def tkg(store: Path, *args: str):
    return CliRunner().invoke(main, ["--store", str(store), "--content", str(KITCHEN_SINK), "query", *args])


def test_table_keeps_iris_literals_language_tags_and_datatypes_apart(store: Path) -> None:
    result = tkg(store, f"""SELECT ?iri ?text ?tagged ?year ?n WHERE {{
        BIND({DDP} AS ?iri) BIND("modality/dyadic-developmental-psychotherapy" AS ?text)
        BIND("Bindung"@de AS ?tagged) BIND("1950"^^xsd:gYear AS ?year) BIND(3 AS ?n) }}""")
    assert result.exit_code == 0, result.output
    row = result.stdout.splitlines()[2].split()
    assert row == [DDP_CELL, '"modality/dyadic-developmental-psychotherapy"', '"Bindung"@de', '"1950"^^xsd:gYear', "3"]
    other = tkg(store, "SELECT ?x WHERE { BIND(<http://example.org/a b> AS ?x) }")
    assert other.exit_code == 2  # an IRI with a space is not SPARQL
    pasted = tkg(store, f"ASK {{ {DDP_CELL} a tkg:Modality }}")
    assert pasted.stdout == "true\n"
    outside = tkg(store, "SELECT ?x WHERE { BIND(<http://example.org/a> AS ?x) }")
    assert outside.stdout.splitlines()[2] == "<http://example.org/a>"


def test_decade_precision_shows_as_a_decade(store: Path) -> None:
    result = tkg(store, """SELECT ?year ?precision WHERE {
        ?d tkg:dates <https://w3id.org/therapy-kg/id/modality/dyadic-developmental-psychotherapy> ;
           tkg:year ?year ; tkg:precision ?precision }""")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[2].split() == ['"1990"^^xsd:gYear', "tkg:YearPrecision_decade"]


def test_select_in_sparql_json_xml_csv_and_tsv(store: Path) -> None:
    sparql = f"SELECT ?label WHERE {{ {DDP} skos:prefLabel ?label }}"
    results = json.loads(tkg(store, sparql, "--format", "json").stdout)
    assert results == {"head": {"vars": ["label"]}, "results": {"bindings": [
        {"label": {"type": "literal", "value": "Dyadic Developmental Psychotherapy"}}]}}
    tree = ET.fromstring(tkg(store, sparql, "--format", "xml").stdout)
    namespace = "{http://www.w3.org/2005/sparql-results#}"
    assert [e.text for e in tree.iter(f"{namespace}literal")] == ["Dyadic Developmental Psychotherapy"]
    assert tkg(store, sparql, "--format", "csv").stdout_bytes == b"label\r\nDyadic Developmental Psychotherapy\r\n"
    assert tkg(store, sparql, "--format", "tsv").stdout.splitlines() == [
        "?label", '"Dyadic Developmental Psychotherapy"']
    ask = f"ASK {{ {DDP} a tkg:Modality }}"
    assert json.loads(tkg(store, ask, "--format", "json").stdout) == {"head": {}, "boolean": True}
    assert tkg(store, ask).stdout == "true\n"


def test_construct_in_turtle_n_triples_and_json_ld(store: Path) -> None:
    sparql = f"CONSTRUCT {{ {DDP} skos:prefLabel ?l }} WHERE {{ {DDP} skos:prefLabel ?l }}"
    iri = "https://w3id.org/therapy-kg/id/modality/dyadic-developmental-psychotherapy"
    triple = f'<{iri}> <http://www.w3.org/2004/02/skos/core#prefLabel> "Dyadic Developmental Psychotherapy" .'
    assert tkg(store, sparql, "--format", "nt").stdout.strip() == triple
    turtle = tkg(store, sparql).stdout
    assert "@prefix skos:" in turtle and 'skos:prefLabel "Dyadic Developmental Psychotherapy"' in turtle
    document = json.loads(tkg(store, sparql, "--format", "jsonld").stdout)
    assert document[0]["@id"] == iri
    wrong = tkg(store, sparql, "--format", "csv")
    assert wrong.exit_code == 2 and "CONSTRUCT and DESCRIBE take ttl|nt|jsonld" in wrong.stderr
    assert tkg(store, "SELECT * { ?s ?p ?o } LIMIT 1", "--format", "ttl").exit_code == 2


def test_a_runaway_query_stops_at_the_timeout(store: Path) -> None:
    started = time.monotonic()
    result = tkg(store, CARTESIAN, "--timeout", "1")
    assert result.exit_code == 1 and "stopped after 1 s" in result.stderr
    assert time.monotonic() - started < 15


def test_a_query_past_the_memory_cap_is_stopped(store: Path) -> None:
    result = tkg(store, SORTED_CARTESIAN, "--max-memory-mb", "512", "--timeout", "120")
    assert result.exit_code == 1 and "more than 512 MB" in result.stderr, result.output


def test_ctrl_c_stops_a_cartesian_product_within_a_second_with_exit_130(store: Path) -> None:
    process = subprocess.Popen([sys.executable, "-m", "graph.cli", "--store", str(store), "--content",
                                str(KITCHEN_SINK), "query", CARTESIAN, "--timeout", "300"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not children(process.pid):
        time.sleep(0.05)  # the query runs once its child process exists
    assert children(process.pid)
    time.sleep(1)
    sent = time.monotonic()
    process.send_signal(signal.SIGINT)
    code = process.wait(timeout=30)
    elapsed = time.monotonic() - sent
    assert code == 130 and elapsed < 1.0, (code, elapsed, process.stderr.read() if process.stderr else "")


def children(pid: int) -> list[int]:
    """Processes whose parent is ``pid``."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        if int(text[text.rindex(")") + 2:].split()[1]) == pid:
            found.append(int(stat.parent.name))
    return found
