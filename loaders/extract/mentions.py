"""Finding the names on a page: approaches, theories, people, conditions and populations, each as a typed span.

Sources, strongest first: names the page defines ("Internal Family Systems (IFS)", "also called Bowen therapy"),
names the curated graph knows (the caller's gazetteer), then names by their shape (a head word such as "therapy"
or "theory" after its modifiers, a person's given name and surname, a condition from the lexicon). Overlaps keep
the longest span. Each block is scanned once, so the cost grows linearly with the page.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import NamedTuple

from loaders.extract.aliases import find_aliases
from loaders.extract.gazetteer import Gazetteer, Known, PhraseTable, fold, tokens_of
from loaders.extract.lexicon import Lexicon, lexicon
from loaders.extract.names import EFT_ACRONYM, EFT_FULL_NAMES, disambiguate_eft, name_key, person_key
from loaders.extract.records import Draft, PageRecords
from loaders.extract.segment import Block, block_head, classify_heading

WORD = re.compile(r"[^\W_]+(?:(?:[-‐‑]\n?|['’])[^\W_]+)*")
_APOSTROPHES = "'’"
_ACRONYM_PAREN = re.compile(r"\(\s*([A-Z][A-Za-z0-9]*(?:[-/][A-Za-z0-9]+)*)\s*(?:[,;][^()]{0,80})?\)")
_ACRONYM_EXPANDED = re.compile(r"\b([A-Z][A-Z0-9]{1,7}(?:-[A-Z0-9]+)?)\s*\(\s*([A-Za-z][^()\d]{3,80}?)\s*\)")
_ACRONYM_DASH = re.compile(r"\s[–—-]\s+([A-Z][A-Z0-9]{1,7}(?:-[A-Z0-9]+)?)(?=[,\s])")
_STANDS_FOR = re.compile(
    r"\b([A-Z][A-Z0-9]{1,7}(?:-[A-Z0-9]+)?)(?:\s+(?:stands for|is short for|=)\s+|,\s+(?:the|an?)\s+(?=[A-Z]))"
)  # "IFS stands for ...", "CBIT, the Comprehensive Behavioral Intervention for Tics"
_NAME = r"(?P<name>[A-Z][^\W\d_]+(?:[-'’][^\W\d_]+)*(?:\s+[A-Z][^\W\d_]+(?:[-'’][^\W\d_]+)*){0,3})"
_NAMED_APPROACH = (
    re.compile(
        _NAME + r"\s*(?:\([^()]{0,60}\)\s*)?,?\s+(?:is|was)\s+(?:an?|one\s+of\s+the)\s+(?:[\w-]+,?\s+){0,4}?"
        r"(?:method|approach|therapy|psychotherapy|treatment|intervention|technique|practice|programme|program"
        r"|school|form\s+of\s+(?:psycho)?therapy|system\s+of\s+(?:psycho)?therapy)\b"
    ),
    re.compile(_NAME + r"\s+(?:was|is)\s+(?:(?:first|originally)\s+)?(?:created|developed|founded|devised|pioneered)"
               r"\s+(?:in\s+[\w\s]{1,30}?\s+)?by\b"),
    re.compile(_NAME + r"\s*(?:\([^()]{0,60}\)\s*)?,?\s+(?:(?:is|was)\s+the\s+brainchild\s+of|originated\s+with"
               r"|began\s+with\s+the\s+work\s+of)\b"),
    re.compile(_NAME + r",\s+which\s+(?:the\s+)?(?:[a-z][\w-]*\s+){0,4}?(?:[A-Z][\w.'’-]*\s+){1,4}"
               r"(?:later\s+)?(?:developed|created|founded|assembled|devised|designed|built)\b"),
    re.compile(r"(?:^|[.!?]\s+)" + _NAME + r",\s+(?:another|an?)\s+(?:[\w-]+\s+){0,3}?"
               r"(?:method|approach|therapy|technique|practice)\b"),
)
_NAMED_CUES = tuple(re.compile("|".join(re.escape(cue).replace("\\ ", r"\s+") for cue in cues)) for cues in (
    (" is a", " was a", " is an", " was an", " is one of", " was one of"), (" by ",),
    ("brainchild", "originated with", "began with"), (", which",), (", another", ", a ", ", an ")))
@lru_cache(maxsize=1)
def _shape_words() -> tuple[frozenset[str], frozenset[str], tuple[str, ...]]:
    """Where name shapes may end: head words of approach, theory, condition and population names (last words
    of multi-word heads too); the endings of compounds like "parent-focused"; and word endings worth a look
    ("logotherapy", "parent-focused")."""
    lex = lexicon()
    heads = set(lex.approach_heads | lex.approach_weak_heads | lex.theory_heads | lex.condition_heads)
    heads |= lex.population_last_words | lex.school_heads | lex.theory_single_words
    endings = ("therapy", "therapies", *(f"-{suffix}" for suffix in sorted(lex.population_focused)))
    return frozenset(heads), frozenset(lex.population_focused), endings


_ORGANISATION_RUN = re.compile(  # "National Institute for Health and ...": an organisation's name goes on
    rf"\b(?:{lexicon().organisation_words})(?:\s+(?:for|of|on|and|&|[A-Z][\w-]*))*\s+(?:and|for|of|on|&)\s+$"
)
_ADJECTIVE = re.compile(r"[a-z][a-z-]*(?:al|ic|ive)")  # "behavioural", "systemic", "cognitive"
_CAPITAL = r"(?:[A-Z]|[^\x00-\x7f\W\d_])"  # an ASCII capital or any non-ASCII letter (its case is checked later)


def _person_start_pattern() -> re.Pattern[str]:
    """Where a person's name may start: a title, or a capitalised word followed by another capitalised word, by
    particles and a capitalised word ("Bessel van der Kolk") or by a nickname in brackets."""
    particles = "|".join(sorted((re.escape(p) for p in lexicon().particles if p.isalpha()), key=len, reverse=True))
    return re.compile(
        rf"(?<![\w'’.-])((?:Drs|Dr|Profs|Prof|Professor|Mr|Mrs|Ms|Sir|Dame)\.?|{_CAPITAL}[^\W\d_]*(?:[-'’][^\W\d_]+)*)\.?"
        rf"(?=\s+(?:{_CAPITAL}|(?:(?:{particles})\s+){{1,2}}{_CAPITAL}|\(\s*{_CAPITAL}))"
    )


_PERSON_START = _person_start_pattern()
_CAPITAL_WORD = re.compile(r"(?<![\w'’-])[A-Z][^\W\d_]*(?:[-'’][^\W\d_]+)*(?<!['’]s)")


def _make_word(start: int, end: int, text: str, possessive: bool = False) -> Word:
    return Word(start, end, text, possessive, text.lower(), text[:1].isupper())


def _possessive_after(text: str, end: int, limit: int) -> bool:
    """Whether "'s" or a bare apostrophe follows a word ending at ``end``."""
    return end < limit and text[end] in _APOSTROPHES and (
        end + 1 >= limit or text[end + 1] in "sS" or not text[end + 1].isalnum()
    )


_LIFE_DATES = re.compile(r"\s*\((?:b\.|born|c\.|d\.)?\s*\d{4}")
_SUFFIX_AFTER = re.compile(r",?\s+(?:PhD|Ph\.D\.|MD|M\.D\.|PsyD|LCSW|LMFT|LPC|LPCC|MBACP|LMHC|MSW|EdD|ABPP)\b")
_ROLE_BEFORE = re.compile(
    r"(?:" + lexicon().role_pattern.pattern + r")\s+(?:(?:Drs|Dr|Profs|Prof|Professor)\.?\s+)?$", re.IGNORECASE
)
_DEFINED_KIND = (r"(?:approach|method|therapy|psychotherapy|treatment|intervention|model|programme|program|technique"
                 r"|form|(?:therapeutic|treatment|clinical)\s+framework)\b")
_APPOSITIVE_MAKER = re.compile(  # "(...), the framework developed by", "(...), a form of cognitive-behavioral therapy"
    r"\)\s*,\s*(?:(?:the|a|an)\s+(?:[\w-]+\s+){0,3}(?:" + _DEFINED_KIND + r"|framework)\s+(?:developed|created|designed"
    r"|founded|devised|introduced|pioneered)\s+by\b|(?:a|an)\s+(?:[\w-]+\s+){0,2}(?:form|type|kind|version|variant"
    r"|adaptation)\s+of\s)"
)
_NAMED_FOR = re.compile(  # "... for Psychosis", "... for psychosis (CBTp)", "..., usually shortened to CBTp":
    r"\s+for\s+([A-Z][\w-]+|[a-z]+(?=\s*\([A-Z]|,?\s+(?:usually|often|also|sometimes|commonly)\s+"
    r"(?:shortened|abbreviated|called|known)\b))"  # an approach named for its use, not a use of the approach
)
_ACRONYM_IS_A = re.compile(
    r"(?<![\w-])([A-Z][A-Za-z0-9-]{1,9})\s+(?:is|was)\s+(?:a|an)\s+(?:[\w-]+,?\s+){0,4}" + _DEFINED_KIND, re.IGNORECASE
)
_MADE_BY = (r"\s+(?:was|were)\s+(?:(?:first|originally|jointly|initially)\s+)?(?:developed|created|founded|devised"
            r"|pioneered|designed|formulated)\s+(?:in\s+\S+\s+)?by\s")  # "<ACRONYM> was developed by"
_IS_A_TREATMENT = (r"\s+(?:is|was)\s+(?:a|an)\s+(?:[\w-]+,?\s+){0,4}(?:intervention|therapy|psychotherapy|treatment"
                   r"|programme|program)\b")
_GENERIC_TREATMENT_HEADS = frozenset(["treatment", "treatments", "intervention", "interventions"])
_GENERIC_TREATMENT_WORDS = frozenset(["brief", "group", "family", "couple", "couples", "child", "parent",
                                      "psychosocial", "psychological", "behavioural", "behavioral", "non-drug",
                                      "non-pharmacological"])
_CREATED_BEFORE = re.compile(  # a creation verb right before a name: what was made, never who made it
    r"\b(?:created|co-created|devised|invented|pioneered|formulated|designed|developed|co-developed)\s+"
    r"(?:(?:the|a|an|his|her|their)\s+)?$"
)
_SMALL = frozenset(["and", "of", "for", "the", "in", "to", "with", "a", "an", "on", "&"])
_ADJECTIVE_ENDINGS = ("al", "ic", "ive", "ist", "ian", "ical", "ous", "ary", "ory", "oid", "tic", "ent", "ant")
_MODALITY, _THEORY, _PERSON, _CONDITION, _POPULATION = "Modality", "Theory", "Theorist", "Condition", "Population"
_SCHOOL_ADJECTIVE = re.compile(r"[a-z][a-z-]{5,}(?:ical|ial|tic|istic|ential|ive|ist)")  # "transtheoretical"
_PRACTICE_WORDS = re.compile(r"\b(?:therapists?|sessions?|clients?|practitioners?|counsell?ors?)\b", re.IGNORECASE)
_PRIORITY = {_MODALITY: 0, _THEORY: 0, _PERSON: 1, _CONDITION: 2, _POPULATION: 3}


@dataclass(frozen=True, slots=True)
class Mention:
    """A name on the page: its span, the entity it names (page-local id) and that entity's type.

    ``weak`` marks a person known only by the shape of the name (two capitalised words): rules use it only where
    the sentence itself says a person stands there ("developed by X").
    """

    start: int
    end: int
    id: str
    type: str
    weak: bool = False


class Word(NamedTuple):
    """A word of a block: span, text (and lower case), whether a possessive ("Beck's", "Rogers'") followed it and
    whether it is capitalised. A tuple, because a page has thousands of words and each is made once."""

    start: int
    end: int
    text: str
    possessive: bool
    lower: str
    capital: bool


_new_word = tuple.__new__


@dataclass
class PageNames:
    """The page's own name tables, filled while its names are found."""

    phrases: PhraseTable = field(default_factory=PhraseTable)
    acronyms: dict[str, tuple[str, str] | None] = field(default_factory=dict)  # "IFS" -> (id, type); None: not ours
    keys: dict[tuple[str, str], str] = field(default_factory=dict)  # (type, name key) -> id
    people: dict[tuple[str, str], str] = field(default_factory=dict)  # (first, surname) -> id
    surnames: dict[str, str] = field(default_factory=dict)  # folded surname -> id
    gazetteer_ids: dict[str, str] = field(default_factory=dict)  # gazetteer key -> page id
    eft: str | None | bool = False


