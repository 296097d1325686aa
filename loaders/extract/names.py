"""Names on therapy pages: slugs and ids, person-name keys, approach-name keys, short labels and the three EFTs."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

# --------------------------------------------------------------------------------------------------------------
# Slugs and ids.
# --------------------------------------------------------------------------------------------------------------


_SLUG_DROP = re.compile(r"[^a-z0-9]+")

_SPELLING = (
    ("behaviour", "behavior"),
    ("counselling", "counseling"),
    ("programme", "program"),
    ("mentalisation", "mentalization"),
    ("mentalising", "mentalizing"),
    ("centred", "centered"),
)


@lru_cache(maxsize=16384)
def ascii_fold(label: str) -> str:
    """``label`` in lower-case ASCII: accents dropped (Sándor -> sandor), other scripts transliterated (anyascii)."""
    if label.isascii():
        return label.lower()
    decomposed = unicodedata.normalize("NFKD", label)
    without_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return (without_marks if without_marks.isascii() else anyascii(without_marks)).lower()


@lru_cache(maxsize=16384)
def slugify(label: str, limit: int = 80) -> str:
    """Lower-case ASCII slug of ``label`` with US spellings, cut at a word boundary within ``limit``."""
    ascii_text = ascii_fold(label)
    for british, american in _SPELLING:
        ascii_text = ascii_text.replace(british, american)
    slug = _SLUG_DROP.sub("-", ascii_text.replace("'", "").replace("’", "")).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug


_KEY_TAILS = ("-psychotherapy", "-psychotherapies", "-therapy", "-therapies", "-treatment", "-model", "-approach",
              "-intervention", "-method")


@lru_cache(maxsize=16384)
def name_key(name: str) -> str:
    """The page-local key of an approach name: its slug without a trailing "-therapy" and the like, singular.

    ``"Schema therapies"``, ``"Schema Therapy"`` and ``"schema therapy"`` share the key ``schema``.
    """
    key = slugify(name)
    for tail in _KEY_TAILS:
        if key.endswith(tail) and len(key) > len(tail) + 2:
            return key[: -len(tail)]
    return key


def capitalise(label: str) -> str:
    """``label`` with its first character upper-cased."""
    return label[:1].upper() + label[1:] if label else label


# --------------------------------------------------------------------------------------------------------------
# People: ids folded over titles, initials and nicknames.
# --------------------------------------------------------------------------------------------------------------


NICKNAMES: dict[str, str] = {
    "sue": "susan", "dan": "daniel", "danny": "daniel", "bob": "robert", "rob": "robert", "bill": "william",
    "will": "william", "jim": "james", "jimmy": "james", "mike": "michael", "pete": "peter", "tom": "thomas",
    "steve": "steven", "les": "leslie", "dick": "richard", "rick": "richard", "dave": "david", "liz": "elizabeth",
    "beth": "elizabeth", "kate": "katherine", "kathy": "katherine", "chris": "christopher", "tony": "anthony",
    "al": "albert", "fred": "frederick", "ed": "edward", "ted": "edward", "jeff": "jeffrey", "ken": "kenneth",
    "marty": "martin", "sam": "samuel", "ben": "benjamin", "joe": "joseph", "larry": "lawrence", "jack": "john",
    "matt": "matthew", "nick": "nicholas", "pat": "patricia", "andy": "andrew", "greg": "gregory",
}

_TITLES = frozenset(["dr", "dr.", "drs", "prof", "prof.", "professor", "mr", "mrs", "ms", "sir", "dame"])

_SUFFIXES = frozenset(
    ["phd", "ph.d.", "md", "m.d.", "psyd", "psy.d.", "jr", "jr.", "sr", "sr.", "lcsw", "lmft", "abpp", "frcpsych"]
)


_PARTICLES = frozenset(["van", "von", "de", "da", "del", "della", "der", "den", "la", "le", "di", "du", "dos", "ten",
                        "ter", "zu"])


def _is_initial(word: str) -> bool:
    """ "M." or "M": a middle initial."""
    return len(word) <= 2 and word[0].isalpha() and (len(word) == 1 or word[1] == ".")


@lru_cache(maxsize=16384)
def person_key(name: str) -> tuple[str, str] | None:
    """``(canonical first name, surname)`` of a person's name: titles, initials and nicknames folded.

    ``"Dr. Sue M. Johnson"`` -> ``("susan", "johnson")``; ``"Steve de Shazer"`` -> ``("steven", "de shazer")``.
    """
    cleaned = ascii_fold(name).replace(",", " ")
    words = [w for w in cleaned.split() if w not in _TITLES and w not in _SUFFIXES]
    named = [w for w in words if w in _PARTICLES or not _is_initial(w)]
    if len(named) == 1 and len(words) > 1 and all(_is_initial(w) for w in words[:-1]):
        return " ".join(w.strip(".") for w in words[:-1]), named[0].replace("’", "'")  # "G. L. Harrington"
    words = named
    if len(words) < 2 or words[0] in _PARTICLES:
        return None
    first = words[0].strip(".")
    index = len(words) - 1
    while index > 1 and words[index - 1] in _PARTICLES:
        index -= 1
    surname = " ".join(words[index:])
    return NICKNAMES.get(first, first), surname.replace("’", "'")


def person_id(name: str) -> str | None:
    """Entity id of a person: ``"Dr. Sue M. Johnson"`` -> ``theorist/susan-johnson``."""
    key = person_key(name)
    return f"theorist/{slugify(' '.join(key))}" if key else None


# --------------------------------------------------------------------------------------------------------------
# Labels.
# --------------------------------------------------------------------------------------------------------------


_CLAUSE_CUT = re.compile(
    r"\s*(?::|;| — | – | - |—|\(|\.\s|\.$)|,\s+(?=where|which|so|making|while|as|because|including|such as"
    r"|especially|who|helping|allowing|using|with)|\s+so\s+(?=that\b|\w+\s+(?:can|will|may|could)\b)"
    r"|\s+(?=and how\b|that\s|which\s|with the\s|with a\s|by\s|in order to\s)"
)

_STRIP_QUOTES = str.maketrans("", "", '“”"‘’*_`')


def short_label(text: str, min_words: int = 2) -> str:
    """A short label from a list item: the head before a colon, dash or trailing clause; quotes dropped."""
    text = text.strip()
    for match in _CLAUSE_CUT.finditer(text):
        head = text[: match.start()]
        if len(head.split()) >= min_words:
            text = head
            break
    text = text.translate(_STRIP_QUOTES).strip(" .,;:!?")
    if text.startswith("’") or text.startswith("'"):
        text = text[1:]
    return " ".join(text.split())


# --------------------------------------------------------------------------------------------------------------
# EFT: three approaches share the acronym.
# --------------------------------------------------------------------------------------------------------------


EFT_ACRONYM = "EFT"

EFT_FULL_NAMES: dict[str, str | None] = {
    "emotionally focused therapy": "modality/emotionally-focused-therapy",
    "emotionally focused couple therapy": "modality/emotionally-focused-therapy",
    "emotionally focused couples therapy": "modality/emotionally-focused-therapy",
    "emotionally-focused therapy": "modality/emotionally-focused-therapy",
    "emotionally-focused couple therapy": "modality/emotionally-focused-therapy",
    "emotion-focused therapy": "modality/emotion-focused-therapy",
    "emotion focused therapy": "modality/emotion-focused-therapy",
    "emotional freedom techniques": None,
    "emotional freedom technique": None,
}

_EFT_COUPLES_CUES = re.compile(r"\b(?:couples?|partners?|johnson|romantic|attachment|bond(?:s|ing)?|marital)\b", re.I)

_EFT_EMOTION_CUES = re.compile(
    r"\b(?:emotion[- ]focused|greenberg|emotion schemes?|individual therapy|process[- ]experiential|humanistic"
    r"|chair work|elliott)\b",
    re.I,
)

_EFT_TAPPING_CUES = re.compile(r"\b(?:tapping|acupressure|meridians?|acupoints?|gary craig|energy psychology)\b", re.I)

_EMOTIONAL_FREEDOM = re.compile(r"\bemotional freedom techniques?\b", re.I)


def disambiguate_eft(context: str) -> str | None:
    """Which EFT a bare "EFT" means in ``context``: the couples therapy, the emotion-focused one, or None (tapping)."""
    if _EFT_TAPPING_CUES.search(context) or _EMOTIONAL_FREEDOM.search(context):
        tapping = len(_EFT_TAPPING_CUES.findall(context)) + 2 * len(_EMOTIONAL_FREEDOM.findall(context))
    else:
        tapping = 0
    couples = len(_EFT_COUPLES_CUES.findall(context))
    emotion = len(_EFT_EMOTION_CUES.findall(context))
    if tapping > couples and tapping > emotion:
        return None
    if "johnson" in context.lower() or couples >= emotion:
        return "modality/emotionally-focused-therapy"
    return "modality/emotion-focused-therapy"
