"""The knowledge graph as one object: loads (and rebuilds when stale) the store, queries it, views it in networkx."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
import rdflib

from graph.pipeline.currency import unchanged_build
from graph.pipeline.store import BuildInfo, BuildLease, default_store_dir, lease_build, open_read_only
from graph.terms import oxigraph_term, python_value, rdflib_dataset, solutions
from graph.views.sparql_guard import check_query
from ontology.names import AmbiguousName, Candidate, NameIndex, UnknownName, normalise_name
from ontology.namespace import PREFIXES, entity_base, entity_iri, sparql_prologue
from ontology.records import TYPE_PREFIXES

LOG = logging.getLogger("therapy_kg.build")
if TYPE_CHECKING:
    import networkx as nx

    from graph.pipeline.corpus import PageReader

ENTITY_PREFIXES = set(TYPE_PREFIXES.values()) | {"source", "statement"}


class KnowledgeGraph:
    """A built graph: SPARQL over the embedded store, a networkx view, and name resolution."""

    def __init__(self, store: ox.Store, build: BuildInfo, store_dir: Path, rebuilt: bool = False,
                 warnings: list[str] | None = None, lease: BuildLease | None = None):
        self.store = store
        self.lease = lease  # keeps the build from being pruned while this graph is alive
        self.build = build
        self.store_dir = store_dir
        self.rebuilt = rebuilt
        self.warnings = warnings or []  # from opening it: registered pages missing or unreadable
        self.allowed_services: tuple[tuple[str, int | None], ...] = ()  # SERVICE hosts (sparql_guard), none by default

    @property
    def prefixes(self) -> dict[str, str]:
        """Prefixes every query may use without declaring them (``tkg:``, ``skos:``, ``id:`` ...)."""
        return {**PREFIXES, "id": entity_base()}

    def query(self, sparql: str, **bindings: object) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Run SPARQL; the default graph is the union of all sources (materialised at build time).

        ``bindings`` pre-bind variables safely (values are terms, never pasted into the query text).

        A binding value may be an Oxigraph term, an rdflib term, an entity id such as ``modality/x`` (bound as
        its IRI) or a plain str/int (bound as a literal). Bound variables must appear in the SELECT projection
        (SPARQL SEP-0007 substitution, as Oxigraph implements it).

        Raises ``QueryRefused`` (a ValueError) for SERVICE to a host not in ``allowed_services`` and for
        pathological nesting (``graph.views.sparql_guard``), SyntaxError for invalid SPARQL.
        """
        check_query(sparql, self.allowed_services, self.prefixes)
        substitutions = {ox.Variable(name): self._term(value) for name, value in bindings.items()}
        return self.store.query(sparql, prefixes=self.prefixes, substitutions=substitutions or None)

    def select(self, sparql: str, **bindings: object) -> list[dict[str, str | int | None]]:
        """SELECT results as a list of dicts of plain Python values (entity IRIs shortened to ids)."""
        results = solutions(self.query(sparql, **bindings))
        names = [v.value for v in results.variables]
        return [{name: python_value(row[name]) for name in names} for row in results]

    def _term(self, value: object) -> ox.NamedNode | ox.Literal | ox.BlankNode | ox.Triple:
        if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
            return value
        if isinstance(value, str) and "/" in value and value.split("/", 1)[0] in ENTITY_PREFIXES:
            return ox.NamedNode(entity_iri(value))
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return ox.Literal(value)
        return oxigraph_term(value)  # type: ignore[arg-type]

    def rdflib_dataset(self) -> rdflib.Dataset:
        """The graph as an rdflib Dataset backed by this store (no copy), for tools that speak rdflib."""
        return rdflib_dataset(self.store)

    @cached_property
    def nx(self) -> nx.MultiDiGraph:
        """The networkx view: entities as nodes, core relations as edges keyed by relation name."""
        from graph.views.networkx_view import networkx_from_store  # networkx costs 0.2 s to import; a build needs none

        return networkx_from_store(self.store, sparql_prologue())

    @cached_property
    def names(self) -> NameIndex:
        """Index of labels and aliases for :meth:`resolve`."""
        return NameIndex((n, d["type"], d["label"], d["aliases"]) for n, d in self.nx.nodes(data=True))

    def resolve(self, name: str, types: Iterable[str] | None = None) -> str:
        """The entity id a label, alias or id refers to, or a theorist's surname when only one theorist has it
        (``Bowlby`` -> John Bowlby; ``Freud`` is ambiguous). Raises UnknownName (with "did you mean" suggestions)
        or AmbiguousName with the candidates."""
        try:
            return self.names.resolve(name, types)
        except UnknownName:
            people = self.surnames.get(normalise_name(name), [])
            if types is not None:
                people = [c for c in people if c.type in set(types)]
            if len(people) == 1:
                return people[0].id
            if people:
                listed = "; ".join(f"{c.label} ({c.id})" for c in people)
                raise AmbiguousName(f"'{name}' is ambiguous: it may mean {listed}", people) from None
            raise

    @cached_property
    def surnames(self) -> dict[str, list[Candidate]]:
        """Theorists by surname, the last word of their normalised label (``john bowlby`` -> ``bowlby``)."""
        found: dict[str, list[Candidate]] = {}
        for node, data in sorted(self.nx.nodes(data=True)):
            words = normalise_name(str(data.get("label", ""))).split()
            if data.get("type") == "Theorist" and len(words) > 1:
                found.setdefault(words[-1], []).append(Candidate(node, "Theorist", str(data["label"])))
        return found

    def entity(self, entity_id: str) -> Mapping[str, object]:
        """The node attributes of an entity."""
        return self.nx.nodes[entity_id]


