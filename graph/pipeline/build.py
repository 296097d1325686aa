"""Build: map a checked corpus to RDF quads streamed into a fingerprinted store build, checked there by SHACL."""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph.collector import cyclic_gc_paused
from graph.pipeline.corpus import (
    BUNDLED_CONTENT,
    BuildError,
    Corpus,
    PageReader,
    PagesRefused,
    assemble,
    check_corpus,
    content_files,
    expand_pages,
    read_curated,
    read_pages,
)
from graph.pipeline.currency import fingerprint as fingerprint  # re-exported: the build's own names for them
from graph.pipeline.currency import fingerprint_extra
from graph.pipeline.currency import store_shaping_files as store_shaping_files
from graph.pipeline.cycles import cycle_problems
from graph.pipeline.rdf import ONTOLOGY_GRAPH, corpus_nquads
from graph.pipeline.store import (
    BULK_CHUNK,
    BuildInfo,
    NQuads,
    build_lock,
    current_build,
    register_pages,
    registered_pages,
    write_build,
)
from graph.pipeline.validate import ShaclRun, Violation, data_triple_count, run_shacl_on_store
from loaders.registry import check_page_file, page_source_ids, read_page_text
from ontology.namespace import entity_id_of
from ontology.records import Entity, Extraction, Fact, RecordError, Source


def corpus_lines(corpus: Corpus, base: str | None = None, union: bool = False) -> Iterator[str]:
    """The graph of ``corpus`` as N-Quads lines (see :func:`graph.pipeline.rdf.corpus_nquads`): the ontology in its
    own graph, then each source's graph; with ``union`` each triple also in the default graph."""
    entities = ((e, corpus.extra_aliases.get(e.id, ())) for e in corpus.entities.values())
    return corpus_nquads(corpus.sources.values(), entities, corpus.facts, base, union)


def nquads_documents(lines: Iterable[str], size: int = BULK_CHUNK) -> Iterator[bytes]:
    """``lines`` joined into UTF-8 N-Quads documents of at most ``size`` lines each (bounded memory, see
    :data:`graph.pipeline.store.BULK_CHUNK`)."""
    pending = iter(lines)
    while chunk := list(itertools.islice(pending, size)):
        yield "".join(chunk).encode()


def generate_quads(corpus: Corpus, base: str | None = None) -> Iterator[ox.Quad]:
    """All quads of the graph: the ontology in its own graph, then each source's graph (the N-Quads text of
    :func:`corpus_lines`, parsed by Oxigraph)."""
    for document in nquads_documents(corpus_lines(corpus, base)):
        yield from ox.parse(document, format=ox.RdfFormat.N_QUADS, lenient=True)  # type: ignore[misc]


def with_union_default_graph(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    """Each named-graph quad plus its triple in the default graph (the store dedupes repeats).

    The default graph is thus the materialised union of all sources: plain queries run on it at full engine
    speed (Oxigraph's on-the-fly union mode costs 2-9x), while GRAPH ?g { } still finds each fact's source.
    A build writes the same quads as text (:func:`corpus_lines` with ``union``).
    """
    for quad in quads:
        yield quad
        yield ox.Quad(quad.subject, quad.predicate, quad.object)  # the default graph (an explicit one costs 3x)


def validate_quads(quads: list[ox.Quad], corpus: Corpus) -> ShaclRun:
    """SHACL over the data (the ontology graph excluded), checked in an in-memory Oxigraph store; returns the run,
    or raises BuildError listing every violation prefixed with its entity's file:line."""
    store = ox.Store()
    store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads if q.graph_name != ONTOLOGY_GRAPH)
    return _checked(run_shacl_on_store(store, len(store)), corpus)


def validate_store(store: ox.Store, corpus: Corpus) -> ShaclRun:
    """SHACL over a freshly written store (default graph = union of all graphs, see
    :func:`with_union_default_graph`); the run counts the data triples, the ontology's left out. Raises BuildError
    listing every violation prefixed with its entity's file:line."""
    return _checked(run_shacl_on_store(store, data_triple_count(store)), corpus)


def _checked(run: ShaclRun, corpus: Corpus) -> ShaclRun:
    if not run.conforms:
        raise BuildError([_locate(v, corpus) for v in run.violations])
    return run


def _locate(violation: Violation, corpus: Corpus) -> str:
    try:
        entity = corpus.entities.get(entity_id_of(violation.focus))
    except ValueError:
        entity = None
    where = entity.where if entity else violation.focus
    value = f" (value {violation.value})" if violation.value and violation.value != violation.focus else ""
    return f"{where}: {violation.path}: {violation.message}{value}"


