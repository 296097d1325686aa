"""The part of the networkx view a map or page shows: an entity's neighbourhood, class and relation filters, a cap."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx


@dataclass(frozen=True)
class Neighbourhood:
    """A selected part of the graph (nodes and edges in sorted order) and whether the size cap cut it short."""

    graph: nx.MultiDiGraph
    truncated: bool = False


def select_neighbourhood(graph: nx.MultiDiGraph, focus: str | None = None, depth: int = 2, types: Iterable[str] = (),
                         relations: Iterable[str] = (), keep: Iterable[str] = (),
                         max_nodes: int | None = None) -> Neighbourhood:
    """The entities within ``depth`` steps of ``focus`` (facts followed in either direction), or the whole graph
    when there is no focus; the one selector behind `tkg map`, the explorer's map page and the map sink.

    ``types`` (class local names, e.g. ``Theorist``) keeps only entities of those classes and ``relations``
    (e.g. ``developedBy``) only facts of those relations, both while walking and in the result; empty means all.
    The focus and the ``keep`` entities (a presentation's stops) are always in the result, whatever the filters,
    and the walk may pass through them. Breadth first, neighbours in sorted ``(id, relation)`` order, so only the
    neighbourhood is visited and the same request always gives the same graph; nodes and edges come out sorted.
    ``max_nodes`` stops adding entities once that many are reached (without a focus: the first ones by id), so
    a hub on a large graph cannot yield an unreadable map; ``truncated`` then says so.

    Raises ``KeyError`` naming the focus or a ``keep`` entity that is not in the graph.
    """
    kept = set(keep)
    for entity_id in [*([focus] if focus is not None else []), *sorted(kept)]:
        if entity_id not in graph:
            raise KeyError(entity_id)
    wanted_types, wanted_relations = set(types), set(relations)

    def allowed(node: str) -> bool:
        return not wanted_types or graph.nodes[node].get("type") in wanted_types or node in kept

    truncated = False
    if focus is None:
        reached = [n for n, data in graph.nodes(data=True) if not wanted_types or data.get("type") in wanted_types]
        if max_nodes is not None and len(reached) > max_nodes:
            reached, truncated = sorted(reached)[:max_nodes], True
        chosen = set(reached) | kept
    else:
        seen, frontier = {focus}, [focus]
        for _ in range(depth):
            next_frontier = []
            for node in frontier:
                links = {(v, k) for _, v, k in graph.out_edges(node, keys=True)}
                links |= {(u, k) for u, _, k in graph.in_edges(node, keys=True)}
                for other, relation in sorted(links):
                    if other in seen or (wanted_relations and relation not in wanted_relations) or not allowed(other):
                        continue
                    if max_nodes is not None and len(seen) >= max_nodes:
                        truncated = True
                        break
                    seen.add(other)
                    next_frontier.append(other)
                if truncated:
                    break
            if truncated:
                break
            frontier = next_frontier
        chosen = seen | kept
    part = nx.MultiDiGraph()
    for node in sorted(chosen):
        part.add_node(node, **graph.nodes[node])
    edges = [(u, v, k, data) for u in chosen for _, v, k, data in graph.out_edges(u, keys=True, data=True)
             if v in chosen and (not wanted_relations or k in wanted_relations)]
    for u, v, k, data in sorted(edges, key=lambda e: (e[0], e[1], e[2])):
        part.add_edge(u, v, key=k, **data)
    return Neighbourhood(part, truncated)
