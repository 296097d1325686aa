"""A relation added to therapy.ttl alone reaches every part of the product: content keys, SHACL, SPARQL, paths in
words, the Neo4j mapping, the map legend and the exports, with no other file edited."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("ontology", "loaders", "graph", "content")

# The only edit to the ontology: one Turtle block (label, comment, domain, range; no phrases, no shapes).
NEW_RELATION = """
tkg:contraindicatedFor a owl:ObjectProperty ;
    rdfs:label "contraindicated for"@en ;
    rdfs:comment "A condition for which this modality is advised against."@en ;
    rdfs:domain tkg:Modality ;
    rdfs:range tkg:Condition .
"""
NEW_CONTENT = """\
sources:
  - {id: contraindication-example, kind: reference, title: "An example reference on contraindications"}
entities:
  - id: modality/example-regression-therapy
    type: Modality
    label: Example Regression Therapy
    source: contraindication-example
    contraindicatedFor: [condition/schizophrenia]
"""
WRONG_RANGE = """\
entities:
  - id: modality/example-misfiled-therapy
    type: Modality
    label: Example Misfiled Therapy
    source: contraindication-example
    contraindicatedFor: [theorist/john-bowlby]
"""


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the product with the new relation's Turtle block and one content file using it, built once."""
    root = tmp_path_factory.mktemp("repo")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, root / package, ignore=shutil.ignore_patterns("__pycache__"))
    with (root / "ontology" / "therapy.ttl").open("a", encoding="utf-8") as turtle:
        turtle.write(NEW_RELATION)
    (root / "content" / "contraindications.yaml").write_text(NEW_CONTENT, encoding="utf-8")
    built = tkg(root, "build")
    assert built.returncode == 0, built.stderr
    return root


def tkg(root: Path, *args: str, python: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m graph.cli ARGS`` (or a Python snippet) in the copy, with its own store."""
    env = {**os.environ, "PYTHONPATH": str(root), "TKG_STORE": str(root / "store")}
    command = [sys.executable, "-c", python] if python else [sys.executable, "-m", "graph.cli", *args]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=600)


def test_sparql_finds_the_new_fact(repo: Path) -> None:
    result = tkg(repo, "query", "--format", "json",
                 "SELECT ?m ?c WHERE { ?m tkg:contraindicatedFor ?c }")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)["results"]["bindings"]  # SPARQL 1.1 Query Results JSON
    base = "https://w3id.org/therapy-kg/id/"
    assert [(row["m"]["value"], row["c"]["value"]) for row in rows] == [
        (base + "modality/example-regression-therapy", base + "condition/schizophrenia")]


def test_path_reads_the_relation_by_its_label(repo: Path) -> None:
    result = tkg(repo, "path", "Example Regression Therapy", "schizophrenia")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1. Example Regression Therapy contraindicated for Schizophrenia"


def test_stats_count_the_new_relation(repo: Path) -> None:
    result = tkg(repo, "stats", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["relations"]["contraindicatedFor"] == 1


def test_neo4j_push_plan_has_the_relationship_type(repo: Path) -> None:
    snippet = """
import json, os
from pathlib import Path
from graph.sinks.neo4j import RELATIONSHIP_TYPES, push_plan
from graph.views.kg import load_graph
kg = load_graph(Path(os.environ["TKG_STORE"]))
batches = [b for b in push_plan(kg.nx) if b.name == "contraindicatedFor"]
print(json.dumps({"type": RELATIONSHIP_TYPES["contraindicatedFor"], "queries": [b.query for b in batches],
                  "rows": [[row["source"], row["target"], row["properties"]] for b in batches for row in b.rows]}))
"""
    result = tkg(repo, python=snippet)
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["type"] == "CONTRAINDICATED_FOR"
    assert len(plan["queries"]) == 1 and "[relationship:CONTRAINDICATED_FOR]" in plan["queries"][0]
    assert plan["rows"] == [["modality/example-regression-therapy", "condition/schizophrenia",
                             {"sources": ["contraindication-example"]}]]


def test_map_legend_shows_the_label(repo: Path) -> None:
    out = repo / "map.html"
    result = tkg(repo, "map", "--out", str(out), "--focus", "Example Regression Therapy",
                 "--relations", "contraindicatedFor")
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script id="map-data" type="application/json">(.*?)</script>', html, re.S)[1])
    legend = {entry["name"]: entry for entry in data["legend"]["relations"]}
    assert list(legend) == ["contraindicatedFor"]
    assert legend["contraindicatedFor"]["phrase"] == "contraindicated for"
    assert legend["contraindicatedFor"]["count"] == 1 and legend["contraindicatedFor"]["arrows"] == "to"
    assert legend["contraindicatedFor"]["color"] == "#999999"  # the default style of a relation new to the map
    assert {e["relation"] for e in data["edges"]} == {"contraindicatedFor"}


def test_exports_carry_the_relation(repo: Path) -> None:
    turtle = tkg(repo, "export", "--format", "ttl")
    assert turtle.returncode == 0, turtle.stderr
    assert re.search(r"modality:example-regression-therapy .*?tkg:contraindicatedFor condition:schizophrenia",
                     turtle.stdout, re.S)
    result = tkg(repo, "export", "--format", "csv", "--output", str(repo / "csv"))
    assert result.returncode == 0, result.stderr
    edges = list(csv.DictReader(io.StringIO((repo / "csv" / "edges.csv").read_text(encoding="utf-8"))))
    assert [(e["subject"], e["object"], e["citations"]) for e in edges if e["relation"] == "contraindicatedFor"] == [
        ("modality/example-regression-therapy", "condition/schizophrenia", "contraindication-example")]
    jsonld = tkg(repo, "export", "--format", "jsonld")
    assert jsonld.returncode == 0, jsonld.stderr
    document = json.loads(jsonld.stdout)
    assert document["@context"]["contraindicatedFor"] == {"@id": "tkg:contraindicatedFor", "@type": "@id"}
    node = next(n for n in document["@graph"] if n["@id"] == "modality:example-regression-therapy")
    assert node["contraindicatedFor"] == ["condition:schizophrenia"]


def test_a_theorist_as_object_is_refused_with_file_and_line(repo: Path) -> None:
    wrong = repo / "wrong" / "misfiled.yaml"
    wrong.parent.mkdir()
    wrong.write_text(WRONG_RANGE, encoding="utf-8")
    result = tkg(repo, "--store", str(repo / "wrong-store"), "--content", str(repo / "content"),
                 "--content", str(wrong), "build")
    assert result.returncode == 1
    assert (f"{wrong}:2 (modality/example-misfiled-therapy): contraindicatedFor: contraindicatedFor must point at a "
            "Condition (value https://w3id.org/therapy-kg/id/theorist/john-bowlby)") in result.stderr
    assert "Traceback" not in result.stderr
