"""Resolve a page's entities against curated content: name variants, EFT by context, never merging two entities."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from functools import cached_property

from loaders.extract import Gazetteer
from loaders.extract.names import EFT_ACRONYM, person_key
from ontology.names import NameIndex, normalise_name
from ontology.records import Entity, Extraction, Fact
from ontology.vocabulary import vocabulary

_TYPE_WORDS = {cls.name: cls.label.lower() for cls in vocabulary().classes}  # "TreatmentPhase" -> "treatment phase"
LOG = logging.getLogger("therapy_kg.resolve")


def is_acronym(name: str) -> bool:
    """Whether a name is an acronym ("CAT", "IPT-A", "EMDR"): one short word of mostly capital letters."""
    letters = [ch for ch in name if ch.isalpha()]
    return 1 < len(name) <= 10 and " " not in name and bool(letters) and sum(ch.isupper() for ch in letters) >= max(
        2, len(letters) - 1
    )


class PageResolver:
    """Maps page-local entity ids onto curated ids; unknown names stay new entities sourced to the page."""

    def __init__(self, index: NameIndex):
        self.index = index
        self.warnings: list[str] = []  # acronyms the page expands differently from the curated graph
        self.people: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.owners: dict[str, set[str]] = defaultdict(set)  # normalised name -> curated ids
        self.names_of: dict[str, set[str]] = defaultdict(set)  # curated id -> normalised names
        for key, candidate in index.names():
            self.owners[key].add(candidate.id)
            self.names_of[candidate.id].add(key)
            if candidate.type == "Theorist" and (person := person_key(key)):
                self.people[person].add(candidate.id)

    @cached_property
    def gazetteer(self) -> Gazetteer:
        """The curated names as the extractor's gazetteer (every label and alias, by type), built once."""
        return Gazetteer.from_name_index(self.index)

    def __call__(self, extraction: Extraction) -> Extraction:
        """The extraction with ids mapped to curated entities where a name matches exactly one of the same type."""
        return resolve_extraction(extraction, self)

    def match(self, entity: Entity) -> str | None:
        """The curated id this page entity is, or None when unknown or ambiguous (never guess between two).

        An acronym alone never decides: "Computer-Assisted Therapy (CAT)" is not Cognitive Analytic Therapy, and
        "Physical Exercise Therapy (PE)" is not Prolonged Exposure. An acronym resolves only when the page gives
        no expansion of its own (its label is the acronym) or the expansion names the same curated entity; a page
        acronym that a curated entity uses for something else is recorded in ``warnings``.
        """
        known = self.index.candidate(entity.id)
        if known is not None:
            return entity.id if known.type == entity.type else None
        by_name: set[str] = set()
        by_acronym: set[str] = set()
        for name in (entity.label, *entity.aliases):
            if name in entity.ambiguous_aliases or name == EFT_ACRONYM:
                continue
            found = {c.id for c in self.index.lookup(name, [entity.type])}
            if entity.type == "Theorist" and (key := person_key(name)):
                found.update(self.people.get(key, ()))
            (by_acronym if is_acronym(name) else by_name).update(found)
        if entity.type == "TreatmentPhase":
            scope = entity.id.split("/", 1)[1].split("-", 1)[0]
            by_name = {c for c in by_name if c.split("/", 1)[1].startswith(scope)}
        if is_acronym(entity.label) and not by_name:
            candidates = by_acronym  # no expansion on the page: the acronym is all it says
        else:
            candidates = by_name
            disagreeing = by_acronym - by_name
            if disagreeing and len(by_name) <= 1:
                self._acronym_warning(entity, disagreeing)
        return next(iter(candidates)) if len(candidates) == 1 else None

    def _acronym_warning(self, entity: Entity, curated_ids: set[str]) -> None:
        acronyms = [a for a in entity.aliases if is_acronym(a)]
        others = "; ".join(f"{candidate.label if (candidate := self.index.candidate(c)) else c} ({c})"
                           for c in sorted(curated_ids))
        message = (f"{entity.source}: '{'/'.join(acronyms)}' stands for '{entity.label}' on this page, not for "
                   f"{others}; kept as a page entity of its own")
        self.warnings.append(message)
        LOG.warning(message)

    def distinct_label(self, entity: Entity) -> str:
        """The label of a new page entity, qualified by its type when a curated entity already uses that name."""
        if not self.owners.get(normalise_name(entity.label)):
            return entity.label
        qualified = f"{entity.label} ({_TYPE_WORDS.get(entity.type, entity.type.lower())})"
        if not self.owners.get(normalise_name(qualified)):
            return qualified
        return f"{qualified} [{entity.source}]"

    def clean_names(self, entity_id: str, names: Iterable[str]) -> tuple[list[str], list[str]]:
        """Aliases that name no other curated entity; the shared acronym EFT is kept as an ambiguous alias."""
        keep: list[str] = []
        ambiguous: list[str] = []
        own = self.names_of.get(entity_id, set())
        for name in names:
            key = normalise_name(name)
            if key in own:
                continue
            if name == EFT_ACRONYM:
                keep.append(name)
                ambiguous.append(name)
            elif not (self.owners.get(key, set()) - {entity_id}):
                keep.append(name)
        return keep, ambiguous


def resolve_extraction(extraction: Extraction, resolver: PageResolver) -> Extraction:
    """Rewrite a page extraction onto curated ids (pure): matched entities take the curated type and label."""
    mapping: dict[str, str] = {}
    for entity in extraction.entities:
        target = resolver.match(entity)
        if target is not None:
            mapping[entity.id] = target
    entities: dict[str, Entity] = {}
    for entity in extraction.entities:
        target = mapping.get(entity.id, entity.id)
        curated = resolver.index.candidate(target)
        names = (entity.label, *entity.aliases) if curated else entity.aliases
        aliases, ambiguous = resolver.clean_names(target, names)
        if curated is not None:
            resolved = replace(
                entity,
                id=target,
                type=curated.type,
                label=curated.label,
                aliases=tuple(aliases),
                ambiguous_aliases=tuple(ambiguous),
            )
        else:
            resolved = replace(
                entity,
                label=resolver.distinct_label(entity),
                aliases=tuple(aliases),
                ambiguous_aliases=tuple(ambiguous),
            )
        previous = entities.get(target)
        if previous is not None:
            resolved = replace(
                previous,
                aliases=tuple(dict.fromkeys((*previous.aliases, *resolved.aliases))),
                ambiguous_aliases=tuple(dict.fromkeys((*previous.ambiguous_aliases, *resolved.ambiguous_aliases))),
            )
        entities[target] = resolved
    facts: dict[tuple[str, str, str], Fact] = {}
    for fact in extraction.facts:
        subject = mapping.get(fact.subject, fact.subject)
        obj = mapping.get(fact.object, fact.object) if isinstance(fact.object, str) else fact.object
        if subject == obj:
            continue
        facts.setdefault((subject, fact.predicate, str(obj)), replace(fact, subject=subject, object=obj))
    return Extraction(extraction.source, list(entities.values()), list(facts.values()))
