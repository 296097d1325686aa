"""Name resolution: find entities by label or alias, case- and accent-insensitively, with clear ambiguity errors."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz, process

HONORIFICS = ("dr", "prof", "professor", "mr", "mrs", "ms")
_NON_WORD = re.compile(r"[^\w]+")
# British -> American spelling, word by word (Oxford and Commonwealth spellings of the field's names): behaviour,
# behavioural; mentalisation, mentalising, organised; focussed, focussing; counselling, counsellor; centre, centred;
# programme. Both the index and the query are folded, so a rule that also changes an unrelated word is harmless.
SPELLING_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement) for pattern, replacement in (
        (r"(?<=\w\w)our(al|ally|s|ed|ing|ist|ists|ism)?$", r"or\1"),
        (r"(?<=\w\w)is(ation|ations|ing|ed|e|es|er|ers)$", r"iz\1"),
        (r"(?<=\w)uss(ed|ing)$", r"us\1"),
        (r"(?<=\w\w)ell(ing|ed|or|ors)$", r"el\1"),
        (r"(?<=\w\w)tre(s)?$", r"ter\1"),
        (r"(?<=\w\w)tred$", r"tered"),
        (r"^programme(s)?$", r"program\1"),
    ))
# Prefixes written joined, hyphenated or apart ("posttraumatic", "post-traumatic"); folded joined.
JOINED_PREFIXES = frozenset(["post", "pre", "non", "co", "anti", "multi", "inter", "intra", "trans", "meta", "psycho",
                             "neuro", "socio", "semi", "sub", "hyper", "hypo"])
SUGGEST_CUTOFF = 70.0  # score (0-100, see NameIndex.suggest) below which a name is not worth suggesting
WORD_CUTOFF = 60.0  # rapidfuzz ratio (0-100) below which a word of the query does not count as matching a word


def normalise_name(name: str) -> str:
    """Fold case, accents, punctuation and honorifics: ``"Dr. Sue  Johnson"`` -> ``"sue johnson"``."""
    decomposed = unicodedata.normalize("NFKD", name)
    without_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = _NON_WORD.sub(" ", without_accents.casefold()).split()
    while len(words) > 1 and words[0] in HONORIFICS:
        words = words[1:]
    return " ".join(words)


def variant_key(name: str) -> str:
    """:func:`normalise_name` with British spellings folded to American (see :data:`SPELLING_RULES`):
    ``"Emotionally Focussed"`` -> ``"emotionally focused"``, ``"Mentalisation"`` -> ``"mentalization"``."""
    words = normalise_name(name).split()
    folded: list[str] = []
    for word in words:
        for pattern, replacement in SPELLING_RULES:
            word = pattern.sub(replacement, word)
        if folded and folded[-1] in JOINED_PREFIXES:
            folded[-1] += word  # "post traumatic" (from "post-traumatic") -> "posttraumatic"
        else:
            folded.append(word)
    return " ".join(folded)


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
        self._variants: list[tuple[str, list[Candidate]]] | None = None
        self._variant_map: dict[str, list[Candidate]] | None = None
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
        """All candidates whose label or alias matches ``name`` (optionally only of the given types).

        Names match as :func:`normalise_name` folds them; when none does, as :func:`variant_key` folds them
        (British/American spellings and joined prefixes: "behavioral" finds "behavioural", "post-traumatic"
        finds "posttraumatic"), so a page or a query in the other spelling names the same entity.
        """
        found = list(self._by_name.get(normalise_name(name), {}).values())
        if not found:
            found = list(self._variant_index().get(variant_key(name), ()))
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

    def suggest(self, name: str, limit: int = 5, types: Iterable[str] | None = None) -> list[Candidate]:
        """The ``limit`` entities whose label or alias is closest to ``name``, best first ("did you mean").

        Names are compared as :func:`variant_key` (case, accents, punctuation, honorifics and British/American
        spellings folded). A name's score (0-100) is the better of rapidfuzz's ``ratio`` of the whole names and
        the mean, over the query's words, of each word's best ``ratio`` against the name's words (under
        :data:`WORD_CUTOFF` counts 0): ``Bowlbey`` finds John Bowlby, ``Frued`` Sigmund and Anna Freud,
        ``attachement`` Attachment Theory. Names under :data:`SUGGEST_CUTOFF` are left out; ties go to the
        shorter label. Ids are not compared. The CLI's
        resolver and the explorer's search (``graph.views.explore.SearchIndex.suggest``) both answer with this.
        """
        query = variant_key(name)
        if not query:
            return []
        wanted = set(types) if types is not None else None
        keys = self._variant_keys()
        vocabulary = sorted({word for key, _ in keys for word in key.split()})
        # per query word: how close every word of the vocabulary is (rapidfuzz's normalised Indel ratio)
        closeness = [{word: score for word, score, _ in process.extract(
            query_word, vocabulary, scorer=fuzz.ratio, limit=None, score_cutoff=WORD_CUTOFF)}
            for query_word in query.split()]
        best: dict[str, tuple[float, Candidate]] = {}
        for key, candidates in keys:
            words = key.split()
            by_word = sum(max((close.get(word, 0.0) for word in words), default=0.0) for close in closeness)
            score = max(by_word / len(closeness), fuzz.ratio(query, key))
            if score < SUGGEST_CUTOFF:
                continue
            for candidate in candidates:
                if wanted is not None and candidate.type not in wanted:
                    continue
                if score > best.get(candidate.id, (-1.0, candidate))[0]:
                    best[candidate.id] = (score, candidate)
        ranked = sorted(best.values(), key=lambda pair: (-pair[0], len(pair[1].label), pair[1].label, pair[1].id))
        return [candidate for _, candidate in ranked[:limit]]

    def _variant_index(self) -> dict[str, list[Candidate]]:
        """:meth:`_variant_keys` as a mapping, built once."""
        if self._variant_map is None:
            self._variant_map = dict(self._variant_keys())
        return self._variant_map

    def _variant_keys(self) -> list[tuple[str, list[Candidate]]]:
        """Every label and alias (ids excluded) as a variant key with the entities it names, computed once."""
        if self._variants is None:
            grouped: dict[str, dict[str, Candidate]] = defaultdict(dict)
            for key, candidate in self.names():
                grouped[variant_key(key)][candidate.id] = candidate
            self._variants = [(key, list(found.values())) for key, found in sorted(grouped.items())]
        return self._variants

    def _suggestion_text(self, name: str) -> str:
        suggestions = self.suggest(name)
        if not suggestions:
            return ""
        return "; did you mean: " + ", ".join(f"{c.label} ({c.id})" for c in suggestions)
