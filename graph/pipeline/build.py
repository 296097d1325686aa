"""Build: map a checked corpus to RDF quads, validate them with SHACL, and write a fingerprinted store build."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from graph.pipeline.corpus import (
    BUNDLED_CONTENT,
    BuildError,
    Corpus,
    PageReader,
    assemble,
    check_corpus,
    content_files,
    expand_pages,
    read_curated,
    read_pages,
)
from graph.pipeline.rdf import ONTOLOGY_GRAPH, entity_quads, fact_quads, source_quads
from graph.pipeline.store import BuildInfo, build_lock, current_build, register_pages, registered_pages, write_build
from graph.pipeline.validate import Violation, validate_graph
from graph.terms import rdflib_graph_from_quads
from ontology.namespace import entity_base, entity_id_of, ontology_path
from ontology.records import Entity, Extraction, Fact, Source


def generate_quads(corpus: Corpus, base: str | None = None) -> Iterator[ox.Quad]:
    """All quads of the graph: the ontology in its own graph, then each source's graph."""
    base = base or entity_base()
    for triple in ox.parse(path=str(ontology_path("therapy.ttl")), format=ox.RdfFormat.TURTLE):
        yield ox.Quad(triple.subject, triple.predicate, triple.object, ONTOLOGY_GRAPH)
    for source in corpus.sources.values():
        yield from source_quads(source, base)
    for entity in corpus.entities.values():
        yield from entity_quads(entity, base, corpus.extra_aliases.get(entity.id, ()))
    for fact in corpus.facts:
        yield from fact_quads(fact, base)


def with_union_default_graph(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    """Each named-graph quad plus its triple in the default graph (the store dedupes repeats).

    The default graph is thus the materialised union of all sources: plain queries run on it at full engine
    speed (Oxigraph's on-the-fly union mode costs 2-9x), while GRAPH ?g { } still finds each fact's source.
    """
    default = ox.DefaultGraph()
    for quad in quads:
        yield quad
        yield ox.Quad(quad.subject, quad.predicate, quad.object, default)


def validation_problems(quads: list[ox.Quad], corpus: Corpus) -> list[str]:
    """SHACL violations of the data (ontology graph excluded), each prefixed with the entity's file:line."""
    data = rdflib_graph_from_quads(q for q in quads if q.graph_name != ONTOLOGY_GRAPH)
    conforms, violations = validate_graph(data)
    return [] if conforms else [_locate(v, corpus) for v in violations]


def _locate(violation: Violation, corpus: Corpus) -> str:
    try:
        entity = corpus.entities.get(entity_id_of(violation.focus))
    except ValueError:
        entity = None
    where = entity.where if entity else violation.focus
    value = f" (value {violation.value})" if violation.value else ""
    return f"{where}: {violation.path}: {violation.message}{value}"


def store_shaping_files() -> list[Path]:
    """Every file whose change can change the store: the pipeline, the loaders, the ontology package (code and
    Turtle) and the term conversions, searched recursively; views, sinks, the endpoint, the CLI and the explorer
    are left out, so editing them never forces a rebuild."""
    root = Path(__file__).resolve().parents[2]
    found = [root / "graph" / "terms.py"]
    for package in (root / "graph" / "pipeline", root / "loaders", root / "ontology"):
        found.extend(p for p in package.rglob("*") if p.suffix in (".py", ".ttl") and "__pycache__" not in p.parts)
    return sorted(found)


def fingerprint(paths: Iterable[Path], extra: str = "") -> str:
    """A 24-hex-digit digest of the given files' names and bytes plus :func:`store_shaping_files`."""
    digest = hashlib.sha256(extra.encode())
    for path in [*store_shaping_files(), *paths]:
        digest.update(str(path).encode())
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()[:24]


ProgressHook = Callable[[str], None]


def build_quads(records: Iterable[Source | Entity | Fact], extractions: Iterable[Extraction] = (),
                validate: bool = True, on_stage: ProgressHook | None = None) -> tuple[list[ox.Quad], Corpus]:
    """Run the pipeline on curated records (see :func:`read_curated`) and page extractions, up to and including
    validation; raise BuildError listing every problem."""
    stage = on_stage or (lambda _name: None)
    stage("merging content")
    corpus = assemble(records, extractions)
    stage("checking references")
    problems = check_corpus(corpus)
    if problems:
        raise BuildError(problems)
    stage("mapping to RDF")
    quads = list(generate_quads(corpus))
    if validate:
        stage("validating with SHACL")
        problems = validation_problems(quads, corpus)
        if problems:
            raise BuildError(problems)
    return quads, corpus


def ensure_build(store_dir: Path, content: Iterable[Path] | None = None, pages: Iterable[Path] = (),
                 validate: bool = True, force: bool = False, on_stage: ProgressHook | None = None,
                 page_reader: PageReader = read_pages) -> tuple[BuildInfo, bool]:
    """The current build of ``store_dir``, built first if content, pages, ontology or store-shaping code changed.

    Returns ``(build, rebuilt)``. A failed build raises BuildError and leaves the previous store as it was; new
    ``pages`` are registered with the store only after their build succeeded.
    """
    files = content_files(content or [BUNDLED_CONTENT])
    new_pages = expand_pages(pages)
    all_pages = expand_pages([p for p in registered_pages(store_dir) if p.exists()]) + new_pages
    all_pages = list(dict.fromkeys(p.resolve() for p in all_pages))
    wanted = fingerprint([*files, *all_pages], extra=f"{entity_base()}|validate={validate}")
    build = current_build(store_dir)
    if not (force or build is None or build.fingerprint != wanted):
        return build, False
    with build_lock(store_dir):
        build = current_build(store_dir)
        if not (force or build is None or build.fingerprint != wanted):
            return build, False
        stage = on_stage or (lambda _name: None)
        started = time.perf_counter()
        stage("reading content")
        curated = read_curated(files)
        extractions: list[Extraction] = []
        if all_pages:
            stage("reading pages")
            extractions = list(page_reader(all_pages, assemble(curated).name_index()))
        quads, _ = build_quads(curated, extractions, validate=validate, on_stage=on_stage)
        stage("writing the store")
        build = write_build(store_dir, wanted, with_union_default_graph(quads), started, validate)
        if new_pages:
            register_pages(store_dir, new_pages)
        return build, True