def words_of(text: str, start: int, end: int) -> list[Word]:
    """The words of ``text[start:end]`` (hyphenated compounds are one word); possessive endings split off."""
    return words_and_tokens(text, start, end)[0]


def words_and_tokens(text: str, start: int, end: int) -> tuple[list[Word], list[tuple[int, int, str]]]:
    """The words of ``text[start:end]`` and its folded tokens (words split at hyphens and apostrophes, as the
    name keys of ``ontology.names`` are), in one pass: this runs over every word of a page."""
    words: list[Word] = []
    tokens: list[tuple[int, int, str]] = []
    add_word, add_token, new, word_type = words.append, tokens.append, _new_word, Word
    for match in WORD.finditer(text, start, end):
        word_start, word_end = match.span()
        word = match.group()
        lowered = word.lower()
        if word.isalnum():
            possessive = (word_end < end and text[word_end] in _APOSTROPHES and word[-1] in "sS"
                          and (word_end + 1 >= end or not text[word_end + 1].isalnum()))
            add_word(new(word_type, (word_start, word_end, word, possessive, lowered, word[0].isupper())))
            add_token((word_start, word_end, lowered if word.isascii() else fold(word)))
            continue
        possessive = False
        if len(word) > 2 and word[-2] in _APOSTROPHES and word[-1] in "sS":
            word_end -= 2
            word = word[:-2]
            lowered = lowered[:-2]
            possessive = True
        add_word(new(word_type, (word_start, word_end, word, possessive, lowered, word[0].isupper())))
        tokens.extend(tokens_of(text, word_start, match.end()))
    return words, tokens


def _is_acronym(label: str) -> bool:
    return 1 < len(label) <= 8 and label.replace("-", "").isalnum() and sum(c.isupper() for c in label) >= 2 and (
        " " not in label
    )


_DEVELOPER_LABEL_AFTER = re.compile(  # a label line under a heading (one short line between): "**Developed by:** X"
    r"(?:\s*\n)+(?:[^\n]{0,200}\n\s*)?(?:[•\-–]\s*)?[*_]{0,2}(?:(?:Developed|Created|Founded|Devised|Originated)\s+(?:by|with)"
    r"|Developers?|Founders?|Creators?|Originators?)[*_]{0,2}\s*[:\-–—]",
    re.IGNORECASE,
)
_MADE_BY_APPOSITION = re.compile(  # "..., progressive relaxation, the method developed by Edmund Jacobson"
    r"(?P<before>[^,;:.()\n]{1,80}),\s+(?:the|a|an)\s+(?:[\w-]+\s+){0,2}?(?:approach|method|technique|therapy"
    r"|treatment|procedure|programme|program|system)\s+(?:(?:that|which)\s+)?(?:(?:was|were|had\s+been)\s+)?"
    r"(?:(?:first|originally|later|jointly)\s+)?(?:developed|created|founded|devised|pioneered|invented|designed"
    r"|introduced)\s+by\s+[A-Z]"
)
_COMPOUND_STOP = frozenset([  # nouns before "therapy" that say how or where it is given, not which one it is
    "group", "talk", "talking", "drug", "medication", "hormone", "home", "office", "session", "online", "phone",
    "video", "speech", "physical", "occupational", "their", "your", "this", "that", "some", "more", "such", "other",
    "first", "good", "real", "same", "whole", "long", "short", "weekly", "daily", "combination", "maintenance",
    "couple", "couples", "family", "child", "adult", "youth", "teen", "parent", "individual", "team", "trauma",
])
_APPOSITION_STOP = frozenset([
    "the", "a", "an", "of", "on", "in", "to", "with", "by", "and", "or", "from", "for", "as", "his", "her", "their",
    "its", "this", "that", "these", "those", "is", "was", "are", "were", "be", "been", "uses", "used", "using",
    "includes", "including", "like", "such", "called", "named", "known", "version", "form", "type", "kind", "it",
    "into", "onto", "upon", "at", "than", "also", "both", "between", "which", "who", "whom", "whose", "about",
])
_NAME_LINE = re.compile(r"\s*[*_]{0,2}[A-Z][^.!?\n]{1,120}\([A-Z][\w-]{1,9}\)[*_]{0,2}\s*")  # "**Name (ACR)**" alone
_LOWER_KIND_OF = re.compile(  # "the token economy, a form of behaviour modification that ..."
    r"\bthe\s+(?P<name>[a-z][a-z-]+(?:\s+[a-z][a-z-]+){0,2}),\s+(?:a|an)\s+(?:[a-z-]+\s+)?(?:form|type|kind|variety"
    r"|branch|version|variant)\s+of\s+(?P<parent>[a-z][a-z-]+(?:\s+[a-z][a-z-]+){0,3}?)(?=\s*(?:[,.;:]|\s+(?:that"
    r"|which|in|for|with|developed|used)\b))"
)
_GENERIC_NAMES = frozenset(["approach", "method", "model", "therapy", "treatment", "technique", "intervention",
                            "programme", "program", "practice", "scheme", "system", "idea", "work", "process"])
_BUSINESS_WORDS = frozenset(["Group", "Practice", "Partners", "Associates", "Collective", "Team", "Studio", "Rooms"])
# "National treatment guidelines", "Family therapy services": a head noun used as a modifier of these names no approach
_COMPOUND_TAILS = frozenset(["guidelines", "guideline", "services", "providers", "options", "outcomes", "settings"])
_AMPERSAND_ORGANISATION = re.compile(  # "& Trauma Centre", "and Family Practice": the rest of a practice's name
    r"\s*(?:&|and)\s+(?:[A-Z][\w'’-]*\s+){0,3}(?:" + lexicon().organisation_words + "|"
    + "|".join(sorted(_BUSINESS_WORDS)) + r"|Wellness|Wellbeing|Well-being)\b"
)


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def _gap_is_space(text: str, end: int, start: int) -> bool:
    return 0 < start - end <= 3 and text[end:start].isspace()


