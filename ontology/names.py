"""Name resolution: find entities by label or alias, case- and accent-insensitively, with clear ambiguity errors."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

HONORIFICS = ("dr", "prof", "professor", "mr", "mrs", "ms")
_NON_WORD = re.compile(r"[^\w]+")


def normalise_name(name: str) -> str:
    """Fold case, accents, punctuation and honorifics: ``"Dr. Sue  Johnson"`` -> ``"sue johnson"``."""
    decomposed = unicodedata.normalize("NFKD", name)
    without_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = _NON_WORD.sub(" ", without_accents.casefold()).split()
    while len(words) > 1 and words[0] in HONORIFICS:
        words = words[1:]
    return " ".join(words)


@dataclass(frozen=True)
class Candidate:
    """An entity a name may refer to."""

    id: str
    type: str
    label: str


class ResolutionError(LookupError):
    """Base for resolution failures; carries the candidates worth suggesting."""

    def __init__(self, message: str, candidates: list[Candidate]):
        super().__init__(message)
        self.candidates = candidates


class UnknownName(ResolutionError):
    """No entity has this label or alias."""


class AmbiguousName(ResolutionError):
    """Several entities share this label or alias."""


class NameIndex:
    """Index of labels and aliases (normalised) to entity candidates."""

    def __init__(self, entries: Iterable[tuple[str, str, str, Iterable[str]]]):
        """Build from ``(id, type, label, names)`` tuples; ``names`` are aliases besides the label."""
        self._by_name: dict[str, dict[str, Candidate]] = defaultdict(dict)
        self._candidates: dict[str, Candidate] = {}
        for entity_id, entity_type, label, names in entries:
            candidate = Candidate(entity_id, entity_type, label)
            self._candidates[entity_id] = candidate
            for name in (label, entity_id, *names):
                key = normalise_name(name)
                if key:
                    self._by_name[key][entity_id] = candidate

    def __contains__(self, entity_id: str) -> bool:
        return entity_id in self._candidates

    def names(self) -> Iterator[tuple[str, Candidate]]:
        """Every normalised label or alias with an entity it names (ids excluded), for variant-aware resolvers."""
        for key, candidates in self._by_name.items():
            for candidate in candidates.values():
                if key != normalise_name(candidate.id):
                    yield key, candidate

    def candidate(self, entity_id: str) -> Candidate | None:
        """The indexed entity with this id, if any."""
        return self._candidates.get(entity_id)

    def lookup(self, name: str, types: Iterable[str] | None = None) -> list[Candidate]:
        """All candidates whose label or alias matches ``name`` (optionally only of the given types)."""
        found = list(self._by_name.get(normalise_name(name), {}).values())
        if types is not None:
            wanted = set(types)
            found = [c for c in found if c.type in wanted]
        return sorted(found, key=lambda c: c.id)

    def resolve(self, name: str, types: Iterable[str] | None = None) -> str:
        """The one entity id ``name`` refers to; raises UnknownName or AmbiguousName with candidates."""
        found = self.lookup(name, types)
        if len(found) == 1:
            return found[0].id
        if found:
            listed = "; ".join(f"{c.label} ({c.id})" for c in found)
            raise AmbiguousName(f"'{name}' is ambiguous: it may mean {listed}", found)
        raise UnknownName(f"no entity is called '{name}'" + self._suggestion_text(name), self.suggest(name))

    def suggest(self, name: str, limit: int = 5) -> list[Candidate]:
        """Entities whose names contain every word of ``name`` or share its first word, best first."""
        words = normalise_name(name).split()
        if not words:
            return []
        scored: dict[str, tuple[int, Candidate]] = {}
        for key, candidates in self._by_name.items():
            key_words = key.split()
            score = sum(1 for w in words if any(k.startswith(w) for k in key_words))
            if score:
                for candidate in candidates.values():
                    if score > scored.get(candidate.id, (0, candidate))[0]:
                        scored[candidate.id] = (score, candidate)
        vocabulary = {word for key in self._by_name for word in key.split()}
        for word in words:
            for close in difflib.get_close_matches(word, vocabulary, n=limit, cutoff=0.8):
                for key, candidates in self._by_name.items():
                    if close in key.split():
                        for candidate in candidates.values():
                            scored.setdefault(candidate.id, (1, candidate))
        ranked = sorted(scored.values(), key=lambda pair: (-pair[0], pair[1].label))
        return [candidate for _, candidate in ranked[:limit]]

    def _suggestion_text(self, name: str) -> str:
        suggestions = self.suggest(name)
        if not suggestions:
            return ""
        return "; did you mean: " + ", ".join(f"{c.label} ({c.id})" for c in suggestions)
