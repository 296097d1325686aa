"""One shortest path for `tkg path`, the explorer and maps: shortest, the smallest of its length, and deterministic."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from graph.cli.main import main
from graph.pipeline.corpus import BUNDLED_CONTENT
from graph.views.explore import path_in_words
from graph.views.kg import KnowledgeGraph, load_graph
from graph.views.lineage import PathStep, shortest_path

ROOT = Path(__file__).resolve().parents[2]


def sample_pairs(graph: nx.MultiDiGraph, count: int, seed: int) -> list[tuple[str, str]]:
    """``count`` distinct-entity pairs drawn from the sorted node ids (the same pairs on every run)."""
    nodes = sorted(graph.nodes)
    rng = random.Random(seed)
    return [tuple(rng.sample(nodes, 2)) for _ in range(count)]  # type: ignore[misc]


def chain(start: str, steps: list[PathStep]) -> list[str]:
    """The entities a path visits, from ``start``."""
    nodes = [start]
    for step in steps:
        assert nodes[-1] in (step.source, step.target)
        nodes.append(step.target if step.source == nodes[-1] else step.source)
    return nodes


def test_the_path_is_a_shortest_path_and_the_smallest_of_them(kg: KnowledgeGraph) -> None:
    graph = kg.nx
    undirected = graph.to_undirected(as_view=True)
    pairs = sample_pairs(graph, 200, seed=11)
    for start, end in pairs:
        steps = shortest_path(graph, start, end)
        nodes = chain(start, steps)
        assert nodes[-1] == end
        assert len(steps) == nx.shortest_path_length(undirected, start, end)
        assert nodes == min(nx.all_shortest_paths(undirected, start, end))
        for step in steps:  # each hop is a stated fact, the smallest one joining the two entities
            assert graph.has_edge(step.source, step.target, key=step.relation)
    assert max(len(shortest_path(graph, a, b)) for a, b in pairs) >= 4


def test_ties_do_not_depend_on_the_order_facts_were_added() -> None:
    facts = [("modality/b", "theory/x", "groundedIn"), ("modality/a", "theory/x", "groundedIn"),
             ("modality/b", "modality/z", "subtypeOf"), ("modality/a", "modality/z", "subtypeOf"),
             ("modality/z", "modality/a", "collaboratedWith"), ("modality/a", "modality/z", "derivedFrom")]
    answers = set()
    for order in (facts, facts[::-1], facts[2:] + facts[:2]):
        graph = nx.MultiDiGraph()
        for source, target, relation in order:
            graph.add_edge(source, target, key=relation)
        answers.add(tuple(shortest_path(graph, "theory/x", "modality/z")))
    assert answers == {(PathStep("modality/a", "groundedIn", "theory/x"),
                        PathStep("modality/a", "derivedFrom", "modality/z"))}  # smallest (source, relation, target)


def test_same_entity_unknown_entity_and_no_path() -> None:
    graph = nx.MultiDiGraph()
    graph.add_edge("modality/a", "theory/x", key="groundedIn")
    graph.add_edge("modality/b", "theory/y", key="groundedIn")
    assert shortest_path(graph, "modality/a", "modality/a") == []
    with pytest.raises(nx.NetworkXNoPath):
        shortest_path(graph, "modality/a", "theory/y")
    with pytest.raises(nx.NodeNotFound, match="modality/nothing"):
        shortest_path(graph, "modality/a", "modality/nothing")


def test_cli_and_explorer_give_the_same_path(kg: KnowledgeGraph) -> None:
    explorer_graph = load_graph(kg.store_dir, [BUNDLED_CONTENT], in_memory=True).nx  # as the explorer loads it
    runner = CliRunner()
    for start, end in sample_pairs(kg.nx, 12, seed=5):
        result = runner.invoke(main, ["--store", str(kg.store_dir), "--content", str(BUNDLED_CONTENT),
                                      "path", start, end])
        assert result.exit_code == 0, result.output
        explorer = [f"{n}. {sentence}" for n, sentence in enumerate(path_in_words(explorer_graph, start, end), 1)]
        assert result.stdout.splitlines() == explorer


PATHS_SCRIPT = """
import json, random, sys
from pathlib import Path
from graph.pipeline.corpus import BUNDLED_CONTENT
from graph.views.explore import path_in_words
from graph.views.kg import load_graph
graph = load_graph(Path(sys.argv[1]), [BUNDLED_CONTENT], in_memory=True).nx
nodes = sorted(graph.nodes)
rng = random.Random(3)
pairs = [rng.sample(nodes, 2) for _ in range(300)]
print(json.dumps([path_in_words(graph, a, b) for a, b in pairs]))
"""


def test_the_path_is_the_same_under_any_hash_seed(kg: KnowledgeGraph) -> None:
    answers = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        done = subprocess.run([sys.executable, "-c", PATHS_SCRIPT, str(kg.store_dir)], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=300, check=True)
        answers.append(json.loads(done.stdout))
    assert answers[0] == answers[1]
    assert sum(len(sentences) for sentences in answers[0]) > 600  # real paths, not a run of empty answers
