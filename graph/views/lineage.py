"""Graph algorithms on the networkx view: lineage up and down, shortest paths explained, centrality."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

# Edges followed when tracing where something came from (subject -> its origin).
LINEAGE_RELATIONS: tuple[str, ...] = ("subtypeOf", "derivedFrom", "groundedIn", "developedBy", "studentOf",
                                      "influencedBy")

RELATION_PHRASES: dict[str, str] = {
    "developedBy": "was developed by",
    "subtypeOf": "is a subtype of",
    "derivedFrom": "is derived from",
    "groundedIn": "is grounded in",
    "influencedBy": "was influenced by",
    "studentOf": "was a student of",
    "collaboratedWith": "collaborated with",
    "servesPopulation": "serves",
    "addressesCondition": "addresses",
    "hasGoal": "has the goal",
    "usesTechnique": "uses",
    "involvesConcept": "involves",
    "hasPhase": "has the phase",
}


def lineage_view(graph: nx.MultiDiGraph) -> nx.DiGraph:
    """A simple directed graph of lineage edges only (child -> origin)."""
    view = nx.DiGraph()
    view.add_nodes_from(graph.nodes(data=True))
    view.add_edges_from((u, v) for u, v, key in graph.edges(keys=True) if key in LINEAGE_RELATIONS)
    return view


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
    """The shortest chain of facts linking two entities, edges followed in either direction."""
    undirected = nx.Graph()
    for u, v, key in graph.edges(keys=True):
        if not undirected.has_edge(u, v):
            undirected.add_edge(u, v, facts=[])
        undirected.edges[u, v]["facts"].append((u, key, v))
    undirected.add_nodes_from(graph.nodes)
    nodes = nx.shortest_path(undirected, start, end)
    steps = []
    for a, b in zip(nodes, nodes[1:], strict=False):
        facts = sorted(undirected.edges[a, b]["facts"])
        source, relation, target = facts[0]
        steps.append(PathStep(source, relation, target))
    return steps


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