class MentionFinder:
    """Finds the mentions of one page; create one per page (it fills ``records`` with the entities it names)."""

    def __init__(self, text: str, records: PageRecords, gazetteer: Gazetteer | None):
        self.text = text
        self.records = records
        self.gazetteer = gazetteer
        self.lex: Lexicon = lexicon()
        self.names = PageNames()
        self.mentions: list[Mention] = []
        self._starts: list[int] = []
        self._token_cache: dict[int, list[tuple[int, int, str]]] = {}
        self._word_cache: dict[int, tuple[list[Word], list[int]]] = {}
        self._first_words: frozenset[str] | None = None
        self._compound_counts: dict[str, int] = {}  # "avatar therapy" -> times the page names it

    # ---- entities named on the page ----------------------------------------------------------------------------
    def approach(self, label: str, start: int, entity_type: str = _MODALITY, known: Known | None = None) -> str | None:
        """The page entity of an approach (or theory) name, merging names with one key or one gazetteer entity."""
        label = " ".join(label.split()).strip(" ,;:-–—")
        if not label:
            return None
        plural = ""
        if known is None and label.lower().endswith("therapies") and " " in label:
            plural, label = label, label[:-3] + "y"  # "Schema therapies": the approach is schema therapy
            known = self._known(label)
        lowered = label.lower()
        if entity_type == _MODALITY and lowered in EFT_FULL_NAMES:
            target = EFT_FULL_NAMES[lowered]
            if target is None:
                return None
            eft_id = self.records.add(target, _MODALITY, label, start)
            self.names.keys.setdefault((_MODALITY, name_key(label)), eft_id)
            return eft_id
        key = (entity_type, name_key(label))
        entity_id = self.names.keys.get(key)
        defined = self.names.acronyms.get(label)
        if defined and defined[1] == entity_type:
            return self.records.canonical(defined[0])
        words = label.split()
        if entity_id is None and len(words) == 2 and words[1].lower() in self.lex.approach_heads and (
            self.names.acronyms.get(words[0])
        ):
            entity_id = self.names.acronyms[words[0]][0]  # type: ignore[index]  # "EMDR therapy" is EMDR
        if entity_id is None and known is not None:
            entity_id = self.names.gazetteer_ids.get(known.key)
            if entity_id is not None and self.records.type_of(entity_id) != entity_type:
                entity_id = None
        if entity_id is None:
            entity_id = self.records.approach(label, start, entity_type)
        elif _is_acronym(self.records.label_of(entity_id)) and not _is_acronym(label) and (
            self.records.label_of(entity_id) not in label.split()
        ):
            renamed = self.records.approach(label, start, entity_type)  # the full name gives the id, not "EMDR"
            entity_id = self.records.merge(entity_id, renamed)
        else:
            entity_id = self.records.add(entity_id, entity_type, label, start)
        self.names.keys.setdefault(key, entity_id)
        if known is not None:
            self.names.gazetteer_ids.setdefault(known.key, entity_id)
        if plural:
            self.records.add_alias(entity_id, plural)
        return entity_id

    def person(self, label: str, start: int, nickname: str = "", weak: bool = False) -> str | None:
        """The page entity of a person's name (titles dropped; one id per first name and surname).

        A ``weak`` name (two capitalised words and nothing else to show it is a person) does not make its surname
        known, so later single words are not read as that person.
        """
        words = [w for w in label.split() if w.lower().rstrip(".") not in self.lex.honorifics]
        label = " ".join(words)
        key = person_key(label)
        if key is None:
            return None
        known = self.names.people.get(key)
        entity_id = self.records.add(known, _PERSON, label, start) if known else self.records.person(label, start)
        if entity_id is None:
            return None
        self.names.people.setdefault(key, entity_id)
        if not weak:
            self.names.surnames.setdefault(fold(key[1].split()[-1]), entity_id)
        if nickname:
            self.records.add_alias(entity_id, f"{nickname} {label.split()[-1]}")
        return entity_id

    def short_forms(self, topic: str | None) -> None:
        """Point shortened eponymous names at the topic: on a page about "Bowen family systems therapy", "family
        systems therapy" is Bowen's (even where the curated graph gives the short name to a wider family).

        Only a topic whose first word is the surname of a person known here or in the gazetteer, and short forms of
        at least two words, so "family therapy" on a page about "Brief strategic family therapy" stays the parent.
        """
        if topic is None or self.records.type_of(topic) != _MODALITY:
            return
        words = self.records.label_of(topic).split()
        if len(words) < 3 or not words[0][:1].isupper():
            return
        eponym = fold(words[0].rstrip("'’s"))
        known_surnames = self.gazetteer.surnames if self.gazetteer is not None else {}
        if eponym not in self.names.surnames and eponym not in known_surnames:
            return
        short = name_key(" ".join(words[1:]))
        self.mentions = [
            replace(m, id=topic) if m.type == _MODALITY and m.id != topic and name_key(self.text[m.start : m.end])
            == short else m for m in self.mentions
        ]

    def condition(self, label: str, start: int) -> str:
        """The page entity of a condition."""
        return self.records.simple("condition", _CONDITION, label, start)

    def population(self, label: str, start: int) -> str:
        """The page entity of a population."""
        return self.records.simple("population", _POPULATION, label, start)

    # ---- the whole page ------------------------------------------------------------------------------------------
    def run(self, blocks: list[Block]) -> list[Mention]:
        """Find the mentions of every non-boilerplate block; returns them sorted by position."""
        content = [b for b in blocks if b.kind != "boiler"]
        section = ""
        for block in content:
            self._definitions(block)
            if block.kind in ("title", "heading"):
                section = classify_heading(self.text[block.start : block.end])[0] or section
                continue
            if section in ("subtypes", "adaptations") and block.kind in ("bullet", "ordered", "para"):
                self._subtype_head(block)
        for block in content:
            self.mentions.extend(self._scan(block))
        self._sort()
        self._aliases(content)
        self._surnames(content)
        self._sort()
        self._undefined_acronyms(content)
        return self.mentions

    def _undefined_acronyms(self, blocks: list[Block]) -> None:
        """ "CBCT for PTSD" on a page that spells out "Cognitive-Behavioral Conjoint Therapy for PTSD" once but never
        writes "(CBCT)": an upper-case word that is no known name and spells the initials of exactly one approach
        the page names in full (before a "for ..." tail) names that approach, everywhere on the page."""
        bare = {self.text[m.start : m.end]: m.id for m in self.mentions if m.type == _MODALITY
                and self.records.label_of(m.id) == self.text[m.start : m.end]}  # "LCRT was developed by ...": minted
        for acronym, bare_id in bare.items():
            full = acronym_expansion(self.text, acronym) if acronym.isupper() else None
            if full is not None and not self.names.acronyms.get(acronym):  # "lantern programming, better known as LP"
                entity_id = self.approach(full, self.records.entities[self.records.canonical(bare_id)].start,
                                          _MODALITY, self._known(full))
                if entity_id is not None:
                    self.records.merge(bare_id, entity_id)
        spelled: dict[str, set[str]] = {}
        for mention in self.mentions:
            if mention.type != _MODALITY:
                continue
            words = self.text[mention.start : mention.end].split()
            head = words[: words.index("for")] if "for" in words[1:] else words
            if len(head) >= 2 and not any(word.isupper() for word in head):
                spelled.setdefault(" ".join(head), set()).add(self.records.canonical(mention.id))
        if not spelled:
            return

        def covered(start: int) -> bool:
            before = bisect_right(self._starts, start) - 1
            return before >= 0 and self.mentions[before].end > start

        meanings: dict[str, str | None] = {}
        added: list[Mention] = []
        for block in blocks:
            for match in _UPPER_WORD.finditer(self.text, block.start, block.end):
                acronym = match.group()
                if (covered(match.start()) or len(acronym) < 3) and acronym not in bare:
                    continue  # two letters ("HT") only where the page already took them for an approach's name
                if acronym not in meanings:
                    found = {entity_id for head, ids in spelled.items() if _initials_match(head.split(), acronym)
                             == len(head.split()) for entity_id in ids}
                    known = (acronym in self.names.acronyms and acronym not in bare) or self._named_anywhere(acronym)
                    meanings[acronym] = found.pop() if len(found) == 1 and not known else None
                    if meanings[acronym] and acronym in bare:
                        self.records.merge(bare[acronym], meanings[acronym])  # type: ignore[arg-type]
                    elif meanings[acronym]:
                        self.records.add_alias(meanings[acronym], acronym)  # type: ignore[arg-type]
                entity_id = meanings[acronym]
                if entity_id and not covered(match.start()):
                    added.append(Mention(match.start(), match.end(), entity_id, _MODALITY))
        if added:
            self.extend(added)

    def _sort(self) -> None:
        self.mentions.sort(key=lambda m: m.start)
        self._starts = [m.start for m in self.mentions]

    def within(self, start: int, end: int) -> list[Mention]:
        """Mentions inside ``[start, end)``, left to right."""
        low = bisect_left(self._starts, start)
        high = bisect_right(self._starts, end - 1)
        return [m for m in self.mentions[low:high] if m.end <= end]

    def any_within(self, start: int, end: int) -> bool:
        """Whether some mention starts inside ``[start, end)``."""
        index = bisect_left(self._starts, start)
        return index < len(self._starts) and self._starts[index] < end

    def practised_school(self, topic: str | None) -> str | None:
        """ "Process-oriented psychology": a topic the page minted as a theory for its head word "psychology" is a
        modality when the page speaks of its practice (therapists, sessions, clients: three such words at least), as
        analytical and individual psychology are in our content; returns the topic's id after the change."""
        if topic is None or self.records.type_of(topic) != _THEORY:
            return topic
        draft = self.records.entities[self.records.canonical(topic)]
        if draft.label.split()[-1].lower() != "psychology" or self._known(draft.label) is not None or len(
            _PRACTICE_WORDS.findall(self.text)) < 3:
            return topic
        modality = f"modality/{topic.split('/', 1)[1]}"
        self.records.entities[modality] = Draft(_MODALITY, draft.label, draft.start, list(draft.aliases),
                                                list(draft.ambiguous))
        del self.records.entities[topic]
        self.records.merged[topic] = modality
        self.mentions = [replace(m, id=modality, type=_MODALITY) if m.id == topic else m for m in self.mentions]
        return modality

    def extend(self, mentions: list[Mention]) -> None:
        """Add mentions found later (a name the title gives, found again in the body)."""
        self.mentions.extend(mentions)
        self._sort()

    # ---- acronym definitions: "Internal Family Systems (IFS)", "EFT, sometimes written EFCT", "IFS stands for" ----
    def _definitions(self, block: Block) -> None:
        """Names a block defines: acronyms ("(IFS)", "– EFT –", "IFS stands for", "ACR =") and approaches it
        says are approaches ("Naikan is a structured method"); each pattern runs only if its words occur."""
        text = self.text
        segment = text[block.start : block.end]
        lowered = segment.lower()
        if "(" in segment:
            for match in _ACRONYM_PAREN.finditer(text, block.start, block.end):
                self._define(block, match.group(1), match.start(), match.end())
            for match in _ACRONYM_EXPANDED.finditer(text, block.start, block.end):
                if match.group(1) not in self.names.acronyms:
                    self._define_expansion(block, match)
        if " – " in segment or " — " in segment or " - " in segment:
            for match in _ACRONYM_DASH.finditer(text, block.start, block.end):
                self._define(block, match.group(1), match.start(), match.end())
        if "stands for" in lowered or "short for" in lowered or "=" in segment or ", the " in segment or (
            ", a" in segment
        ):
            for match in _STANDS_FOR.finditer(text, block.start, block.end):
                self._stands_for(block, match)
        for cue, pattern in zip(_NAMED_CUES, _NAMED_APPROACH, strict=True):
            if cue.search(lowered):
                for match in pattern.finditer(text, block.start, block.end):
                    self._named_approach(match, block)
        if " of " in lowered and ", a" in lowered:
            for match in _LOWER_KIND_OF.finditer(text, block.start, block.end):
                self._lower_kind_of(match)
        if " by " in lowered and ", " in lowered:
            for match in _MADE_BY_APPOSITION.finditer(text, block.start, block.end):
                self._made_by_apposition(match)

    def _lower_kind_of(self, match: re.Match[str]) -> None:
        """ "the token economy, a form of behaviour modification": a lower-case name in apposition to "a form of"
        an approach the curated graph knows is an approach too (the known one is its parent, found later)."""
        name = match.group("name")
        if self._known(match.group("parent")) is None or self._known(name) is not None:
            return
        if name.split()[-1].lower() in self.lex.generic_modifiers or name.lower() in _GENERIC_NAMES:
            return  # "the approach, a form of CBT": a description, not a name
        entity_id = self.approach(name, match.start("name"), _MODALITY)
        if entity_id:
            self._add_phrase(name, entity_id, _MODALITY)

    def _made_by_apposition(self, match: re.Match[str]) -> None:
        """ "progressive relaxation, the method developed by Edmund Jacobson": the words before an appositive that
        calls them an approach made by someone are that approach's name (at most four, back to a function word)."""
        words = list(re.finditer(r"[^\W\d_][\w'’-]*", match.group("before")))
        kept: list[re.Match[str]] = []
        for word in reversed(words[-4:]):
            if word.group().lower() in _APPOSITION_STOP or word.group().endswith(("'s", "’s")):
                break
            kept.insert(0, word)
        for index in range(len(kept)):  # "... combines transactional analysis, the approach ...": a known name ends it
            if self._known(self.text[match.start("before") + kept[index].start() : match.start("before")
                                     + kept[-1].end()]) is not None:
                kept = kept[index:]
                break
        if not kept or (len(kept) > 1 and kept[0].group().lower().endswith(("ed", "es"))):
            return  # "adapted stress inoculation training": a verb, then a name the page knows or not
        start = match.start("before") + kept[0].start()
        name = self.text[start : match.start("before") + kept[-1].end()]
        if name.lower() in _GENERIC_NAMES or name.split()[-1].lower() in self.lex.generic_modifiers or (
            any(w in self.lex.organisations for w in name.split())
        ):
            return
        known = self._known(name)
        if known is not None and known.type not in (_MODALITY, _THEORY):
            return
        entity_type = known.type if known is not None else (
            _THEORY if name.split()[-1].lower() in self.lex.theory_heads else _MODALITY)
        entity_id = self.approach(name, start, entity_type, known)
        if entity_id:
            self._add_phrase(name, entity_id, entity_type)

    def _subtype_head(self, block: Block) -> None:
        """ "Circle of Security: A parent-focused model ..." under a subtypes heading names an approach."""
        head = block_head(self.text, block)
        if head is None:
            return
        name = head.group(1).strip()
        words = name.split()
        capitalised = [w for w in words if w.lower() not in _SMALL]
        if len(capitalised) < 2 or len(words) > 6 or not all(_is_capitalised(w) for w in capitalised):
            return
        if any(w in self.lex.organisations for w in words) or name.lower() in self.lex.label_keys:
            return
        entity_id = self.approach(name, block.start, _MODALITY, self._known(name))
        if entity_id:
            self._add_phrase(name, entity_id, _MODALITY)

    def _named_approach(self, match: re.Match[str], block: Block) -> None:
        """A capitalised name the page says is an approach ("Naikan is a structured method", "Naikan was created
        by", "Constructive Living, which the author X assembled"), though it has no therapy word."""
        name = match.group("name")
        start = match.start("name")
        if name in self.names.acronyms or name == "EFT":
            return
        before = self.text[max(block.start, start - 3) : start].rstrip()
        if before and before[-1] not in ".:!?":
            return  # not at the start of a sentence
        words = name.split()
        lex = self.lex
        if words[0] in lex.not_person or any(w in lex.organisations for w in words) or (
            len(words) >= 2 and fold(words[0]) in lex.given_names
        ):
            return
        if fold(name) in self.names.surnames or person_key(name) in self.names.people:
            return
        entity_id = self.approach(name, start, _MODALITY, self._known(name))
        if entity_id:
            self._add_phrase(name, entity_id, _MODALITY)

    def _define(self, block: Block, acronym: str, paren_start: int, paren_end: int) -> None:
        """Record an acronym whose letters match the initials of the words just before it."""
        if len(acronym) < 2 or acronym.lower() in ("ed", "eds", "eg", "ie", "pp", "vol", "no"):
            return
        letters = [ch for ch in acronym if ch.isalnum() and (ch.isupper() or ch.isdigit())]
        if len(letters) < 2:
            return
        window_start = max(block.start, paren_start - 160)
        all_words = words_of(self.text, window_start, paren_start)
        phrase = None
        for breaks in (_NAME_BREAK, _NAME_BREAK_NO_COMMA):  # then "Attachment, Self-Regulation, and Competency (ARC)"
            words = _words_since_break(self.text, all_words, breaks)
            phrase = _initials_match([w.text for w in words], "".join(letters).upper())
            if phrase is not None:
                break
        if phrase is None:
            return
        name_words = words[len(words) - phrase :]
        after = WORD.match(self.text, paren_end + 1) if paren_end + 1 < block.end else None
        start, end = name_words[0].start, name_words[-1].end
        head_after = after is not None and after.group().lower() in ("model", "theory", "therapy", "method") and (
            self.text[paren_end : after.start()].isspace()
        )
        label = self.text[start:end] + (" " + after.group() if head_after and after else "")
        last_word = after.group() if head_after and after is not None else name_words[-1].text
        self._name_acronym(block, acronym, (start, end), label, last_word, head_after)

    def _define_expansion(self, block: Block, match: re.Match[str]) -> None:
        """ "IRT (imagery rehearsal therapy)": an acronym, then in brackets the words whose initials spell it."""
        acronym = match.group(1)
        letters = "".join(ch for ch in acronym if ch.isalnum() and (ch.isupper() or ch.isdigit()))
        words = words_of(self.text, match.start(2), match.end(2))
        if len(letters) < 2 or not words or _initials_match([w.text for w in words], letters) != len(words):
            return
        start, end = words[0].start, words[-1].end
        self._name_acronym(block, acronym, (start, end), self.text[start:end], words[-1].text, False)

    def _name_acronym(self, block: Block, acronym: str, span: tuple[int, int], label: str, last_word: str,
                      head_after: bool) -> None:
        """Record the name an acronym stands for (as an approach, theory or condition) and the acronym as its alias."""
        start, end = span
        label = re.sub(r"\s+", " ", label)
        entity_type = self._type_of_name(label, last_word, block, acronym)
        if entity_type is None:
            self.names.acronyms.setdefault(acronym, None)
            return
        entity_id: str | None
        if entity_type == _CONDITION:
            entity_id = self.condition(self.lex.condition_names.get(label.lower()) or label, start)
        else:
            entity_id = self.approach(label, start, entity_type, self._known(label))
        if entity_id is None:
            self.names.acronyms[acronym] = None
            return
        self.names.acronyms.setdefault(acronym, (entity_id, entity_type))
        if self.names.acronyms[acronym] == (entity_id, entity_type):
            self.names.keys.setdefault((entity_type, name_key(acronym)), entity_id)
            if entity_type in (_MODALITY, _THEORY) and self.records.label_of(entity_id).lower() != label.lower() and (
                self.records.canonical(entity_id) not in EFT_FULL_NAMES.values()
            ):
                entity_id = self.records.rename(entity_id, label)
            self.records.add_alias(entity_id, acronym)
        self._add_phrase(label, entity_id, entity_type)
        if head_after:  # "adaptive information processing (AIP) model": the words before the acronym name it too
            self._add_phrase(self.text[start:end], entity_id, entity_type)

    def _stands_for(self, block: Block, match: re.Match[str]) -> None:
        """ "IFS stands for Internal Family Systems", "MBT-A = mentalization-based treatment for adolescents"."""
        acronym = match.group(1)
        words = words_of(self.text, match.end(), min(block.end, match.end() + 120))
        letters = "".join(ch for ch in acronym if ch.isupper() or ch.isdigit())
        for size in range(1, min(len(words), 9) + 1):
            candidate = [w.text for w in words[:size]]
            if _initials_match(candidate, letters) == size and self.text[words[0].start : words[size - 1].end].count(
                ","
            ) == 0:
                label = self.text[words[0].start : words[size - 1].end]
                entity_type = self._type_of_name(label, words[size - 1].text, block, acronym) or _MODALITY
                if entity_type == _CONDITION:
                    return
                entity_id = self.approach(label, words[0].start, entity_type, self._known(label))
                if entity_id:
                    self.names.acronyms.setdefault(acronym, (entity_id, entity_type))
                    self.records.add_alias(entity_id, acronym)
                    self._add_phrase(label, entity_id, entity_type)
                return

    def _type_of_name(self, label: str, last_word: str, block: Block, acronym: str) -> str | None:
        """The type of a defined name: by its head word, the gazetteer, the lexicon, or its place on the page."""
        lex = self.lex
        lowered = label.lower()
        last = last_word.lower()
        purpose = re.match(r"(?P<name>.+?)\s+for\s+\S+(?:\s+\S+)?$", label)
        if purpose and purpose.group("name").split()[-1].lower() in lex.approach_heads:
            label, lowered, last = purpose.group("name"), purpose.group("name").lower(), purpose.group(
                "name").split()[-1].lower()  # "prolonged exposure therapy for adolescents"
        if lowered in lex.condition_names or last in ("disorder", "disorders", "syndrome"):
            return _CONDITION
        words = label.split()
        if any(w in lex.organisations for w in words[1:]) or (
            words[0] in lex.organisations and len(words) > 1 and words[1].lower() in ("of", "for", "on")
        ):
            return None  # "Institute of ...", "... Centre"; not "Collaborative Assessment and Management of ..."
        if last in lex.theory_heads and last not in ("model",):
            return _THEORY
        known = self._known(label)
        if known is not None and known.type in (_MODALITY, _THEORY):
            return known.type
        if last in lex.approach_heads or any(lowered.endswith(s) for s in lex.approach_suffixes):
            return _MODALITY
        if last == "model":
            treated = bool(acronym) and re.search(  # "TREM is a group intervention ...": a treatment model
                r"(?<![\w-])" + re.escape(acronym) + _IS_A_TREATMENT, self.text[block.start : block.end + 3000])
            return _MODALITY if treated or any(w.lower() in lex.approach_heads for w in words[:-1]) else _THEORY
        capitalised = sum(1 for w in words if _is_capitalised(w))
        if last in lex.approach_weak_heads and capitalised:
            return _MODALITY
        name_line = block.kind in ("title", "heading") or _NAME_LINE.fullmatch(self.text, block.start, block.end)
        if name_line and _DEVELOPER_LABEL_AFTER.match(self.text, block.end):
            return _MODALITY  # "## Paradoxical intention (PI)" (or a line holding only a name) then "Developed by: X"
        if capitalised >= max(2, len([w for w in words if w.lower() not in _SMALL])) and (
            block.kind in ("title", "heading") or self._defined_as_approach(block, acronym)
        ):
            return _MODALITY
        return None

    def _defined_as_approach(self, block: Block, acronym: str) -> bool:
        """Whether the block goes on to say the name "is a/an ... approach/method/therapy" (or uses it as a topic)."""
        segment = self.text[block.start : min(block.end, block.start + 400)].lower()
        if re.search(r"\)\s*(?:[^.]{0,60}\s)?(?:is|was)\s+(?:a|an)\s+(?:[\w-]+,?\s+){0,4}" + _DEFINED_KIND, segment):
            return True
        if _APPOSITIVE_MAKER.search(segment):
            return True  # "CAMS (Collaborative Assessment and Management of Suicidality), the framework developed by"
        following = self.text[block.start : block.end + 3000]
        if acronym and re.search(r"(?<![\w-])" + re.escape(acronym) + _MADE_BY, following):
            return True  # "My main approach is the Method of Levels (MOL). MOL was developed by ..."
        return bool(acronym) and any(  # "(CAMS): a hands-on introduction", then "CAMS is a ... framework" below
            match.group(1) == acronym for match in _ACRONYM_IS_A.finditer(self.text, block.end, block.end + 3000))

    def _named_anywhere(self, label: str) -> bool:
        """Whether the gazetteer has ``label`` as a name of any entity, ambiguous ones included ("EFT" names two
        approaches), or it is EFT itself: such a word is never re-read by its initials."""
        if label == EFT_ACRONYM:
            return True
        if self.gazetteer is None:
            return False
        tokens = tokens_of(label, 0, len(label))
        if not tokens:
            return False
        return any(len(k.words) == len(tokens) for k in self.gazetteer.table.match(label, tokens, 0))

    def _known(self, label: str) -> Known | None:
        """The gazetteer entry naming exactly ``label`` (None without a gazetteer or when it is unknown)."""
        return None if self.gazetteer is None else self.gazetteer.exactly(label)

    def _add_phrase(self, label: str, entity_id: str, entity_type: str) -> None:
        words = tuple(fold(w) for w in re.findall(r"[^\W_]+", label))
        if words:
            self.names.phrases.add(Known(words, entity_type, entity_id, label, False))

    # ---- one block ------------------------------------------------------------------------------------------------
    def block_tokens(self, block: Block) -> list[tuple[int, int, str]]:
        """The folded tokens of a block (for the name tables), computed once; hyphens and apostrophes split words
        ("cognitive-behavioural" -> two tokens), as the name keys of ``ontology.names`` do."""
        cached = self._token_cache.get(block.start)
        if cached is None:
            self.window(block, block.start)
            cached = self._token_cache[block.start]
        return cached

    def block_words(self, block: Block) -> list[Word]:
        """The words of a block, computed once."""
        return self.window(block, block.start)[0]

    def window(self, block: Block, start: int) -> tuple[list[Word], int]:
        """The words of the block (computed once) and the index of the word starting at ``start`` (-1 if none)."""
        cached = self._word_cache.get(block.start)
        if cached is None:
            words, tokens = words_and_tokens(self.text, block.start, block.end)
            cached = self._word_cache[block.start] = (words, [w.start for w in words])
            self._token_cache[block.start] = tokens
        words, starts = cached
        index = bisect_left(starts, start)
        return words, index if index < len(starts) and starts[index] == start else -1

    def _scan(self, block: Block) -> list[Mention]:
        """The mentions of one block: name tables token by token, then name shapes where a regular expression
        finds a head word ("therapy", "theory", "disorder", "adolescents"), a capitalised pair or a compound."""
        text = self.text
        lex = self.lex
        tokens = self.block_tokens(block)
        candidates: list[tuple[int, int, int, Mention]] = []  # (-length, priority, order, mention)
        named = bytearray(block.end - block.start + 1)  # inside a name from a table: no person starts there

        def offer(mention: Mention | None, priority: int) -> None:
            if mention is not None and mention.end > mention.start:
                candidates.append((mention.start - mention.end, priority, len(candidates), mention))

        # 1. the page's own names and acronyms, then the gazetteer's, then the lexicon's conditions
        page_first = self.names.phrases.by_first
        gazetteer_first = self.gazetteer.table.by_first if self.gazetteer is not None else {}
        condition_first = _condition_table().by_first
        acronyms = self.names.acronyms
        if self._first_words is None:  # words that may start a curated name or a condition, and "EFT"
            self._first_words = frozenset(gazetteer_first) | frozenset(condition_first) | {EFT_ACRONYM.lower()}
        first_words = self._first_words
        defined = {word.lower() for word in acronyms}
        interesting = [i for i, (_s, _e, w) in enumerate(tokens) if w in first_words or w in page_first or w in defined]
        for index in interesting:
            start, end, word = tokens[index]
            if word in page_first:
                found = self.names.phrases.match(text, tokens, index)
                if found:
                    known = found[0]
                    mention = Mention(start, tokens[index + len(known.words) - 1][1], known.key, known.type)
                    offer(mention, -2)
                    named[start - block.start : mention.end - block.start] = b"\x01" * (mention.end - start)
            if text[start].isupper():
                surface = text[start:end]
                if surface in acronyms or (len(surface) > 1 and surface.isupper()):
                    acronym = self._acronym_at(surface, start, tokens, index)
                    if acronym is not None:
                        offer(acronym, -2)
                        continue
            if word in gazetteer_first:
                curated = self._gazetteer_at(tokens, index)
                offer(curated, -1)
                if curated is not None and curated.type in (_MODALITY, _THEORY):
                    named[start - block.start : curated.end - block.start] = b"\x01" * (curated.end - start)
            if word in condition_first:
                offer(self._condition_name_at(tokens, index), 2)
        # 2. names by their shape, where a head word says where to look
        words = self.block_words(block)
        heads, focused, endings = _shape_words()
        for index in [i for i, word in enumerate(words) if word.lower in heads or word.lower.endswith(endings)]:
            lowered = words[index].lower
            if lowered in lex.approach_heads or (lowered.endswith(("therapy", "therapies")) and lowered.isalpha()) or (
                lowered in lex.approach_weak_heads and index and words[index - 1].capital
            ):
                approach = self._approach_at(words, index, block)
                if approach is None or index + 1 >= len(words) or words[index + 1].lower not in lex.roles or (
                    words[index + 1].start - approach.end > 1
                ):
                    offer(approach, 0)  # "the American psychotherapy researcher X": a person's field, no approach
            if lowered in lex.theory_heads:
                offer(self._theory_at(words, index), 0)
            elif lowered in lex.theory_single_words:
                single = words[index]
                begin = single.start
                if index and _ADJECTIVE.fullmatch(words[index - 1].text) and _gap_is_space(
                    text, words[index - 1].end, single.start
                ):
                    begin = words[index - 1].start  # "radical behaviourism", "social constructionism"
                label = text[begin : single.end]
                theory_id = self.approach(label, begin, _THEORY, self._known(label))
                offer(Mention(begin, single.end, theory_id, _THEORY) if theory_id else None, 0)
            if lowered in lex.condition_heads:
                offer(self._condition_head_at(words, index), 2)
            if lowered in heads and lowered in lex.population_last_words:
                offer(self._population_at(words, index), 3)
            if lowered in lex.school_heads:
                for school in self._schools(words, index):
                    offer(school, 0)
            if "-" in lowered and lowered.rpartition("-")[2] in focused:
                offer(self._focused_population(words[index]), 4)
        for hit in _PERSON_START.finditer(text, block.start, block.end):
            if named[hit.start() - block.start] or hit.group(1) in lex.not_person:
                continue
            words, index = self.window(block, hit.start())
            if index >= 0:
                offer(self._person_at(words, index), 1)
        kept = _resolve_overlaps(candidates, block.start, block.end)
        if any(m.type == _CONDITION for m in kept):
            kept = self._coordinated_conditions(kept, block)
        return self._shared_surnames(kept)

    def _coordinated_conditions(self, kept: list[Mention], block: Block) -> list[Mention]:
        """Short lower-case phrases listed beside a known condition are conditions too.

        "adults with developmental trauma, chronic shame and attachment wounds": "attachment wounds" is in no
        lexicon, but it stands in one coordinated list ("X, Y and Z", "X or Y") with a condition the lexicon knows,
        so it names the same kind of thing. A list item is one to three lower-case words, none of them a function
        word or a common verb (``_COORDINATION_STOP``); the list runs while its separators do.
        """
        text = self.text
        found = list(kept)
        starts = {m.start: m for m in kept}
        ends = {m.end: m for m in kept}
        taken = bytearray(block.end - block.start + 1)
        for mention in kept:
            taken[mention.start - block.start : mention.end - block.start] = b"\x01" * (mention.end - mention.start)

        def free(start: int, end: int) -> bool:
            return taken.find(1, start - block.start, end - block.start) < 0

        def add(start: int, end: int, label: str = "") -> Mention:
            label = label or text[start:end]
            new = Mention(start, end, self.condition(label, start), _CONDITION)
            taken[start - block.start : end - block.start] = b"\x01" * (end - start)
            found.append(new)
            starts[start] = ends[end] = new
            return new

        for anchor in [m for m in kept if m.type == _CONDITION]:
            cursor = anchor  # rightwards: "X, Y and Z"
            while True:
                step = _COORD_NEXT.match(text, cursor.end, block.end)
                if step is None:
                    break
                following = starts.get(step.end())
                if following is not None:
                    if following.type != _CONDITION:
                        break
                    cursor = following
                    continue
                item = _COORD_ITEM.match(text, _past_lead_words(text, step.end()), block.end)
                if item is None or not _plain_item(item.group(1)) or not free(item.start(1), item.end(1)):
                    break
                cursor = add(item.start(1), item.end(1))
            cursor = anchor  # leftwards: "Y, Z and X" after "with", "for", "including", a colon or a comma
            while True:
                before = text[max(block.start, cursor.start - 80) : cursor.start]
                item = _COORD_ITEM_BEFORE.search(before)
                if item is None:
                    break
                offset = cursor.start - len(before)
                end = offset + item.end(1)
                previous = ends.get(end)
                if previous is not None:
                    if previous.type != _CONDITION:
                        break
                    cursor = previous
                    continue
                # the longest run of the last one to three words that follows an opener ("with", ",", ":")
                word_starts = [offset + item.start(1) + w.start() for w in re.finditer(r"\S+", item.group(1))]
                start = next((w for w in word_starts if _plain_item(text[w:end]) and free(w, end) and (
                    _COORD_OPENER.search(text, max(block.start, w - 24), w))), None)
                if start is None:
                    break
                # "mood and anxiety disorders", "sexual, physical, emotional and institutional abuse": the anchor's
                # head word is shared by every one-word item before it (mood disorders, physical abuse)
                head = text[anchor.start : anchor.end].split()
                shared = head[-1] if len(head) > 1 and head[-1].lower() in self.lex.condition_heads else ""
                single = " " not in text[start:end] and text[start:end].lower() not in self.lex.condition_heads
                cursor = add(start, end, f"{text[start:end]} {shared}" if shared and single and (
                    cursor is anchor or (text[start:end].lower().endswith(_ADJECTIVE_ENDINGS))) else "")
        found.sort(key=lambda m: m.start)
        return found

    def _shared_surnames(self, kept: list[Mention]) -> list[Mention]:
        """ "Robert and Mary Goulding", "John and Helen Watkins": a given name before "and" takes the surname."""
        text = self.text
        result = list(kept)
        if not any(m.type == _PERSON for m in kept):
            return result
        taken_starts = {position for m in kept for position in range(m.start, m.end)}
        for mention in kept:
            if mention.type != _PERSON:
                continue
            before = text[max(0, mention.start - 30) : mention.start]
            match = re.search(r"(?<![\w-])([A-Z][^\W\d_]+)\s+(?:and|&)\s+$", before)
            if match is None:
                continue
            given = match.group(1)
            start = mention.start - len(before) + match.start(1)
            if fold(given) not in self.lex.given_names or fold(given) in self.names.surnames:
                continue
            if start in taken_starts:
                continue
            surname = self.records.label_of(mention.id).split()[-1]
            entity_id = self.person(f"{given} {surname}", start)
            if entity_id:
                result.append(Mention(start, start + len(given), entity_id, _PERSON))
        result.sort(key=lambda m: m.start)
        return result

    def _acronym_at(self, surface: str, start: int, tokens: list[tuple[int, int, str]], index: int) -> Mention | None:
        """An acronym the page defined ("IFS"), or "EFT" read by context, at this token."""
        end = tokens[index][1]
        # "IPT-A", "MBT-F": an acronym with a hyphenated tail
        if index + 1 < len(tokens) and self.text[end : tokens[index + 1][0]] == "-":
            longer = self.text[start : tokens[index + 1][1]]
            if longer in self.names.acronyms:
                surface, end = longer, tokens[index + 1][1]
        if surface.isupper() and index + 1 < len(tokens) and self.text[end : tokens[index + 1][0]] == "-" and (
            surface in self.names.acronyms or (self.gazetteer is not None and self._known(surface) is not None)
        ) and len(self.text[tokens[index + 1][0] : tokens[index + 1][1]]) <= 2 and self.text[
            tokens[index + 1][0] : tokens[index + 1][1]
        ].isupper():
            variant = self.text[start : tokens[index + 1][1]]
            entity_id = self.approach(variant, start)
            if entity_id:
                self.names.acronyms.setdefault(variant, (entity_id, _MODALITY))
                return Mention(start, tokens[index + 1][1], entity_id, _MODALITY)
        target = self.names.acronyms.get(surface, False)
        if target is False and surface == "EFT":
            if self.names.eft is False:
                self.names.eft = disambiguate_eft(self.text[:20000])
            if isinstance(self.names.eft, str):
                entity_id = self.records.add(self.names.eft, _MODALITY, "EFT", start)
                self.names.acronyms["EFT"] = (entity_id, _MODALITY)
                self.records.add_alias(entity_id, "EFT")
                return Mention(start, end, entity_id, _MODALITY)
            return None
        if not target:
            return None
        entity_id, entity_type = target  # type: ignore[misc]
        return Mention(start, end, entity_id, entity_type)

    def _gazetteer_at(self, tokens: list[tuple[int, int, str]], index: int) -> Mention | None:
        """A name the curated graph knows, starting at this token."""
        assert self.gazetteer is not None
        found = self.gazetteer.table.match(self.text, tokens, index)
        if not found:
            return None
        types = {k.type for k in found}
        if len(types) != 1:
            return None
        known = found[0]
        start, end = tokens[index][0], tokens[index + len(known.words) - 1][1]
        surface = self.text[start:end]
        if known.acronym and surface in self.names.acronyms:
            return None  # the page defines this acronym itself
        if len({k.key for k in found}) > 1:
            if surface == "EFT":
                return None
            return None
        if known.type in (_POPULATION, _CONDITION) and (" and " in known.label.lower() or " or " in known.label):
            return None
        if known.type in (_POPULATION, _CONDITION) and (
            (start and self.text[start - 1] in "-‐‑") or self.text[end : end + 1] in ("-", "‐", "‑")
        ):
            return None
        if known.type == _PERSON:
            entity_id = self.person(surface if len(known.words) > 1 else known.label, start)
            return Mention(start, end, entity_id, _PERSON) if entity_id else None
        if known.type == _CONDITION:
            return Mention(start, end, self.condition(self.lex.condition_names.get(surface.lower()) or surface, start),
                           _CONDITION)
        if known.type == _POPULATION:
            label = self.lex.population_labels.get(surface.lower(), surface)
            return Mention(start, end, self.population(label, start), _POPULATION)
        if known.type not in (_MODALITY, _THEORY):
            return None
        if known.acronym:
            label = surface if self.names.gazetteer_ids.get(known.key) else known.label
            entity_id = self.approach(label, start, known.type, known)
            if entity_id and surface != label:
                self.records.add_alias(entity_id, surface)
        else:
            entity_id = self.approach(surface, start, known.type, known)
        return Mention(start, end, entity_id, known.type) if entity_id else None

    # ---- approaches: "Internal Family Systems Therapy", "narrative therapy", "Logotherapy" ------------------------
    def _approach_at(self, words: list[Word], index: int, block: Block) -> Mention | None:
        lex = self.lex
        head = words[index]
        lowered = head.text.lower()
        weak = lowered in lex.approach_weak_heads
        first = index
        while first > 0 and index - first < 6:
            previous = words[first - 1]
            if previous.possessive or not _gap_is_space(self.text, previous.end, words[first].start):
                break
            candidate = previous.text
            low = candidate.lower()
            if low in _SMALL and low != "the":
                joins_names = first >= 2 and _is_capitalised(words[first - 2].text) and _is_capitalised(
                    words[first].text
                )
                if joins_names and not words[first - 2].possessive and low in ("and", "of", "for", "&"):
                    first -= 1
                    continue
                break
            if _is_capitalised(candidate):
                if low in _CAPITAL_STOP or low in _SMALL or low in lex.title_verbs or (
                    candidate in lex.organisations and not (first == index and head.text.islower())
                ) or (  # "Network therapy, an approach ...": an organisation word opening a sentence's name
                    candidate.isupper() and len(candidate) > 1 and low not in ("eft", "cbt")
                    and candidate not in self.names.acronyms
                ):
                    break
                first -= 1
                continue
            owned = first >= 2 and words[first - 2].possessive and low.endswith(("-term", "-limited"))
            named = first == index and lowered in ("therapy", "psychotherapy") and (
                self._repeated_compound(low, lowered)
                and (first < 2 or not self._modifier_word(words[first - 2].lower))  # not "cognitive remediation ..."
            )
            if not (owned or named) and (
                low in lex.generic_modifiers or not self._modifier_word(low, words[first].text.lower())
            ):
                break  # but "James Mann's time-limited psychotherapy": a person's approach of that name
            first -= 1
        while first < index and words[first].text.lower() in _SMALL:
            first += 1
        opening = words[first]
        if first < index - 1 and opening.lower in lex.generic_modifiers and _is_capitalised(opening.text) and (
            not any(_is_capitalised(w.text) for w in words[first + 1 : index])
        ) and (first == 0 or re.search(r"[.!?:]\s*$", self.text[max(0, opening.start - 3) : opening.start])):
            first += 1  # "Modern animal-assisted therapy originated with ...": a sentence's first word, not the name
        if first > 0 and _gap_is_space(self.text, words[first - 1].end, words[first].start) and (
            words[first - 1].text in lex.organisations
            or (words[first - 1].text.lower() in _SMALL and first > 1 and words[first - 2].text in lex.organisations)
        ):
            return None  # "Journal of Brief Psychotherapies", "Institute of Group Analysis"
        # leading generic capitalised words ("Individual", "Group") are kept only inside a longer capitalised name
        modifiers = words[first:index]
        if not modifiers:
            if _is_capitalised(head.text) and re.match(r"\s+for\s+[A-Z]", self.text[head.end : head.end + 8]) and (
                index == 0 or not words[index - 1].capital or words[index - 1].possessive
                or not _gap_is_space(self.text, words[index - 1].end, head.start)
            ):
                return self._approach_mention(head.start, head.end, block)
            if lowered.endswith(("therapy", "drama", "analysis")) and lowered not in lex.approach_heads and (
                "-" not in lowered
            ):
                return self._approach_mention(head.start, head.end, block)
            if lowered in ("psychoanalysis", "psychodrama", "sociodrama", "logotherapy", "hypnotherapy"):
                return self._approach_mention(head.start, head.end, block)
            return None
        if weak and not any(_is_capitalised(w.text) for w in modifiers):
            return None
        if weak and all(w.lower in lex.population_heads or w.lower in lex.population_modifiers for w in modifiers):
            return None  # "People living with ...", "Families practice ...": a sentence's first word, not a name
        owner = first > 0 and words[first - 1].possessive and _is_capitalised(words[first - 1].text)
        if all(w.text.lower() in lex.generic_modifiers for w in modifiers) and not owner:
            return None
        if lowered in _GENERIC_TREATMENT_HEADS and all(w.text in _GENERIC_TREATMENT_WORDS for w in modifiers):
            return None  # "the brief treatment for depression", "a group intervention": descriptions, not names
        described = all("-" in w.text and not _is_capitalised(w.text) for w in modifiers)
        if described and self._known(self.text[words[first].start : head.end]) is None and not owner:
            return None  # "meaning-centred psychotherapy", "diagnosis-focused psychotherapy": descriptions
        end = head.end
        following = words[index + 1] if index + 1 < len(words) else None
        named = _is_capitalised(head.text) and all(_is_capitalised(w.text) for w in modifiers)
        if named and _AMPERSAND_ORGANISATION.match(self.text, head.end) and (
            self._known(self.text[words[first].start : head.end]) is None
        ):
            return None  # "Riverbend Counselling & Trauma Centre": a practice's name
        if following is not None and _gap_is_space(self.text, head.end, following.start):
            if following.text in lex.organisations or (following.text.lower() in ("center", "centre", "institute")):
                return None
            if following.text in _BUSINESS_WORDS and all(_is_capitalised(w.text) for w in modifiers) and (
                self._known(self.text[words[first].start : head.end]) is None
            ):
                return None  # "Harbourview Counselling Group": a practice's name
            if following.text.lower() in _COMPOUND_TAILS and (
                self._known(self.text[words[first].start : head.end]) is None
            ):
                return None
            if following.text.lower() == "model" and not weak:
                end = following.end
        return self._approach_mention(words[first].start, end, block)

    def _repeated_compound(self, noun: str, head: str) -> bool:
        """ "avatar therapy" named twice on the page: a plain noun before "therapy" that the page repeats with it
        names an approach ("avatar therapy", "horse therapy"), though the noun is in no lexicon."""
        if not noun.isalpha() or len(noun) < 4 or noun in _COMPOUND_STOP or noun in self.lex.generic_modifiers:
            return False
        key = f"{noun} {head}"
        if key not in self._compound_counts:
            self._compound_counts[key] = len(re.findall(r"(?<![\w-])" + key + r"(?![\w-])", self.text, re.IGNORECASE))
        return self._compound_counts[key] >= 2

    def _modifier_word(self, word: str, following: str = "") -> bool:
        """Whether a lower-case word can be part of an approach name ("narrative", "emotion-focused", "family").

        An adverb counts before a participle that names a kind of approach ("dynamically oriented").
        """
        if word in _PARTICIPLE_MODIFIERS or (word.endswith("ly") and following in _PARTICIPLE_MODIFIERS):
            return True
        if "-" in word:
            return not word.endswith(("-based", "-term", "-limited")) or word in ("arts-based",)
        if word in self.lex.modifier_words:
            return True
        return word.isalpha() and len(word) > 4 and word.endswith(_ADJECTIVE_ENDINGS)

    def _schools(self, words: list[Word], index: int) -> list[Mention]:
        """ "psychoanalytic, humanistic and cognitive approaches": one approach per school adjective (a single
        adjective before "therapies" is left to the approach names: "humanistic therapies")."""
        adjectives = self.lex.school_adjectives
        found: list[Word] = []
        cursor = index - 1
        while cursor >= 0 and words[cursor].lower in adjectives:
            gap = self.text[words[cursor].end : words[cursor + 1].start]
            if gap not in (" ", ", "):
                break
            found.append(words[cursor])
            if cursor and words[cursor - 1].lower in ("and", "or"):
                cursor -= 2
            elif cursor and self.text[words[cursor - 1].end : words[cursor].start] == ", ":
                cursor -= 1
            else:
                break
        if words[index].lower.endswith("therapies") and len(found) < 2:
            return []
        mentions = []
        for word in found:
            name = adjectives[word.lower]
            entity_id = self.approach(name, word.start, _MODALITY, self._known(name))
            if entity_id:
                mentions.append(Mention(word.start, word.end, entity_id, _MODALITY))
        return mentions

    def _approach_mention(self, start: int, end: int, block: Block) -> Mention | None:
        label = self.text[start:end]
        for_match = _NAMED_FOR.match(self.text[end : min(block.end, end + 80)])
        if for_match:
            end += for_match.end()
            label = self.text[start:end]
        entity_id = self.approach(label, start, _MODALITY, self._known(label))
        return Mention(start, end, entity_id, _MODALITY) if entity_id else None

    # ---- theories: "attachment theory", "theory of mentalization", "Gestalt psychology" -----------------------------
    def _theory_at(self, words: list[Word], index: int) -> Mention | None:
        lex = self.lex
        head = words[index]
        lowered = head.text.lower()
        first = index
        while first > 0 and index - first < 4:
            previous = words[first - 1]
            low = previous.text.lower()
            stop = low in lex.theory_stop and (low, lowered) not in lex.theory_named_despite_stop
            if previous.possessive or stop or not _gap_is_space(self.text, previous.end, words[first].start):
                break  # "the theory", "his model"; but "classical conditioning" (lexicon) is a theory's name
            if not re.fullmatch(r"[^\W\d_][\w-]*", previous.text) or previous.text in lex.organisations:
                break
            first -= 1
        modifiers = words[first:index]
        end = head.end
        # "theory of mind", "model of PTSD", "theory of the unconscious": an "of" phrase names the theory
        tail = index + 2
        if tail + 1 < len(words) and words[tail].lower == "the" and lowered in ("theory", "theories", "model") and (
            words[tail + 1].text.islower() and words[tail + 1].lower not in lex.theory_stop
        ):
            tail += 1
        if lowered in ("theory", "theories", "model") and tail < len(words) and words[index + 1].text == "of" and (
            words[tail].text.lower() not in lex.theory_stop
            and _gap_is_space(self.text, head.end, words[index + 1].start)
            and not (words[tail].capital and self._may_start_person(words, tail))  # "of Urie Bronfenbrenner"
            and (lowered != "model" or bool(modifiers))
        ):
            end = words[tail].end
            last = tail  # "theory of cognitive development", "theory of the four fundamental motivations"
            while last + 1 < len(words) and last - tail < 2 and words[last].text.islower() and (
                words[last + 1].text.islower() and words[last + 1].lower not in lex.theory_stop
                and not words[last + 1].lower.endswith("ed")  # "model of positive functioning proposed by"
                and _gap_is_space(self.text, words[last].end, words[last + 1].start)
            ):
                last += 1
            end = words[last].end
            while first > 0 and index - first < 3 and _ADJECTIVE.fullmatch(words[first - 1].text) and (
                _gap_is_space(self.text, words[first - 1].end, words[first].start)
            ):
                first -= 1  # "a behavioural theory of depression": the adjective names this theory
            modifiers = words[first:index]
        if not modifiers and end == head.end:
            return None
        if lowered in lex.theory_weak_heads:
            modifier_text = " ".join(w.text.lower() for w in modifiers)
            capitalised = any(_is_capitalised(w.text) for w in modifiers)
            if lowered == "psychology" and not (capitalised or modifier_text in lex.psychology_fields):
                return None
            if head.text == "Psychology" and modifier_text not in lex.psychology_fields and not any(
                w.text.lower().endswith(_ADJECTIVE_ENDINGS) for w in modifiers
            ) and self._known(self.text[words[first].start : head.end]) is None:
                return None  # "Riverbend Psychology | Services | Fees": a practice's name, not a theory
            if lowered != "psychology" and not (capitalised and len(modifiers) >= 1) and len(modifiers) < 2 and (
                end == head.end
            ) and not (modifiers and _SCHOOL_ADJECTIVE.fullmatch(modifiers[0].text)):
                return None  # "her model", "a simple framework"; not "the transtheoretical model"
            if any(w.text.lower() in lex.generic_modifiers for w in modifiers):
                return None
        start = words[first].start if modifiers else head.start
        label = self.text[start:end]
        if not modifiers and end != head.end and words[index + 2].lower.endswith("ism"):
            label = words[index + 2].text  # "Bakhtin's theory of dialogism": the theory is dialogism
        known = self._known(label)
        entity_type = known.type if known is not None and known.type in (_MODALITY, _THEORY) else _THEORY
        entity_id = self.approach(label, start, entity_type, known)
        return Mention(start, end, entity_id, entity_type) if entity_id else None

    # ---- conditions and populations --------------------------------------------------------------------------------
    def _may_start_person(self, words: list[Word], index: int) -> bool:
        """A cheap test before parsing a person's name: a title, a known surname or another capitalised word."""
        word = words[index]
        if word.lower.rstrip(".") in self.lex.honorifics:
            return True
        following = words[index + 1] if index + 1 < len(words) else None
        if following is not None and (following.capital or following.lower in self.lex.particles) and (
            following.start - word.end <= 3
        ):
            return True
        return fold(word.text) in self.names.surnames or (
            self.gazetteer is not None and word.possessive and fold(word.text) in self.gazetteer.surnames
        )

    def _condition_name_at(self, tokens: list[tuple[int, int, str]], index: int) -> Mention | None:
        """A condition of the lexicon ("post-traumatic stress disorder", "PTSD") starting at this token."""
        matches = _condition_table().match(self.text, tokens, index)
        if not matches:
            return None
        known = matches[0]
        start, end = tokens[index][0], tokens[index + len(known.words) - 1][1]
        if (start and self.text[start - 1] in "-‐‑") or self.text[end : end + 1] in ("-", "‐", "‑"):
            return None  # "trauma-focused", "anxiety-provoking": part of a compound
        return Mention(start, end, self.condition(known.label, start), _CONDITION)

    def _condition_head_at(self, words: list[Word], index: int) -> Mention | None:
        lex = self.lex
        head = words[index]
        first = index
        while first > 0 and index - first < 3:
            previous = words[first - 1]
            low = previous.text.lower()
            if low in _CONDITION_STOP or not _gap_is_space(self.text, previous.end, words[first].start):
                break
            if not re.fullmatch(r"[a-z][a-z-]*", previous.text) or not (
                "-" in low or low in _CONDITION_MODIFIERS or (len(low) > 5 and low.endswith(_ADJECTIVE_ENDINGS))
            ):
                break
            first -= 1
        while first < index and words[first].text.lower() in lex.condition_dropped:
            first += 1
        if first == index:
            return None
        start = words[first].start
        label = self.text[start : head.end]
        return Mention(start, head.end, self.condition(label, start), _CONDITION)

    def _population_at(self, words: list[Word], index: int) -> Mention | None:
        lex = self.lex
        head = words[index]
        lowered = head.text.lower()
        start = head.start
        first = index
        if index and f"{words[index - 1].text.lower()} {lowered}" in lex.population_heads:
            first = index - 1
        elif lowered not in lex.population_heads:
            return None  # "members" alone: only "service members" is a head
        if first == index or first < index:
            while first > 0 and index - first < 4:
                previous = words[first - 1]
                low = previous.text.lower()
                if low not in lex.population_modifiers or previous.possessive or not _gap_is_space(
                    self.text, previous.end, words[first].start
                ):
                    break
                first -= 1
        start = words[first].start
        end = head.end
        if lowered in lex.population_of_heads and index + 2 < len(words) and words[index + 1].text == "of":
            taken = 0
            previous_end = words[index + 1].end
            for word in words[index + 2 : index + 7]:
                if not word.text.islower() or word.lower in _OF_TAIL_STOP or word.possessive or not (
                    _gap_is_space(self.text, previous_end, word.start)
                ):
                    break
                taken += 1
                previous_end = word.end
            tail = words[index + 1 + taken] if taken else None
            if tail is not None and tail.lower != "and":
                end = tail.end
        modified = first < index or end > head.end
        if lowered in lex.population_never_alone and not (lowered == "people" and first < index):
            return None
        if lowered in lex.population_needs_modifier and not modified:
            return None
        label = self.text[start:end]
        label = lex.population_labels.get(label.lower(), label)
        return Mention(start, end, self.population(label, start), _POPULATION)

    def _focused_population(self, word: Word) -> Mention | None:
        """ "parent-focused", "couple-based": a population named by a compound adjective."""
        first, _, rest = word.text.lower().partition("-")
        if rest not in self.lex.population_focused:
            return None
        label = self.lex.population_labels.get(first, first if first in self.lex.population_heads else "")
        if not label:
            return None
        return Mention(word.start, word.end, self.population(label, word.start), _POPULATION, weak=True)

    # ---- people ------------------------------------------------------------------------------------------------------
    def _person_at(self, words: list[Word], index: int) -> Mention | None:
        lex = self.lex
        text = self.text
        if index and words[index - 1].capital and _gap_is_space(text, words[index - 1].end,
                                                                               words[index].start) and (
            words[index - 1].text not in lex.not_person and words[index - 1].text.lower() not in lex.roles
            and words[index - 1].text.lower().rstrip(".") not in lex.honorifics
        ):
            return None  # inside a capitalised run that starts earlier
        if index >= 2 and words[index - 1].lower in ("and", "for", "of", "on", "&") and _ORGANISATION_RUN.search(
            text, max(0, words[index].start - 60), words[index].start
        ):
            return None  # "National Institute for Health and Care Excellence": the rest of an organisation's name
        strong = False
        position = index
        titled = False
        while position < len(words) and words[position].text.lower().rstrip(".") in lex.honorifics:
            titled = True
            position += 1
        if position < len(words) and words[position].text.lower() in lex.roles and position == index:
            return None
        parts: list[Word] = []
        nickname = ""
        cursor = position
        previous_end = 0
        while cursor < len(words) and len(parts) < 5:
            word = words[cursor]
            if parts:
                gap = text[previous_end : word.start]
                if re.fullmatch(r"\s*\(\s*", gap) and _is_capitalised(word.text) and cursor + 1 < len(words) and (
                    re.fullmatch(r"\s*\)\s+", text[word.end : words[cursor + 1].start])
                ):
                    nickname = word.text  # "Susan (Sue) Johnson"
                    previous_end = word.end
                    cursor += 1
                    continue
                if not (gap.isspace() or (len(parts[-1].text) == 1 and re.fullmatch(r"\.\s*", gap))
                        or (re.fullmatch(r"\s*\)\s+", gap) and nickname)):
                    break
                if "\n" in gap and previous_end - (text.rfind("\n", 0, previous_end) + 1) < 30:
                    break  # "Shaping\nReinforcing ...": a short line (a glossary term) ends there, wrapped prose not
            value = word.text
            initial = len(value) == 1 and value.isupper() and text[word.end : word.end + 1] == "."
            name_word = word.capital and value not in lex.not_person and value not in lex.organisations and (
                not value.isupper() or len(value) == 1
            )
            if not name_word and len(parts) == 1 and parts[0].lower in lex.given_names and value.istitle() and (
                cursor + 1 < len(words) and words[cursor + 1].capital and words[cursor + 1].text not in lex.not_person
                and _gap_is_space(text, word.end, words[cursor + 1].start)
            ):
                name_word = True  # "David Read Johnson": a middle name that is also a word ("Read more")
            particle = parts and value.lower() in lex.particles and cursor + 1 < len(words) and (
                words[cursor + 1].capital or (  # "van der Kolk"
                    words[cursor + 1].lower in lex.particles and cursor + 2 < len(words) and words[cursor + 2].capital
                )
            )
            if initial or name_word or particle:
                parts.append(word)
                previous_end = word.end
            else:
                break
            cursor += 1
            if word.possessive:
                break
        while parts and parts[-1].text.lower() in lex.particles:
            parts.pop()
        if not parts:
            return None
        last = parts[-1]
        following = words[cursor] if cursor < len(words) else None
        if following is not None and _gap_is_space(text, last.end, following.start) and not last.possessive and (
            following.text in lex.organisations or following.text.lower() in lex.approach_heads
            or following.text.lower() in lex.approach_weak_heads or following.text.lower() in lex.theory_heads
        ):
            return None
        if any(w.text in lex.organisations for w in parts):
            return None
        run = cursor  # "Weill Cornell Medical College": capitalised words up to an organisation word
        while run < len(words) and run - cursor < 3 and words[run].capital and (
            words[run].text not in lex.organisations and _gap_is_space(text, words[run - 1].end, words[run].start)
        ):
            run += 1
        if run > cursor and run < len(words) and words[run].text in lex.organisations and not last.possessive and (
            _gap_is_space(text, words[run - 1].end, words[run].start)
        ):
            return None
        start = words[index].start if titled else parts[0].start
        label = " ".join(
            (w.text + "." if len(w.text) == 1 and text[w.end : w.end + 1] == "." else w.text) for w in parts
        )
        if len(parts) == 1:
            surname = fold(parts[0].text)
            entity_id = self.names.surnames.get(surname)
            if entity_id is None and self.gazetteer is not None and (titled or last.possessive):
                full_name = self.gazetteer.surnames.get(surname)
                entity_id = self.person(full_name, start) if full_name else None
                if entity_id is not None:
                    self.records.add_alias(entity_id, parts[0].text)
            if entity_id is None:
                return None
            return Mention(start, last.end, entity_id, _PERSON)
        initials = sum(1 for w in parts if len(w.text) == 1)
        if initials == len(parts):
            return None
        after = text[last.end : last.end + 16]
        before = text[max(0, words[index].start - 40) : words[index].start].lower()
        strong = (
            titled
            or fold(parts[0].text) in lex.given_names
            or bool(_LIFE_DATES.match(after))
            or bool(_SUFFIX_AFTER.match(after))
            or initials > 0
            or any(w.text.lower() in lex.particles for w in parts)
            or bool(_ROLE_BEFORE.search(before))
            or person_key(label) in self.names.people
            or ((known := self._known(label)) is not None and known.type == _PERSON)
        )
        if not strong and not last.possessive and _CREATED_BEFORE.search(before):
            approach_id = self.approach(label, start)  # "He created Core Energetics": people are not created
            return Mention(start, last.end, approach_id, _MODALITY) if approach_id else None
        entity_id = self.person(label, start, nickname, weak=not strong)
        if entity_id is None:
            return None
        end = last.end + 1 if last.lower in ("jr", "sr") and text[last.end : last.end + 1] == "." else last.end
        return Mention(start, end, entity_id, _PERSON, weak=not strong)  # "Maultsby Jr.": the suffix's dot too

    # ---- aliases: "also called Bowen therapy", "usually shortened to Bowen theory", "Other names ST; ..." -----------
    def _aliases(self, blocks: list[Block]) -> None:
        new_phrases = find_aliases(self, blocks)
        repeated = {(self.text[m.start : m.end], m.id, m.type) for m in self.mentions
                    if m.type in (_MODALITY, _THEORY) and " " in self.text[m.start : m.end].strip()}
        self._find_again(new_phrases + sorted(repeated))

    def _find_again(self, new_phrases: list[tuple[str, str, str]]) -> None:
        """Every other occurrence of each phrase (case-insensitive unless an acronym) that no mention covers becomes
        a mention of its entity: "Lantern therapy" named in a title is "lantern therapy" in the text too."""
        if not new_phrases:
            return
        lowered = self.text.lower()
        taken = bytearray(len(self.text))
        for m in self.mentions:
            taken[m.start : m.end] = b"\x01" * (m.end - m.start)
        for phrase, entity_id, entity_type in dict.fromkeys(new_phrases):
            exact = phrase.isupper()
            haystack = self.text if exact else lowered
            needle = phrase if exact else phrase.lower()
            position = haystack.find(needle)
            while position >= 0:
                end = position + len(needle)
                if (position == 0 or not haystack[position - 1].isalnum()) and (
                    end >= len(haystack) or not (haystack[end].isalnum() or haystack[end] == "-")
                ) and taken.find(1, position, end) < 0 and not _ORGANISATION_NEXT.match(self.text, end):
                    self.mentions.append(Mention(position, end, entity_id, entity_type))
                    taken[position:end] = b"\x01" * (end - position)
                position = haystack.find(needle, end)

    def _surnames(self, blocks: list[Block]) -> None:
        """Surnames alone ("Bowlby's", "Dr. Schwartz") of people the page names in full (before or after)."""
        if not self.names.surnames:
            return
        taken = bytearray(len(self.text))
        for m in self.mentions:
            taken[m.start : m.end] = b"\x01" * (m.end - m.start)
        surnames = self.names.surnames
        for block in blocks:
            for capital in _CAPITAL_WORD.finditer(self.text, block.start, block.end):
                if taken[capital.start()] or fold(capital.group()) not in surnames:
                    continue
                word = _make_word(capital.start(), capital.end(), capital.group(),
                                  _possessive_after(self.text, capital.end(), block.end))
                entity_id = self.names.surnames.get(fold(word.text))
                if entity_id is None:
                    continue
                following = WORD.match(self.text, word.end + 1) if word.end + 1 < len(self.text) else None
                if following and self.text[word.end : following.start()].isspace() and not word.possessive and (
                    following.group() in self.lex.organisations or following.group().lower() in (
                        self.lex.approach_heads | self.lex.theory_heads | self.lex.approach_weak_heads)
                ):
                    continue
                start = word.start
                before = self.text[max(0, start - 6) : start]
                title = re.search(r"(?:Dr|Prof|Professor)\.?\s+$", before)
                if title:
                    start -= len(title.group())
                self.mentions.append(Mention(start, word.end, entity_id, _PERSON))
                taken[start : word.end] = b"\x01" * (word.end - start)


