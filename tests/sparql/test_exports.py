"""Exports are deterministic and agree with each other; the VoID description counts the real graph."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from graph.sinks.exports import (
    dataset_statistics,
    generate_graphml,
    generate_jsonld,
    generate_rdf,
    generate_void,
    jsonld_context,
    write_export,
)
from graph.views.kg import KnowledgeGraph
from graph.views.stats import graph_stats
from ontology.namespace import entity_base, ontology_path

TKG = rdflib.Namespace("https://w3id.org/therapy-kg/ontology#")


def node(entity_id: str) -> rdflib.URIRef:
    return rdflib.URIRef(entity_base() + entity_id)


@pytest.fixture(scope="module")
def turtle_graph(kg: KnowledgeGraph) -> rdflib.Graph:
    return rdflib.Graph().parse(data=generate_rdf(kg.store, "ttl").decode("utf-8"), format="turtle")


def test_turtle_export_is_deterministic_and_holds_the_seed_facts(kg: KnowledgeGraph,
                                                                 turtle_graph: rdflib.Graph) -> None:
    first, second = generate_rdf(kg.store, "ttl"), generate_rdf(kg.store, "ttl")
    assert first == second
    text = first.decode("utf-8")
    assert "@prefix modality: <" in text and "modality:dyadic-developmental-psychotherapy" in text
    assert (node("modality/dyadic-developmental-psychotherapy"), TKG.developedBy,
            node("theorist/daniel-hughes")) in turtle_graph
    assert (node("modality/mentalization-based-treatment"), TKG.addressesCondition,
            node("condition/borderline-personality-disorder")) in turtle_graph


def test_ntriples_and_jsonld_are_the_same_graph_as_turtle(kg: KnowledgeGraph, turtle_graph: rdflib.Graph) -> None:
    nt = rdflib.Graph().parse(data=generate_rdf(kg.store, "nt").decode("utf-8"), format="nt")
    document = generate_jsonld(kg.store)
    jsonld = rdflib.Graph().parse(data=json.dumps(document), format="json-ld")
    assert len(nt) == len(turtle_graph) == len(jsonld)
    assert isomorphic(nt, turtle_graph) and isomorphic(jsonld, turtle_graph)
    ddp = next(n for n in document["@graph"] if n["@id"] == "modality:dyadic-developmental-psychotherapy")
    assert ddp["@type"] == ["Modality"] and ddp["developedBy"] == ["theorist:daniel-hughes"]


def test_union_export_counts_distinct_triples_of_all_sources(kg: KnowledgeGraph, turtle_graph: rdflib.Graph) -> None:
    assert len(turtle_graph) == dataset_statistics(kg.store).triples


def test_nquads_keep_each_fact_in_its_source_graph(kg: KnowledgeGraph) -> None:
    dataset = rdflib.Dataset()
    dataset.parse(data=generate_rdf(kg.store, "nq").decode("utf-8"), format="nquads")
    seed = dataset.graph(rdflib.URIRef(entity_base() + "source/seed-attachment-focused"))
    assert (node("modality/dyadic-developmental-psychotherapy"), TKG.developedBy,
            node("theorist/daniel-hughes")) in seed
    bretherton = dataset.graph(rdflib.URIRef(entity_base() + "source/bretherton-1992"))
    assert (node("theory/attachment-theory"), TKG.developedBy, node("theorist/mary-ainsworth")) in bretherton
    trig = rdflib.Dataset()
    trig.parse(data=generate_rdf(kg.store, "trig").decode("utf-8"), format="trig")
    assert len(trig) == len(dataset)


def test_context_file_is_the_generated_context() -> None:
    on_disk = json.loads(ontology_path("context.jsonld").read_text(encoding="utf-8"))
    assert on_disk == json.loads(json.dumps(jsonld_context()))


def test_graphml_round_trips_through_networkx(kg: KnowledgeGraph) -> None:
    text = generate_graphml(kg.nx)
    assert text == generate_graphml(kg.nx)
    back = nx.read_graphml(io.BytesIO(text.encode("utf-8")), force_multigraph=True)
    assert back.number_of_nodes() == kg.nx.number_of_nodes()
    assert back.number_of_edges() == kg.nx.number_of_edges()
    assert back.nodes["modality/dyadic-developmental-psychotherapy"]["label"] == "Dyadic Developmental Psychotherapy"
    assert back.has_edge("modality/mentalization-based-treatment", "theorist/peter-fonagy")


def test_csv_tables(kg: KnowledgeGraph, tmp_path: Path) -> None:
    written = write_export(kg.store, kg.nx, "csv", tmp_path / "csv")
    assert sorted(p.name for p in written) == ["edges.csv", "nodes.csv"]
    nodes = list(csv.DictReader((tmp_path / "csv" / "nodes.csv").open(encoding="utf-8")))
    edges = list(csv.DictReader((tmp_path / "csv" / "edges.csv").open(encoding="utf-8")))
    assert len(nodes) == kg.nx.number_of_nodes() and len(edges) == kg.nx.number_of_edges()
    ddp = next(row for row in nodes if row["id"] == "modality/dyadic-developmental-psychotherapy")
    assert ddp["introduced"] == "1990s" and "DDP" in ddp["aliases"].split("|")
    assert list(edges[0]) == ["subject", "relation", "object", "citations", "evidence_quote", "evidence_start",
                              "evidence_end"]
    assert {"subject": "modality/dyadic-developmental-psychotherapy", "relation": "developedBy",
            "object": "theorist/daniel-hughes"}.items() <= next(
        row for row in edges if row["subject"] == "modality/dyadic-developmental-psychotherapy"
        and row["relation"] == "developedBy").items()


def test_void_description_counts(kg: KnowledgeGraph) -> None:
    stats = dataset_statistics(kg.store)
    graph = rdflib.Graph().parse(data=generate_void(stats, "http://example.org/sparql"), format="turtle")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    dct = rdflib.Namespace("http://purl.org/dc/terms/")
    dataset = rdflib.URIRef(entity_base() + "dataset")
    assert graph.value(dataset, dct.license) is not None and graph.value(dataset, dct.title) is not None
    modalities = {row["m"] for row in kg.select("SELECT DISTINCT ?m WHERE { ?m a tkg:Modality }")}
    partitions = {graph.value(p, void["class"]): int(graph.value(p, void.entities))
                  for p in graph.objects(dataset, void.classPartition)}
    assert partitions[TKG.Modality] == len(modalities)
    assert int(graph.value(dataset, void.classes)) == len(partitions)
    assert graph.value(dataset, void.sparqlEndpoint) == rdflib.URIRef("http://example.org/sparql")


def test_export_cli(kg: KnowledgeGraph, bundled_store: Path, tmp_path: Path) -> None:
    base = [sys.executable, "-m", "graph.cli", "--store", str(bundled_store), "export"]
    result = subprocess.run([*base, "--format", "ttl", "-o", str(tmp_path / "kg.ttl")], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "kg.ttl").read_bytes() == generate_rdf(kg.store, "ttl")
    refused = subprocess.run([*base, "--format", "csv"], capture_output=True, text=True, timeout=300)
    assert refused.returncode == 2 and "--output" in refused.stderr
    streamed = subprocess.run([*base, "--format", "nt"], capture_output=True, timeout=300)
    assert streamed.returncode == 0
    store = ox.Store()
    store.load(streamed.stdout, format=ox.RdfFormat.N_TRIPLES)
    assert len(store) == dataset_statistics(kg.store).triples


def test_one_count_of_quads_and_triples_across_stats_store_and_exports(kg: KnowledgeGraph) -> None:
    counts = graph_stats(kg)["counts"]
    assert counts["quads"] == len(kg.store) == kg.build.quads  # after deduplication, everywhere
    assert counts["quads"] == counts["source_quads"] + counts["ontology_triples"] + counts["default_graph_triples"]
    ontology = len(list(ox.parse(path=str(ontology_path("therapy.ttl")), format=ox.RdfFormat.TURTLE)))
    assert counts["ontology_triples"] == ontology
    nquads = generate_rdf(kg.store, "nq").decode("utf-8").splitlines()
    assert len(nquads) == counts["source_quads"]
    assert len(generate_rdf(kg.store, "nt").splitlines()) == counts["distinct_triples"]
    assert counts["distinct_triples"] == dataset_statistics(kg.store).triples
    with_ontology = generate_rdf(kg.store, "nq", include_ontology=True).decode("utf-8").splitlines()
    assert len(with_ontology) == counts["source_quads"] + ontology
    assert len(generate_rdf(kg.store, "nt", include_ontology=True).splitlines()) == counts["default_graph_triples"]


def test_export_cli_adds_the_ontology_only_on_request(kg: KnowledgeGraph, bundled_store: Path) -> None:
    base = [sys.executable, "-m", "graph.cli", "--store", str(bundled_store), "export", "--format", "nt"]
    plain = subprocess.run(base, capture_output=True, timeout=300)
    full = subprocess.run([*base, "--include-ontology"], capture_output=True, timeout=300)
    owl_class = b"<http://www.w3.org/2002/07/owl#Class>"
    assert owl_class not in plain.stdout and owl_class in full.stdout
    refused = subprocess.run([*base[:-1], "graphml", "--include-ontology"], capture_output=True, text=True,
                             timeout=300)
    assert refused.returncode == 2 and "--include-ontology applies to the RDF formats" in refused.stderr
