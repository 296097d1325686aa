"""Resolve a page's entities against curated content: name variants, EFT by context, never merging two entities."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

from graph.records import Entity, Extraction, Fact
from graph.resolve import NameIndex, normalise_name
from loaders.page_extract import EFT_ACRONYM, person_key


class PageResolver:
    """Maps page-local entity ids onto curated ids; unknown names stay new entities sourced to the page."""

    def __init__(self, curated: Iterable[Entity]):
        self.curated: dict[str, Entity] = {e.id: e for e in curated}
        self.index = NameIndex((e.id, e.type, e.label, e.aliases) for e in self.curated.values())
        self.people: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.owners: dict[str, set[str]] = defaultdict(set)  # normalised name -> curated ids
        self.ambiguous: dict[str, set[str]] = defaultdict(set)
        for entity in self.curated.values():
            for name in (entity.label, *entity.aliases):
                self.owners[normalise_name(name)].add(entity.id)
                if entity.type == "Theorist" and (key := person_key(name)):
                    self.people[key].add(entity.id)
            for name in entity.ambiguous_aliases:
                self.ambiguous[normalise_name(name)].add(entity.id)

    def __call__(self, extraction: Extraction) -> Extraction:
        """The extraction with ids mapped to curated entities where a name matches exactly one of the same type."""
        return resolve_extraction(extraction, self)

    def match(self, entity: Entity) -> str | None:
        """The curated id this page entity is, or None when unknown or ambiguous (never guess between two)."""
        known = self.curated.get(entity.id)
        if known is not None:
            return entity.id if known.type == entity.type else None
        candidates: set[str] = set()
        for name in (entity.label, *entity.aliases):
            if name in entity.ambiguous_aliases or name == EFT_ACRONYM:
                continue
            candidates.update(c.id for c in self.index.lookup(name, [entity.type]))
            if entity.type == "Theorist" and (key := person_key(name)):
                candidates.update(self.people.get(key, ()))
        if entity.type == "TreatmentPhase":
            scope = entity.id.split("/", 1)[1].split("-", 1)[0]
            candidates = {c for c in candidates if c.split("/", 1)[1].startswith(scope)}
        return next(iter(candidates)) if len(candidates) == 1 else None

    def clean_names(self, entity_id: str, names: Iterable[str]) -> tuple[list[str], list[str]]:
        """Aliases that belong to no other curated entity, and those marked ambiguous on every owner (EFT)."""
        keep: list[str] = []
        ambiguous: list[str] = []
        for name in names:
            key = normalise_name(name)
            owners = self.owners.get(key, set()) - {entity_id}
            if not owners:
                keep.append(name)
            elif owners <= self.ambiguous.get(key, set()):
                keep.append(name)
                ambiguous.append(name)
        return keep, ambiguous


def resolve_extraction(extraction: Extraction, resolver: PageResolver) -> Extraction:
    """Rewrite a page extraction onto curated ids (pure): labels of matched entities come from the curated side."""
    mapping: dict[str, str] = {}
    for entity in extraction.entities:
        target = resolver.match(entity)
        if target is not None:
            mapping[entity.id] = target
    entities: dict[str, Entity] = {}
    for entity in extraction.entities:
        target = mapping.get(entity.id, entity.id)
        curated = resolver.curated.get(target)
        names = [n for n in (entity.label, *entity.aliases) if curated is None or
                 normalise_name(n) not in {normalise_name(m) for m in (curated.label, *curated.aliases)}]
        aliases, ambiguous = resolver.clean_names(target, names if curated else entity.aliases)
        if curated is not None:
            resolved = replace(entity, id=target, type=curated.type, label=curated.label, aliases=tuple(aliases),
                               ambiguous_aliases=tuple(ambiguous))
        else:
            resolved = replace(entity, aliases=tuple(aliases), ambiguous_aliases=tuple(ambiguous))
        previous = entities.get(target)
        if previous is not None:
            merged = tuple(dict.fromkeys((*previous.aliases, *resolved.aliases)))
            resolved = replace(previous, aliases=merged,
                               ambiguous_aliases=tuple(dict.fromkeys((*previous.ambiguous_aliases,
                                                                      *resolved.ambiguous_aliases))))
        entities[target] = resolved
    facts: dict[tuple[str, str, str], Fact] = {}
    for fact in extraction.facts:
        subject = mapping.get(fact.subject, fact.subject)
        obj = mapping.get(fact.object, fact.object) if isinstance(fact.object, str) else fact.object
        if subject == obj:
            continue
        key = (subject, fact.predicate, str(obj))
        facts.setdefault(key, replace(fact, subject=subject, object=obj))
    return Extraction(extraction.source, list(entities.values()), list(facts.values()))