_CAPITAL_STOP = frozenset(["the", "a", "an", "this", "that", "these", "those", "its", "his", "her", "their", "our",
                           "your", "my", "what", "why", "how", "when", "where", "who", "which", "is", "are", "was",
                           "were", "does", "do", "did", "can", "could", "about", "like", "unlike", "rather", "both",
                           "each", "every", "any", "some", "many", "most", "other", "such", "whether", "while", "if",
                           "as", "at", "by", "from", "with", "into", "onto", "over", "under", "after", "before",
                           "during", "since", "through", "today", "yes", "no", "not", "also", "only", "just", "see",
                           "compared", "versus", "vs", "than", "then", "so", "but", "or", "nor", "to", "in", "on"])

_PARTICIPLE_MODIFIERS = frozenset(["oriented", "focused", "centred", "centered", "informed", "assisted", "guided",
                                   "directed", "based"])

_OF_TAIL_STOP = frozenset(["the", "a", "an", "their", "his", "her", "this", "that", "them", "although", "though",
                           "which", "who", "whom", "that", "in", "with", "for", "to", "at", "on", "by", "from", "as",
                           "but", "or", "is", "are", "was", "were", "have", "has", "had", "who", "whose", "where",
                           "when", "while", "because", "since", "after", "before", "into", "during", "including"])

