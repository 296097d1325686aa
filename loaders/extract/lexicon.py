"""The extractor's word lists and trigger phrases, read once from lexicon.yaml and compiled into sets and patterns."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

LEXICON_FILE = Path(__file__).with_name("lexicon.yaml")


def phrase_pattern(phrases: Iterable[str], flags: int = re.IGNORECASE, adverbs: bool = False) -> re.Pattern[str]:
    """A pattern matching any of ``phrases`` as whole words, longest first; spaces match any white space (and, with
    ``adverbs``, one "-ly" adverb too: "builds directly on", "grew largely out of").

    The phrases are compiled as a word trie ("grew out of" and "grew from" share "grew"), so the regular
    expression engine tries each first word once at a position instead of every phrase in turn.
    """
    trie: dict[str, Any] = {}
    for phrase in phrases:
        node = trie
        for word in str(phrase).lower().split():
            node = node.setdefault(word, {})
        node[""] = {}
    gap = r"\s+(?:[a-z]+ly\s+)?" if adverbs else r"\s+"
    return re.compile(r"(?<![\w-])" + _trie_regex(trie, gap) + r"(?![\w-])", flags)


def _trie_regex(node: dict[str, Any], gap: str = r"\s+") -> str:
    """The alternation of a word trie: ``{"grew": {"out": {"of": {"": {}}}}}`` -> ``(?:grew\\s+out\\s+of)``."""
    alternatives = []
    for word in sorted((w for w in node if w), key=lambda w: (-len(w), w)):
        child = node[word]
        escaped = re.escape(word)
        if any(child_word for child_word in child):
            rest = _trie_regex(child, gap)
            alternatives.append(f"{escaped}(?:{gap}{rest})?" if "" in child else f"{escaped}{gap}{rest}")
        else:
            alternatives.append(escaped)
    return "(?:" + "|".join(alternatives) + ")"


def _words(values: Iterable[Any]) -> frozenset[str]:
    return frozenset(str(v).lower() for v in values)


def _check_strings(data: Any, path: str = "lexicon.yaml") -> None:
    """Every list entry must be a string: an unquoted ``no`` or ``on`` would silently become a boolean."""
    if isinstance(data, dict):
        for key, value in data.items():
            _check_strings(value, f"{path}:{key}")
    elif isinstance(data, list):
        for value in data:
            if not isinstance(value, str):
                raise ValueError(
                    f"{path}: entry {value!r} is not a string; quote it (YAML reads no/on/yes as booleans)"
                )


class Lexicon:
    """Typed access to lexicon.yaml: sets of lower-case words and compiled trigger patterns."""

    def __init__(self, data: dict[str, Any]):
        dev, lineage, uses, intro = data["developer"], data["lineage"], data["uses"], data["introduced"]
        labels, names, approaches, theories = data["labels"], data["names"], data["approaches"], data["theories"]
        conditions, populations = data["conditions"], data["populations"]

        self.first_words: dict[str, frozenset[str]] = {
            name: frozenset(str(p).split()[0].lower() for p in phrases)
            for name, phrases in (("passive", dev["passive"]), ("active", dev["active"]), ("nominal", dev["nominal"]),
                                  ("member", lineage["member_of"]),
                                  ("lineage", [*lineage["derived"], *lineage["grounded"]]))
        }
        self.dev_passive = phrase_pattern(dev["passive"])
        self.dev_active = phrase_pattern(dev["active"])
        self.dev_nominal = phrase_pattern(dev["nominal"])
        self.dev_gerunds = _words(dev["gerunds"])
        self.dev_own_nouns = _words(dev["own_nouns"])
        self.dev_role_of = _words(dev["role_of"])
        self.dev_words = _words(w for p in (*dev["passive"], *dev["active"], *dev["nominal"]) for w in p.split())

        self.kind_nouns = _words(lineage["kind_nouns"])
        self.member_of = phrase_pattern(lineage["member_of"])
        self.derived = phrase_pattern(lineage["derived"], adverbs=True)
        self.grounded = phrase_pattern(lineage["grounded"], adverbs=True)
        self.negations = phrase_pattern(lineage["negations"])
        self.lineage_words = _words(w for p in (*lineage["derived"], *lineage["grounded"]) for w in p.split()) | (
            self.kind_nouns
        )

        self.condition_cues = _words(uses["condition_cues"])
        self.population_cue = phrase_pattern(uses["population_cues"])
        self.list_intro = phrase_pattern(uses["list_intros"])
        self.contraindication = phrase_pattern(uses["contraindications"])

        self.year_cue = phrase_pattern(intro["cues"])
        self.year_since = phrase_pattern(intro["since_cues"])
        self.origin_verbs = _words(intro["origin_verbs"])
        self.year_not_before = phrase_pattern(intro["not_before"])
        self.year_labels = _words(intro["labels"])

        self.label_keys: dict[str, str] = {}
        for relation in ("developer", "alias", "uses", "populations", "grounded", "kind", "skip"):
            for key in labels[relation]:
                self.label_keys.setdefault(str(key).lower(), relation)
        for key in intro["labels"]:
            self.label_keys.setdefault(str(key).lower(), "year")
        self.label_pattern = re.compile(
            r"(?:(?P<qualifier>" + "|".join(sorted(labels["qualifiers"], key=len, reverse=True)) + r")\s+)?"
            r"(?P<key>" + "|".join(re.escape(k) for k in sorted(self.label_keys, key=len, reverse=True)) + r")"
            r"(?:\s*(?::|=|\s[-–—]\s|[-–—]\s)\s*|\s+(?=\S))",
            re.IGNORECASE,
        )

        self.honorifics = _words(names["honorifics"])
        self.name_suffixes = _words(names["suffixes"])
        self.particles = _words(names["particles"])
        self.roles = _words(names["roles"])
        self.role_pattern = phrase_pattern(names["roles"])
        self.organisations = frozenset(str(w) for w in names["organisations"])
        # the same words as one regex alternation ("Institute|Center|..."), longest first
        self.organisation_words = "|".join(re.escape(w) for w in sorted(self.organisations, key=len, reverse=True))
        self.not_person = frozenset(str(w) for w in names["not_person"])
        self.given_names = _words(data.get("given_names", ()))

        self.approach_heads = _words(approaches["heads"])
        self.approach_weak_heads = _words(approaches["weak_heads"])
        self.title_verbs = _words(approaches["title_verbs"])
        self.school_heads = _words(approaches["school_heads"])
        self.school_adjectives: dict[str, str] = {str(k): str(v) for k, v in approaches["school_adjectives"].items()}
        self.approach_defined_heads = _words(approaches["defined_heads"])
        self.approach_suffixes = tuple(str(s) for s in approaches["suffixes"])
        self.generic_modifiers = _words(approaches["generic_modifiers"])
        self.modifier_words = _words(approaches["modifier_words"])
        self.anaphors = phrase_pattern(approaches["anaphors"])
        self.theory_anaphors = phrase_pattern(theories.get("anaphors", []) or approaches["theory_anaphors"])

        self.theory_heads = _words(theories["heads"])
        self.theory_weak_heads = _words(theories["weak_heads"])
        self.theory_single_words = _words(theories["single_words"])
        self.theory_stop = _words(theories["stop"])
        self.theory_named_despite_stop = frozenset(
            tuple(str(name).lower().split()) for name in theories["named_despite_stop"]
        )
        self.psychology_fields = _words(theories["psychology_fields"])

        self.condition_names: dict[str, str] = {
            str(name).lower(): str(label) if label else str(name) for name, label in conditions["names"].items()
        }
        self.condition_heads = _words(conditions["heads"])
        self.condition_dropped = _words(conditions["dropped_modifiers"])
        self.condition_coordination_stop = _words(conditions["coordination_stop"])
        self.condition_generic_heads = _words(conditions["generic_heads"])
        self.variant_qualifiers = _words(lineage["variant_qualifiers"])

        self.population_heads = _words(populations["heads"])
        self.population_last_words = frozenset(head.split()[-1] for head in self.population_heads)
        self.population_needs_modifier = _words(populations["needs_modifier"])
        self.population_never_alone = _words(populations["never_alone"])
        self.population_of_heads = _words(populations["of_heads"])
        self.population_modifiers = _words(populations["modifiers"])
        self.population_labels: dict[str, str] = {str(k): str(v) for k, v in populations["labels"].items()}
        self.population_focused = _words(populations["focused_suffixes"])


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The lexicon of ``lexicon.yaml`` (read once per process)."""
    with LEXICON_FILE.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    _check_strings(data)
    return Lexicon(data)
