"""Graph algorithms on the networkx view: lineage up and down, shortest paths explained, centrality."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from ontology.vocabulary import vocabulary

# Edges followed when tracing where something came from (subject -> its origin), in the order they are followed:
# the relations with a tkg:lineageRank in therapy.ttl, by rank.
LINEAGE_RELATIONS: tuple[str, ...] = tuple(relation.name for relation in vocabulary().lineage_relations)

# How each relation reads from subject to object ("was developed by"): tkg:phrase in therapy.ttl, else its label.
RELATION_PHRASES: dict[str, str] = {relation.name: relation.phrase for relation in vocabulary().relations}


@dataclass(frozen=True)
class LineageStep:
    """One entity reached while tracing lineage, with its distance and the edge that reached it."""

    id: str
    depth: int
    via: str  # relation local name
    parent: str


def lineage_of(graph: nx.MultiDiGraph, entity_id: str, direction: str = "up",
               max_depth: int | None = None) -> list[LineageStep]:
    """Breadth-first lineage: ``up`` = origins (parents, theories, founders), ``down`` = what grew from it."""
    if entity_id not in graph:
        raise KeyError(entity_id)
    seen = {entity_id}
    frontier = [entity_id]
    steps: list[LineageStep] = []
    depth = 0
    while frontier and (max_depth is None or depth < max_depth):
        depth += 1
        next_frontier = []
        for node in frontier:
            edges = (graph.out_edges(node, keys=True) if direction == "up"
                     else ((v, u, k) for u, v, k in graph.in_edges(node, keys=True)))
            for _, other, key in sorted(edges, key=lambda e: (LINEAGE_RELATIONS.index(e[2])
                                                              if e[2] in LINEAGE_RELATIONS else 99, e[1])):
                if key in LINEAGE_RELATIONS and other not in seen:
                    seen.add(other)
                    next_frontier.append(other)
                    steps.append(LineageStep(other, depth, key, node))
        frontier = next_frontier
    return steps


def descendants_of(graph: nx.MultiDiGraph, entity_id: str) -> set[str]:
    """Every entity whose lineage reaches ``entity_id``."""
    return {step.id for step in lineage_of(graph, entity_id, "down")}


@dataclass(frozen=True)
class PathStep:
    """One hop of a path: ``source relation target`` in the direction the fact is stated."""

    source: str
    relation: str
    target: str


def shortest_path(graph: nx.MultiDiGraph, start: str, end: str) -> list[PathStep]:
    """The shortest chain of facts linking two entities, edges followed in either direction; [] when they are one.

    Of all shortest chains it returns the one whose sequence of entity ids is smallest (ids compared as strings),
    and for each hop the smallest ``(source, relation, target)`` fact joining the two entities; so the answer
    depends on the graph's content only, never on the order nodes and edges were added, on PYTHONHASHSEED or on
    which command asks (`tkg path`, the explorer, maps). Bidirectional breadth-first search over the multigraph
    itself: only the neighbourhoods of the two ends are visited and the graph is never copied.

    Raises ``networkx.NodeNotFound`` for an id not in the graph, ``networkx.NetworkXNoPath`` when the two entities
    are not connected.
    """
    for node in (start, end):
        if node not in graph:
            raise nx.NodeNotFound(f"{node} is not in the graph")
    if start == end:
        return []
    forward, backward = _meeting_layers(graph, start, end)
    # Forward layers only keep the entities from which the meeting layer can still be reached.
    on_path = [set(layer) for layer in forward]
    for depth in range(len(forward) - 2, -1, -1):
        on_path[depth] = {n for m in on_path[depth + 1] for n in _neighbours(graph, m)} & forward[depth]
    nodes = [start]
    for layer in [*on_path[1:], *reversed(backward[:-1])]:
        nodes.append(min(_neighbours(graph, nodes[-1]) & layer))
    steps = []
    for a, b in zip(nodes, nodes[1:], strict=False):
        source, relation, target = min([(a, key, b) for key in graph.succ[a].get(b, {})]
                                       + [(b, key, a) for key in graph.succ[b].get(a, {})])
        steps.append(PathStep(source, relation, target))
    return steps


def _neighbours(graph: nx.MultiDiGraph, node: str) -> set[str]:
    """Entities one fact away from ``node``, in either direction."""
    return set(graph.succ[node]) | set(graph.pred[node])


def _meeting_layers(graph: nx.MultiDiGraph, start: str, end: str) -> tuple[list[set[str]], list[set[str]]]:
    """Breadth-first layers around ``start`` and ``end``, the smaller frontier grown first, until they meet.

    Returns ``(forward, backward)``: ``forward[i]`` holds the entities ``i`` steps from ``start``, ``backward[j]``
    those ``j`` steps from ``end``; the last forward layer is cut to the entities also in the last backward
    layer, so every shortest path runs through it. Raises ``networkx.NetworkXNoPath`` when a side runs dry.
    """
    forward, backward = [{start}], [{end}]
    seen_forward, seen_backward = {start}, {end}
    while True:
        grow_forward = len(forward[-1]) <= len(backward[-1])
        layers, seen = (forward, seen_forward) if grow_forward else (backward, seen_backward)
        other = backward[-1] if grow_forward else forward[-1]
        layer = {n for m in layers[-1] for n in _neighbours(graph, m)} - seen
        if not layer:
            raise nx.NetworkXNoPath(f"no path between {start} and {end}")
        seen |= layer
        layers.append(layer)
        meeting = layer & other
        if meeting:
            forward[-1] = meeting
            return forward, backward


def explain_path(graph: nx.MultiDiGraph, steps: list[PathStep]) -> list[str]:
    """Each hop of a path as a sentence, e.g. 'Dyadic Developmental Psychotherapy was developed by Daniel Hughes'."""
    label = lambda node: graph.nodes[node].get("label", node)  # noqa: E731
    return [f"{label(s.source)} {RELATION_PHRASES.get(s.relation, s.relation)} {label(s.target)}" for s in steps]


def centrality(graph: nx.MultiDiGraph, kind: str = "degree", top: int = 10,
               types: tuple[str, ...] | None = None) -> list[tuple[str, float]]:
    """The most central entities by ``degree`` or ``betweenness`` centrality, optionally of some types."""
    simple = nx.Graph(graph)
    scores = nx.degree_centrality(simple) if kind == "degree" else nx.betweenness_centrality(simple)
    ranked = [(n, s) for n, s in scores.items() if types is None or graph.nodes[n].get("type") in types]
    ranked.sort(key=lambda pair: (-pair[1], pair[0]))
    return ranked[:top]
