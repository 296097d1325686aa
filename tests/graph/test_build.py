"""Building the graph: the bundled content builds and conforms; bad input is refused and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.pipeline.corpus import BuildError
from graph.pipeline.rdf import ONTOLOGY_GRAPH
from graph.pipeline.store import current_build
from graph.views.kg import KnowledgeGraph, load_graph
from graph.views.stats import graph_stats

GOOD = """
sources:
  - {id: tiny, title: A tiny test source, kind: reference}
entities:
  - {id: theorist/ada, type: Theorist, label: Ada Example, source: tiny}
  - id: modality/example-therapy
    type: Modality
    label: Example Therapy
    aliases: [ET]
    source: tiny
    developedBy: [theorist/ada]
    introduced: 1980s
"""


def write(folder: Path, text: str, name: str = "content.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_bundled_content_builds_and_conforms(kg: KnowledgeGraph) -> None:
    report = graph_stats(kg)
    assert report["shacl"]["when"] == "at build" and report["shacl"]["conforms"], report["shacl"]["first"]
    data_triples = kg.select("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
                             "FILTER(?g != <https://w3id.org/therapy-kg/ontology>) } }")[0]["n"]
    assert report["shacl"]["triples"] == data_triples  # the build validated every triple of the sources' graphs
    assert report["classes"]["Modality"] >= 6
    assert report["classes"]["Theorist"] >= 6
    assert report["classes"]["TreatmentPhase"] >= 3
    assert report["relations"]["developedBy"] >= 5


def test_seed_facts_are_all_present(kg: KnowledgeGraph) -> None:
    graph = kg.nx
    subtypes = {u for u, _, k in graph.in_edges("modality/attachment-focused-psychotherapy", keys=True)
                if k == "subtypeOf"}
    assert subtypes >= {"modality/dyadic-developmental-psychotherapy", "modality/emotionally-focused-therapy",
                        "modality/mentalization-based-treatment", "modality/circle-of-security",
                        "modality/attachment-based-family-therapy"}
    assert graph.nodes["theory/attachment-theory"]["introduced"] == "1950s"
    assert graph.nodes["modality/dyadic-developmental-psychotherapy"]["introduced"] == "1990s"
    phases = sorted((graph.nodes[v]["phase_order"], graph.nodes[v]["label"])
                    for _, v, k in graph.out_edges("modality/attachment-focused-psychotherapy", keys=True)
                    if k == "hasPhase")
    assert phases == [(1, "Building safety"), (2, "Exploring attachment history"),
                      (3, "Developing new relational patterns")]


def test_stats_report_what_shacl_finds_when_the_build_did_not_validate(tmp_path: Path) -> None:
    content = write(tmp_path / "content", GOOD.replace("developedBy: [theorist/ada]",
                                                       "developedBy: [modality/example-therapy]"))
    with pytest.raises(BuildError, match="developedBy must point at a Theorist"):
        load_graph(tmp_path / "checked", [content])
    unchecked = load_graph(tmp_path / "unchecked", [content], validate=False)
    assert unchecked.build.shacl is None
    shacl = graph_stats(unchecked)["shacl"]
    assert shacl["when"] == "now" and shacl["conforms"] is False and shacl["violations"] >= 1
    assert any("developedBy" in line for line in shacl["first"]), shacl["first"]


def test_another_base_iri_names_every_entity_and_source(tmp_path: Path, base_iri) -> None:  # noqa: ANN001
    base = base_iri("https://example.org/kg")
    assert base == "https://example.org/kg/"
    kg = load_graph(tmp_path / "store", [write(tmp_path / "content", GOOD)])
    subjects = {q.subject.value for q in kg.store.quads_for_pattern(None, None, None)
                if isinstance(q.graph_name, ox.NamedNode) and q.graph_name != ONTOLOGY_GRAPH}
    assert {base + "modality/example-therapy", base + "theorist/ada", base + "source/tiny"} <= subjects
    assert all(s.startswith(base) for s in subjects)
    assert kg.select("SELECT ?m ?t WHERE { ?m tkg:developedBy ?t }") == [
        {"m": "modality/example-therapy", "t": "theorist/ada"}]


def test_unchanged_content_is_not_rebuilt_and_changed_content_is(tmp_path: Path) -> None:
    content = write(tmp_path / "content", GOOD)
    first = load_graph(tmp_path / "store", [content])
    again = load_graph(tmp_path / "store", [content])
    assert first.rebuilt and not again.rebuilt
    write(content, GOOD.replace("Example Therapy", "Example Therapy Renamed"))
    changed = load_graph(tmp_path / "store", [content])
    assert changed.rebuilt
    assert changed.nx.nodes["modality/example-therapy"]["label"] == "Example Therapy Renamed"


BAD_INPUTS = {
    "malformed yaml": (GOOD.replace("aliases: [ET]", "aliases: [ET"), "content.yaml:"),
    "unknown property": (GOOD.replace("aliases: [ET]", "alias: [ET]"), "unknown property ['alias']"),
    "wrong type": (GOOD.replace("introduced: 1980s", "introduced: [nineteen-eighties]"), "not a year"),
    "dangling reference": (GOOD.replace("developedBy: [theorist/ada]", "developedBy: [theorist/nobody]"),
                           "points at 'theorist/nobody', which does not exist"),
    "duplicate id": (GOOD + "  - {id: theorist/ada, type: Theorist, label: Ada Again, source: tiny}\n",
                     "duplicate id 'theorist/ada'"),
    "shared alias": (GOOD + "  - {id: theorist/eta, type: Theorist, label: Eta, aliases: [ET], source: tiny}\n",
                     "alias 'et' is shared by"),
    "wrong range": (GOOD.replace("developedBy: [theorist/ada]", "developedBy: [modality/example-therapy]"),
                    "developedBy must point at a Theorist"),
    "unknown source": (GOOD.replace("source: tiny\n    developedBy", "source: nowhere\n    developedBy"),
                       "source 'nowhere' is not defined"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_refused_and_old_store_kept(tmp_path: Path, case: str) -> None:
    content = write(tmp_path / "content", GOOD)
    store = tmp_path / "store"
    good = load_graph(store, [content])
    before = current_build(store)
    text, expected = BAD_INPUTS[case]
    write(content, text)
    with pytest.raises(BuildError) as error:
        load_graph(store, [content])
    message = str(error.value)
    assert expected in message
    if case not in ("duplicate id", "shared alias", "unknown source"):
        assert "content.yaml" in message  # names the file
    assert current_build(store) == before  # the old store still serves
    assert good.nx.nodes["modality/example-therapy"]["label"] == "Example Therapy"
    assert not any(".partial-" in p.name for p in (store / "builds").iterdir())


def test_failed_build_leaves_previous_store_queryable(tmp_path: Path) -> None:
    content = write(tmp_path / "content", GOOD)
    store = tmp_path / "store"
    load_graph(store, [content])
    write(content, GOOD.replace("theorist/ada]", "theorist/ghost]"))
    with pytest.raises(BuildError):
        load_graph(store, [content])
    write(content, GOOD)
    restored = load_graph(store, [content])
    assert not restored.rebuilt  # the previous build was still current, untouched
    rows = restored.select("SELECT ?m ?name WHERE { ?m tkg:developedBy/skos:prefLabel ?name }",
                           m="modality/example-therapy")
    assert [r["name"] for r in rows] == ["Ada Example"]


def test_two_pages_with_the_same_file_name_get_distinct_sources(tmp_path: Path) -> None:
    content = write(tmp_path / "content", GOOD)
    page = "Example Therapy\n\nExample Therapy was developed by Ada Example in 1984.\n"
    first = tmp_path / "a" / "example.txt"
    second = tmp_path / "b" / "example.txt"
    for path in (first, second):
        path.parent.mkdir()
        path.write_text(page)
    kg = load_graph(tmp_path / "store", [content], pages=[first, second])
    graphs = {row["g"] for row in kg.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?g a tkg:Source } }")}
    assert graphs == {"source/tiny", "source/page-example", "source/page-example-b"}
    edges = kg.nx.get_edge_data("modality/example-therapy", "theorist/ada")["developedBy"]
    assert sorted(edges["sources"]) == ["page-example", "page-example-b", "tiny"]


TRICKY = '''
sources:
  - {id: tricky, title: "A \\"quoted\\" title \\\\ with a backslash", kind: reference,
     url: "https://example.org/a?b=1&c=%C3%A9#x", author: "Zoë Ærø"}
entities:
  - id: modality/tricky-therapy
    type: Modality
    label: "Tricky \\"Therapy\\" \\\\ 治療 🙂"
    source: tricky
    introduced: 1921
'''


def test_text_survives_the_n_quads_mapping_exactly(tmp_path: Path) -> None:
    # the build writes its quads as N-Quads text: quotes, backslashes, line breaks, tabs and non-ASCII come back as
    # written, and a URL keeps its query, escapes and fragment
    kg = load_graph(tmp_path / "store", [write(tmp_path / "content", TRICKY)])
    rows = kg.select("SELECT ?label ?title ?url ?author WHERE { ?m skos:prefLabel ?label . "
                     "?s dct:title ?title ; dct:source ?url ; dct:creator ?author }")
    assert rows == [{"label": 'Tricky "Therapy" \\ 治療 🙂', "title": 'A "quoted" title \\ with a backslash', "url": "https://example.org/a?b=1&c=%C3%A9#x",
                     "author": "Zoë Ærø"}]
    assert kg.select("SELECT ?y WHERE { ?m tkg:introduced ?y }") == [{"y": 1921}]


def test_a_url_that_is_no_iri_is_refused_by_name(tmp_path: Path) -> None:
    # the content check lets "https://[bad" pass (no space or bracket it forbids ...), the IRI check does not
    content = write(tmp_path / "content", GOOD.replace("kind: reference}", "kind: reference, url: 'https://[bad'}"))
    with pytest.raises(BuildError, match=r"source tiny: url 'https://\[bad' is not an IRI \(Invalid character"):
        load_graph(tmp_path / "store", [content])
    assert current_build(tmp_path / "store") is None


def test_line_breaks_and_tabs_survive_the_n_quads_mapping() -> None:
    # what content text cannot hold (the loader folds a description's line breaks) a page's quote can
    from graph.pipeline.rdf import corpus_nquads
    from ontology.records import Entity, Source

    text = 'one\ntwo\r\nthree\tfour "five" \\six\\n'
    entity = Entity(id="modality/x", type="Modality", label="X", source="s", description=text)
    lines = corpus_nquads([Source(id="s", title=text, kind="reference")], [(entity, ())], [], "https://e.org/")
    store = ox.Store()
    store.load("".join(lines).encode(), format=ox.RdfFormat.N_QUADS)
    values = {q.predicate.value.rpartition("/")[2]: q.object.value for q in store
              if isinstance(q.object, ox.Literal) and q.graph_name != ONTOLOGY_GRAPH}
    assert values["core#definition"] == values["title"] == text