_CONDITION_MODIFIERS = frozenset(["substance", "drug", "alcohol", "eating", "personality", "conduct", "panic",
                                  "anxiety", "mood", "sleep", "behaviour", "behavior", "relationship", "school",
                                  "child", "gambling", "opioid", "cannabis", "gaming", "internet", "adjustment",
                                  "attachment", "body", "identity", "somatic", "use", "stress", "hoarding", "tic",
                                  "sexual", "anger", "weight", "learning", "developmental", "attention", "deficit",
                                  "hyperactivity", "spectrum", "autism", "trauma", "grief", "bipolar", "drinking",
                                  "nightmare", "feeding", "pain", "gender", "impulse", "conversion", "elimination"])

_CONDITION_STOP = frozenset(["mental", "health", "long-standing", "emotional", "everyday", "practical", "personal",
                             "other", "many", "some", "these", "those", "such", "their", "his", "her", "its", "our",
                             "your", "with", "and", "or", "of", "the", "a", "an", "to", "for", "in", "on", "serious",
                             "complex", "social", "life", "new", "old", "real", "big", "small", "hard", "common",
                             "presenting", "underlying", "psychological", "psychiatric", "medical", "physical",
                             "specific", "certain", "various", "different", "similar", "related", "these", "any",
                             "all", "no", "not", "more", "most", "less", "fewer", "wider", "wide", "range", "kinds",
                             "types", "forms", "such", "difficult", "painful", "lifelong", "long-term", "short-term",
                             "ordinary", "interpersonal", "relational"])


