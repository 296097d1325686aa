"""`tkg export` (ttl, nt, nq, trig, jsonld, graphml, csv, void) and `tkg push --sparql-graph-store URL`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from graph.cli.context import open_graph
from graph.files import write_atomically
from graph.sinks.exports import (
    EXPORT_FORMATS,
    ExportError,
    dataset_statistics,
    generate_void,
    push_to_graph_store,
    write_export,
)


@click.command()
@click.option("--format", "fmt", type=click.Choice([*EXPORT_FORMATS, "void"]), default="ttl", show_default=True,
              help="ttl/nt: all sources' facts as one graph; nq/trig: one named graph per source; jsonld: compact "
                   "JSON-LD with our context; graphml/csv: the networkx view; void: the VoID/DCAT description.")
@click.option("--output", "--out", "-o", type=click.Path(path_type=Path), default=None,
              help="File to write (a folder for csv); default standard output.")
@click.option("--include-ontology", is_flag=True,
              help="Add the ontology's triples (its own graph in nq/trig) to an RDF export; left out by default "
                   "(published as ontology/therapy.ttl).")
@click.option("--endpoint-url", default="http://127.0.0.1:7878/query", show_default=True,
              help="SPARQL endpoint named in the VoID description.")
@click.pass_context
def export(ctx: click.Context, fmt: str, output: Path | None, include_ontology: bool, endpoint_url: str) -> None:
    """Export the graph deterministically (same content, same bytes).

    RDF exports hold the sources' facts: nq/trig each quad of the sources' named graphs, ttl/nt/jsonld their
    distinct triples (the counts `tkg stats` prints); the ontology only with --include-ontology.
    """

    kg = open_graph(ctx)
    try:
        if fmt == "void":
            text = generate_void(dataset_statistics(kg.store), endpoint_url)
            if output is None:
                click.echo(text, nl=False)
            else:
                write_atomically(output, text)
                click.echo(f"wrote {output}", err=True)
            return
        view = kg.nx if fmt in ("graphml", "csv") else None
        for path in write_export(kg.store, view, fmt, output, include_ontology=include_ontology):
            click.echo(f"wrote {path}", err=True)
    except ExportError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)


@click.command()
@click.option("--sparql-graph-store", "url", required=True,
              help="Graph Store Protocol URL, e.g. http://host:7878/store (credentials from "
                   "TKG_GRAPH_STORE_USER / TKG_GRAPH_STORE_PASSWORD).")
@click.option("--without-ontology", is_flag=True, help="Push only the sources' graphs, not the ontology graph.")
@click.pass_context
def push(ctx: click.Context, url: str, without_ontology: bool) -> None:
    """Copy every named graph to a remote SPARQL store (each graph replaced with HTTP PUT)."""

    kg = open_graph(ctx)
    try:
        pushed = push_to_graph_store(kg.store, url, include_ontology=not without_ontology)
    except ExportError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    total = sum(size for _, size in pushed)
    click.echo(f"pushed {len(pushed)} graphs ({total} bytes of N-Triples) to {url}")
