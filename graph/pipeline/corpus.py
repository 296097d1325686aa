"""Corpus: read curated content and pages, merge them, and check references and aliases before any RDF is made."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from loaders import content_yaml, registry
from loaders.registry import page_files, page_source_ids, read_page
from ontology.names import NameIndex, normalise_name
from ontology.records import ENTITY_RELATIONS, Entity, Extraction, Fact, RecordError, Source

BUNDLED_CONTENT = Path(__file__).resolve().parents[2] / "content"


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
    """All content files under the given folders (the loader registry's content suffixes, ``.yaml`` and ``.yml``)
    or given as files, sorted per folder for a deterministic build."""
    return list(registry.content_files(content_dirs))


def read_content(paths: Iterable[Path]) -> Iterator[Source | Entity | Fact]:
    """Read and parse content files; errors name the file and line."""
    for path in paths:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise RecordError(f"{path}: cannot read content file: {error}") from None
        yield from content_yaml.parse(text, str(path))


LOG = logging.getLogger("therapy_kg.build")


def assemble(records: Iterable[Source | Entity | Fact], extractions: Iterable[Extraction] = ()) -> Corpus:
    """Merge curated records and page extractions into a corpus; duplicate curated ids are errors.

    A treatment phase has one position (``ontology/shapes.ttl``): a page that gives a phase already placed by the
    curated content or an earlier page another position keeps the first one, with a warning naming both sources
    (two pages may describe one approach's phases differently; that must not stop the build)."""
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
    orders = {fact.subject: fact for fact in corpus.facts if fact.predicate == "phaseOrder"}
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
        for fact in extraction.facts:
            if fact.predicate == "phaseOrder":
                placed = orders.setdefault(fact.subject, fact)
                if placed is not fact and placed.object != fact.object:
                    LOG.warning("%s: phase '%s' is number %s here but number %s in %s; keeping %s", source_id,
                                fact.subject, fact.object, placed.object, placed.source, placed.object)
                    continue
            corpus.facts.append(fact)
    if problems:
        raise BuildError(problems)
    _mark_shared_page_aliases(corpus, page_sources)
    return corpus


def _mark_shared_page_aliases(corpus: Corpus, page_sources: set[str]) -> None:
    """Aliases of page entities that another entity also uses become ambiguous aliases of those page entities.

    Two pages may use one new acronym for different approaches ("IBT"), and a page author cannot mark it under
    ``ambiguous_aliases``; curated entities keep the strict check of :func:`check_corpus`. (Aliases a curated
    entity already uses never reach here: page resolution drops them.)
    """
    if not page_sources:
        return
    owners: dict[str, set[str]] = defaultdict(set)
    for entity in corpus.entities.values():
        for name in (entity.label, *entity.aliases):
            owners[normalise_name(name)].add(entity.id)
    for entity_id, entity in list(corpus.entities.items()):
        if entity.source not in page_sources:
            continue
        shared = [name for name in (entity.label, *entity.aliases)
                  if len(owners[normalise_name(name)]) > 1 and name not in entity.ambiguous_aliases]
        if shared:
            corpus.entities[entity_id] = replace(entity, ambiguous_aliases=(*entity.ambiguous_aliases, *shared))


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


def read_curated(content: Iterable[Path]) -> list[Source | Entity | Fact]:
    """All records of the content files, read once; a bad file becomes a BuildError naming it."""
    try:
        return list(read_content(content))
    except RecordError as error:
        raise BuildError([str(error)]) from None



class PagesRefused(BuildError):
    """Pages the loader refused (missing, not a regular file, too large, binary, undecodable, or the loader failed).

    ``pages`` maps each refused page to its one-line reason; ``problems`` holds one ``"<file>: <reason>"`` line each.
    """

    def __init__(self, pages: Mapping[Path, str]):
        self.pages = dict(pages)
        super().__init__(list(self.pages.values()))


PageReader = Callable[[list[Path], NameIndex, Mapping[Path, str]], Iterable[Extraction]]


def expand_pages(paths: Iterable[Path]) -> list[Path]:
    """Files stay as given; folders become the page files inside them (the loader registry's suffixes), sorted.

    Raises PagesRefused naming each path that does not exist.
    """
    missing = {path: f"{path}: no such page file or folder" for path in map(Path, paths) if not path.exists()}
    if missing:
        raise PagesRefused(missing)
    return list(page_files(paths))


def read_pages(pages: list[Path], index: NameIndex, source_ids: Mapping[Path, str] | None = None
               ) -> Iterator[Extraction]:
    """Read each page through the loader registry and resolve its names against the curated ``index``.

    ``source_ids`` (default :func:`loaders.registry.page_source_ids` of ``pages``) names each page's source. Every
    page is tried; the refused ones are raised together at the end as :class:`PagesRefused`, one line each (an
    unexpected loader failure included, so a page never ends the build with a traceback).
    """
    from graph.pipeline.resolve import PageResolver  # the page extractor's import costs 0.3 s; content needs none

    ids = dict(source_ids) if source_ids is not None else page_source_ids(pages)
    resolver = PageResolver(index)
    gazetteer = resolver.gazetteer
    refused: dict[Path, str] = {}
    for page in pages:
        try:
            yield read_page(page, resolver, ids.get(page) or page_source_ids([page])[page], gazetteer)
        except RecordError as error:
            refused[page] = str(error)
        except Exception as error:  # noqa: BLE001 - any loader failure on one page becomes its one-line refusal
            refused[page] = f"{page}: the page loader failed ({type(error).__name__}: {error}); please report it"
    if refused:
        raise PagesRefused(refused)
