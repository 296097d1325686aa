"""The last stage: one page's entities (with aliases) and facts (with sentence evidence), as typed records."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field

from loaders.extract.names import EFT_ACRONYM, capitalise, name_key, person_id, person_key, slugify
from ontology.records import TYPE_PREFIXES, Entity, Evidence, Fact, Source, Year
from ontology.vocabulary import vocabulary

_LITERAL_OBJECTS = frozenset(["typicalDuration", "sessionExpectation", "introduced", "phaseOrder"])


@dataclass
class Draft:
    """An entity as collected so far on the page: type, label, aliases and where it was first named."""

    type: str
    label: str
    start: int
    aliases: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)


class PageRecords:
    """Entities and facts of one page; ids are page-local (``modality/<slug>``, ``theorist/<first>-<last>``)."""

    def __init__(self, text: str, source: Source):
        self.text = text
        self.source = source
        self.entities: dict[str, Draft] = {}
        self.facts: dict[tuple[str, str, str], Fact] = {}
        self.merged: dict[str, str] = {}  # entity id -> the id it was merged into (an alias of it)
        self._line_starts: list[int] | None = None

    # ---- entities ----------------------------------------------------------------------------------------------
    def canonical(self, entity_id: str) -> str:
        """The id an entity ended up as (following merges)."""
        while entity_id in self.merged:
            entity_id = self.merged[entity_id]
        return entity_id

    def add(self, entity_id: str, entity_type: str, label: str, start: int) -> str:
        """Record an entity (or a new label of a known one, kept as an alias); returns its id."""
        entity_id = self.canonical(entity_id)
        draft = self.entities.get(entity_id)
        if draft is None:
            self.entities[entity_id] = Draft(entity_type, label, start)
        else:
            self.add_alias(entity_id, label)
        return entity_id

    def add_alias(self, entity_id: str, alias: str) -> None:
        """Add an alias to a known entity ("EFT" is also marked ambiguous)."""
        draft = self.entities[self.canonical(entity_id)]
        alias = " ".join(alias.split())
        if not alias:
            return
        if alias == EFT_ACRONYM and alias not in draft.ambiguous:
            draft.ambiguous.append(alias)
        lowered = alias.lower()
        if lowered != draft.label.lower() and lowered not in (a.lower() for a in draft.aliases):
            draft.aliases.append(alias)

    def merge(self, alias_id: str, target_id: str) -> str:
        """Fold entity ``alias_id`` into ``target_id`` (its label becomes an alias); returns the target id."""
        alias_id, target_id = self.canonical(alias_id), self.canonical(target_id)
        if alias_id == target_id or alias_id not in self.entities or target_id not in self.entities:
            return target_id
        draft = self.entities.pop(alias_id)
        for name in (draft.label, *draft.aliases):
            self.add_alias(target_id, name)
        target = self.entities[target_id]
        target.start = min(target.start, draft.start)
        self.merged[alias_id] = target_id
        return target_id

    def rename(self, entity_id: str, label: str) -> str:
        """Give an entity the id of ``label`` (its full name, defined on the page); the old id becomes an alias."""
        entity_id = self.canonical(entity_id)
        draft = self.entities.get(entity_id)
        if draft is None:
            return entity_id
        new_id = f"{TYPE_PREFIXES[draft.type]}/{slugify(label)}"
        if new_id == entity_id:
            return entity_id
        if new_id not in self.entities:
            self.entities[new_id] = Draft(draft.type, label, draft.start)
        return self.merge(entity_id, new_id)

    def approach(self, label: str, start: int, entity_type: str = "Modality") -> str:
        """A modality (or theory) named ``label``: id from its slug, first label kept, later ones become aliases."""
        prefix = TYPE_PREFIXES[entity_type]
        return self.add(f"{prefix}/{slugify(label)}", entity_type, label, start)

    def person(self, label: str, start: int) -> str | None:
        """A theorist named ``label`` (titles and suffixes dropped from the label), or None if not a name."""
        entity_id = person_id(label)
        if entity_id is None:
            return None
        return self.add(entity_id, "Theorist", label, start)

    def simple(self, prefix: str, entity_type: str, label: str, start: int, scope: str = "") -> str:
        """An entity whose id is the slug of its label (goals, techniques, phases, conditions, populations)."""
        label = capitalise(" ".join(label.strip().split()))
        entity_id = f"{prefix}/{scope + '-' if scope else ''}{slugify(label)}"
        return self.add(entity_id, entity_type, label, start)

    def type_of(self, entity_id: str) -> str:
        """The type of a known entity ("" if unknown)."""
        draft = self.entities.get(self.canonical(entity_id))
        return draft.type if draft else ""

    def label_of(self, entity_id: str) -> str:
        """The label of a known entity ("" if unknown)."""
        draft = self.entities.get(self.canonical(entity_id))
        return draft.label if draft else ""

    def names_of(self, entity_id: str) -> list[str]:
        """Label and aliases of a known entity."""
        draft = self.entities.get(self.canonical(entity_id))
        return [draft.label, *draft.aliases] if draft else []

    def line_of(self, offset: int) -> int:
        """1-based line number of a character offset."""
        if self._line_starts is None:
            self._line_starts = [m.end() for m in re.finditer("\n", self.text)]
        return bisect_right(self._line_starts, offset) + 1

    # ---- facts -------------------------------------------------------------------------------------------------
    def fact(
        self,
        subject: str | None,
        predicate: str,
        obj: str | Year | int | None,
        span: tuple[int, int],
        note: str | None = None,
    ) -> bool:
        """Record a fact with the page span ``span`` as its evidence (first one per triple wins); True if new."""
        if subject is None or obj is None:
            return False
        subject = self.canonical(subject)
        if isinstance(obj, str) and predicate not in _LITERAL_OBJECTS:
            obj = self.canonical(obj)
        if subject == obj:
            return False
        key = (subject, predicate, f"{obj.year}/{obj.precision}" if isinstance(obj, Year) else str(obj))
        if key in self.facts:
            return False
        start, end = span
        self.facts[key] = Fact(
            subject, predicate, obj, self.source.id, Evidence(self.text[start:end], start, end), note,
            where=f"{self.source.id}:{self.line_of(start)}",
        )
        return True

    def has(self, subject: str, predicate: str) -> bool:
        """Whether some fact ``subject predicate *`` is recorded."""
        subject = self.canonical(subject)
        return any(s == subject and p == predicate for (s, p, _o) in self.facts)

    def objects(self, subject: str, predicate: str) -> list[str]:
        """Objects of the recorded facts ``subject predicate *`` (as strings)."""
        subject = self.canonical(subject)
        return [o for (s, p, o) in self.facts if s == subject and p == predicate]

    def drop(self, subject: str, predicate: str) -> None:
        """Forget the facts ``subject predicate *``."""
        subject = self.canonical(subject)
        for key in [k for k in self.facts if k[0] == subject and k[1] == predicate]:
            del self.facts[key]

    # ---- output ------------------------------------------------------------------------------------------------
    def fits_vocabulary(self, fact: Fact) -> bool:
        """Whether a fact between entities has a subject of the relation's domain and an object of its range
        (ontology/therapy.ttl); a rule that read a sentence wrongly must not make a fact SHACL would refuse."""
        try:
            relation = vocabulary().relation(fact.predicate)
        except KeyError:  # a literal fact: its subject must be of the property's domain ("typicalDuration" of a
            subject = self.entities.get(fact.subject)  # theory is refused by SHACL)
            try:
                domain = vocabulary().literal(fact.predicate).domain
            except KeyError:
                return True
            return not domain or (subject is not None and subject.type in domain)
        subject, obj = self.entities.get(fact.subject), self.entities.get(str(fact.object))
        return (subject is not None and obj is not None and relation.allows_subject(subject.type)
                and obj.type == relation.range)

    def records(self, topic: str | None) -> Iterator[Entity | Fact]:
        """The entities used by some fact (or the topic), then the facts in the order of their evidence; facts whose
        ends do not fit the relation's domain and range are left out."""
        kept = [f for f in self.facts.values() if self.fits_vocabulary(f)]
        used = {f.subject for f in kept} | {
            f.object for f in kept if isinstance(f.object, str) and f.predicate not in _LITERAL_OBJECTS
        }
        if topic:
            used.add(self.canonical(topic))
        for entity_id, draft in self.entities.items():
            if entity_id not in used:
                continue
            yield Entity(
                entity_id,
                draft.type,
                draft.label,
                self.source.id,
                aliases=tuple(draft.aliases),
                ambiguous_aliases=tuple(draft.ambiguous),
                where=f"{self.source.id}:{self.line_of(draft.start)}",
            )
        yield from sorted(kept, key=lambda f: f.evidence.start if f.evidence else 0)  # page order, stable


def same_person(a: str, b: str) -> bool:
    """Whether two person names fold to the same first name and surname."""
    key_a, key_b = person_key(a), person_key(b)
    return key_a is not None and key_a == key_b


__all__ = ["Draft", "PageRecords", "name_key", "same_person"]
