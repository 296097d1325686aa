"""Known names (every label and alias of the curated graph), handed to the extractor by the caller, and matching."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from ontology.names import NameIndex

_TOKEN = re.compile(r"[^\W_]+")
_SMALL = frozenset(["and", "of", "for", "the", "in", "to", "with", "a", "an", "on"])
_JOINERS = frozenset(" -‐‑–/’'")


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """A word as name keys store it: case and accents folded (the rule of ``ontology.names.normalise_name``)."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


@dataclass(frozen=True)
class Known:
    """One known name: the entity it names (a key shared by all its names), its type and whether it is an acronym."""

    words: tuple[str, ...]
    type: str
    key: str
    label: str
    acronym: bool


def _initials(words: Iterable[str]) -> set[str]:
    """Initial letters of a name, with and without its small words ("acceptance and commitment therapy": act, aact)."""
    words = list(words)
    return {"".join(w[0] for w in words if w not in _SMALL), "".join(w[0] for w in words)}


class PhraseTable:
    """Names as folded word tuples, matched against a page's words left to right (longest name first)."""

    def __init__(self) -> None:
        self.by_first: dict[str, list[Known]] = defaultdict(list)
        self.seconds: dict[str, set[str] | None] = {}  # first word -> second words (None: a one-word name too)

    def add(self, known: Known) -> None:
        """Add a name (later additions of the same words and key are ignored)."""
        bucket = self.by_first[known.words[0]]
        if any(k.words == known.words and k.key == known.key for k in bucket):
            return
        bucket.append(known)
        bucket.sort(key=lambda k: -len(k.words))
        first = known.words[0]
        if len(known.words) == 1:
            self.seconds[first] = None
        else:
            seconds = self.seconds.setdefault(first, set())
            if seconds is not None:
                seconds.add(known.words[1])

    def __bool__(self) -> bool:
        return bool(self.by_first)

    def match(self, text: str, tokens: list[tuple[int, int, str]], index: int) -> list[Known]:
        """Every name (all of the same, longest length) starting at ``tokens[index]``; [] if none."""
        bucket = self.by_first.get(tokens[index][2])
        if not bucket:
            return []
        seconds = self.seconds[tokens[index][2]]
        if seconds is not None and (index + 1 >= len(tokens) or tokens[index + 1][2] not in seconds):
            return []  # every name with this first word is longer, and none goes on with the next word
        found: list[Known] = []
        following = tuple(token[2] for token in tokens[index : index + len(bucket[0].words)])
        for known in bucket:
            size = len(known.words)
            if found and size < len(found[0].words):
                break
            if following[:size] != known.words:
                continue
            if any(not _joined(text, tokens[index + k - 1][1], tokens[index + k][0]) for k in range(1, size)):
                continue
            start, end = tokens[index][0], tokens[index + size - 1][1]
            if known.acronym and sum(ch.isupper() for ch in text[start:end]) < 2:
                continue
            if known.type == "Theorist" and not text[start].isupper():
                continue
            found.append(known)
        return found


def _joined(text: str, end: int, start: int) -> bool:
    """Whether two words are parts of one name: only spaces, hyphens, slashes or apostrophes between them."""
    gap = text[end:start]
    return len(gap) <= 3 and (all(ch in _JOINERS or ch == " " for ch in gap) or gap in ("-\n", "\n"))


def tokens_of(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """The words of ``text[start:end]`` as ``(start, end, folded word)``."""
    found = []
    for match in _TOKEN.finditer(text, start, end):
        word = match.group()
        found.append((match.start(), match.end(), word.lower() if word.isascii() else fold(word)))
    return found


class Gazetteer:
    """Names the curated graph already knows, by type: the caller builds it (loaders only see it as data)."""

    def __init__(self, entries: Iterable[tuple[str, str, str, str]]):
        """Build from ``(name, type, key, label)``: ``key`` groups the names of one entity (e.g. its curated id)."""
        self.table = PhraseTable()
        self.surnames: dict[str, str] = {}
        self.size = 0
        self._exact: dict[str, Known | None] = {}
        grouped: dict[str, list[tuple[tuple[str, ...], str, str]]] = defaultdict(list)
        for name, entity_type, key, label in entries:
            words = tuple(fold(w) for w in _TOKEN.findall(name))
            if not words or "s" in words[1:]:  # possessive forms ("beck s cognitive therapy") hide the person
                continue
            grouped[key].append((words, entity_type, label))
        for key, names in grouped.items():
            long_initials: set[str] = set()
            for words, _type, _label in names:
                if len(words) > 1:
                    long_initials |= _initials(words)
            for words, entity_type, label in names:
                acronym = (len(words) == 1 and words[0] in long_initials) or (
                    len(words) > 1 and all(len(w) <= 4 for w in words) and any(len(n[0]) > len(words) for n in names)
                    and not all(w.isalpha() and len(w) > 2 for w in words)
                )
                self.table.add(Known(words, entity_type, key, label, acronym))
                self.size += 1
                if entity_type == "Theorist" and len(words) >= 2:
                    self.surnames.setdefault(words[-1], label)

    @classmethod
    def from_name_index(cls, index: NameIndex) -> Gazetteer:
        """The gazetteer of every label and alias in a name index (the curated graph's, as the build passes it)."""
        return cls((name, c.type, c.id, c.label) for name, c in index.names())

    def __len__(self) -> int:
        return self.size

    def exactly(self, label: str) -> Known | None:
        """The entry naming exactly ``label`` (one entity; None when unknown or when names of two entities fit),
        remembered per label: the same names recur on every page."""
        cached = self._exact.get(label, False)
        if cached is not False:
            return cached  # type: ignore[return-value]
        tokens = tokens_of(label, 0, len(label))
        found = self.table.match(label, tokens, 0) if tokens else []
        known = found[0] if found and len(found[0].words) == len(tokens) and len({k.key for k in found}) == 1 else None
        if len(self._exact) < 65536:
            self._exact[label] = known
        return known