ProgressHook = Callable[[str], None]
WarningHook = Callable[[str], None]
LOG = logging.getLogger("therapy_kg.build")


def checked_corpus(records: Iterable[Source | Entity | Fact], extractions: Iterable[Extraction] = (),
                   on_stage: ProgressHook | None = None) -> Corpus:
    """Merge curated records (see :func:`read_curated`) and page extractions into a corpus and check its
    references and the cycles of lineage relations that must be acyclic among the curated facts
    (:func:`cycle_problems`); raises BuildError listing every problem."""
    stage = on_stage or (lambda _name: None)
    stage("merging content")
    records = list(records)
    corpus = assemble(records, extractions)
    stage("checking references")
    problems = check_corpus(corpus)
    problems += cycle_problems(r for r in records if isinstance(r, Fact))
    if problems:
        raise BuildError(problems)
    return corpus


def build_quads(records: Iterable[Source | Entity | Fact], extractions: Iterable[Extraction] = (),
                validate: bool = True, on_stage: ProgressHook | None = None
                ) -> tuple[list[ox.Quad], Corpus, ShaclRun | None]:
    """Run the pipeline on curated records (see :func:`read_curated`) and page extractions, up to and including
    validation, in memory; returns the quads, the corpus and the SHACL run (None when ``validate`` is off); raises
    BuildError listing every problem. (A store build streams instead: see :func:`ensure_build`.)"""
    stage = on_stage or (lambda _name: None)
    with cyclic_gc_paused():
        corpus = checked_corpus(records, extractions, on_stage)
        stage("mapping to RDF")
        quads = list(generate_quads(corpus))
        run = None
        if validate:
            stage("validating with SHACL")
            run = validate_quads(quads, corpus)
    return quads, corpus, run


def registered_page_status(page: Path) -> tuple[str, str]:
    """``("ok", "")``, ``("missing", reason)`` or ``("unreadable", reason)`` for a registered page, judged from
    ``stat`` alone (:func:`loaders.registry.check_page_file`: FIFOs, devices, folders and files over 5 MB are
    unreadable); the reason names the file."""
    if not page.exists():
        return "missing", f"{page}: no longer exists"
    try:
        check_page_file(page)
    except RecordError as error:
        return "unreadable", str(error)
    return "ok", ""


def _refused_registered(reasons: dict[Path, str]) -> PagesRefused:
    return PagesRefused({page: f"registered page {reason} (restore it, or `tkg pages remove {page}`)"
                         for page, reason in reasons.items()})


def ensure_build(store_dir: Path, content: Iterable[Path] | None = None, pages: Iterable[Path] = (),
                 validate: bool = True, force: bool = False, on_stage: ProgressHook | None = None,
                 page_reader: PageReader = read_pages, on_warning: WarningHook | None = None,
                 last_good_on_failure: bool = False) -> tuple[BuildInfo, bool]:
    """The current build of ``store_dir``, built first if content, pages, ontology or store-shaping code changed.

    Returns ``(build, rebuilt)``. A failed build raises BuildError and leaves the previous store as it was; new
    ``pages`` are registered with the store only after their build succeeded. A new page the loader refuses raises
    :class:`PagesRefused` (one line per page) before any build stage starts.

    Registered pages (``tkg pages list``) are checked on every call. An unreadable one (not a regular file, too
    large, undecodable) makes a call without new pages or ``force`` (every read-only command) keep serving the last
    good build with a warning naming it, while an explicit build refuses with PagesRefused. A deleted one is left
    out of the next build with a warning naming it (it stays registered until ``tkg pages remove``). Warnings go to
    ``on_warning`` (default: the ``therapy_kg.build`` logger). Page source ids come from
    :func:`loaders.registry.page_source_ids` over the registered pages in order, then the new ones.

    With ``last_good_on_failure`` (read-only commands: stats, lineage, query), a content build that fails while
    an earlier build exists serves that build after one warning naming the first problem; an explicit build
    (``force`` or new pages) still raises.
    """
    warn = on_warning or LOG.warning
    files = content_files(content or [BUNDLED_CONTENT])
    new_pages = list(dict.fromkeys(p.resolve() for p in expand_pages(pages)))
    refused: dict[Path, str] = {}
    for page in new_pages:  # decoded up front, so a refusal comes before any build stage starts
        try:
            read_page_text(page)
        except RecordError as error:
            refused[page] = str(error)
    if refused:
        raise PagesRefused(refused)
    try:
        registered = registered_pages(store_dir)
    except ValueError as error:
        raise BuildError([str(error)]) from None
    ordered = list(dict.fromkeys([*registered, *new_pages]))
    fresh = set(new_pages)
    missing: list[Path] = []
    unreadable: dict[Path, str] = {}
    for page in registered:
        status, reason = ("ok", "") if page in fresh else registered_page_status(page)
        if status == "missing":
            missing.append(page)
        elif status == "unreadable":
            unreadable[page] = reason
    plan = _BuildPlan(store_dir, files, ordered, page_source_ids(ordered), fresh, force or bool(new_pages),
                      validate, warn)
    try:
        build, rebuilt, last_good = plan.run(set(missing), unreadable, force, on_stage, page_reader)
    except BuildError as error:
        previous = current_build(store_dir)
        if not last_good_on_failure or plan.explicit or previous is None or not error.problems:
            raise
        more = f" (and {len(error.problems) - 1} more problem(s))" if len(error.problems) > 1 else ""
        warn(f"the content does not build: {error.problems[0]}{more}; serving the last good build "
             f"({previous.path.name}); `tkg build` lists every problem")
        return previous, False
    for page in missing:
        what = "the last good build still holds its facts" if last_good else "the graph is built without it"
        warn(f"registered page {page} no longer exists; {what} (`tkg pages remove {page}` unregisters it)")
    return build, rebuilt


