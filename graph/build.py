"""Build pipeline: read content and pages, check references, map to RDF, validate with SHACL."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from graph.convert import rdflib_graph_from_quads
from graph.rdf import ONTOLOGY_GRAPH, entity_quads, fact_quads, source_quads
from graph.records import ENTITY_RELATIONS, Entity, Extraction, Fact, RecordError, Source
from graph.resolve import NameIndex, normalise_name
from graph.validate import Violation, validate_graph
from loaders import content_yaml
from ontology.namespace import entity_base, entity_id_of, ontology_path

BUNDLED_CONTENT = Path(__file__).resolve().parent.parent / "content"


class BuildError(Exception):
    """The build was refused; ``problems`` lists each reason, naming file, line or entity and the rule."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = "\n  ".join(problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"build failed with {len(problems)} problem(s):\n  {shown}{more}")


@dataclass
class Corpus:
    """Everything the graph is built from, after merging all files."""

    sources: dict[str, Source] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    extra_aliases: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def name_index(self) -> NameIndex:
        """Resolution index over labels and aliases of every entity."""
        return NameIndex(
            (e.id, e.type, e.label, (*e.aliases, *self.extra_aliases.get(e.id, ()))) for e in self.entities.values()
        )


def content_files(content_dirs: Iterable[Path]) -> list[Path]:
    """All content YAML files under the given folders (or files), sorted for a deterministic build."""
    found: list[Path] = []
    for location in content_dirs:
        location = Path(location)
        found.extend(sorted(location.rglob("*.yaml")) if location.is_dir() else [location])
    return found


def read_content(paths: Iterable[Path]) -> Iterator[Source | Entity | Fact]:
    """Read and parse content files; errors name the file and line."""
    for path in paths:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise RecordError(f"{path}: cannot read content file: {error}") from None
        yield from content_yaml.parse(text, str(path))


def assemble(records: Iterable[Source | Entity | Fact], extractions: Iterable[Extraction] = ()) -> Corpus:
    """Merge curated records and page extractions into a corpus; duplicate curated ids are errors."""
    corpus = Corpus()
    problems: list[str] = []
    for record in records:
        if isinstance(record, Source):
            if record.id in corpus.sources:
                problems.append(f"duplicate source id '{record.id}' (title {record.title!r})")
            corpus.sources[record.id] = record
        elif isinstance(record, Entity):
            if record.id in corpus.entities:
                first = corpus.entities[record.id].where
                problems.append(f"{record.where}: duplicate id '{record.id}' (first defined at {first})")
            corpus.entities[record.id] = record
        else:
            corpus.facts.append(record)
    page_sources: set[str] = set()
    for extraction in extractions:
        source_id = extraction.source.id
        if source_id in page_sources or source_id in corpus.sources:
            problems.append(f"two sources share the id '{source_id}' (page titled {extraction.source.title!r}); "
                            "page ids come from file names, so rename one of the files")
            continue
        page_sources.add(source_id)
        corpus.sources[source_id] = extraction.source
        for entity in extraction.entities:
            known = corpus.entities.get(entity.id)
            if known is None:
                corpus.entities[entity.id] = entity
            elif normalise_name(entity.label) != normalise_name(known.label):
                corpus.extra_aliases[entity.id].append(entity.label)
        corpus.facts.extend(extraction.facts)
    if problems:
        raise BuildError(problems)
    return corpus


def check_corpus(corpus: Corpus) -> list[str]:
    """Reference and alias checks that SHACL cannot phrase well; each problem names file/line and entity."""
    problems: list[str] = []
    for entity in corpus.entities.values():
        if entity.source not in corpus.sources:
            problems.append(f"{entity.where}: source '{entity.source}' is not defined in any sources list")
    for fact in corpus.facts:
        where = fact.where or fact.subject
        if fact.subject not in corpus.entities:
            problems.append(f"{where}: fact subject '{fact.subject}' does not exist")
        if fact.predicate in ENTITY_RELATIONS and fact.object not in corpus.entities:
            problems.append(f"{where}: {fact.predicate} points at '{fact.object}', which does not exist")
        if fact.source not in corpus.sources:
            problems.append(f"{where}: {fact.predicate} cites source '{fact.source}', which is not defined")
    owners: dict[str, list[Entity]] = defaultdict(list)
    for entity in corpus.entities.values():
        for name in {normalise_name(n) for n in (entity.label, *entity.aliases)}:
            owners[name].append(entity)
    for name, entities in sorted(owners.items()):
        if len(entities) < 2:
            continue
        unmarked = [e for e in entities if name not in {normalise_name(a) for a in e.ambiguous_aliases}]
        labels_only = all(normalise_name(e.label) == name for e in entities)
        if unmarked and not labels_only:
            listed = ", ".join(f"{e.id} ({e.where})" for e in entities)
            problems.append(f"alias '{name}' is shared by {listed}; mark it under ambiguous_aliases on each "
                            "entity or rename one")
    return problems


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


def fingerprint(paths: Iterable[Path], extra: str = "") -> str:
    """A digest of the given files' names and bytes plus the code and ontology that shape the build."""
    digest = hashlib.sha256(extra.encode())
    code_dir = Path(__file__).resolve().parent
    code = [*sorted(code_dir.glob("*.py")), *sorted((code_dir.parent / "loaders").glob("*.py")),
            ontology_path("therapy.ttl"), ontology_path("shapes.ttl")]
    for path in [*code, *paths]:
        digest.update(str(path).encode())
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()[:24]


ProgressHook = Callable[[str], None]


def read_curated(content: Iterable[Path]) -> list[Source | Entity | Fact]:
    """All records of the content files, read once; a bad file becomes a BuildError naming it."""
    try:
        return list(read_content(content))
    except RecordError as error:
        raise BuildError([str(error)]) from None


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
