"""`tkg serve`: the read-only SPARQL 1.1 endpoint (Oxigraph's server behind our thin proxy) over the built graph."""

from __future__ import annotations

import shutil
import sys

import click

from graph.cli.context import open_graph
from graph.serve.endpoint import (
    DEFAULT_MAX_MEMORY_MB,
    DEFAULT_TIMEOUT,
    MAX_BODY,
    EndpointConfig,
    serve_endpoint,
)
from graph.sinks.exports import dataset_statistics, generate_void
from graph.views.sparql_guard import parse_allow_list
from ontology.example_queries import example_queries


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True,
              help="Port to listen on (0: any free port, printed at start).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=DEFAULT_TIMEOUT, show_default=True,
              help="Seconds a query may run before it is stopped and answered 503.")
@click.option("--max-memory-mb", type=click.IntRange(min=64), default=DEFAULT_MAX_MEMORY_MB, show_default=True,
              help="Memory budget of the query worker; a query pushing it past this is stopped.")
@click.option("--cache-mb", type=click.IntRange(min=0), default=64, show_default=True,
              help="Memory for cached answers (the served build is immutable); 0 turns the cache off.")
@click.option("--public-url", default=None,
              help="URL of the endpoint as the world sees it (VoID, Service Description, base IRI of queries).")
@click.option("--allow-service", "allow_service", multiple=True, metavar="HOST[:PORT]",
              help="Allow SERVICE (federated query) to this host (repeatable); refused by default. Loopback and "
                   "private addresses are reached only when listed as such.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, timeout: float, max_memory_mb: int, cache_mb: int,
          public_url: str | None, allow_service: tuple[str, ...]) -> None:
    """Serve the graph as a read-only SPARQL endpoint (GET/POST /query; a query editor for browsers at /).

    The default graph is the union of all sources; our prefixes (tkg:, skos:, id: ...) need not be declared.
    """

    oxigraph = shutil.which("oxigraph")
    if oxigraph is None:
        click.echo("error: the `oxigraph` server binary is not on PATH; install it with `pip install oxigraph`",
                   err=True)
        sys.exit(2)
    try:
        allowed = parse_allow_list(allow_service)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--allow-service") from None
    kg = open_graph(ctx)
    statistics = dataset_statistics(kg.store)
    materialised_union = bool(kg.store.query("ASK { ?s ?p ?o }"))  # default graph already holds the union

    def void_for_url(url: str) -> str:
        return generate_void(statistics, public_url or url)

    config = EndpointConfig(location=kg.build.path / "oxigraph", host=host, port=port, timeout=timeout,
                            max_body=MAX_BODY, max_memory_mb=max_memory_mb, oxigraph=oxigraph,
                            union_default_graph=not materialised_union, cache_mb=cache_mb, examples=example_queries(),
                            void_for_url=void_for_url, public_url=public_url, allowed_services=allowed)
    try:
        serve_endpoint(config)
    except OSError as error:
        click.echo(f"error: cannot listen on {host}:{port}: {error.strerror or error}", err=True)
        sys.exit(2)