_COORD_NEXT = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")
_COORD_WORD = r"[a-z][a-z'’-]*"
_COORD_ITEM = re.compile(
    rf"({_COORD_WORD}(?:\s{_COORD_WORD}){{0,2}}?)(?=\s*(?:[,.;:)\n]|$)|\s+(?:and|or|in|among|who|that)\s)"
)
_COORD_ITEM_BEFORE = re.compile(
    rf"(?<![\w'’-])({_COORD_WORD}(?:\s{_COORD_WORD}){{0,2}})(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)"
    r"(?:(?:including|especially|notably|particularly|mainly|mostly|such\s+as|like)\s+)?$"
)
_COORD_OPENER = re.compile(
    r"(?:\b(?:with|for|including|include|includes|such\s+as|like|treat|treats|treating|address|addresses|target"
    r"|targets|from|especially|notably|particularly)|[:,(\n])\s*$"
)


_COORD_LEAD = re.compile(r"(?:(?:including|especially|notably|particularly|mainly|mostly|chiefly|primarily|such\s+as"
                         r"|like|e\.g\.|i\.e\.|for\s+example|for\s+instance|for)\s+)+")


def _past_lead_words(text: str, start: int) -> int:
    """The offset after words that introduce a list item ("including worry" -> "worry")."""
    lead = _COORD_LEAD.match(text, start)
    return lead.end() if lead else start


