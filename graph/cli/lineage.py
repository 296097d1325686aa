"""`tkg lineage`, `tkg path` and `tkg central`: lineage views of the graph in words."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

import click
import networkx as nx

from graph.cli.context import open_graph, resolve_or_exit
from graph.views.datings import agreement, dating_values
from graph.views.lineage import LineageStep, PathStep, centrality, explain_path, lineage_of, shortest_path


def _when(data: Mapping[str, Any]) -> str:
    """``", 1990s"``, or ``", 1980s / 1993; sources disagree"`` (inside the line's parenthesis); '' when undated."""
    datings = data.get("datings") or []
    if not datings:
        return f", {data['introduced']}" if data.get("introduced") else ""
    note = agreement(datings)
    return ", " + " / ".join(dating_values(datings)) + (f"; {note}" if note else "")


@click.command()
@click.argument("name")
@click.option("--up", "direction", flag_value="up", default=True, help="Where it came from (default).")
@click.option("--down", "direction", flag_value="down", help="What grew out of it.")
@click.option("--depth", type=click.IntRange(min=1), default=None, help="Stop after this many steps.")
@click.pass_context
def lineage(ctx: click.Context, name: str, direction: str, depth: int | None) -> None:
    """The lineage of a modality, theory or theorist: origins (--up) or descendants (--down)."""
    kg = open_graph(ctx, last_good_on_failure=True)
    entity_id = resolve_or_exit(kg, name)
    graph = kg.nx
    node = graph.nodes[entity_id]
    click.echo(f"{node['label']} ({node['type']}{_when(node)})")
    steps = lineage_of(graph, entity_id, direction, depth)
    if not steps:
        click.echo("  (no lineage recorded)")
    children: dict[str, list[LineageStep]] = {}
    for step in steps:
        children.setdefault(step.parent, []).append(step)

    def show(parent: str, indent: int) -> None:
        for step in children.get(parent, []):
            data = graph.nodes[step.id]
            when = _when(data)
            if direction == "up":
                hop = PathStep(step.parent, step.via, step.id)
            else:
                hop = PathStep(step.id, step.via, step.parent)
            reason = explain_path(graph, [hop])[0]
            click.echo(f"{'  ' * indent}{data['label']} ({data['type']}{when})   because: {reason}")
            show(step.id, indent + 1)

    show(entity_id, 1)


@click.command()
@click.argument("start")
@click.argument("end")
@click.pass_context
def path(ctx: click.Context, start: str, end: str) -> None:
    """The shortest chain of facts linking two entities, explained in words."""
    kg = open_graph(ctx, last_good_on_failure=True)
    a, b = resolve_or_exit(kg, start), resolve_or_exit(kg, end)
    try:
        steps = shortest_path(kg.nx, a, b)
    except nx.NetworkXNoPath:
        click.echo(f"no path between {kg.entity(a)['label']} and {kg.entity(b)['label']}", err=True)
        sys.exit(1)
    for number, sentence in enumerate(explain_path(kg.nx, steps), start=1):
        click.echo(f"{number}. {sentence}")


@click.command()
@click.option("--kind", type=click.Choice(["degree", "betweenness"]), default="degree", show_default=True)
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True)
@click.option("--type", "types", multiple=True, help="Only entities of this class (repeatable), e.g. Theorist.")
@click.pass_context
def central(ctx: click.Context, kind: str, top: int, types: tuple[str, ...]) -> None:
    """The most central entities of the graph (degree or betweenness centrality)."""
    kg = open_graph(ctx, last_good_on_failure=True)
    for entity_id, score in centrality(kg.nx, kind, top, types or None):
        node = kg.entity(entity_id)
        click.echo(f"{score:8.4f}  {node['label']} ({node['type']})")
