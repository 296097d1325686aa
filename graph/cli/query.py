"""`tkg query`: SPARQL over the embedded store under a time limit and memory cap, as a table or a standard format."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from graph.cli.context import open_graph
from graph.views.bounded_query import (
    GRAPH_FORMATS,
    SOLUTION_FORMATS,
    QueryLimits,
    QueryRefused,
    QueryStopped,
    run_bounded,
)
from graph.views.sparql_guard import QueryRefused as ServiceRefused
from graph.views.sparql_guard import check_query, parse_allow_list
from ontology.example_queries import example_query


def read_query_text(text: str) -> str:
    """The query itself, or the contents of ``@file.rq``; a name not found as a file is looked up among the
    bundled example queries (``@lineage-of-a-modality``). Raises click.BadParameter naming what was not found."""
    if not text.startswith("@"):
        return text
    path = Path(text[1:])
    if path.exists():
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise click.BadParameter(f"cannot read query file {path}: {error}") from None
    example = example_query(path.name)
    if example is None:
        raise click.BadParameter(f"no query file {path} (nor {path.stem} among the example queries)")
    return example.text


@click.command()
@click.argument("sparql")
@click.option("--format", "fmt", type=click.Choice([*SOLUTION_FORMATS, *GRAPH_FORMATS]), default="table",
              show_default=True,
              help="SELECT/ASK: a readable table, or SPARQL 1.1 Query Results json, xml, csv or tsv; "
                   "CONSTRUCT/DESCRIBE: ttl (also what table means there), nt or jsonld.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="Seconds the query may run before it is stopped (exit 1).")
@click.option("--max-memory-mb", type=click.IntRange(min=256), default=2048, show_default=True,
              help="Address space the query process may use; a query needing more is stopped (exit 1).")
@click.option("--allow-service", "allow_service", multiple=True, metavar="HOST[:PORT]",
              help="Allow SERVICE (federated query) to this host (repeatable); refused by default. Loopback and "
                   "private addresses are reached only when listed as such.")
@click.pass_context
def query(ctx: click.Context, sparql: str, fmt: str, timeout: float, max_memory_mb: int,
          allow_service: tuple[str, ...]) -> None:
    """Run a SPARQL query (text, or @file.rq; example queries by name, e.g. @lineage-of-a-modality).

    Prefixes tkg:, skos:, rdfs:, prov:, dct:, schema: and id: are predeclared; the default graph is the union
    of all sources. The table writes IRIs as id:modality/x or <iri>, strings quoted, with language tags and
    datatypes. The query runs in a child process under --timeout and --max-memory-mb; Ctrl-C stops it at once
    (exit 130).
    """
    text = read_query_text(sparql)
    try:
        allowed = parse_allow_list(allow_service)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--allow-service") from None
    kg = open_graph(ctx, last_good_on_failure=True)
    try:
        check_query(text, allowed, kg.prefixes)  # SERVICE allow-list and nesting, before the child runs it
    except ServiceRefused as refused:
        click.echo(f"error: {refused.message}", err=True)
        sys.exit(2)
    except ValueError:
        pass  # not parsable: the child reports the syntax error with its position
    try:
        body = run_bounded(kg.build.path / "oxigraph", text, kg.prefixes, fmt, QueryLimits(timeout, max_memory_mb))
    except KeyboardInterrupt:  # the child is already killed; skip closing the store and interpreter teardown
        click.echo("stopped (Ctrl-C)", err=True)
        sys.stderr.flush()
        os._exit(130)
    except QueryRefused as error:
        what = "invalid SPARQL: " if error.kind == "syntax" else ""
        click.echo(f"error: {what}{error}", err=True)
        sys.exit(2)
    except QueryStopped as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    finally:
        if kg.lease is not None:
            kg.lease.release()
    output = click.get_binary_stream("stdout")
    output.write(body)
    output.flush()