def load_graph(store_dir: Path | None = None, content: Iterable[Path] | None = None, pages: Iterable[Path] = (),
               validate: bool = True, force: bool = False, on_stage: Callable[[str], None] | None = None,
               page_reader: PageReader | None = None, in_memory: bool = False,
               on_warning: Callable[[str], None] | None = None, last_good_on_failure: bool = False) -> KnowledgeGraph:
    """Open the graph, building it first if its content, pages, ontology or code changed since the last build.

    A current build is recognised without importing the build pipeline
    (:func:`graph.pipeline.currency.unchanged_build`: 0.6-1.9 s of imports saved for every reader of an unchanged
    store); the pipeline is imported only when a build may be needed. A failed build raises BuildError and leaves
    the previous store as it was. ``in_memory`` copies the built
    store into RAM: slower to open, 2-6x faster queries, for long-lived processes (explorer, endpoint, benchmarks).
    Warnings about registered pages (missing, unreadable) go to ``on_warning`` (default: logged) and are kept in
    :attr:`KnowledgeGraph.warnings`. ``last_good_on_failure``: see :func:`ensure_build`. The build is leased
    (:func:`graph.pipeline.store.lease_build`) while the graph is open, so no rebuild prunes it.
    """
    store_dir = Path(store_dir) if store_dir else default_store_dir()
    warnings: list[str] = []

    def warn(message: str) -> None:
        warnings.append(message)
        (on_warning or LOG.warning)(message)

    pages = list(pages)
    build = None if force or pages else unchanged_build(store_dir, content, validate)
    rebuilt = False
    if build is None:  # something changed (or pages are involved): the pipeline decides, builds and warns
        from graph.pipeline.build import ensure_build
        from graph.pipeline.corpus import read_pages

        build, rebuilt = ensure_build(store_dir, content, pages, validate, force, on_stage, page_reader or read_pages,
                                      warn, last_good_on_failure)
    lease, build = lease_build(store_dir, build)
    store = open_read_only(build)
    if in_memory:
        memory = ox.Store()
        memory.bulk_extend(store.quads_for_pattern(None, None, None))
        store = memory  # still leased: worker processes (graph.views.sparql_workers) reopen the build from disk
    return KnowledgeGraph(store, build, store_dir, rebuilt, warnings, lease)
