"""Names full of quotes, backticks, Cypher fragments and non-ASCII go through the real pipeline and come back as is."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from neo4j import Driver

from graph.sinks.neo4j import check_round_trip, push_to_neo4j, read_from_neo4j
from graph.views.kg import load_graph
from tests.neo4j.conftest import count

pytestmark = pytest.mark.neo4j

INJECTION = "}) DETACH DELETE n //"
MODALITY_LABEL = "O'Brien \"Double-Quoted\" `Backticked` Therapy"
THEORIST_LABEL = "Zoë Łukasiewicz-Ærøskøbing 東京 🧠"
DESCRIPTION = "MATCH (n) DETACH DELETE n; // ' \" ` \\ $rows ${x} {{}} end"


def hostile_content(folder: Path) -> Path:
    """A content file whose labels, aliases and description try to break out of a query."""
    document = {
        "sources": [{"id": "hostile", "title": "Hostile names \"'` test", "kind": "reference"}],
        "entities": [
            {"id": "modality/hostile-names", "type": "Modality", "label": MODALITY_LABEL,
             "aliases": [INJECTION, "`) MATCH (m) SET m.x = 1 //"], "description": DESCRIPTION,
             "source": "hostile", "developedBy": ["theorist/non-ascii"], "introduced": "1990s"},
            {"id": "theorist/non-ascii", "type": "Theorist", "label": THEORIST_LABEL, "source": "hostile",
             "aliases": ["Ž. Ł."]},
        ],
    }
    path = folder / "hostile.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def test_hostile_names_are_stored_literally(driver: Driver, tmp_path: Path) -> None:
    graph = load_graph(tmp_path / "store", [hostile_content(tmp_path)]).nx
    assert graph.nodes["modality/hostile-names"]["label"] == MODALITY_LABEL  # the pipeline kept them as given
    driver.execute_query("CREATE (:Sentinel {name: 'must survive'})")

    report = push_to_neo4j(graph, driver)

    assert (report.nodes.created, report.relationships.created) == (2, 1)
    assert count(driver, "MATCH (s:Sentinel) RETURN count(s)") == 1
    assert count(driver, "MATCH (n) WHERE n.x IS NOT NULL RETURN count(n)") == 0
    records, _, _ = driver.execute_query(
        "MATCH (m:Modality {label: $label})-[:DEVELOPED_BY]->(t:Theorist) "
        "RETURN m.aliases AS aliases, m.description AS description, t.label AS theorist, t.aliases AS initials",
        label=MODALITY_LABEL)
    (row,) = records
    assert sorted(row["aliases"]) == sorted([INJECTION, "`) MATCH (m) SET m.x = 1 //"])
    assert row["description"] == DESCRIPTION
    assert row["theorist"] == THEORIST_LABEL and row["initials"] == ["Ž. Ł."]
    assert check_round_trip(graph, driver).lossless
    assert read_from_neo4j(driver).nodes["theorist/non-ascii"]["label"] == THEORIST_LABEL
    again = push_to_neo4j(graph, driver)
    assert (again.nodes.unchanged, again.relationships.unchanged) == (2, 1)
