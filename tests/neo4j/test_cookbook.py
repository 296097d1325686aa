"""Each Cypher cookbook query (ontology/queries/*.cypher) gives, on the live server, its SPARQL twin's answer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import Driver

from graph.sinks.neo4j import push_to_neo4j
from graph.views.kg import KnowledgeGraph
from ontology.namespace import ontology_path
from tests.neo4j.conftest import wipe

pytestmark = pytest.mark.neo4j

QUERIES = ontology_path("queries")
# Parameters of each Cypher query: the same names its SPARQL twin quotes.
PARAMETERS: dict[str, dict[str, str]] = {
    "lineage-of-a-modality": {"name": "Dyadic Developmental Psychotherapy"},
    "descendants-of-attachment-theory": {"theory": "Attachment Theory"},
    "founders-of-theories": {},
    "modalities-by-decade": {},
    "modalities-for-a-condition": {"name": "Borderline personality disorder"},
    "modalities-for-a-population": {"name": "Couples"},
    "modalities-lacking-dates-or-developers": {},
    "modalities-sharing-a-theoretical-root": {"name": "Emotionally Focused Therapy"},
    "modalities-sharing-goals": {"name": "Attachment-Focused Psychotherapy"},
    "most-influential-theorists": {},
    "teachers-and-influences-of-a-theorist": {"name": "Mary Ainsworth"},
    "techniques-of-a-modality": {"name": "Attachment-Focused Psychotherapy"},
    "theorists-within-two-steps-of-a-modality": {"name": "Mentalization-Based Treatment"},
    "treatment-phases-in-order": {"name": "Attachment-Focused Psychotherapy"},
    "what-does-an-acronym-stand-for": {"name": "MBT"},
    "where-does-a-fact-come-from": {"modality": "MBT", "condition": "BPD"},
}
# SPARQL columns that GROUP_CONCAT a list which Cypher returns as a list, with their separators.
CONCATENATED = {"developedBy": ", ", "founders": ", ", "names": " | ", "goals": " | "}


@pytest.fixture(scope="module")
def pushed(session_driver: Driver, kg: KnowledgeGraph) -> Iterator[Driver]:
    """The bundled graph, pushed once into an emptied database."""
    wipe(session_driver)
    push_to_neo4j(kg.nx, session_driver)
    yield session_driver


def comparable(value: object, column: str) -> object:
    """One cell in a form both query languages agree on."""
    if column in CONCATENATED:
        items = value if isinstance(value, list) else (str(value).split(CONCATENATED[column]) if value else [])
        return tuple(sorted(items))
    if isinstance(value, bool):
        return "true" if value else "false"
    if column == "source" and isinstance(value, str):
        return value.removeprefix("source/")  # SPARQL names the source's graph, Cypher its id
    if column == "class" and isinstance(value, str):
        return value.rsplit("#", 1)[-1]  # SPARQL gives the class IRI, Cypher the label
    return value


def run_pair(driver: Driver, kg: KnowledgeGraph, name: str) -> tuple[list[tuple], list[tuple]]:
    """Rows of the Cypher query and of its SPARQL twin, on the Cypher query's columns, comparable."""
    cypher = (QUERIES / f"{name}.cypher").read_text(encoding="utf-8")
    records, _, keys = driver.execute_query(cypher, PARAMETERS[name])
    sparql_rows = kg.select((QUERIES / f"{name}.rq").read_text(encoding="utf-8"))
    ours = [tuple(comparable(record[key], key) for key in keys) for record in records]
    theirs = [tuple(comparable(row[key], key) for key in keys) for row in sparql_rows]
    return ours, theirs


def test_every_cypher_query_has_a_sparql_twin_a_header_and_a_test() -> None:
    names = sorted(path.stem for path in QUERIES.glob("*.cypher"))
    assert len(names) >= 15
    assert names == sorted(PARAMETERS)
    for name in names:
        assert (QUERIES / f"{name}.rq").exists(), f"{name}.cypher has no SPARQL twin"
        first = (QUERIES / f"{name}.cypher").read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("// ") and len(first) > 20, f"{name}.cypher lacks a header comment"


@pytest.mark.parametrize("name", sorted(PARAMETERS))
def test_cypher_answers_like_its_sparql_twin(pushed: Driver, kg: KnowledgeGraph, name: str) -> None:
    ours, theirs = run_pair(pushed, kg, name)
    assert ours, f"{name}.cypher returned nothing on the bundled graph"
    assert set(ours) == set(theirs)
    assert len(ours) == len(set(ours))


def test_ordered_answers_keep_the_order(pushed: Driver, kg: KnowledgeGraph) -> None:
    ours, theirs = run_pair(pushed, kg, "treatment-phases-in-order")
    assert ours == theirs and len(ours) >= 2
    ours, theirs = run_pair(pushed, kg, "modalities-by-decade")
    assert [row[0] for row in ours] == [row[0] for row in theirs] == sorted(row[0] for row in ours)
    ours, _ = run_pair(pushed, kg, "most-influential-theorists")
    scores = [row[-1] for row in ours]
    assert scores == sorted(scores, reverse=True)


def test_known_facts_read_from_neo4j(pushed: Driver) -> None:
    text = (QUERIES / "theorists-within-two-steps-of-a-modality.cypher").read_text(encoding="utf-8")
    records, _, _ = pushed.execute_query(text, PARAMETERS["theorists-within-two-steps-of-a-modality"])
    distance = {record["name"]: record["distance"] for record in records}
    assert distance["Peter Fonagy"] == 1
    assert distance["John Bowlby"] == 2 and distance["Mary Ainsworth"] == 2
    text = (QUERIES / "what-does-an-acronym-stand-for.cypher").read_text(encoding="utf-8")
    records, _, _ = pushed.execute_query(text, name="mbt")
    assert ("modality/mentalization-based-treatment", "Modality") in {(r["entity"], r["class"]) for r in records}


def test_cookbook_is_in_the_package_data() -> None:
    pyproject = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text(encoding="utf-8")
    assert '"queries/*.cypher"' in pyproject
