"""Extract therapy entities and facts, each with sentence evidence and offsets, from the plain text of a page."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from graph.records import Entity, Evidence, Fact, Source, Year
from loaders.page_lexicon import (
    ANY_SIGNAL_TOKENS,
    CONDITION_RE,
    CONDITION_TOKENS,
    DEV_TOKENS,
    HAS_DIGIT,
    INLINE_TOKENS,
    LINEAGE_TOKENS,
    NUMBER_WORD,
    ORIGIN_TOKENS,
    POP_CONTINUE,
    POP_FOCUSED_RE,
    POP_HEAD_WORDS,
    POP_TRIGGER_BEFORE,
    POPULATION_TOKENS,
    POPULATION_WORDS,
    TOKEN,
    TRIGGER_STEMS,
    TRIGGER_WORDS,
    WORK_TOKENS,
    find_conditions,
    find_population_words,
)
from loaders.page_names import (
    EFT_ACRONYM,
    EFT_FULL_NAMES,
    GENERIC_HEADS,
    LEADING_STOP,
    MODALITY_HEAD,
    NAME_WORD,
    PERSON,
    PERSON_LIST,
    PERSON_RE,
    ROLE,
    capitalise,
    disambiguate_eft,
    head_words,
    is_valid_person,
    name_start_before,
    person_id,
    person_key,
    short_label,
    slugify,
)
from loaders.page_text_units import (
    BOILER_STEM_RE,
    Block,
    block_head,
    classify_heading,
    list_role,
    looks_like_boilerplate,
    split_blocks,
    split_sentences,
)


class Mention(NamedTuple):
    """An entity named in a sentence, with its span in the page."""

    start: int
    end: int
    id: str
    type: str


@dataclass
class _Draft:
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

_PAREN_ACRONYM = re.compile(r"\(([A-Z][A-Za-z]{0,3}[A-Z](?:-[A-Z][A-Za-z]*)?)\)")

_CLAUSE_BREAK = re.compile(r"[.;:!?(),]\s")

_SMALL_WORDS = frozenset({"and", "of", "for", "the", "&", "in", "to", "with", "a"})

_NOT_MODALITY_TAILS = frozenset(
    {
        "disorder",
        "disorders",
        "syndrome",
        "trial",
        "trials",
        "study",
        "scale",
        "inventory",
        "questionnaire",
        "test",
        "review",
        "group",
        "council",
        "service",
    }
)

_ORG_WORDS = frozenset(
    {
        "University",
        "Institute",
        "Association",
        "Society",
        "Center",
        "Centre",
        "Department",
        "College",
        "Hospital",
        "Foundation",
        "Agency",
        "Organization",
        "Organisation",
        "National",
    }
)

_NOT_MODALITY_WORDS = frozenset({"Loading", "Directory", "Alma", "Yes", "No"})

_ACRONYM_AFTER = re.compile(r"\s*\(([A-Z][A-Za-z0-9]{0,3}(?:-[A-Z][A-Za-z0-9]{0,5})?[A-Z0-9]?)\)")

_ALIAS_AFTER = re.compile(
    r"\s*(?:\(|,\s+)(?:also (?:known|referred to) as|also called|sometimes called|a\.k\.a\.?|aka|formerly|"
    r"or simply|previously called)\s+([^()]{2,120}?)(?:\)|,(?=\s)|\.(?=\s|$)|;)"
)

_ALIAS_SPLIT = re.compile(r"\s*,\s*(?:or\s+|and\s+)?|\s+or\s+(?:just\s+|simply\s+)?|\s+and\s+")


def _initials(word: str) -> str:
    word = word.strip("\"“”'’*")
    if word.isupper() and len(word) > 1:
        return word
    return "".join(part[:1] for part in word.replace("/", "-").split("-") if part)


def _looks_like_name(name: str) -> bool:
    words = name.split()
    if not 1 <= len(words) <= 8:
        return False
    lowered_small = {"and", "of", "for", "in", "&", "the", "a", "to", "on", "with"}
    return (
        all(w[0].isupper() or w.lower() in lowered_small or w[0].isdigit() or w.lower() in GENERIC_HEADS for w in words)
        and words[0][0].isupper()
    )


_PASSIVE_DEV = re.compile(
    rf"\b(?i:developed|created|devised|founded|originated|pioneered|introduced|formulated|conceived|established"
    rf"|invented|proposed|designed|first described|codified)\s+(?:\w+\s+){{0,3}}?by\s+{ROLE}({PERSON_LIST})"
)

_ACTIVE_DEV = re.compile(
    rf"({PERSON_LIST})(?:\s*,[^,;]{{2,80}},)?\s+(?:\w+\s+)?(?:developed|created|devised|founded|pioneered"
    rf"|introduced|originated|formulated|conceived|invented|established|designed)\b"
)

_SURNAME_DEV = re.compile(
    rf"\b({NAME_WORD}(?:\s*,\s*{NAME_WORD})*\s+(?:and|&)\s+{NAME_WORD})\s+(?:\w+\s+)?(?:developed|created|devised"
    rf"|founded|pioneered|introduced|formulated)\b"
    rf"|\b(?:developed|created|devised|founded|pioneered|introduced|formulated)\s+by\s+({NAME_WORD}(?:\s*,\s*"
    rf"{NAME_WORD})*\s+(?:and|&)\s+{NAME_WORD})\b"
)

_WORK_ON = re.compile(
    rf"({PERSON})['’]s?\s+(?:\w+\s+){{0,2}}?(?:work|research|studies|contributions?|writings?|ideas|observations)\b"
)

_ORIGINATED_WITH = re.compile(
    rf"\b(?:originated|originates|began|begins|started|starts|traces? back|(?:closely )?associated)"
    rf"\s+(?:\w+\s+){{0,2}}?"
    rf"(?:with|to)\s+"
    rf"(?:the (?:work|research|ideas) of\s+)?{ROLE}({PERSON_LIST})"
)

_STUDENT_OF = re.compile(
    rf"({PERSON}),?\s+(?:a|an|the)\s+(?:former\s+)?(?:student|trainee|protégé|protege)"
    rf"\s+of\s+({PERSON})"
)

_COLLABORATED = re.compile(rf"({PERSON})\s+(?:collaborated|worked closely|worked)\s+with\s+({PERSON})")

_STUDENT_HINT = re.compile(r"student|trainee|prot[ée]g[ée]")

_DEV_VERB = re.compile(
    r"\b(?:developed|created|devised|founded|originated|pioneered|introduced|formulated|conceived|established"
    r"|invented|proposed|designed|emerged|appeared|arose|published|first described|dates? back|began|launched)\b"
)

_DECADE = re.compile(r"\b(?:the\s+)?(?:(?:early|mid|late)[\s-]+)?((?:1[89]|20)\d0)s\b")

_YEAR = re.compile(r"\b(?:in|by|around|circa|c\.)\s+((?:1[89]|20)\d\d)\b(?!s)")

_KIND_OF = re.compile(
    r"\b(?:(?P<sub>is|as)\s+(?:a|an|one)\s+(?:specific\s+|specialized\s+|particular\s+)?(?:form|type|kind|subtype|"
    r"variant|branch|version|style)\s+of"
    r"|(?P<der>modified form|modification|adaptation|offshoot|outgrowth|extension|derivative|spin-off|descendant"
    r"|evolution)\s+of"
    r"|(?P<base>based on|grounded in|rooted in|draws on|draws from|builds on|built on|informed by|inspired by"
    r"|integrates|combines|blends)"
    r"|(?P<grew>grew out of|grows out of|evolved from|emerged from|developed out of|derived from|adapted from"
    r"|developed from|arose from|branched off from|has its roots in|have their roots in))\b",
    re.I,
)

_LINEAGE_PHRASES = (
    "form of",
    "type of",
    "kind of",
    "subtype of",
    "variant of",
    "branch of",
    "version of",
    "style of",
    "modification of",
    "adaptation of",
    "offshoot of",
    "outgrowth of",
    "extension of",
    "derivative of",
    "spin-off of",
    "descendant of",
    "evolution of",
    "based on",
    "grounded in",
    "rooted in",
    "draws on",
    "draws from",
    "builds on",
    "built on",
    "informed by",
    "inspired by",
    "integrates",
    "combines",
    "blends",
    "grew out",
    "grows out",
    "evolved from",
    "emerged from",
    "developed out",
    "derived from",
    "adapted from",
    "developed from",
    "arose from",
    "branched off",
    "roots in",
)

_LINEAGE_PHRASE_RE = re.compile("|".join(re.escape(phrase) for phrase in _LINEAGE_PHRASES))

_MODEL_AFTER = re.compile(r"\s+(?:the\s+|an?\s+)?((?:[A-Za-z][a-z-]+\s+){1,4}(?:model|framework))\b")

_GOAL_INLINE = re.compile(
    r"\b(?:aims? to|seeks? to|the (?:main |primary |central |overall |ultimate )?(?:goal|aim|objective|purpose)"
    r"(?: of [^,.;]{1,60}?)? (?:is|was) to)\s+([^.;:]{3,160})",
    re.I,
)

_GOAL_HINT = re.compile(r"aim|seek|goal|objective|purpose")

_TECHNIQUE_INLINE = re.compile(
    r"\b(?:techniques|strategies|interventions|tools|exercises|skills modules|skill modules|modules)\b"
    r"(?:\s+used)?(?:\s+(?:such as|like|include|includes|including|are|involve)|:)\s+([^.;]{3,240})",
    re.I,
)

_TECHNIQUE_HINT = re.compile(r"techniques|strategies|interventions|tools|exercises|modules")

_CONCEPT_INLINE = re.compile(
    r"\b(?:(?:key|core|central|main|important) concepts?|ideas? such as)(?:\s+(?:include|includes|are|is|such as)"
    r"|:)\s+([^.;]{3,200})|\bthe (?:concept|notion) of\s+([^.,;()]{3,60})",
    re.I,
)

_PHASES_INLINE = re.compile(r"\b(?:phases|stages|steps)\b[^.:;]{0,60}?(?::|\binclude\b|\bare\b)\s+([^.;]{5,300})", re.I)

_QUOTED = re.compile(r"[“\"]([^”\"\n]{2,60}?)[,.]?[”\"]")

_DURATION = re.compile(
    r"\b((?:\d+|one|two|three|four|five|six|eight|ten|twelve|several|a few)(?:\s*(?:–|-|to)\s*(?:\d+|\w+))?"
    r"\s+(?:weeks|months|years|sessions|year|month))\b",
    re.I,
)

_DURATION_CONTEXT = re.compile(
    r"\b(?:typically|usually|lasts?|takes?|runs?|course|within|generally|often|treatments?|therap(?:y|ies)|program|attend\w*)\b",
    re.I,
)

_MINUTES = re.compile(r"\b\d+(?:\s*(?:–|-|to)\s*\d+)?[\s-]+minutes?\b", re.I)

_LIST_SPLIT = re.compile(r"\s*(?:,|;)\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+(?=\S)")


class PageExtractor:
    """Turns one page's plain text into entities and facts; create one per page."""

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

    # ---- entities -------------------------------------------------------------------------------------------
    def add_entity(self, entity_id: str, entity_type: str, label: str, start: int) -> str:
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
        found = []
        for match in PERSON_RE.finditer(text):
            pid = self.person(match.group(0), offset + match.start())
            if pid:
                found.append(pid)
        return found

    def simple(self, prefix: str, entity_type: str, label: str, start: int, scope: str = "") -> str:
        label = capitalise(label.strip())
        slug = slugify(label)
        entity_id = f"{prefix}/{scope + '-' if scope else ''}{slug}"
        return self.add_entity(entity_id, entity_type, label, start)

    def line_of(self, offset: int) -> int:
        """1-based line number of a character offset."""
        if self._line_starts is None:
            self._line_starts = [m.end() for m in re.finditer("\n", self.text)]
        return bisect_right(self._line_starts, offset) + 1

    # ---- facts ----------------------------------------------------------------------------------------------
    def add_fact(
        self,
        subject: str | None,
        predicate: str,
        obj: str | Year | int | None,
        span: tuple[int, int],
        note: str | None = None,
    ) -> None:
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

    # ---- mentions -------------------------------------------------------------------------------------------
    def discover_names(self, blocks: list[Block]) -> None:
        """First pass: modality names with acronyms and aliases anywhere on the page, and the page topic."""
        text = self.text
        block_starts = [b.start for b in blocks]

        def block_at(position: int) -> Block | None:
            index = bisect_right(block_starts, position) - 1
            block = blocks[index] if index >= 0 else None
            return block if block is not None and block.kind != "boiler" and position < block.end else None

        for match in _PAREN_ACRONYM.finditer(text):
            block = block_at(match.start())
            if block is not None:
                self._acronym_definition(block, match)
        heads_by_block: dict[int, list[tuple[int, int]]] = {}
        for head in head_words(text):
            block = block_at(head.start())
            if block is not None and head.end() <= block.end:
                heads_by_block.setdefault(block.start, []).append(
                    (name_start_before(text, head.start(), block.start), head.end())
                )
        for block in blocks:
            if block.kind == "boiler":
                continue
            for found_start, found_end in heads_by_block.get(block.start, ()):
                name_start, name = self._trim_modality(text[found_start:found_end], found_start)
                if name is None:
                    continue
                after = found_end
                acronym = _ACRONYM_AFTER.match(text, after, block.end)
                alias = _ALIAS_AFTER.match(text, after, block.end)
                if not acronym and not alias and not self._accept_plain_name(name, name_start, block):
                    continue
                entity_id = self.modality_id(name, name_start)
                if acronym:
                    self.acronyms[acronym.group(1)] = entity_id
                    if entity_id:
                        self.add_alias(entity_id, acronym.group(1))
                    alias = _ALIAS_AFTER.match(text, acronym.end(), block.end) or alias
                if alias and entity_id:
                    for part in _ALIAS_SPLIT.split(alias.group(1)):
                        part = re.sub(r"^(?:just|simply|sometimes|the)\s+", "", part.strip(" \"“”'’.")).strip()
                        if part and len(part.split()) <= 7 and part[:1].isupper():
                            self.add_alias(entity_id, part)
                            self.names.setdefault(self.name_key(part), entity_id)
                            if part.isupper():
                                self.acronyms.setdefault(part, entity_id)
            if block.kind in ("bullet", "para", "heading", "title"):
                self._discover_head(block)
        title = next((b for b in blocks if b.kind == "title"), None)
        if title is not None:
            self.topic = self._topic_from_title(title)
        if self.topic is None:
            for block in blocks:
                if block.kind in ("para", "heading") and block.kind != "boiler":
                    mentions = self.mentions(block.start, block.end)
                    modal = [m for m in mentions if m.type == "Modality"]
                    if modal:
                        first_sentence = split_sentences(text, block.start, block.end)[0]
                        if modal[0].start < first_sentence[1] and re.search(
                            r"\b(?:is|was|are)\s+(?:a|an)\b", text[modal[0].end : first_sentence[1]]
                        ):
                            self.topic = modal[0].id
                    break

    def _acronym_definition(self, block: Block, match: re.Match[str]) -> None:
        """A name defined with an acronym whose letters match its initials: "Internal Family Systems (IFS)"."""
        text = self.text
        acronym = match.group(1)
        letters = acronym.replace("-", "").upper()
        window = text[max(block.start, match.start() - 120) : match.start()]
        words = _CLAUSE_BREAK.split(window)[-1].split()
        phrase = None
        for size in range(1, min(len(words), 10) + 1):
            candidate = words[-size:]
            if "".join(_initials(w) for w in candidate if w.lower() not in _SMALL_WORDS).upper() == letters:
                phrase = candidate
                break
        if not phrase or phrase[0].lower() in _SMALL_WORDS:
            return
        while phrase and phrase[0] in LEADING_STOP:
            phrase = phrase[1:]
        if not phrase:
            return
        name = " ".join(phrase)
        last = phrase[-1].lower()
        if last in _NOT_MODALITY_TAILS or any(w in _ORG_WORDS for w in phrase) or CONDITION_RE.fullmatch(name):
            return
        lowered = name.lower()
        if lowered in EFT_FULL_NAMES and EFT_FULL_NAMES[lowered] is None:
            self.acronyms[acronym] = None
            return
        known_acronym = any(w in self.acronyms and self.acronyms[w] for w in phrase)
        if not (
            re.fullmatch(MODALITY_HEAD, phrase[-1], re.I)
            or known_acronym
            or block.kind in ("title", "heading")
            or self.name_key(name) in self.names
            or lowered in EFT_FULL_NAMES
        ):
            return
        start = match.start() - len(window) + window.rfind(name) if name in window else block.start
        entity_id = self.modality_id(name, start)
        if entity_id:
            self.acronyms.setdefault(acronym, entity_id)
            self.add_alias(entity_id, acronym)

    def _accept_plain_name(self, name: str, start: int, block: Block) -> bool:
        """A capitalised name without acronym or alias counts if it is not just a generic lower-case phrase."""
        words = name.split()
        if name in EFT_FULL_NAMES or name.lower() in EFT_FULL_NAMES:
            return True
        if self.name_key(name) in self.names:
            return True
        if words[-1][0].isupper():
            return len(words) >= 2
        at_block_start = start == block.start or self.text[block.start : start].strip() in ("", "(")
        capitalised = [w for w in words[:-1] if w[0].isupper()]
        return (len(capitalised) >= 2 or (bool(capitalised) and not at_block_start)) or block.kind == "title"

    def _trim_modality(self, name: str, start: int) -> tuple[int, str | None]:
        words = name.split(" ")
        while words and (words[0] in LEADING_STOP or words[0].lower() in ("and", "of", "for", "in", "&")):
            start += len(words[0]) + 1
            words = words[1:]
        if not words or (len(words) == 1 and words[0].lower() in GENERIC_HEADS):
            return start, None
        if len(words) == 2 and words[0].lower() in GENERIC_HEADS:
            return start, None
        if any(w in _NOT_MODALITY_WORDS for w in words):
            return start, None
        return start, " ".join(words)

    def _discover_head(self, block: Block) -> None:
        """A block that starts with "Name (ACR): ..." or "Name – ..." introduces that name."""
        head = self._head_of(block)
        if not head:
            return
        name = head.group(1).strip()
        acronym = head.group(2)
        if self.name_key(name) in self.names:
            if acronym:
                entity_id = self.names[self.name_key(name)]
                self.acronyms.setdefault(acronym, entity_id)
                self.add_alias(entity_id, acronym)
            return
        if acronym or block.kind in ("bullet", "heading"):
            if not _looks_like_name(name):
                return
            lowered = name.lower()
            if lowered in EFT_FULL_NAMES and EFT_FULL_NAMES[lowered] is None:
                if acronym:
                    self.acronyms[acronym] = None
                return
            new_id = self.modality_id(name, block.start, create=block.kind == "bullet" or bool(acronym))
            if new_id and acronym:
                self.acronyms[acronym] = new_id
                self.add_alias(new_id, acronym)

    def _topic_from_title(self, title: Block) -> str | None:
        mentions = self.mentions(title.start, title.end)
        modal = [m for m in mentions if m.type == "Modality"]
        if modal:
            return modal[0].id
        line = self.text[title.start : title.end].strip()
        if (
            len(line.split()) <= 6
            and re.search(rf"{MODALITY_HEAD}$", line, re.I)
            and line.lower() not in GENERIC_HEADS
            and line[0].isupper()
            and not re.search(r"[,:;.!?]", line)
        ):
            return self.modality_id(line, title.start)
        return None

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
        if self._eft_default is False:
            self._eft_default = disambiguate_eft(self.text[:20000])
        return self._eft_default  # type: ignore[return-value]

    # ---- the walk -------------------------------------------------------------------------------------------
    def run(self) -> None:
        blocks = split_blocks(self.text, self.heading_starts)
        self.discover_names(blocks)
        if self.topic is None:
            self.warnings.append(f"{self.source.id}: the page names no therapy approach as its topic")
        section = ""
        boiler = False
        section_topic = self.topic
        list_intro = ""
        in_heading_run = False
        run_kinds: list[str] = []
        for block in blocks:
            if block.kind == "boiler":
                continue
            if block.kind in ("heading", "title"):
                heading = self.text[block.start : block.end]
                if not in_heading_run:
                    run_kinds = []
                    boiler = False
                in_heading_run = True
                kind, boiler_heading = classify_heading(heading)
                if boiler_heading:
                    boiler = True
                if kind:
                    run_kinds.append(kind)
                section = run_kinds[-1] if run_kinds else ""
                named = self._heading_topic(block)
                if named is not None:
                    section_topic = named
                elif self.topic is not None:
                    section_topic = self.topic
                list_intro = ""
                continue
            in_heading_run = False
            if boiler:
                continue
            if block.kind == "para":
                self.paragraph(block, section, section_topic)
                stripped = self.text[block.start : block.end].rstrip()
                list_intro = stripped.lower() if stripped.endswith(":") else ""
            else:
                self.list_item(block, section, section_topic, list_intro)

    def _heading_topic(self, block: Block) -> str | None:
        heading = self.text[block.start : block.end].strip()
        if block.kind == "title":
            return self.topic
        if len(heading.split()) > 10 or heading.endswith("?"):
            return None
        mentions = [m for m in self.mentions(block.start, block.end) if m.type == "Modality"]
        if not mentions:
            return None
        rest = (heading[: mentions[0].start - block.start] + heading[mentions[0].end - block.start :]).strip()
        rest = re.sub(r"^\(?[A-Z][A-Za-z-]{1,9}\)?$", "", rest).strip(" :–—-")
        return mentions[0].id if not rest else None

    def paragraph(self, block: Block, section: str, topic: str | None) -> None:
        head_subject = self._block_head_subject(block, section, topic)
        subject = head_subject or topic
        block_tokens = self._signal_tokens(block.start, block.end)
        if block_tokens is None:
            return
        spans = split_sentences(self.text, block.start, block.end)
        maybe_boiler = BOILER_STEM_RE.search(self.text[block.start : block.end].lower()) is not None
        for span in spans:
            if maybe_boiler and looks_like_boilerplate(self.text, span[0], span[1]):
                continue
            self.sentence(span, subject, section, bullet=False, tokens=block_tokens if len(spans) == 1 else None)

    def list_item(self, block: Block, section: str, topic: str | None, intro: str) -> None:
        text = self.text
        spans = split_sentences(text, block.start, block.end)
        if not spans or looks_like_boilerplate(text, block.start, block.end):
            return
        first = spans[0]
        item = text[block.start : block.end]
        head_subject = self._block_head_subject(block, section, topic)
        subject = head_subject or topic
        role = self._list_role(block, section, intro)
        if role == "phase" and topic:
            label = short_label(item)
            phase = self.simple("phase", "TreatmentPhase", label, block.start, scope=topic.split("/", 1)[1])
            self.add_fact(topic, "hasPhase", phase, first)
            self.add_fact(phase, "phaseOrder", block.number or self._next_order(topic), first)
        elif role == "goal" and topic and head_subject is None:
            self.add_fact(topic, "hasGoal", self.simple("goal", "Goal", short_label(item, 3), block.start), first)
        elif role == "technique" and topic and head_subject is None:
            self.add_fact(
                topic, "usesTechnique", self.simple("technique", "Technique", short_label(item, 3), block.start), first
            )
        elif role == "session" and topic:
            self.add_fact(topic, "sessionExpectation", text[first[0] : first[1]].rstrip(" .;"), first)
        elif role == "uses" and topic and head_subject is None:
            self._uses_item(block, topic, first)
        block_tokens = self._signal_tokens(block.start, block.end)
        if block_tokens is not None:
            for span in spans:
                self.sentence(span, subject, section, bullet=True, tokens=block_tokens if len(spans) == 1 else None)

    def _head_of(self, block: Block) -> re.Match[str] | None:
        """The cached "Name (ACR):" head of a block."""
        try:
            return self._heads[block.start]
        except KeyError:
            head = self._heads[block.start] = block_head(self.text, block)
            return head

    def _signal_tokens(self, start: int, end: int) -> set[str] | None:
        """The lower-case words of ``text[start:end]`` if any rule could react to it, else None (cheap gate)."""
        segment = self.text[start:end]
        tokens = set(TOKEN.findall(segment.lower()))
        if (
            not ANY_SIGNAL_TOKENS.isdisjoint(tokens)
            or " by " in segment
            or HAS_DIGIT.search(segment) is not None
            or "“" in segment
            or '"' in segment
            or "’s" in segment
            or "'s" in segment
        ):
            return tokens
        return None

    def _next_order(self, topic: str) -> int:
        return sum(1 for (s, p, _o) in self.facts if s == topic and p == "hasPhase")

    @staticmethod
    def _list_role(block: Block, section: str, intro: str) -> str:
        return list_role(block.kind == "ordered", section, intro)

    def _uses_item(self, block: Block, topic: str, span: tuple[int, int]) -> None:
        item = self.text[block.start : block.end].strip().rstrip(".;")
        first_word = item.split()[0].lower().strip(",") if item.split() else ""
        if first_word in POP_HEAD_WORDS:
            label = short_label(item, 4) if ":" in item or " – " in item or " — " in item else item
            self.add_fact(topic, "servesPopulation", self.simple("population", "Population", label, block.start), span)
        else:
            conditions = find_conditions(item, set(TOKEN.findall(item.lower())))
            for start, _end, label in conditions:
                self.add_fact(
                    topic, "addressesCondition", self.simple("condition", "Condition", label, block.start + start), span
                )
            if not conditions:
                label = short_label(item, 1)
                if label and len(label.split()) <= 8:
                    self.add_fact(
                        topic, "addressesCondition", self.simple("condition", "Condition", label, block.start), span
                    )

    def _block_head_subject(self, block: Block, section: str, topic: str | None) -> str | None:
        head = self._head_of(block)
        if not head:
            return None
        name = head.group(1).strip()
        if "," in name or name.count(" ") > 8:
            return None
        entity_id = self.names.get(self.name_key(name))
        if entity_id is None and head.group(2):
            entity_id = self.acronyms.get(head.group(2))
        if entity_id is None:
            mentions = [
                m for m in self.mentions(block.start, block.start + len(head.group(1)) + 1) if m.type == "Modality"
            ]
            entity_id = mentions[0].id if mentions else None
        if entity_id is None:
            return None
        if section == "subtypes" and topic and entity_id != topic:
            span = split_sentences(self.text, block.start, block.end)[0]
            self.add_fact(entity_id, "subtypeOf", topic, span)
        return entity_id

    # ---- one sentence ---------------------------------------------------------------------------------------
    def sentence(
        self, span: tuple[int, int], subject: str | None, section: str, bullet: bool, tokens: set[str] | None = None
    ) -> None:
        text = self.text
        s0, s1 = span
        sentence = text[s0:s1]
        lowered = sentence.lower()
        gated = tokens is not None
        if tokens is None:
            tokens = set(TOKEN.findall(lowered))
        if not gated and (
            tokens.isdisjoint(ANY_SIGNAL_TOKENS)
            and " by " not in sentence
            and not HAS_DIGIT.search(sentence)
            and "“" not in sentence
            and '"' not in sentence
            and "’s" not in sentence
            and "'s" not in sentence
        ):
            self._previous_developed = None
            return
        mentions = self.mentions(s0, s1)
        developed: list[str] = []
        has_lineage = (not tokens.isdisjoint(LINEAGE_TOKENS) or "developed" in tokens) and (
            _LINEAGE_PHRASE_RE.search(lowered) is not None
        )
        kind_of = list(_KIND_OF.finditer(sentence)) if has_lineage and mentions else []
        lineage_objects = self._lineage_objects(kind_of, s0, mentions) if kind_of else set()

        def subject_before(position: int, types: tuple[str, ...] = ("Modality", "Theory")) -> str | None:
            before = [
                m
                for m in mentions
                if m.end <= position
                and m.type in types
                and (m.start not in lineage_objects or "," in text[m.end : position])
            ]
            return before[-1].id if before else subject

        def link(target: str | None, persons: Iterable[str]) -> None:
            for pid in persons:
                self.add_fact(target, "developedBy", pid, span)
            if target:
                developed.append(target)
                self.last_developed = target

        has_by = " by " in sentence
        if has_by:
            for match in _PASSIVE_DEV.finditer(sentence):
                target = subject_before(s0 + match.start())
                link(target, self.persons_in(match.group(1), s0 + match.start(1)))
        dev_hint = not tokens.isdisjoint(DEV_TOKENS)
        for match in _ACTIVE_DEV.finditer(sentence) if dev_hint else ():
            after = [
                m
                for m in mentions
                if m.start >= s0 + match.end()
                and m.start - (s0 + match.end()) < 40
                and m.type in ("Modality", "Theory")
            ]
            if after:
                link(after[0].id, self.persons_in(match.group(1), s0 + match.start(1)))
        if dev_hint and (" and " in sentence or " & " in sentence):
            for match in _SURNAME_DEV.finditer(sentence):
                names = match.group(1) or match.group(2)
                pids = [self.surnames.get(w.lower()) for w in re.split(r"\s*,\s*|\s+(?:and|&)\s+", names)]
                if all(pids) and pids:
                    if match.group(1):
                        after = [m for m in mentions if m.start >= s0 + match.end() and m.type != "Theorist"]
                        target = after[0].id if after else None
                    else:
                        target = subject_before(s0 + match.start())
                    link(target, [p for p in pids if p])
        if not tokens.isdisjoint(ORIGIN_TOKENS):
            for match in _ORIGINATED_WITH.finditer(sentence):
                link(subject_before(s0 + match.start()), self.persons_in(match.group(1), s0 + match.start(1)))
        if ("'" in sentence or "’" in sentence) and not tokens.isdisjoint(WORK_TOKENS):
            for match in _WORK_ON.finditer(sentence):
                pid = self.person(match.group(1), s0 + match.start(1))
                if pid is None:
                    continue
                on_target = [
                    m
                    for m in mentions
                    if m.start >= s0 + match.end()
                    and m.start - (s0 + match.end()) < 12
                    and m.type in ("Modality", "Theory")
                ]
                if on_target:
                    link(on_target[0].id, [pid])
                elif self.last_developed and re.match(
                    r"(?:his|her|their|this)\b|.*\b(?:alongside|along with|together"
                    r" with)\b",
                    sentence,
                    re.I,
                ):
                    self.add_fact(self.last_developed, "developedBy", pid, span)
        for match in _STUDENT_OF.finditer(sentence) if "of" in sentence and _STUDENT_HINT.search(sentence) else ():
            a, b = self.person(match.group(1), s0), self.person(match.group(2), s0)
            self.add_fact(a, "studentOf", b, span)
        for match in _COLLABORATED.finditer(sentence) if "worked" in sentence or "collaborat" in sentence else ():
            a, b = self.person(match.group(1), s0), self.person(match.group(2), s0)
            self.add_fact(a, "collaboratedWith", b, span)
        self._dates(sentence, span, mentions, developed, subject)
        self._previous_developed = developed[0] if developed else None
        if has_lineage:
            self._lineage(sentence, span, mentions, subject, kind_of if mentions else None)
        if not tokens.isdisjoint(POPULATION_TOKENS) or not tokens.isdisjoint(CONDITION_TOKENS):
            self._populations_and_conditions(
                sentence, span, [m for m in mentions if m.start not in lineage_objects], subject, tokens
            )
        if subject and (
            not tokens.isdisjoint(INLINE_TOKENS) or "“" in sentence or '"' in sentence or HAS_DIGIT.search(sentence)
        ):
            self._goals_techniques_concepts(sentence, span, mentions, subject, section)

    @staticmethod
    def _lineage_objects(kind_of: list[re.Match[str]], s0: int, mentions: list[Mention]) -> set[int]:
        """Starts of mentions that follow "a form of", "based on" and the like: they are not the subject."""
        objects: set[int] = set()
        for match in kind_of:
            position = s0 + match.end()
            for m in mentions:
                if position <= m.start <= position + 3:
                    objects.add(m.start)
                    position = m.end + 2  # an acronym in brackets right after belongs to the same object
        return objects

    def _dates(
        self, sentence: str, span: tuple[int, int], mentions: list[Mention], developed: list[str], subject: str | None
    ) -> None:
        if not HAS_DIGIT.search(sentence):
            return
        decade = _DECADE.search(sentence)
        year = _YEAR.search(sentence)
        if not decade and not year:
            return
        when = (
            Year(int(year.group(1)))
            if year and (not decade or year.start() < decade.start())
            else (Year(int(decade.group(1)), "decade") if decade else None)
        )
        if when is None:
            return
        if developed:
            target = developed[0]
        elif self._previous_developed and re.match(r"(?:He|She|They)\b", sentence):
            target = self._previous_developed
        elif _DEV_VERB.search(sentence):
            named = [m for m in mentions if m.type in ("Modality", "Theory")]
            if not named:
                return
            target = named[0].id
        else:
            return
        self.add_fact(target, "introduced", when, span)

    def _lineage(
        self,
        sentence: str,
        span: tuple[int, int],
        mentions: list[Mention],
        subject: str | None,
        kind_of: list[re.Match[str]] | None = None,
    ) -> None:
        s0 = span[0]
        for match in kind_of if kind_of is not None else _KIND_OF.finditer(sentence):
            position = s0 + match.end()
            targets = [m for m in mentions if position <= m.start <= position + 45 and m.type in ("Modality", "Theory")]
            if not targets and (match.group("base") or match.group("grew")):
                model = _MODEL_AFTER.match(self.text, position)
                if model:
                    phrase = model.group(1)
                    theory_id = f"theory/{slugify(phrase)}"
                    self.add_entity(theory_id, "Theory", capitalise(phrase), s0 + model.start(1) - s0)
                    targets = [Mention(model.start(1), model.end(1), theory_id, "Theory")]
            if not targets:
                continue
            objects = self._lineage_objects(
                kind_of if kind_of is not None else list(_KIND_OF.finditer(sentence)), s0, mentions
            )
            before = [
                m for m in mentions if m.end <= s0 + match.start() and m.type == "Modality" and m.start not in objects
            ]
            source_id = before[-1].id if before else subject
            if source_id is None:
                continue
            for target in targets[:3]:
                if target.start > position + 45:
                    break
                if match.group("sub"):
                    predicate = "subtypeOf" if target.type == "Modality" else "groundedIn"
                elif match.group("der") or match.group("grew"):
                    predicate = "derivedFrom" if target.type == "Modality" else "groundedIn"
                else:
                    predicate = "groundedIn" if target.type == "Theory" else "derivedFrom"
                self.add_fact(source_id, predicate, target.id, span)
                between = self.text[target.end : target.end + 12]
                if not re.match(r"\s*(?:,|and|&)\s*", between):
                    break

    def _populations_and_conditions(
        self, sentence: str, span: tuple[int, int], mentions: list[Mention], subject: str | None, tokens: set[str]
    ) -> None:
        s0 = span[0]

        def target_at(position: int) -> str | None:
            before = [m for m in mentions if m.end <= position and m.type == "Modality"]
            return before[-1].id if before else subject

        def inside_mention(position: int) -> bool:
            return any(m.start <= position < m.end for m in mentions)

        has_population = not tokens.isdisjoint(POPULATION_TOKENS)
        list_start = 0
        previous_end = -1
        for start, end, label in find_population_words(sentence, tokens) if has_population else ():
            if previous_end >= 0 and POP_CONTINUE.fullmatch(sentence, previous_end, start):
                pass  # "children and adolescents": continues a list already accepted
            elif POP_TRIGGER_BEFORE.search(sentence, max(0, start - 60), start):
                list_start = start
            else:
                previous_end = -1
                continue
            previous_end = end
            if inside_mention(s0 + start):
                continue
            self.add_fact(
                target_at(s0 + list_start),
                "servesPopulation",
                self.simple("population", "Population", label, s0 + start),
                span,
            )
        has_focus = "-focused" in sentence or "-based" in sentence or "-cent" in sentence
        for match in POP_FOCUSED_RE.finditer(sentence) if has_population and has_focus else ():
            if inside_mention(s0 + match.start()):
                continue
            label = POPULATION_WORDS[match.group(1).lower()]
            self.add_fact(
                target_at(s0 + match.start()),
                "servesPopulation",
                self.simple("population", "Population", label, s0 + match.start()),
                span,
            )
        conditions = find_conditions(sentence, tokens) if not tokens.isdisjoint(CONDITION_TOKENS) else []
        if conditions and (not tokens.isdisjoint(TRIGGER_WORDS) or any(t.startswith(TRIGGER_STEMS) for t in tokens)):
            for start, _end, label in conditions:
                if inside_mention(s0 + start):
                    continue
                self.add_fact(
                    target_at(s0 + start),
                    "addressesCondition",
                    self.simple("condition", "Condition", label, s0 + start),
                    span,
                )

    def _goals_techniques_concepts(
        self, sentence: str, span: tuple[int, int], mentions: list[Mention], subject: str, section: str
    ) -> None:
        s0 = span[0]
        lowered = sentence.lower()
        for match in _GOAL_INLINE.finditer(sentence) if _GOAL_HINT.search(lowered) else ():
            label = short_label(match.group(1), 2)
            if 1 <= len(label.split()) <= 10:
                self.add_fact(subject, "hasGoal", self.simple("goal", "Goal", label, s0 + match.start(1)), span)
        for match in _TECHNIQUE_INLINE.finditer(sentence) if _TECHNIQUE_HINT.search(lowered) else ():
            for item in self._list_items(match.group(1)):
                self.add_fact(
                    subject, "usesTechnique", self.simple("technique", "Technique", item, s0 + match.start(1)), span
                )
        if "concept" in lowered or "notion" in lowered or "ideas such" in lowered:
            for match in _CONCEPT_INLINE.finditer(sentence):
                items = self._list_items(match.group(1)) if match.group(1) else [match.group(2).strip()]
                for item in items:
                    if len(item.split()) <= 5:
                        self.add_fact(
                            subject,
                            "involvesConcept",
                            self.simple("concept", "Concept", item, s0 + match.start()),
                            span,
                        )
        if "“" in sentence or '"' in sentence:
            for match in _QUOTED.finditer(sentence):
                phrase = match.group(1).strip(" ,.")
                words = phrase.split()
                if 1 <= len(words) <= 5 and not phrase[:1].isdigit() and not re.search(r"[?!]", phrase):
                    self.add_fact(
                        subject, "involvesConcept", self.simple("concept", "Concept", phrase, s0 + match.start(1)), span
                    )
        if section != "evidence" and ("phase" in lowered or "stage" in lowered or "step" in lowered):
            for match in _PHASES_INLINE.finditer(sentence):
                items = self._list_items(match.group(1))
                if len(items) >= 2:
                    for order, item in enumerate(items, start=1):
                        phase = self.simple(
                            "phase", "TreatmentPhase", item, s0 + match.start(1), scope=subject.split("/", 1)[1]
                        )
                        self.add_fact(subject, "hasPhase", phase, span)
                        self.add_fact(phase, "phaseOrder", order, span)
        if HAS_DIGIT.search(sentence) or NUMBER_WORD.search(lowered):
            if section == "length" or _DURATION_CONTEXT.search(sentence):
                for match in _DURATION.finditer(sentence):
                    if re.match(r"\s+(?:per|a|each|every)\s+(?:week|month|day)", sentence[match.end() :]):
                        continue
                    if section == "length" or re.search(
                        r"\b(?:lasts?|takes?|typically|usually|runs?|over|within|"
                        r"course of|consists? of|attend\w*)\b",
                        sentence[: match.start()],
                        re.I,
                    ):
                        self.add_fact(subject, "typicalDuration", match.group(1), span)
                        break
            if _MINUTES.search(sentence) and re.search(r"\bsessions?\b", sentence, re.I):
                self.add_fact(subject, "sessionExpectation", sentence.strip().rstrip("."), span)

    @staticmethod
    def _list_items(text: str) -> list[str]:
        items = []
        for part in _LIST_SPLIT.split(text):
            part = re.sub(r"^(?:and|or|the|a|an)\s+", "", part.strip(" ()“”\"'")).strip()
            part = re.sub(r"\s*\(.*$", "", part)
            part = re.split(r"\s+(?:were|are|is|was|have|has|can|may|will)\b", part)[0]
            if part and len(part.split()) <= 6 and not part[:1].isdigit():
                items.append(part)
        return items

    # ---- output ---------------------------------------------------------------------------------------------
    def records(self) -> Iterator[Entity | Fact]:
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


def extract_records(text: str, source: Source, heading_starts: frozenset[int] | None = None) -> list[Entity | Fact]:
    """All entities and facts of one page's plain ``text`` (pure); evidence offsets index into ``text``."""
    extractor = PageExtractor(text, source, heading_starts)
    extractor.run()
    return list(extractor.records())


def extract_with_warnings(
    text: str, source: Source, heading_starts: frozenset[int] | None = None
) -> tuple[list[Entity | Fact], list[str]]:
    """Like :func:`extract_records`, also returning warnings (for example: no modality named)."""
    extractor = PageExtractor(text, source, heading_starts)
    extractor.run()
    return list(extractor.records()), extractor.warnings


def parse(text: str, source: Source) -> Iterator[Entity | Fact]:
    """Entities and facts of a plain-text page (pure; no I/O)."""
    yield from extract_records(text, source)
