"""Segmenting a page into blocks (title, heading, bullet, item, paragraph) and sentences, as offsets; sections."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from loaders.extract.lexicon import lexicon

# --------------------------------------------------------------------------------------------------------------
# Blocks: line-level units of a page.
# --------------------------------------------------------------------------------------------------------------


_BULLET = re.compile(r"(?:[•●▪◦·‣∙*+]|[-–—](?=[ \t]))[ \t]+")

_ORDERED = re.compile(r"(?:\(?(\d{1,2})[.)]|(?:step|phase|stage)[ \t]+(\d{1,2})[ \t]*[:.–—-])[ \t]+", re.I)

_BOILER_LINE = re.compile(
    r"^(?:(?:loading\s*(?:\.\.\.|…)\s*)+|skip to (?:main )?content|menu|search|share|log ?in|sign ?in|sign up|subscribe"
    r"|advertisement|accept(?: all)? cookies?|cookie settings|back to top|print|close|open menu|home)\W*$",
    re.I,
)


class Block(NamedTuple):
    """A line-level unit of the page: ``kind`` is title, heading, bullet, ordered, para or boiler."""

    kind: str
    start: int
    end: int
    number: int = 0


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` narrowed to exclude leading and trailing whitespace (without copying the span)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _looks_like_heading(line: str, following: str = "") -> bool:
    """Whether a plain-text line reads like a heading (short, capitalised, no closing stop).

    Not when it runs on into the next line, as the lines of a hard-wrapped essay do: the next line starts in lower
    case, or the line ends on a word that cannot end a heading ("of", "the") or carries a clause (", which").
    """
    line = CITATION_MARKS.sub("", line)  # "... was founded in 1964.[5]" ends a sentence, not a heading
    if not line or not (line[0].isupper() or line[0].isdigit()):
        return False
    words = line.split()
    if line.endswith("?"):
        return len(words) <= 25
    if following[:1].islower() or words[-1].lower() in _RUN_ON_WORDS or _CLAUSE_IN_LINE.search(line) or (
        _YEAR_START.match(following)  # "... took shape in the late" / "1970's. His ...": a wrapped sentence
    ):
        return False
    if following and len(words) >= 9 and sum(w[:1].islower() for w in words) >= 0.6 * len(words):
        return False  # "Some of its themes had been anticipated by the Hungarian analyst" + "Sándor Ferenczi, ..."
    label = lexicon().label_pattern.match(line)
    if label is not None and re.search(r"[:=]|\s[-–—]\s", label.group()):
        return False  # "Also known as: ...", "Founder - ...": a label line
    return len(words) <= 12 and line[-1] not in ".,;:!" and not line.endswith(("…", "..."))


_RUN_ON_WORDS = frozenset(["of", "the", "a", "an", "and", "or", "to", "in", "that", "with", "for", "by", "on", "at",
                           "from", "as", "is", "was", "are", "were", "which", "who", "whose", "its", "his", "her",
                           "their", "than", "but", "not", "be", "been", "has", "have", "had", "late", "early", "mid",
                           "since", "until", "about", "around", "during"])
CITATION_MARKS = re.compile(r"(?:\[\d+\])+$")
_YEAR_START = re.compile(r"\d{4}(?:['’]?s)?[.,;]")
_CLAUSE_IN_LINE = re.compile(r",\s+(?:which|who|whose|where)\b")


def split_blocks(text: str, heading_starts: frozenset[int] | None = None) -> list[Block]:
    """Cut ``text`` into blocks; ``heading_starts`` (line offsets) overrides the plain-text heading guess.

    The first line is the page title unless it runs on into the next line (an essay starting mid-paragraph).
    """
    blocks: list[Block] = []
    position = 0
    previous_blank = True
    seen_title = False
    lines = text.split("\n")
    for index, raw in enumerate(lines):
        line_start = position
        position += len(raw) + 1
        line = raw.strip()
        if not line:
            previous_blank = True
            continue
        start = line_start + len(raw) - len(raw.lstrip())
        end = start + len(line)
        first = line[0]
        bullet = _BULLET.match(text, start, end) if not first.isalnum() else None
        ordered = _ORDERED.match(text, start, end) if not bullet and (first.isdigit() or first in "(SsPp") and (
            heading_starts is None or start not in heading_starts  # "## 5. Used for": a numbered heading
        ) else None
        if end - start < 40 and _BOILER_LINE.match(line):
            blocks.append(Block("boiler", start, end))
        elif not seen_title:
            seen_title = True
            following = lines[index + 1].strip() if index + 1 < len(lines) else ""
            runs_on = bool(following) and not line.endswith((".", ":", "?", "!")) and (
                following[:1].islower() or not _looks_like_heading(line, following)
            )
            if runs_on and (heading_starts is None or start not in heading_starts):
                blocks.append(Block("para", start, end))
            else:
                blocks.append(Block("title", start, end))
        elif bullet:
            blocks.append(Block("bullet", bullet.end(), end))
        elif ordered:
            number = int(ordered.group(1) or ordered.group(2))
            blocks.append(Block("ordered", ordered.end(), end, number))
        elif (start in heading_starts) if heading_starts is not None else previous_blank and _looks_like_heading(
            line, lines[index + 1].strip() if index + 1 < len(lines) else ""
        ):
            blocks.append(Block("heading", start, end))
        elif blocks and not previous_blank and blocks[-1].kind == "para" and not _starts_own_line(line):
            blocks[-1] = Block("para", blocks[-1].start, end)
        else:
            blocks.append(Block("para", start, end))
        previous_blank = False
    return blocks


def _starts_own_line(line: str) -> bool:
    """A line that starts a new unit even without a blank line before it: "Q: ...", "A: ...", "Founder - X"."""
    return line[:2] in ("Q:", "A:") or bool(_LABEL_START.match(line))


_LABEL_START = re.compile(r"[A-Z][A-Za-z-]*(?: [A-Za-z-]+){0,2} ?(?::| [-–—] )\s*\S")


# --------------------------------------------------------------------------------------------------------------
# Sentences.
# --------------------------------------------------------------------------------------------------------------


_SENTENCE_BREAK = re.compile(r"[.!?]+[\"”’')\]]*(?:\[(?:\d+|[a-z][a-z ]{0,20})\])*\s+(?=[\"“‘(\[]?[A-Z0-9])")

_ABBREVIATIONS = frozenset(
    [
        "dr",
        "drs",
        "mr",
        "mrs",
        "ms",
        "prof",
        "profs",
        "st",
        "vs",
        "etc",
        "e.g",
        "i.e",
        "al",
        "jr",
        "sr",
        "no",
        "fig",
        "approx",
        "ca",
        "inc",
        "co",
        "ph.d",
        "phd",
        "dept",
        "univ",
        "cf",
    ]
)


MAX_SENTENCE = 800


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside ``text[start:end]``; initials ("Susan M. Johnson") and abbreviations do not end one.

    A run without sentence punctuation is cut into pieces of at most ``MAX_SENTENCE`` characters at a space, so
    the rules that follow see bounded strings and the whole page is read in time linear in its length.
    """
    spans: list[tuple[int, int]] = []
    cursor = start
    for match in _SENTENCE_BREAK.finditer(text, start, end):
        dot = match.start()
        tail = text[max(cursor, dot - 8) : dot]
        word = tail.rsplit(None, 1)[-1].rsplit("(", 1)[-1].lower() if tail.strip() else ""
        if len(word) == 1 and word.isalpha() or word in _ABBREVIATIONS:
            continue
        sentence_end = match.end()
        _add_span(text, cursor, sentence_end, spans)
        cursor = sentence_end
    _add_span(text, cursor, end, spans)
    return spans


