"""Names on therapy pages: slugs, person names and ids, modality head words, short labels and the EFT names."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# --------------------------------------------------------------------------------------------------------------
# Slugs.
# --------------------------------------------------------------------------------------------------------------


_SLUG_DROP = re.compile(r"[^a-z0-9]+")

_SPELLING = (
    ("behaviour", "behavior"),
    ("counselling", "counseling"),
    ("programme", "program"),
    ("mentalisation", "mentalization"),
    ("mentalising", "mentalizing"),
)


@lru_cache(maxsize=8192)
def slugify(label: str, limit: int = 80) -> str:
    """Lower-case ASCII slug of ``label`` with US spellings, cut at a word boundary within ``limit``."""
    if label.isascii():
        ascii_text = label.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", label)
        ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    for british, american in _SPELLING:
        ascii_text = ascii_text.replace(british, american)
    slug = _SLUG_DROP.sub("-", ascii_text.replace("'", "").replace("’", "")).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug


# --------------------------------------------------------------------------------------------------------------
# People: ids folded over titles, initials and nicknames; the regex fragments that find names.
# --------------------------------------------------------------------------------------------------------------


NICKNAMES: dict[str, str] = {
    "sue": "susan",
    "dan": "daniel",
    "danny": "daniel",
    "bob": "robert",
    "rob": "robert",
    "bill": "william",
    "will": "william",
    "jim": "james",
    "jimmy": "james",
    "mike": "michael",
    "pete": "peter",
    "tom": "thomas",
    "steve": "steven",
    "les": "leslie",
    "dick": "richard",
    "rick": "richard",
    "dave": "david",
    "liz": "elizabeth",
    "beth": "elizabeth",
    "kate": "katherine",
    "kathy": "katherine",
    "chris": "christopher",
    "tony": "anthony",
    "al": "albert",
    "fred": "frederick",
    "ed": "edward",
    "ted": "edward",
    "jeff": "jeffrey",
    "ken": "kenneth",
    "marty": "martin",
    "sam": "samuel",
    "ben": "benjamin",
    "joe": "joseph",
    "larry": "lawrence",
    "jack": "john",
    "matt": "matthew",
    "nick": "nicholas",
    "pat": "patricia",
    "andy": "andrew",
    "greg": "gregory",
}

_TITLES = frozenset(["dr", "dr.", "drs", "prof", "prof.", "professor", "mr", "mrs", "ms", "sir", "dame"])

_SUFFIXES = frozenset(
    ["phd", "ph.d.", "md", "m.d.", "psyd", "psy.d.", "jr", "jr.", "sr", "sr.", "lcsw", "lmft", "abpp", "frcpsych"]
)


def person_key(name: str) -> tuple[str, str] | None:
    """``(canonical first name, surname)`` of a person's name: titles, initials and nicknames folded."""
    cleaned = unicodedata.normalize("NFKD", name)
    cleaned = "".join(ch for ch in cleaned if not unicodedata.combining(ch)).replace(",", " ")
    words = [w for w in cleaned.split() if w.lower() not in _TITLES and w.lower() not in _SUFFIXES]
    words = [w for w in words if not (len(w) <= 2 and w[0].isalpha() and (len(w) == 1 or w[1] == "."))]
    if len(words) < 2:
        return None
    first = words[0].lower().strip(".")
    return NICKNAMES.get(first, first), words[-1].lower().replace("’", "'")


def person_id(name: str) -> str | None:
    """Entity id of a person: ``"Dr. Sue M. Johnson"`` -> ``theorist/susan-johnson``."""
    key = person_key(name)
    return f"theorist/{slugify(' '.join(key))}" if key else None


NAME_WORD = r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*"

PERSON = (
    rf"(?:(?:Dr|Prof|Professor)\.?\s+)?{NAME_WORD}(?:\s+[A-Z]\.)*(?:\s+(?:van|von|de|da|del|der|la|le)"
    rf"(?=\s))?\s+{NAME_WORD}(?:,?\s+(?:Jr|Sr)\.?)?"
)

PERSON_RE = re.compile(PERSON)

ROLE = (
    r"(?:(?:the\s+)?(?:\w+\s+)?(?:psychologists?|psychiatrists?|psychoanalysts?|clinicians?|researchers?"
    r"|therapists?|professors?|social workers?|physicians?|colleagues?)\s+)?"
)

PERSON_LIST = rf"{PERSON}(?:\s*,\s*(?:and\s+)?{PERSON}|\s+(?:and|&)\s+{PERSON})*"

_NOT_NAME_WORDS = frozenset(
    [
        "The",
        "This",
        "That",
        "These",
        "Those",
        "Therapy",
        "Psychotherapy",
        "Treatment",
        "University",
        "Institute",
        "Center",
        "Centre",
        "Hospital",
        "College",
        "In",
        "During",
        "Since",
        "After",
        "Before",
        "When",
        "While",
        "Although",
        "Both",
        "Many",
        "Most",
        "Some",
        "Its",
        "It",
        "Their",
        "His",
        "Her",
        "Our",
        "Your",
        "Yes",
        "No",
        "Association",
        "Society",
        "Clinic",
        "School",
        "Department",
        "Journal",
        "Press",
        "Foundation",
        "Trust",
        "Health",
        "Medical",
        "American",
        "British",
        "Canadian",
        "National",
        "International",
        "Attachment",
        "Behavior",
        "Behaviour",
        "Cognitive",
        "Dialectical",
        "Emotionally",
        "Schema",
        "Family",
        "Internal",
        "Systems",
        "Eye",
        "Movement",
        "Model",
        "Approach",
        "Program",
        "Programme",
        "Training",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ]
)