def _plain_item(phrase: str) -> bool:
    """A list item that can be a condition's name: no function word, verb or generic noun among its words
    (the lexicon's ``conditions.coordination_stop``)."""
    words = phrase.lower().split()
    lex = lexicon()
    if len(words) == 1 and words[0].endswith(("ed", "ly")):
        return False  # "eating disorders, published in 2017": a participle or an adverb is no condition
    if len(words) > 1 and words[-1] in lex.condition_generic_heads:
        words = words[:-1]  # "interpersonal problems": a qualified generic noun names a condition
    return bool(words) and not any(word.strip("'’-") in lex.condition_coordination_stop for word in words)


def _resolve_overlaps(candidates: list[tuple[int, int, int, Mention]], start: int, end: int) -> list[Mention]:
    """Keep the longest candidate spans (ties: stronger source first) that do not overlap; sorted by position."""
    taken = bytearray(end - start)
    kept: list[Mention] = []
    for _length, _priority, _order, mention in sorted(candidates):
        a, b = mention.start - start, mention.end - start
        if taken.find(1, a, b) >= 0:
            continue
        taken[a:b] = b"\x01" * (b - a)
        kept.append(mention)
    kept.sort(key=lambda m: m.start)
    return kept


_ORGANISATION_NEXT = re.compile(  # "the Lantern Therapy Institute": an organisation's name, not the approach
    r"\s+(?:" + "|".join(sorted(lexicon().organisations, key=len, reverse=True)) + r")\b"
)
_UPPER_WORD = re.compile(r"(?<![\w-])[A-Z]{2,6}(?![\w-])")


