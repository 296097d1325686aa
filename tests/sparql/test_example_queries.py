"""Each example query in ontology/queries/, run through the live endpoint with SPARQLWrapper, gives its real answer."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest
from SPARQLWrapper import JSON, POST, SPARQLWrapper

from graph.views.kg import KnowledgeGraph
from ontology.namespace import entity_base, ontology_path
from tests.sparql.conftest import RunningEndpoint

QUERIES = ontology_path("queries")
SEED_SUBTYPES = {"Dyadic Developmental Psychotherapy", "Emotionally Focused Therapy", "Mentalization-Based Treatment",
                 "Circle of Security", "Attachment-Based Family Therapy"}
SEED_SOURCE = "seed-attachment-focused"


def run_example(endpoint: RunningEndpoint, name: str) -> list[dict[str, str]]:
    """Rows of an example query as {variable: lexical value}, entity IRIs shortened to ids."""
    client = SPARQLWrapper(endpoint.query_url)
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    client.setQuery((QUERIES / f"{name}.rq").read_text(encoding="utf-8"))
    result = client.query().convert()
    base = entity_base()
    return [{var: (cell["value"][len(base):] if cell["type"] == "uri" and cell["value"].startswith(base)
                   else cell["value"]) for var, cell in row.items()}
            for row in result["results"]["bindings"]]


def test_library_has_at_least_fifteen_documented_queries() -> None:
    files = sorted(QUERIES.glob("*.rq"))
    assert len(files) >= 15
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# ") and len(first) > 20, f"{path.name} lacks a header comment saying what it answers"


def test_every_query_has_a_test_here() -> None:
    source = Path(__file__).read_text(encoding="utf-8")
    untested = [p.stem for p in QUERIES.glob("*.rq") if f'"{p.stem}"' not in source]
    assert not untested, f"example queries without a test: {untested}"


def test_every_query_is_listed_in_the_readme() -> None:
    readme = (QUERIES / "README.md").read_text(encoding="utf-8")
    assert [p.name for p in QUERIES.glob("*.rq") if p.name not in readme] == []


def test_lineage_of_a_modality(endpoint: RunningEndpoint) -> None:
    rows = run_example(endpoint, "lineage-of-a-modality")
    assert {"ancestor": "modality/attachment-focused-psychotherapy",
            "ancestorLabel": "Attachment-Focused Psychotherapy", "groundingTheory": "Attachment Theory"} in rows


def test_descendants_of_attachment_theory(endpoint: RunningEndpoint, kg: KnowledgeGraph) -> None:
    labels = {row["label"] for row in run_example(endpoint, "descendants-of-attachment-theory")}
    assert SEED_SUBTYPES | {"Attachment-Focused Psychotherapy"} <= labels
    graph = kg.nx
    roots = {s for s, t, k in graph.edges(keys=True) if k == "groundedIn" and t == "theory/attachment-theory"}
    expected = set(roots)
    frontier = list(roots)
    while frontier:  # everything that is a subtype of / derived from a root, at any depth (networkx cross-check)
        node = frontier.pop()
        for child, _, key in graph.in_edges(node, keys=True):
            if key in ("subtypeOf", "derivedFrom") and child not in expected:
                expected.add(child)
                frontier.append(child)
    assert labels == {graph.nodes[n]["label"] for n in expected if graph.nodes[n]["type"] == "Modality"}


def test_theorists_within_two_steps_of_a_modality(endpoint: RunningEndpoint) -> None:
    distance = {row["name"]: int(row["distance"]) for row in
                run_example(endpoint, "theorists-within-two-steps-of-a-modality")}
    assert distance["Peter Fonagy"] == 1
    assert distance["John Bowlby"] == 2 and distance["Mary Ainsworth"] == 2
    assert "Daniel Hughes" not in distance


def test_modalities_for_a_condition(endpoint: RunningEndpoint) -> None:
    rows = run_example(endpoint, "modalities-for-a-condition")
    mbt = [row for row in rows if row["modality"] == "modality/mentalization-based-treatment"]
    assert mbt and "Peter Fonagy" in mbt[0]["developedBy"]
    assert "modality/dyadic-developmental-psychotherapy" not in {row["modality"] for row in rows}


def test_modalities_for_a_population(endpoint: RunningEndpoint, kg: KnowledgeGraph) -> None:
    found = {row["modality"] for row in run_example(endpoint, "modalities-for-a-population")}
    assert "modality/emotionally-focused-therapy" in found
    assert found == {s for s, t, k in kg.nx.edges(keys=True) if k == "servesPopulation" and t == "population/couples"}


def test_modalities_sharing_goals(endpoint: RunningEndpoint, kg: KnowledgeGraph) -> None:
    rows = {row["other"]: row for row in run_example(endpoint, "modalities-sharing-goals")}
    assert "Strengthen mentalizing" in rows["modality/mentalization-based-treatment"]["goals"].split(" | ")
    graph = kg.nx
    goals = {t for _, t, k in graph.out_edges("modality/attachment-focused-psychotherapy", keys=True) if k == "hasGoal"}
    expected = {s: len({t for _, t, k in graph.out_edges(s, keys=True) if k == "hasGoal"} & goals)
                for s in graph.nodes if s != "modality/attachment-focused-psychotherapy"}
    assert {other: int(row["sharedGoals"]) for other, row in rows.items()} == {
        s: n for s, n in expected.items() if n}


def test_modalities_by_decade(endpoint: RunningEndpoint, kg: KnowledgeGraph) -> None:
    rows = run_example(endpoint, "modalities-by-decade")
    by_decade = {int(row["decade"]): row["names"].split(" | ") for row in rows}
    assert "Dyadic Developmental Psychotherapy" in by_decade[1990]
    assert sum(int(row["modalities"]) for row in rows) == sum(
        1 for _, d in kg.nx.nodes(data=True) if d["type"] == "Modality" and d["introduced_year"] is not None)


def test_most_influential_theorists(endpoint: RunningEndpoint, kg: KnowledgeGraph) -> None:
    rows = run_example(endpoint, "most-influential-theorists")
    bowlby = next(row for row in rows if row["theorist"] == "theorist/john-bowlby")
    graph = kg.nx
    theories = {s for s, t, k in graph.in_edges("theorist/john-bowlby", keys=True)
                if k == "developedBy" and graph.nodes[s]["type"] == "Theory"}
    grounded = {s for s, t, k in graph.edges(keys=True) if k == "groundedIn" and t in theories}
    assert int(bowlby["modalitiesOnTheirTheories"]) == len(grounded) >= 6
    scores = [int(row["score"]) for row in rows]
    assert scores == sorted(scores, reverse=True)
    assert all(int(r["score"]) == int(r["developedWorks"]) + int(r["modalitiesOnTheirTheories"])
               + int(r["studentsAndInfluenced"]) for r in rows)


def test_where_does_a_fact_come_from(endpoint: RunningEndpoint) -> None:
    rows = run_example(endpoint, "where-does-a-fact-come-from")
    seed = [row for row in rows if row["source"] == f"source/{SEED_SOURCE}"]
    assert seed and seed[0]["kind"] == "web-page" and seed[0]["title"].startswith("Attachment-Focused Psychotherapy")


def test_facts_with_curator_notes(endpoint: RunningEndpoint) -> None:
    rows = run_example(endpoint, "facts-with-curator-notes")
    ainsworth = [row for row in rows if (row["subjectLabel"], row["relation"], row["objectLabel"]) ==
                 ("Attachment Theory", "developedBy", "Mary Ainsworth")]
    assert ainsworth and "joint foundation" in ainsworth[0]["note"]
    assert ainsworth[0]["sourceTitle"].startswith("The origins of attachment theory")


def test_modalities_lacking_dates_or_developers(endpoint: RunningEndpoint, kg: KnowledgeGraph) -> None:
    rows = {row["modality"]: row for row in run_example(endpoint, "modalities-lacking-dates-or-developers")}
    graph = kg.nx
    expected = {n for n, d in graph.nodes(data=True) if d["type"] == "Modality" and (
        d["introduced_year"] is None or not any(k == "developedBy" for _, _, k in graph.out_edges(n, keys=True)))}
    assert set(rows) == expected
    assert rows["modality/exposure-therapy"]["missingDate"] == "true"  # an umbrella, undated with a curator note
    assert "modality/circle-of-security" not in rows  # dated 2002 (Marvin et al.) and developed by its originators
    assert "modality/dyadic-developmental-psychotherapy" not in rows  # dated (1990s) and developed by Daniel Hughes


def test_modalities_sourced_only_from_web_pages(endpoint: RunningEndpoint, kg: KnowledgeGraph) -> None:
    found = {row["modality"] for row in run_example(endpoint, "modalities-sourced-only-from-web-pages")}
    base = entity_base()
    kinds: dict[str, str] = {}
    graphs_of: dict[str, set[str]] = defaultdict(set)
    kind_predicate = ox.NamedNode("https://w3id.org/therapy-kg/ontology#sourceKind")
    for quad in kg.store.quads_for_pattern(None, kind_predicate, None):
        kinds[quad.subject.value] = quad.object.value
    for quad in kg.store.quads_for_pattern(None, None, None):
        if isinstance(quad.graph_name, ox.NamedNode) and quad.subject.value.startswith(base + "modality/"):
            graphs_of[quad.subject.value[len(base):]].add(quad.graph_name.value)
    expected = {m for m, graphs in graphs_of.items()
                if all(kinds.get(g) == "web-page" for g in graphs) and graphs}
    assert found == expected
    assert "modality/dyadic-developmental-psychotherapy" in found


def test_founders_of_theories(endpoint: RunningEndpoint) -> None:
    rows = {row["theory"]: row for row in run_example(endpoint, "founders-of-theories")}
    attachment = rows["theory/attachment-theory"]
    assert set(attachment["founders"].split(", ")) == {"John Bowlby", "Mary Ainsworth"}
    assert attachment["introduced"] == "1950s"  # the 1950s, not the year 1950 (the dating's precision)


def test_dates_sources_disagree_on(endpoint: RunningEndpoint, kg: KnowledgeGraph) -> None:
    rows = run_example(endpoint, "dates-sources-disagree-on")
    dbt = {(row["introduced"], row["source"]) for row in rows if row["label"] == "Dialectical behaviour therapy"}
    assert dbt == {("1980s", "source/linehan-1987"), ("1993", "source/sage-health-communication-dbt")}
    expected = {n for n, d in kg.nx.nodes(data=True) if len({(x["year"], x["precision"]) for x in d["datings"]}) > 1}
    assert {row["entity"] for row in rows} == expected and "modality/emdr" in expected
    assert "modality/dyadic-developmental-psychotherapy" not in expected  # one source, one date
    assert all(row["sourceTitle"] for row in rows)


def test_what_does_an_acronym_stand_for(endpoint: RunningEndpoint) -> None:
    rows = run_example(endpoint, "what-does-an-acronym-stand-for")
    assert [(row["entity"], row["class"].rsplit("#", 1)[-1]) for row in rows] == [
        ("modality/mentalization-based-treatment", "Modality")]


def test_techniques_of_a_modality(endpoint: RunningEndpoint) -> None:
    labels = {row["label"] for row in run_example(endpoint, "techniques-of-a-modality")}
    assert labels >= {"Therapeutic relationship as a secure base", "Exploring early attachment experiences",
                      "Recognising relational patterns", "Practising emotion regulation with the therapist",
                      "Attending to nonverbal cues", "Working through ruptures and repairs"}


def test_treatment_phases_in_order(endpoint: RunningEndpoint) -> None:
    rows = run_example(endpoint, "treatment-phases-in-order")
    assert [(int(row["order"]), row["label"]) for row in rows] == [
        (1, "Building safety"), (2, "Exploring attachment history"), (3, "Developing new relational patterns")]


def test_teachers_and_influences_of_a_theorist(endpoint: RunningEndpoint) -> None:
    names = {row["name"] for row in run_example(endpoint, "teachers-and-influences-of-a-theorist")}
    assert "John Bowlby" in names and "Mary Ainsworth" not in names


def test_sources_and_their_facts(endpoint: RunningEndpoint, kg: KnowledgeGraph) -> None:
    rows = {row["source"]: row for row in run_example(endpoint, "sources-and-their-facts")}
    seed = rows[f"source/{SEED_SOURCE}"]
    assert seed["kind"] == "web-page"
    graph = ox.NamedNode(f"{entity_base()}source/{SEED_SOURCE}")
    assert int(seed["triples"]) == len(list(kg.store.quads_for_pattern(None, None, None, graph)))
    assert rows["source/bretherton-1992"]["kind"] == "paper"


def test_modalities_sharing_a_theoretical_root(endpoint: RunningEndpoint) -> None:
    rows = run_example(endpoint, "modalities-sharing-a-theoretical-root")
    siblings = {row["label"] for row in rows if row["sharedTheory"] == "Attachment Theory"}
    assert (SEED_SUBTYPES - {"Emotionally Focused Therapy"}) | {"Attachment-Focused Psychotherapy"} <= siblings
    assert "Emotionally Focused Therapy" not in siblings


@pytest.mark.parametrize("path", sorted(QUERIES.glob("*.rq")), ids=lambda p: p.stem)
def test_query_gives_the_same_rows_embedded_and_over_http(path: Path, endpoint: RunningEndpoint,
                                                          kg: KnowledgeGraph) -> None:
    over_http = run_example(endpoint, path.stem)
    embedded = kg.select(path.read_text(encoding="utf-8"))
    assert len(over_http) == len(embedded)
