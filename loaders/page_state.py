"""The extraction state of one page: entity drafts, facts with evidence, the page's name tables and mentions."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from loaders.page_names import (
    EFT_ACRONYM,
    EFT_FULL_NAMES,
    GENERIC_HEADS,
    LEADING_STOP,
    PERSON_RE,
    capitalise,
    disambiguate_eft,
    is_valid_person,
    person_id,
    person_key,
    slugify,
)
from loaders.page_text_units import Block, block_head
from ontology.records import Entity, Evidence, Fact, Source, Year


class Mention(NamedTuple):
    """An entity named in a sentence, with its span in the page."""

    start: int
    end: int
    id: str
    type: str


@dataclass
class _Draft:
    """An entity as collected so far on the page: type, label, aliases and where it was first named."""

    type: str
    label: str
    aliases: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)
    start: int = 0


_THEORY_RE = re.compile(r"\b[Tt]heory\b(?!\s+of\b)")

_THEORY_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "this",
        "that",
        "of",
        "in",
        "on",
        "from",
        "by",
        "with",
        "to",
        "is",
        "was",
        "are",
        "his",
        "her",
        "their",
        "its",
        "our",
        "your",
        "and",
        "or",
        "as",
        "for",
        "out",
        "grew",
        "based",
        "rooted",
        "grounded",
        "new",
        "own",
        "same",
        "such",
        "modern",
        "classical",
        "original",
        "whose",
        "which",
    ]
)


class PageState:
    """Entities and facts found so far on one page, and the names that find more of them."""

    def __init__(self, text: str, source: Source, heading_starts: frozenset[int] | None = None):
        self.text = text
        self.source = source
        self.heading_starts = heading_starts
        self.entities: dict[str, _Draft] = {}
        self.facts: dict[tuple[str, str, str], Fact] = {}
        self.names: dict[str, str] = {}  # normalised modality name -> id (page-local)
        self.acronyms: dict[str, str | None] = {}  # acronym -> id (None: known, but not a modality here)
        self.surnames: dict[str, str] = {}  # surname -> person id
        self.topic: str | None = None
        self.last_developed: str | None = None
        self.warnings: list[str] = []
        self._eft_default: str | None | bool = False  # False: not decided yet
        self._previous_developed: str | None = None
        self._modality_version = 0
        self._alias_cache: tuple[int, list[tuple[str, str]]] | None = None
        self._line_starts: list[int] | None = None
        self._heads: dict[int, re.Match[str] | None] = {}

    # ---- entities ----------------------------------------------------------------------------------------------
    def add_entity(self, entity_id: str, entity_type: str, label: str, start: int) -> str:
        """Record an entity (or a new label of a known one, kept as an alias); returns its id."""
        draft = self.entities.get(entity_id)
        if draft is None:
            self.entities[entity_id] = _Draft(entity_type, label, start=start)
            if entity_type == "Modality":
                self._modality_version += 1
        elif label.lower() != draft.label.lower() and label.lower() not in (a.lower() for a in draft.aliases):
            draft.aliases.append(label)
            if draft.type == "Modality":
                self._modality_version += 1
        return entity_id

    def add_alias(self, entity_id: str, alias: str) -> None:
        """Add an alias to a known entity ("EFT" is also marked ambiguous)."""
        draft = self.entities[entity_id]
        if alias == EFT_ACRONYM and alias not in draft.ambiguous:
            draft.ambiguous.append(alias)
        if alias.lower() != draft.label.lower() and alias.lower() not in (a.lower() for a in draft.aliases):
            draft.aliases.append(alias)
            self._modality_version += 1

    @staticmethod
    @lru_cache(maxsize=8192)
    def name_key(name: str) -> str:
        """The page-local key of a modality name: its slug without a trailing "-therapy" and the like."""
        key = slugify(name)
        for tail in ("-psychotherapy", "-therapy", "-treatment", "-model", "-approach", "-intervention"):
            if key.endswith(tail) and len(key) > len(tail) + 2:
                return key[: -len(tail)]
        return key

    def modality_id(self, name: str, start: int, create: bool = True) -> str | None:
        """The id of a modality named ``name`` on this page (EFT names resolved), creating it if new."""
        lowered = " ".join(name.lower().split())
        if lowered in EFT_FULL_NAMES:
            target = EFT_FULL_NAMES[lowered]
            if target is None:
                return None
            self.add_entity(
                target,
                "Modality",
                capitalise(name) if target.endswith("emotion-focused-therapy") and not name[:1].isupper() else name,
                start,
            )
            self.names.setdefault(self.name_key(name), target)
            return target
        words = name.split()
        if words[0] in self.acronyms and all(w.lower() in GENERIC_HEADS for w in words[1:]):
            target = self.acronyms[words[0]]
            if target:
                self.add_entity(target, "Modality", name, start)
            return target
        key = self.name_key(name)
        known = self.names.get(key)
        if known:
            self.add_entity(known, "Modality", name, start)
            return known
        if not create:
            return None
        entity_id = f"modality/{slugify(name)}"
        self.names[key] = entity_id
        self.add_entity(entity_id, "Modality", name, start)
        return entity_id

    def person(self, name: str, start: int) -> str | None:
        """The id of a person named ``name`` (recorded as a theorist), or None if it is not a person's name."""
        name = name.strip().rstrip(",")
        if not is_valid_person(name):
            return None
        entity_id = person_id(name)
        if entity_id is None:
            return None
        label = " ".join(w for w in name.split() if w.strip(".").lower() not in ("dr", "prof", "professor"))
        self.add_entity(entity_id, "Theorist", label, start)
        key = person_key(name)
        if key:
            self.surnames.setdefault(key[1], entity_id)
        return entity_id

    def persons_in(self, text: str, offset: int) -> list[str]:
        """Ids of the people named in ``text`` (which starts at page offset ``offset``)."""
        found = []
        for match in PERSON_RE.finditer(text):
            pid = self.person(match.group(0), offset + match.start())
            if pid:
                found.append(pid)
        return found

    def simple(self, prefix: str, entity_type: str, label: str, start: int, scope: str = "") -> str:
        """Record an entity whose id is the slug of its label (goals, techniques, phases, ...); returns its id."""
        label = capitalise(label.strip())
        slug = slugify(label)
        entity_id = f"{prefix}/{scope + '-' if scope else ''}{slug}"
        return self.add_entity(entity_id, entity_type, label, start)

    def line_of(self, offset: int) -> int:
        """1-based line number of a character offset."""
        if self._line_starts is None:
            self._line_starts = [m.end() for m in re.finditer("\n", self.text)]
        return bisect_right(self._line_starts, offset) + 1

    # ---- facts -------------------------------------------------------------------------------------------------
    def add_fact(
        self,
        subject: str | None,
        predicate: str,
        obj: str | Year | int | None,
        span: tuple[int, int],
        note: str | None = None,
    ) -> None:
        """Record a fact with the page span ``span`` as its evidence (first one per triple wins)."""
        if subject is None or obj is None or subject == obj:
            return
        key = (subject, predicate, str(obj) if not isinstance(obj, Year) else f"{obj.year}/{obj.precision}")
        if key in self.facts:
            return
        start, end = span
        line = self.line_of(start)
        self.facts[key] = Fact(
            subject,
            predicate,
            obj,
            self.source.id,
            Evidence(self.text[start:end], start, end),
            note,
            where=f"{self.source.id}:{line}",
        )

    # ---- mentions: the page's names found in a span of text ----------------------------------------------------
    def _head_of(self, block: Block) -> re.Match[str] | None:
        """The cached "Name (ACR):" head of a block."""
        try:
            return self._heads[block.start]
        except KeyError:
            head = self._heads[block.start] = block_head(self.text, block)
            return head

    def mentions(self, start: int, end: int) -> list[Mention]:
        """Modalities (by name, alias or acronym) and theories named in ``text[start:end]``, left to right."""
        text = self.text
        segment = text[start:end]
        found: list[Mention] = []
        taken: list[tuple[int, int]] = []

        def free(s: int, e: int) -> bool:
            return all(e <= ts or s >= te for ts, te in taken)

        lowered = segment.lower()
        for key_name, entity_id in self._alias_names():
            position = lowered.find(key_name)
            while position >= 0:
                s, e = start + position, start + position + len(key_name)
                boundary_ok = (position == 0 or not lowered[position - 1].isalnum()) and (
                    e - start >= len(lowered) or not lowered[e - start].isalnum()
                )
                if boundary_ok and free(s, e):
                    found.append(Mention(s, e, entity_id, "Modality"))
                    taken.append((s, e))
                position = lowered.find(key_name, position + 1)
        for token, acronym_target in self.acronyms.items():
            position = segment.find(token)
            while position >= 0:
                after = position + len(token)
                if (position == 0 or not (segment[position - 1].isalnum() or segment[position - 1] == "-")) and (
                    after == len(segment) or not (segment[after].isalnum() or segment[after] == "-")
                ):
                    s, e = start + position, start + after
                    if free(s, e):
                        taken.append((s, e))
                        if acronym_target:
                            found.append(Mention(s, e, acronym_target, "Modality"))
                position = segment.find(token, after)
        if "EFT" in segment:
            for match in re.finditer(r"\bEFT\b", segment):
                s, e = start + match.start(), start + match.end()
                if free(s, e):
                    eft_target = self.default_eft()
                    taken.append((s, e))
                    if eft_target:
                        found.append(Mention(s, e, eft_target, "Modality"))
        if "heory" in segment:
            for match in _THEORY_RE.finditer(segment):
                theory = self._theory_at(start + match.start(), start + match.end(), start)
                if theory and free(theory.start, theory.end):
                    found.append(theory)
                    taken.append((theory.start, theory.end))
        found.sort(key=lambda m: m.start)
        return found

    def _alias_names(self) -> list[tuple[str, str]]:
        """Lower-cased multi-word modality names and aliases of the page (longest first), cached per change."""
        if self._alias_cache is not None and self._alias_cache[0] == self._modality_version:
            return self._alias_cache[1]
        ids: dict[str, str] = {}
        for entity_id, draft in self.entities.items():
            if draft.type == "Modality":
                for name in (draft.label, *draft.aliases):
                    if not name.isupper():  # acronyms are matched case-sensitively elsewhere
                        ids.setdefault(name.lower(), entity_id)
        names = sorted(ids.items(), key=lambda pair: -len(pair[0]))
        self._alias_cache = (self._modality_version, names)
        return names

    def _theory_at(self, start: int, end: int, floor: int) -> Mention | None:
        """The theory named by the words before a "theory" at ``start``, e.g. "attachment theory"."""
        words_before = self.text[max(floor, start - 60) : start].split()
        kept: list[str] = []
        for word in reversed(words_before):
            clean = word.strip()
            if not re.fullmatch(r"[A-Za-z][a-z]*(?:-[A-Za-z][a-z]+)*", clean) or clean.lower() in _THEORY_STOP:
                break
            kept.insert(0, clean)
            if len(kept) == 3:
                break
        if not kept:
            return None
        if kept[0][0].isupper() and kept[0] in LEADING_STOP:
            kept = kept[1:]
        if not kept:
            return None
        phrase = " ".join(kept)
        theory_start = self.text.rfind(phrase, floor, start)
        if theory_start < 0:
            return None
        label = (
            capitalise(phrase.lower() + " theory")
            if not phrase[0].isupper() or phrase.islower()
            else (phrase + " " + self.text[start:end])
        )
        entity_id = f"theory/{slugify(phrase + ' theory')}"
        self.add_entity(entity_id, "Theory", label[0].upper() + label[1:], theory_start)
        return Mention(theory_start, end, entity_id, "Theory")

    def default_eft(self) -> str | None:
        """Which EFT a bare "EFT" means on this page (decided once, from the first 20,000 characters)."""
        if self._eft_default is False:
            self._eft_default = disambiguate_eft(self.text[:20000])
        return self._eft_default  # type: ignore[return-value]

    # ---- output ------------------------------------------------------------------------------------------------
    def records(self) -> Iterator[Entity | Fact]:
        """The entities used by some fact (or the topic), then the facts."""
        used = {f.subject for f in self.facts.values()} | {
            f.object
            for f in self.facts.values()
            if isinstance(f.object, str)
            and "/" in f.object
            and f.predicate not in ("typicalDuration", "sessionExpectation")
        }
        if self.topic:
            used.add(self.topic)
        for entity_id, draft in self.entities.items():
            if entity_id not in used:
                continue
            line = self.line_of(draft.start)
            yield Entity(
                entity_id,
                draft.type,
                draft.label,
                self.source.id,
                aliases=tuple(draft.aliases),
                ambiguous_aliases=tuple(draft.ambiguous),
                where=f"{self.source.id}:{line}",
            )
        yield from self.facts.values()