_NAME_BREAK = re.compile(r"[.;:!?()\[\],]")
_NAME_BREAK_NO_COMMA = re.compile(r"[.;:!?()\[\]]")


def _words_since_break(text: str, words: list[Word], breaks: re.Pattern[str]) -> list[Word]:
    """The trailing ``words`` (those just before an acronym's bracket) back to the last gap holding ``breaks``."""
    for index in range(len(words) - 1, 0, -1):
        if breaks.search(text, words[index - 1].end, words[index].start):
            return words[index:]
    return words


def _initials_match(words: list[str], letters: str) -> int | None:
    """How many trailing ``words`` spell ``letters`` by their initials (small words may be skipped); None if none.

    A word may give more than its first letter: the parts of a hyphenated word ("Mentalization-based" -> MB) and
    the "T" of a trailing "therapy" ("psychotherapy" -> PT).
    """
    letters = letters.upper()

    def spell(word: str) -> list[str]:
        parts = [p for p in re.split(r"[-‐‑/]", word) if p]
        options = ["".join(p[0] for p in parts).upper()] if parts else []
        if parts:
            options.append(parts[0][0].upper())
        if len(parts) > 1 and parts[0].lower() == "self":
            options.append(parts[1][0].upper())  # "Self-Regulation" -> R, as in ARC
        lowered = word.lower()
        if lowered.endswith("therapy") and len(lowered) > 7:
            options.append(word[0].upper() + "T")
        for prefix in ("inter", "intra", "multi", "trans", "psycho", "neuro", "socio", "hyper", "meta"):
            if lowered.startswith(prefix) and len(lowered) > len(prefix) + 2:
                options.append((word[0] + word[len(prefix)]).upper())
        if word.isupper() and len(word) > 1:
            options.append(word)
        return options

    for size in range(1, min(len(words), 10) + 1):
        candidate = words[-size:]
        if candidate[0].lower() in _SMALL:
            continue
        if _spells(candidate, letters, spell):
            return size
    return None


def _spells(words: list[str], letters: str, spell) -> bool:  # noqa: ANN001 - a small local callable
    """Whether ``words`` spell ``letters`` in order, each word giving one of its spellings or (if small) nothing."""
    if not words:
        return not letters
    word, rest = words[0], words[1:]
    skippable = word.lower() in _SMALL or (
        word.lower() in ("therapy", "treatment") and not letters.startswith(word[0].upper())
    )
    if skippable and _spells(rest, letters, spell):
        return True
    for option in dict.fromkeys(spell(word)):
        if option and letters.startswith(option) and _spells(rest, letters[len(option):], spell):
            return True
    return False


_TABLE: PhraseTable | None = None


def _condition_table() -> PhraseTable:
    """The lexicon's condition names as a phrase table (built once)."""
    global _TABLE
    if _TABLE is None:
        table = PhraseTable()
        for name, label in lexicon().condition_names.items():
            words = tuple(fold(w) for w in re.findall(r"[^\W_]+", name))
            acronym = name.replace("-", "").isalpha() and len(name) <= 5 and name == name.lower() and label != name
            table.add(Known(words, _CONDITION, label, label, acronym))
        _TABLE = table
    return _TABLE


def acronym_expansion(text: str, acronym: str) -> str | None:
    """ "neuro-linguistic programming, better known as NLP", "... programming (NLP)": the words before the acronym
    whose initials (hyphenated parts counted apart) spell it; None when the page gives none."""
    if not acronym:
        return None
    for found in re.finditer(r"((?:[\w'’-]+\s+){0,6}[\w'’-]+)\s*(?:,\s*(?:(?:better|also|more\s+commonly|commonly"
                             r"|usually|often)\s+)?known\s+as\s+|\(\s*)" + re.escape(acronym) + r"\b", text):
        words = found.group(1).split()
        for first in range(len(words) - 1, -1, -1):
            initials = "".join(part[:1] for word in words[first:] for part in re.split(r"-", word) if part)
            if initials.upper() == acronym and all(w[:1].isalpha() for w in words[first:]):
                return " ".join(words[first:])
            if len(initials) > len(acronym):
                break
    return None
