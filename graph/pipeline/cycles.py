"""Cycles in the lineage relations that must be acyclic (subtypeOf, derivedFrom, studentOf): a graph check SHACL
Core cannot phrase, run on curated facts before any RDF is made."""

from __future__ import annotations

from collections.abc import Iterable
from graphlib import CycleError, TopologicalSorter

from ontology.records import Fact

# Relations whose chains must end: a modality cannot be a kind of its own subtype (taxonomy), cannot have grown out
# of what grew out of it (history runs forward), and a theorist cannot have trained under their own student.
# influencedBy is left out on purpose: contemporaries do influence each other (and collaboratedWith is symmetric).
# A one-step cycle (X subtypeOf X) is refused by SHACL (graph/pipeline/validate.py, tkgsh:<relation>SelfShape).
ACYCLIC_RELATIONS: tuple[str, ...] = ("subtypeOf", "derivedFrom", "studentOf")


def cycle_problems(facts: Iterable[Fact], relations: Iterable[str] = ACYCLIC_RELATIONS) -> list[str]:
    """One line per cycle of two or more entities in each of ``relations`` among ``facts``.

    Each strongly connected component (networkx) with two or more members is one problem, reported at the
    ``where`` (file:line (entity)) of its first fact: the cycle found in it as ``a -> b -> a``, every member of the
    component, and the place of each fact on the cycle, so the curator knows which lines to look at. Sorted by
    relation, then by the cycle's first entity; empty when there is no cycle.
    """
    wanted = tuple(relations)
    edges: dict[str, dict[tuple[str, str], Fact]] = {name: {} for name in wanted}
    for fact in facts:
        if fact.predicate in edges and isinstance(fact.object, str) and fact.subject != fact.object:
            edges[fact.predicate].setdefault((fact.subject, fact.object), fact)
    cyclic = [name for name in wanted if _has_cycle(edges[name])]
    if not cyclic:
        return []
    import networkx as nx  # only to describe a cycle: networkx costs a build 0.2-0.3 s of CPU to import

    problems: list[str] = []
    for name in cyclic:
        graph = nx.DiGraph(list(edges[name]))
        for members in sorted(sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1):
            found = [edge[:2] for edge in nx.find_cycle(graph.subgraph(members), source=members[0])]
            start = min(range(len(found)), key=lambda i: found[i][0])
            found = found[start:] + found[:start]
            path = " -> ".join([*(subject for subject, _ in found), found[0][0]])
            facts_at = ", ".join(edges[name][edge].where or edges[name][edge].subject for edge in found)
            others = [m for m in members if m not in {subject for subject, _ in found}]
            also = f"; also in the cycle: {', '.join(others)}" if others else ""
            problems.append(f"{edges[name][found[0]].where or found[0][0]}: {name} goes round in a cycle: {path}"
                            f"{also} (facts at {facts_at}); remove or correct one of them")
    return problems


def _has_cycle(edges: Iterable[tuple[str, str]]) -> bool:
    """Whether the directed edges (subject, object) contain a cycle (the standard library's topological sort)."""
    successors: dict[str, list[str]] = {}
    for subject, obj in edges:
        successors.setdefault(subject, []).append(obj)
    try:
        TopologicalSorter(successors).prepare()
    except CycleError:
        return True
    return False