class _BuildPlan:
    """One call of :func:`ensure_build` once its pages are sorted out: decides between serving and building."""

    def __init__(self, store_dir: Path, files: list[Path], pages: list[Path], source_ids: dict[Path, str],
                 fresh: set[Path], explicit: bool, validate: bool, warn: WarningHook):
        self.store_dir, self.files, self.pages, self.source_ids = store_dir, files, pages, source_ids
        self.fresh, self.explicit, self.validate, self.warn = fresh, explicit, validate, warn
        self.extra = fingerprint_extra(validate)

    def serve_last_good(self, unreadable: dict[Path, str]) -> BuildInfo | None:
        """The current build after one warning per unreadable registered page; None when there is no build yet."""
        build = current_build(self.store_dir)
        then = "serving the last good build" if build is not None else "building without it"
        for page, reason in unreadable.items():
            self.warn(f"registered page {reason}; {then} (restore it, or `tkg pages remove {page}`)")
        return build

    def run(self, left_out: set[Path], unreadable: dict[Path, str], force: bool, on_stage: ProgressHook | None,
            page_reader: PageReader) -> tuple[BuildInfo, bool, bool]:
        """``(build, rebuilt, served_last_good)``."""
        if unreadable:
            if self.explicit:
                raise _refused_registered(unreadable)
            last_good = self.serve_last_good(unreadable)
            if last_good is not None:
                return last_good, False, True
            left_out = left_out | set(unreadable)
        usable = [p for p in self.pages if p not in left_out]
        wanted = fingerprint([*self.files, *usable], extra=self.extra)
        build = current_build(self.store_dir)
        if not (force or build is None or build.fingerprint != wanted):
            return build, False, False
        with build_lock(self.store_dir), cyclic_gc_paused():
            build = current_build(self.store_dir)
            if not (force or build is None or build.fingerprint != wanted):
                return build, False, False
            stage = on_stage or (lambda _name: None)
            started = time.perf_counter()
            stage("reading content")
            curated = read_curated(self.files)
            extractions: list[Extraction] = []
            if usable:
                stage("reading pages")
                index = assemble(curated).name_index()
                try:
                    extractions = list(page_reader(usable, index, self.source_ids))
                except PagesRefused as refusal:
                    new_refused = {p: r for p, r in refusal.pages.items() if p in self.fresh}
                    old_refused = {p: r for p, r in refusal.pages.items() if p not in self.fresh}
                    if new_refused or self.explicit:
                        raise PagesRefused({**new_refused, **_refused_registered(old_refused).pages}) from None
                    if self.serve_last_good(old_refused) is not None and build is not None:
                        return build, False, True
                    usable = [p for p in usable if p not in old_refused]
                    extractions = list(page_reader(usable, index, self.source_ids))
                    wanted = fingerprint([*self.files, *usable], extra=self.extra)  # its repair rebuilds
            corpus = checked_corpus(curated, extractions, on_stage)
            del curated, extractions  # the corpus holds what the graph needs

            def check(store: ox.Store) -> dict[str, Any] | None:
                if not self.validate:
                    return None
                stage("validating with SHACL")
                return validate_store(store, corpus).record()

            stage("mapping to RDF")
            stage("writing the store")  # streamed: quads go to the store as they are made, then SHACL checks it
            build = write_build(self.store_dir, wanted, NQuads(nquads_documents(corpus_lines(corpus, union=True))),
                                started, check=check)
            if self.fresh:
                register_pages(self.store_dir, [p for p in self.pages if p in self.fresh])
            return build, True, False
