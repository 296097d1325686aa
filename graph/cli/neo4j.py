"""`tkg neo4j push | check`: put the graph on a Neo4j server and verify the round trip."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click
import networkx as nx

from graph.cli.context import open_graph
from graph.sinks.neo4j import (
    DEFAULT_BATCH_SIZE,
    Batch,
    Driver,
    Neo4jPushInterrupted,
    Neo4jUnavailable,
    check_round_trip,
    open_driver,
    push_to_neo4j,
)

PASSWORD_VARIABLE = "NEO4J_PASSWORD"

server_options = [
    click.option("--uri", envvar="NEO4J_URI", required=True,
                 help="Bolt URI of the server, e.g. bolt://localhost:7687 or neo4j+s://xxxx.databases.neo4j.io "
                      "(default: $NEO4J_URI)."),
    click.option("--user", envvar="NEO4J_USER", default="neo4j", show_default=True,
                 help="User name (default: $NEO4J_USER or neo4j). The password is read from $NEO4J_PASSWORD."),
    click.option("--database", envvar="NEO4J_DATABASE", default="neo4j", show_default=True,
                 help="Database to write to and read from."),
]


def with_server_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add --uri, --user and --database to a command."""
    for option in reversed(server_options):
        command = option(command)
    return command


@contextmanager
def connected(uri: str, user: str, database: str, retry_seconds: float = 30.0) -> Iterator[Driver]:
    """A verified driver, or exit 2 with a clear message (no password, wrong password, unreachable, no database)."""
    logging.getLogger("neo4j").setLevel(logging.ERROR)  # the driver's retry chatter; our own message says it all
    password = os.environ.get(PASSWORD_VARIABLE)
    if not password:
        click.echo(f"error: set {PASSWORD_VARIABLE} to the password of Neo4j user {user!r} "
                   "(it is never taken as an option, so it stays out of shell history and process lists)", err=True)
        sys.exit(2)
    try:
        driver = open_driver(uri, user, password, database, retry_seconds)
    except Neo4jUnavailable as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    try:
        yield driver
    finally:
        driver.close()


@click.group("neo4j")
def neo4j_group() -> None:
    """Push the graph to a Neo4j server (5.x, Aura included) and check what is there."""


@neo4j_group.command()
@with_server_options
@click.option("--batch-size", type=click.IntRange(min=1), default=DEFAULT_BATCH_SIZE, show_default=True,
              help="Nodes or relationships per transaction.")
@click.option("--prune", is_flag=True, help="Delete entity nodes and relationships the graph no longer has.")
@click.option("--retry-seconds", type=click.FloatRange(min=0), default=30.0, show_default=True,
              help="How long to retry a batch when the connection drops before giving up.")
@click.option("--check/--no-check", "check_after", default=False,
              help="Read the graph back afterwards and compare it (as `tkg neo4j check`).")
@click.pass_context
def push(ctx: click.Context, uri: str, user: str, database: str, batch_size: int, prune: bool,
         retry_seconds: float, check_after: bool) -> None:
    """Write the graph to Neo4j, idempotently: a second push of the same graph changes nothing.

    Creates the uniqueness constraint and indexes first, then merges nodes and relationships in batches (read
    straight from the embedded store; into an empty database they are created); prints how many were created,
    updated and left unchanged.
    """

    with connected(uri, user, database, retry_seconds) as driver:  # fail fast on a bad server before building
        kg = open_graph(ctx)
        bar_holder: list = []

        def on_plan(total: int) -> None:
            bar_holder.append(click.progressbar(length=total, label=f"Pushing to {uri}", file=sys.stderr,
                                                item_show_func=lambda text: text or ""))
            bar_holder[0].__enter__()

        def on_batch(batch: Batch) -> None:
            bar_holder[0].update(1, f"{batch.kind} {batch.name}")

        try:
            report = push_to_neo4j(kg.store, driver, database, batch_size, prune, on_batch=on_batch, on_plan=on_plan,
                                   server=uri)
        except Neo4jPushInterrupted as error:
            if bar_holder:
                bar_holder[0].__exit__(None, None, None)
            click.echo(f"error: {error}", err=True)
            sys.exit(1)
        bar_holder[0].__exit__(None, None, None)
        for line in report.lines():
            click.echo(line)
        if check_after:
            _report_round_trip(kg.nx, driver, database)


@neo4j_group.command()
@with_server_options
@click.pass_context
def check(ctx: click.Context, uri: str, user: str, database: str) -> None:
    """Read the graph back from Neo4j and compare it with the embedded one (exit 1 if they differ).

    Compares node counts per class label, relationship counts per type, and every mapped property and
    provenance list of every node and relationship.
    """

    with connected(uri, user, database) as driver:
        _report_round_trip(open_graph(ctx).nx, driver, database)


def _report_round_trip(graph: nx.MultiDiGraph, driver: Driver, database: str) -> None:
    result = check_round_trip(graph, driver, database)
    click.echo(f"{'label / type':<26}{'graph':>8}{'Neo4j':>8}")
    for name in sorted(set(result.expected_counts) | set(result.actual_counts)):
        expected, actual = result.expected_counts.get(name, 0), result.actual_counts.get(name, 0)
        click.echo(f"{name:<26}{expected:>8}{actual:>8}{'' if expected == actual else '  <-- differs'}")
    if result.lossless:
        click.echo("round trip: lossless (counts and every mapped property agree)")
        return
    click.echo("round trip: DIFFERENT", err=True)
    for line in result.differences:
        click.echo(f"  {line}", err=True)
    sys.exit(1)