def _add_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    s, e = _strip_span(text, start, end)
    while e - s > MAX_SENTENCE:
        cut = text.rfind(" ", s + MAX_SENTENCE // 2, s + MAX_SENTENCE)
        cut = cut if cut > s else s + MAX_SENTENCE
        piece = _strip_span(text, s, cut)
        if piece[0] < piece[1]:
            spans.append(piece)
        s, e = _strip_span(text, cut, e)
    if s < e:
        spans.append((s, e))


# --------------------------------------------------------------------------------------------------------------
# Boilerplate: directory adverts, sign-up and booking lines.
# --------------------------------------------------------------------------------------------------------------


_BOILER_SENTENCE = re.compile(
    r"\b(?:directory (?:has|lists|of)|find a therapist|therapists near you|sign up|book (?:a|an|your) "
    r"(?:free )?(?:consultation|appointment|session)|call us|contact us|grow a thriving|list your practice"
    r"|join our (?:network|directory)|loading\s*\.\.\.|all rights reserved|privacy policy|terms of (?:use|service))",
    re.I,
)

_BOILER_STEMS = (
    "directory",
    "find a therap",
    "therapists near",
    "sign up",
    "book ",
    "call us",
    "contact us",
    "grow a thriving",
    "list your practice",
    "join our",
    "loading",
    "all rights",
    "privacy policy",
    "terms of",
)

BOILER_STEM_RE = re.compile("|".join(re.escape(stem) for stem in _BOILER_STEMS))


def looks_like_boilerplate(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is a directory advert, sign-up or booking line rather than content."""
    return (
        BOILER_STEM_RE.search(text[start:end].lower()) is not None
        and _BOILER_SENTENCE.search(text, start, end) is not None
    )


# --------------------------------------------------------------------------------------------------------------
# Sections and lists: what a heading opens, what a list's items are, a block's "Name (ACR):" head.
# --------------------------------------------------------------------------------------------------------------


SECTION_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("session", re.compile(r"\bexpect\b|\bsessions?\b(?! length)|\bwhat happens\b", re.I)),
    ("length", re.compile(r"\blength\b|\bstructure\b|how long|\bduration\b|\bphases\b|\bstages\b|\bcourse of", re.I)),
    ("adaptations", re.compile(r"\badaptations\b|\badapted (?:versions|forms)\b|\boffshoots\b", re.I)),
    (
        "subtypes",
        re.compile(
            r"\bsubtypes?\b|\btypes of\b|\bvariants?\b|\bforms of\b|\bbranches\b"
            r"|\bvariations\b|\bofferings\b",
            re.I,
        ),
    ),
    ("goals", re.compile(r"\bgoals?\b|\baims?\b|\bobjectives?\b", re.I)),
    (
        "uses",
        re.compile(
            r"\btreat\b|\buses\b|who (?:is it|can it) (?:for|help)|\bhelpful for\b|\bconditions\b"
            r"|who can benefit|\bindications\b|\bwho we help\b|\bused for\b|\bwho (?:we|our)\b|who is .{1,40} for"
            r"|\bhelps? with\b|\bapplications\b|where (?:it|.{1,30}) is used|where it'?s used|what problems"
            r"|could .{1,40} help|who can take part|who .{1,30} for\b|\bused with\b"
            r"|\bproblems\s+(?:addressed|treated|targeted)\b|\btarget\s+(?:population|group)s?\b|\bpopulations?\s+served\b",
            re.I,
        ),
    ),
    (
        "techniques",
        re.compile(
            r"\btechniques?\b|how (?:it|does .{1,60}) work|\bmethods?\b|\bstrategies\b"
            r"|\bcomponents\b|\bskills\b|\binterventions\b",
            re.I,
        ),
    ),
    ("origins", re.compile(r"\borigins?\b|\bhistory\b|who developed|\bbackground\b|\bdevelopment\b", re.I)),
    (
        "lineage",
        re.compile(
            r"\binfluences\b|\btheoretical (?:foundations?|basis|roots|background|underpinnings?)\b|\broots\b"
            r"|\bfoundations\b|\bdraws on\b|\bbuilt on\b|\binfluenced by\b|\blineage\b|\bheritage\b",
            re.I,
        ),
    ),
    ("evidence", re.compile(r"\bevidence\b|\beffective(?:ness)?\b|\bresearch\b|\bresults\b", re.I)),
)

_SECTION_STEMS: dict[str, tuple[str, ...]] = {
    "session": ("expect", "session", "what happens"),
    "length": ("length", "structure", "how long", "duration", "phases", "stages", "course of"),
    "adaptations": ("adaptations", "adapted", "offshoots"),
    "subtypes": ("subtype", "types of", "variant", "forms of", "branches", "variations", "offerings"),
    "goals": ("goal", "aim", "objective"),
    "uses": ("treat", "uses", "who ", "helpful for", "conditions", "indications", "used", "help", "applications",
             "problems", "target", "populations", "population served"),
    "techniques": ("techni", "how ", "method", "strategies", "components", "skills", "interventions"),
    "origins": ("origin", "history", "who developed", "background", "development"),
    "lineage": ("influence", "theoretical", "roots", "foundation", "draws on", "built on", "lineage", "heritage"),
    "evidence": ("evidence", "effective", "research", "results"),
}

_BOILER_HEADING = re.compile(
    r"\b(?:find(?:ing)? a (?:therapist|provider|clinician)|for providers|getting care|are you a (?:mental health )?"
    r"(?:care )?provider|newsletter|sign up|related (?:articles|posts|reading|content)|share this|advertisement"
    r"|cookies?|join our|list your practice|book (?:a|an) |contact us|our (?:[\w-]+ )?(?:team|clinicians|therapists"
    r"|locations|counsellors|counselors|practitioners)|your (?:[\w-]+ )?team|make a referral|how to be referred"
    r"|upcoming events|becoming a|fees|opening hours|reading for|references|bibliography|see also|further reading)",
    re.I,
)

_BOILER_HEADING_STEMS = (
    "find",
    "provider",
    "getting care",
    "newsletter",
    "sign up",
    "related",
    "share this",
    "advertisement",
    "cookie",
    "join our",
    "list your",
    "book a",
    "contact us",
    "our ",
    "your ",
    "referr",
    "events",
    "becoming",
    "fees",
    "hours",
    "reading",
    "references",
    "bibliography",
    "see also",
)


_SECTION_NUMBER = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*|[IVX]{1,4})[.)]?\s+(?=[A-Za-z])")


@lru_cache(maxsize=4096)
def classify_heading(heading: str) -> tuple[str, bool]:
    """The section kind a heading opens (goals, uses, subtypes, ...; "" if none) and whether it is boilerplate."""
    heading = _SECTION_NUMBER.sub("", heading, count=1)  # "5. Used for", "2.1 Origins", "IV) History"
    lowered = heading.lower()
    kind = next(
        (
            name
            for name, pattern in SECTION_KINDS
            if any(stem in lowered for stem in _SECTION_STEMS[name]) and pattern.search(heading)
        ),
        "",
    )
    boiler = any(stem in lowered for stem in _BOILER_HEADING_STEMS) and _BOILER_HEADING.search(heading) is not None
    return kind, boiler


_LINEAGE_INTRO = re.compile(
    r"\b(?:draws?\s+on|drawing\s+on|based\s+on|builds?\s+on|rooted\s+in|grounded\s+in|influenced\s+by"
    r"|influences(?:\s+include)?|combines|integrates|blends|grew\s+out\s+of|borrows\s+from|roots(?:\s+include)?)"
    r"\s*:$",
    re.I,
)
_PHASE_WORD = re.compile(r"\b(?:phases?|stages?|steps?)\b", re.I)


@lru_cache(maxsize=1024)
def list_role(ordered: bool, section: str, intro: str) -> str:
    """What the items of a list are (phase, session, goal, technique, uses or nothing), from its intro and section."""
    if intro:
        if ordered and _PHASE_WORD.search(intro):
            return "phase"
        if "expect" in intro:
            return "session"
        if re.search(r"\bgoals?\b|\baims?\b|\bobjectives\b", intro):
            return "goal"
        if re.search(r"\btechniques?\b|\bmethods\b|\bstrategies\b|\btools\b|\binterventions\b", intro):
            return "technique"
        if intro.endswith(":") and _LINEAGE_INTRO.search(intro):
            return "lineage"  # "It draws on:", "Influences include:"
        if re.search(r"\b(?:ideas|concepts|principles|tenets|terms|notions|themes|assumptions)\b", intro):
            return ""  # "Key ideas include:": the items are the approach's ideas, not what it treats
        if re.search(
            r"helpful for|designed for|used (?:to treat|for|with)|\btreats?\b|benefit|suited|"
            r"\bhelps?\b.*:$|effective for|recommended for|works? (?:well )?(?:for|with)",
            intro,
        ) or (intro.endswith(":") and lexicon().list_intro.search(intro[-60:])):
            return "uses"
    if ordered and section == "length":
        return "phase"
    return {"goals": "goal", "techniques": "technique", "session": "session", "uses": "uses",
            "lineage": "lineage"}.get(section, "")


_HEAD_RE = re.compile(
    r"([A-Z][^:()\n–—]{1,70}?)\s*(?:\(([A-Z][A-Za-z0-9]{0,3}(?:-[A-Z][A-Za-z0-9]{0,5})?[A-Z0-9]?)\))?\s*(?::|\s[–—-]\s)"
)


def block_head(text: str, block: Block) -> re.Match[str] | None:
    """The "Name (ACR):" or "Name – " head a block starts with, if any."""
    window = text[block.start : min(block.end, block.start + 90)]
    if ":" not in window and " – " not in window and " — " not in window and " - " not in window:
        return None
    return _HEAD_RE.match(text, block.start, block.end)
