"""Datings keep year, precision and source together, from the RDF to every view that shows a date.

Dialectical behaviour therapy is dated "1980s" by one source and 1993 by another in the bundled content; Dyadic
Developmental Psychotherapy ("1990s") and Motivational interviewing (1983) have one date each and show it as written.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli.main import main
from graph.pipeline.corpus import BUNDLED_CONTENT
from graph.sinks.exports import generate_csv_tables
from graph.sinks.maps import node_tooltip, placement_years
from graph.views.datings import agreement, dating_values, introduced_text, sorted_datings
from graph.views.explore import compare_modalities, dating_sources, entity_profile, life_years, timeline_by_decade
from graph.views.kg import KnowledgeGraph

DBT = "modality/dialectical-behaviour-therapy"
DDP = "modality/dyadic-developmental-psychotherapy"
MI = "modality/motivational-interviewing"
DBT_DATINGS = [{"year": 1980, "precision": "decade", "source": "linehan-1987"},
               {"year": 1993, "precision": "year", "source": "sage-health-communication-dbt"}]
DBT_TEXT = "1980s / 1993 (sources disagree)"


def test_each_source_dating_is_one_node_with_its_own_year_precision_and_source(kg: KnowledgeGraph) -> None:
    rows = kg.select("""
        SELECT ?m ?graph ?year ?precision ?source WHERE {
          GRAPH ?graph { ?dating a tkg:Dating ; tkg:dates ?m ; tkg:year ?year ; tkg:precision ?precision ;
                                 prov:wasDerivedFrom ?source }
        }""", m=DBT)
    assert sorted((r["year"], str(r["precision"]).rsplit("#", 1)[-1], r["source"], r["graph"]) for r in rows) == [
        (1980, "YearPrecision_decade", "source/linehan-1987", "source/linehan-1987"),
        (1993, "YearPrecision_year", "source/sage-health-communication-dbt", "source/sage-health-communication-dbt")]
    introduced = kg.select("SELECT ?m ?year WHERE { ?m tkg:introduced ?year }", m=DBT)
    assert sorted(r["year"] for r in introduced) == [1980, 1993]  # kept on the entity for simple queries
    # no precision floats on an entity (or a statement) apart from its year any more
    assert kg.select("SELECT ?s WHERE { ?s tkg:introducedPrecision ?p }") == []


def test_every_introduced_year_has_its_dating(kg: KnowledgeGraph) -> None:
    introduced = {(r["m"], r["year"]) for r in kg.select("SELECT ?m ?year WHERE { ?m tkg:introduced ?year }")}
    dated = {(r["m"], r["year"]) for r in kg.select("SELECT ?m ?year WHERE { ?d tkg:dates ?m ; tkg:year ?year }")}
    assert introduced == dated and len(introduced) >= 75


def test_the_views_dating_query_returns_each_dating_once(kg: KnowledgeGraph) -> None:
    """The default graph already holds the union of the sources' graphs; read through Oxigraph's union mode as
    well, each triple matched twice and the five-pattern dating query returned every dating 32 times."""
    from graph.views.networkx_view import DATING_QUERY
    from ontology.namespace import sparql_prologue

    rows = list(kg.store.query(sparql_prologue() + DATING_QUERY))
    datings = kg.select("SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { GRAPH ?g { ?d a tkg:Dating } }")[0]["n"]
    assert len(rows) == datings > 150


def test_networkx_view_lists_datings_with_a_text_and_the_earliest_as_sort_year(kg: KnowledgeGraph) -> None:
    dbt = kg.nx.nodes[DBT]
    assert dbt["datings"] == DBT_DATINGS
    assert dbt["introduced"] == DBT_TEXT
    assert (dbt["introduced_year"], dbt["introduced_precision"]) == (1980, "decade")
    gestalt = kg.nx.nodes["modality/gestalt-therapy"]
    assert gestalt["introduced"] == "1940s / 1951 (sources disagree)" and gestalt["introduced_year"] == 1940
    ddp, mi = kg.nx.nodes[DDP], kg.nx.nodes[MI]
    assert (ddp["introduced"], ddp["introduced_year"], ddp["introduced_precision"]) == ("1990s", 1990, "decade")
    assert ddp["datings"] == [{"year": 1990, "precision": "decade", "source": "seed-attachment-focused"}]
    assert (mi["introduced"], mi["introduced_year"], mi["introduced_precision"]) == ("1983", 1983, "year")


def test_views_are_the_same_on_every_build(kg: KnowledgeGraph, tmp_path: Path) -> None:
    from graph.views.kg import load_graph

    again = load_graph(tmp_path / "store", [BUNDLED_CONTENT])
    dated = {n: (d["introduced"], d["introduced_year"], d["introduced_precision"], d["datings"])
             for n, d in kg.nx.nodes(data=True) if d["datings"]}
    assert dated == {n: (d["introduced"], d["introduced_year"], d["introduced_precision"], d["datings"])
                     for n, d in again.nx.nodes(data=True) if d["datings"]}


def test_explorer_profile_shows_both_dates_and_who_gives_which(kg: KnowledgeGraph) -> None:
    profile = entity_profile(kg.nx, DBT)
    assert life_years(profile) == f"introduced {DBT_TEXT}"
    titles = {"linehan-1987": "Linehan 1987 (Bulletin of the Menninger Clinic)"}
    assert dating_sources(profile, titles) == (
        "1980s: Linehan 1987 (Bulletin of the Menninger Clinic); 1993: sage-health-communication-dbt")
    ddp = entity_profile(kg.nx, DDP)
    assert life_years(ddp) == "introduced 1990s" and dating_sources(ddp) == ""
    assert life_years(entity_profile(kg.nx, MI)) == "introduced 1983"


def test_compare_and_timeline_use_the_text_and_the_earliest_decade(kg: KnowledgeGraph) -> None:
    comparison = compare_modalities(kg.nx, [DBT, DDP])
    assert comparison.rows[0] == ("Introduced", [[DBT_TEXT], ["1990s"]])
    timeline = dict(timeline_by_decade(kg.nx, [DBT, DDP, MI]))
    assert timeline["1980s"] == sorted([kg.nx.nodes[DBT]["label"], kg.nx.nodes[MI]["label"]], key=str.casefold)


def test_cli_lineage_line_names_both_dates(kg: KnowledgeGraph, bundled_store: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["--store", str(bundled_store), "--content", str(BUNDLED_CONTENT),
                                  "lineage", "DBT", "--depth", "1"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "Dialectical behaviour therapy (Modality, 1980s / 1993; sources disagree)"
    result = runner.invoke(main, ["--store", str(bundled_store), "--content", str(BUNDLED_CONTENT),
                                  "lineage", "DDP", "--depth", "1"])
    assert result.stdout.splitlines()[0] == "Dyadic Developmental Psychotherapy (Modality, 1990s)"


def test_map_tooltip_and_placement(kg: KnowledgeGraph) -> None:
    lines = node_tooltip(kg.nx, DBT).splitlines()
    start = lines.index(f"Introduced: {DBT_TEXT}")
    assert lines[start + 1:start + 3] == ["  1980s: linehan-1987", "  1993: sage-health-communication-dbt"]
    ddp = node_tooltip(kg.nx, DDP).splitlines()
    assert ddp[1] == "Introduced: 1990s" and not ddp[2].startswith("  ")
    years = placement_years(kg.nx)
    assert years[DBT] == 1985 and years[DDP] == 1995 and years[MI] == 1983  # earliest dating; a decade's middle


def test_csv_export_keeps_each_dating_with_its_source(kg: KnowledgeGraph) -> None:
    import csv
    import io

    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(generate_csv_tables(kg.nx)["nodes.csv"]))}
    assert rows[DBT]["introduced"] == DBT_TEXT
    assert rows[DBT]["datings"] == "1980s (linehan-1987)|1993 (sage-health-communication-dbt)"
    assert (rows[DDP]["introduced"], rows[DDP]["datings"]) == ("1990s", "1990s (seed-attachment-focused)")


@pytest.mark.parametrize(("datings", "text", "note"), [
    ([(1987, "year", "a")], "1987", ""),
    ([(1990, "decade", "a"), (1990, "decade", "b")], "1990s", ""),  # two sources, one date: they agree
    ([(1993, "year", "a"), (1980, "decade", "b")], "1980s / 1993 (sources disagree)", "sources disagree"),
    ([(1985, "year", "a"), (1980, "decade", "b")], "1980s / 1985 (sources differ in precision)",
     "sources differ in precision"),
    ([(1980, "year", "a"), (1980, "decade", "b")], "1980s / 1980 (sources differ in precision)",
     "sources differ in precision"),
    ([(1987, "year", "a"), (1989, "year", "b")], "1987 / 1989 (sources disagree)", "sources disagree"),
    ([(1970, "decade", "a"), (1980, "decade", "b")], "1970s / 1980s (sources disagree)", "sources disagree"),
])
def test_text_of_datings(datings: list[tuple[int, str, str]], text: str, note: str) -> None:
    records = [{"year": y, "precision": p, "source": s} for y, p, s in datings]
    assert introduced_text(records) == text
    assert agreement(records) == note
    assert dating_values(records) == text.split(" (")[0].split(" / ")
    assert sorted_datings(records)[0]["year"] == min(y for y, _, _ in datings)


def test_no_datings_no_text() -> None:
    assert introduced_text([]) is None and agreement([]) == ""