def is_valid_person(name: str) -> bool:
    """Whether a matched name is a person rather than an institution, month or modality word."""
    words = [w for w in name.replace(",", " ").split() if w.strip(".") not in ("Dr", "Prof", "Professor", "Jr", "Sr")]
    return not any(w in _NOT_NAME_WORDS for w in words)


# --------------------------------------------------------------------------------------------------------------
# Modality names: head words ("Therapy", "treatment", ...) and the capitalised run before them.
# --------------------------------------------------------------------------------------------------------------


MODALITY_HEAD = (
    r"(?:Therapy|Psychotherapy|Treatment|Counsel(?:l)?ing|Analysis|Reprocessing|Training|Intervention"
    r"|Psychoanalysis|Program(?:me)?|therapy|psychotherapy|treatment|counsel(?:l)?ing)"
)

_CAP_TOKEN = r"[A-Z][A-Za-z'’]*(?:-[A-Za-z]+)*"

_HEAD_WORD_RE = re.compile(rf"(?<![\w-]){MODALITY_HEAD}\b(?!-)")

_CAP_TOKEN_RE = re.compile(rf"{_CAP_TOKEN}$")

_CONNECTORS = frozenset({"and", "of", "for", "in", "&"})

_HEAD_FIND_STEMS = (
    "therapy",
    "treatment",
    "counsel",
    "analysis",
    "reprocessing",
    "training",
    "intervention",
    "program",
)


def head_words(text: str) -> list[re.Match[str]]:
    """Head words of modality names ("Therapy", "treatment", ...) in ``text``, found with str.find, in order."""
    lowered = text.lower()
    found: dict[int, re.Match[str]] = {}
    for stem in _HEAD_FIND_STEMS:
        position = lowered.find(stem)
        while position >= 0:
            word_start = position
            while word_start > 0 and lowered[word_start - 1].isalpha():
                word_start -= 1
            if word_start not in found:
                match = _HEAD_WORD_RE.match(text, word_start)
                if match is not None:
                    found[word_start] = match
            position = lowered.find(stem, position + len(stem))
    return [found[key] for key in sorted(found)]


_NON_SPACE = re.compile(r"\S+")


def name_start_before(text: str, begin: int, start: int) -> int:
    """Where a run of up to six capitalised words (with and/of/for/in/&) ending at ``begin`` starts."""
    window_start = max(start, begin - 160)
    window = text[window_start:begin]
    if not window or window[-1] not in " \t":
        return begin
    words = list(_NON_SPACE.finditer(window))
    if words and window_start > start and not text[window_start - 1].isspace():
        words = words[1:]  # a word cut by the window is not a word
    pending = begin
    taken = 0
    following = len(window)
    for word_match in reversed(words):
        gap = window[word_match.end() : following]
        if not gap or gap.strip(" \t"):
            break
        word = word_match.group(0)
        following = word_match.start()
        if word in _CONNECTORS:
            continue
        if taken == 6 or not _CAP_TOKEN_RE.match(word):
            break
        taken += 1
        pending = window_start + word_match.start()
    return pending


LEADING_STOP = frozenset(
    [
        "The",
        "A",
        "An",
        "In",
        "This",
        "That",
        "These",
        "Those",
        "Like",
        "Unlike",
        "Both",
        "Many",
        "Most",
        "Modern",
        "Classic",
        "Traditional",
        "Standard",
        "Each",
        "Every",
        "Its",
        "Their",
        "His",
        "Her",
        "Our",
        "Your",
        "Any",
        "Some",
        "Such",
        "Rather",
        "Through",
        "During",
        "Since",
        "After",
        "Before",
        "While",
        "When",
        "Although",
        "Why",
        "How",
        "What",
        "Who",
        "Whether",
        "Today",
        "Whereas",
        "For",
        "With",
        "From",
        "By",
        "As",
        "At",
        "Of",
        "On",
        "To",
        "Than",
        "Other",
        "Conventional",
        "Usual",
        "Regular",
        "Ordinary",
        "Weekly",
        "Individual",
        "Group",
        "Talk",
        "Online",
        "Brief",
        "Effective",
        "Compared",
        "Versus",
        "Yes",
        "No",
        "Combined",
        "Adding",
        "Add",
        "Receiving",
        "Received",
        "Short-Term",
        "Long-Term",
        "Short",
        "Long",
        "Evidence-Based",
        "Outpatient",
        "Inpatient",
        "Family",
        "Couples",
        "Couple",
    ]
)

GENERIC_HEADS = frozenset(
    {
        "therapy",
        "psychotherapy",
        "treatment",
        "counseling",
        "counselling",
        "training",
        "analysis",
        "intervention",
        "program",
        "programme",
    }
)


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


def capitalise(label: str) -> str:
    """``label`` with its first character upper-cased."""
    return label[:1].upper() + label[1:] if label else label


# --------------------------------------------------------------------------------------------------------------
# EFT: three approaches share the acronym.
# --------------------------------------------------------------------------------------------------------------


EFT_ACRONYM = "EFT"

EFT_FULL_NAMES: dict[str, str | None] = {
    "emotionally focused therapy": "modality/emotionally-focused-therapy",
    "emotionally focused couple therapy": "modality/emotionally-focused-therapy",
    "emotionally focused couples therapy": "modality/emotionally-focused-therapy",
    "emotionally-focused therapy": "modality/emotionally-focused-therapy",
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
