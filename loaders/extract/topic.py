"""Which approach (or theory) a page is about, and which one a heading is about."""

from __future__ import annotations

import re
from collections import Counter

from loaders.extract.gazetteer import fold
from loaders.extract.lexicon import lexicon
from loaders.extract.mentions import Mention, MentionFinder, acronym_expansion
from loaders.extract.segment import Block, split_sentences

_APPROACH_TYPES = ("Modality", "Theory")
_QUESTION = re.compile(
    r"^(?:what\s+(?:is|are)|how\s+(?:did|does|do|is)|who\s+(?:developed|created|founded)|why|when\s+(?:did|was)"
    r"|about|a\s+(?:beginner['’]s\s+)?guide\s+to|an\s+introduction\s+to|introducing|understanding)\s+",
    re.IGNORECASE,
)
_TAIL = re.compile(
    r"\s*(?:[:|–—]\s.*|\s+-\s.*|\?.*|\s+(?:in|near|at)\s+[A-Z][\w .,]*$|\s+(?:start|begin|work|come from)\??$"
    r"|\s*\([^)]*\)\s*$)",
)
_DEFINES = re.compile(
    r"^\s*(?:\([^)]*\)\s*)?(?:,[^,]{0,80},\s*)?(?:is|was|are|refers to|describes)\s+(?:a|an|the|one)\b", re.IGNORECASE
)


_MASTHEAD = re.compile(r"[A-Z][A-Z&' -]*(?:\s*[|/·•]\s*[^|/·•\n]+)+")  # "HEALTH | Riverside Courier"
_JOURNAL_HEADER = re.compile(  # "Journal of Addiction Practice Research, Vol. 14, No. 2": the issue, not the title
    r"\s*(?:The\s+)?(?:[A-Z][\w&-]*\s+){0,4}(?:Journal|Review|Quarterly|Bulletin|Annals|Proceedings)\b[^\n]{0,80}?"
    r"\b(?:Vol\.?|Volume|No\.|Issue)\s*\d"
)
_BOOK_REVIEW = re.compile(  # "Book review: The Theory and Practice of ...": the title names a book
    r"\s*(?:Book\s+review|Review(?:ed)?|New\s+books?|Books\s+in\s+brief)\s*[:|–—-]", re.IGNORECASE
)
_TERM_ACRONYM = re.compile(r"\s*\(([A-Z][A-Za-z]{1,7})\)")  # "(PMR)" after a glossary term
_BREADCRUMB = re.compile(r"\s+[>»›]\s+")  # "Glossary of Psychological Treatments > P > Progressive muscle relaxation"
_WHAT_IS = re.compile(r"\s*(?:\d+[.)]\s*)?what\s+(?:is|are)\s+\S", re.IGNORECASE)
_HEAD_AFTER = re.compile(r"\s+(?:theory|model|therapy|psychotherapy|treatment|training|approach)")
_CAMEL_CASE = re.compile(r"[A-Z][a-z]+(?:[A-Z][a-z]+)+")  # "PsychLexicon", "MindBodyHub": a brand, not a name
_TITLE_PARTS = re.compile(r"\s*[:,|–—]\s*|\s+-\s+")
_SENTENCE_START = re.compile(r"(?:[.!?:]\s+|\n\s*)(?:The\s+)?$")
_TITLE_ACRONYM = re.compile(r"\(([A-Z][A-Za-z0-9&-]{1,8})\)\s*$")
_OPENS_DEFINING = re.compile(r"\s*(?:\([^)]*\)\s*)?(?:,[^,]{1,60},\s*)?(?:is|was|are|were)\s+(?:a|an|the|one)\b")
_ANNOUNCES = re.compile(
    r"(?:my|our|some|a\s+few|field|seminar|reading|study|lecture)?\s*(?:notes|thoughts|reflections|lessons)\s+"
    r"(?:on|about|from)\s+|(?:a\s+(?:first\s+|closer\s+|quick\s+)?look\s+at|getting\s+to\s+know|meet|why\s+I\s+"
    r"(?:teach|use|practise|practice|love|chose|recommend))\s+",
    re.IGNORECASE,
)


def find_topic(finder: MentionFinder, blocks: list[Block]) -> str | None:
    """The page's topic: what its title names, else the approach it defines first or names most often.

    Titles with no therapy word ("Psychodrama", "Motivational Interviewing"), plural ("Schema therapies"),
    questions ("How did EMDR start?") and directory titles ("Bowen Family Systems Therapists in Columbus") count.
    """
    text = finder.text
    records = finder.records
    content = [b for b in blocks if b.kind != "boiler"]
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for mention in finder.mentions:
        if mention.type in _APPROACH_TYPES:
            entity_id = records.canonical(mention.id)
            counts[entity_id] += 1
            first_seen.setdefault(entity_id, mention.start)
    title = next((b for b in content if b.kind == "title"), None)
    if title is not None and _JOURNAL_HEADER.match(text, title.start, title.end):
        following = next((b for b in content if b.start > title.end), None)
        if following is not None and following.kind in ("para", "heading") and following.end - following.start < 240:
            title = Block("title", following.start, following.end)  # the article's own title under the header
    if title is not None and _BOOK_REVIEW.match(text, title.start, title.end):
        title = None  # "Book review: The Theory and Practice of Group Psychotherapy": the title names a book
    heads = [b for b in content if b.kind in ("title", "heading")][:3]
    for block in ([title] if title is not None else []) + [h for h in heads if h is not title]:
        line = text[block.start : block.end]
        asides = [(block.start + a.start(), block.start + a.end()) for a in re.finditer(r"\([^)]*\)", line)]
        in_title = [m for m in finder.within(block.start, block.end) if m.type in _APPROACH_TYPES
                    and not any(a <= m.start < b for a, b in asides)]
        if in_title:
            best = max(in_title, key=lambda m: (counts[records.canonical(m.id)] >= 2, -m.start))
            dwelt = max(in_title, key=lambda m: (counts[records.canonical(m.id)], -m.start))
            best_id, dwelt_id = records.canonical(best.id), records.canonical(dwelt.id)
            if dwelt_id != best_id and (dwelt.type == best.type or dwelt.type == "Modality") and (
                counts[dwelt_id] >= 2 * counts[best_id]  # "Family therapy module: week 7 notes: the Milan approach"
                or (counts[dwelt_id] > counts[best_id]
                    and _sentence_subjects(finder, dwelt_id) > _sentence_subjects(finder, best_id))
            ):  # "When CBT isn't landing: a look at Mode Deactivation Therapy": the page's sentences are about MDT
                best = dwelt
            best_id = _qualified(finder, best, block, counts) or records.canonical(best.id)
            if counts[best_id] >= 2 or (block is title and not _outnamed(counts, best_id)):
                return best_id
        named = _title_name(finder, block)
        if named is not None:
            return named
        if block is title:
            break
    for block in content[:4]:  # a breadcrumb trail names the page in its last step: "Home › Resources › ... › RFT"
        steps = _BREADCRUMB.split(text[block.start : block.end]) if block.kind != "bullet" else []
        if len(steps) >= 3 and (named := _title_name(finder, block, steps[-1], least=1)) is not None:
            return named
    if title is not None and (short := _title_short_name(finder, title, counts)) is not None:
        return short
    if title is not None and (announced := _title_part_name(finder, title)) is not None:
        return announced
    if title is None and content and content[0].kind == "para":  # an untitled essay: its opening subject
        opening = [m for m in finder.within(content[0].start, content[0].end) if m.type in _APPROACH_TYPES]
        if opening and opening[0].start == content[0].start:
            return records.canonical(opening[0].id)
    for block in content:  # "WHAT IS MARTE MEO?" inside a leaflet whose title is the charity's name
        if block.kind == "heading" and _WHAT_IS.match(text, block.start, block.end):
            named = _title_name(finder, block)
            if named is not None:
                return named
            asked = [m for m in finder.within(block.start, block.end) if m.type in _APPROACH_TYPES]
            if asked:  # "What Is Inference-Based CBT, and Could It Help My OCD?"
                return _qualified(finder, asked[0], block, counts) or records.canonical(asked[0].id)
    for block in content[:12]:
        if block.kind not in ("para", "bullet"):
            continue
        mentions = [m for m in finder.within(block.start, min(block.end, block.start + 300))
                    if m.type in _APPROACH_TYPES]
        if mentions and mentions[0].start - block.start < 60 and _DEFINES.match(text, mentions[0].end, block.end):
            entity_id = records.canonical(mentions[0].id)
            if counts[entity_id] >= 2:
                return entity_id
    if counts:
        frequent, count = max(counts.items(), key=lambda item: (item[1], -first_seen[item[0]]))
        if count >= 2:
            return frequent
    return _stated_name(finder, content)


_QUALIFIER = re.compile(r"([A-Za-z]+-[A-Za-z]+|[A-Z][a-z]+)\s+$")
_PURPOSE = re.compile(r"\s+for\s+([a-z][\w-]+)\b")


def _qualified(finder: MentionFinder, mention: Mention, block: Block, counts: Counter[str]) -> str | None:
    """ "Inference-Based CBT" or "CBT for psychosis" in a heading, on a page that names "inference-based cognitive
    behavioural therapy (I-CBT)" or "cognitive behavioural therapy for psychosis": a qualifier before a named approach
    or a purpose after it makes it the page's approach of that longer name, if the page has one."""
    qualifier = _QUALIFIER.search(finder.text, block.start, mention.start)
    purpose = _PURPOSE.match(finder.text, mention.end, block.end)  # "CBT for psychosis"
    if qualifier is None and purpose is None:
        return None
    prefix = fold(qualifier.group(1)) + " " if qualifier else ""
    suffix = " for " + fold(purpose.group(1)) if purpose else ""
    base = [fold(name) for name in finder.records.names_of(finder.records.canonical(mention.id))]
    wanted = [prefix + name + suffix for name in base]
    found = [entity_id for entity_id in counts if finder.records.type_of(entity_id) == mention.type
             and any(fold(name) in wanted for name in finder.records.names_of(entity_id))]
    return max(found, key=lambda entity_id: counts[entity_id]) if found else None


def _outnamed(counts: Counter[str], entity_id: str) -> bool:
    """ "PSYC 7420 - Advanced Cognitive-Behavioral Interventions", then a module on TBCT named six times: a title's
    approach named nowhere else gives way to one the page names at least three times."""
    return counts[entity_id] <= 1 and max(counts.values(), default=0) >= 3


def _title_short_name(finder: MentionFinder, title: Block, counts: Counter[str]) -> str | None:
    """ "COUN 2140 Counselling Approaches: Week 6, Gestalt": a title part of one or two capitalised words that begins
    the name of an approach the page names ("Gestalt therapy") is that approach (the most named, if several)."""
    records = finder.records
    for part in reversed(_TITLE_PARTS.split(finder.text[title.start : title.end].strip())):
        words = part.split()
        if not 1 <= len(words) <= 2 or not all(w[:1].isupper() and w.isalpha() for w in words):
            continue
        start = tuple(fold(w) for w in words)
        found = [entity_id for entity_id in counts if records.type_of(entity_id) == "Modality"
                 and tuple(fold(w) for w in records.label_of(entity_id).split()[: len(start)]) == start]
        if found:
            return max(found, key=lambda entity_id: counts[entity_id])
    return None


def _sentence_subjects(finder: MentionFinder, entity_id: str) -> int:
    """How many sentences open with the approach ("MDT is ...", "The Milan approach was ..."): what a page is about
    is the subject of its sentences, while approaches it compares with are named later in them."""
    text = finder.text
    records = finder.records
    found = 0
    for mention in finder.mentions:
        if records.canonical(mention.id) == entity_id:
            before = ("\n" if mention.start <= 6 else "") + text[max(0, mention.start - 6) : mention.start]
            if _SENTENCE_START.search(before):
                found += 1
    return found


def _title_part_name(finder: MentionFinder, title: Block) -> str | None:
    """ "You Don't Have to Earn It: My Notes on Mindful Self-Compassion": a title part that announces its subject
    ("notes on", "a look at", "why I teach") names the page's approach even when the text names it only once more."""
    line = finder.text[title.start : title.end]
    for part in reversed(_TITLE_PARTS.split(line.strip())):
        announced = _ANNOUNCES.match(part)
        if announced is not None and part[announced.end() :][:1].isupper():
            named = _title_name(finder, title, part[announced.end() :], least=1)
            if named is not None:
                return named
    return None


def _title_name(finder: MentionFinder, block: Block, part: str = "", least: int = 2) -> str | None:
    """An approach named by a title with no recognised name in it ("Psychodrama", "Active technique (...)"), or by
    ``part`` of it, named in the text at least ``least`` more times."""
    text = finder.text
    line = part or text[block.start : block.end].strip()
    if not part and _MASTHEAD.fullmatch(line):
        return None  # "HEALTH | FAMILIES": a newspaper's section labels, not a title
    stripped = _QUESTION.sub("", line)
    stripped = _TAIL.sub("", stripped).strip(" ?:")
    stripped = re.sub(r"\b[Tt]herapists\b", "Therapy", stripped)
    words = stripped.split()
    if not 1 <= len(words) <= 5 or not stripped[:1].isalpha() or re.search(r"[,;!.]", stripped):
        return None
    if len(words) == 1 and (words[0][:1].islower() or (words[0].isupper() and len(words[0]) > 6)
                            or _CAMEL_CASE.fullmatch(words[0])):
        return None  # "MINDWORDS: A GLOSSARY OF ...", "PsychLexicon :: Online Glossary": a site's name
    lowered = stripped.lower()
    body = text[block.end : block.end + 20000].lower()
    occurrences = len(re.findall(r"(?<![\w-])" + re.escape(lowered) + r"(?![\w-])", body))
    acronym_match = _TITLE_ACRONYM.search(line)  # "Collaborative & Proactive Solutions (CPS)", then "CPS" in the text
    acronym = acronym_match.group(1) if acronym_match else ""
    if not acronym:  # a glossary's term line under the title: "progressive muscle relaxation (PMR)", then "PMR"
        rest = text[block.end : block.end + len(lowered) + 40].lstrip()
        defined = _TERM_ACRONYM.match(rest, len(lowered)) if rest.lower().startswith(lowered) else None
        acronym = defined.group(1) if defined else ""
    acronym_pattern = re.compile(r"(?<![\w-])" + re.escape(acronym) + r"(?![\w-])") if acronym else None
    if acronym_pattern is not None:
        occurrences += len(acronym_pattern.findall(text, block.end))
    if occurrences < least and not (occurrences == 1 and _OPENS_DEFINING.match(
        body.lstrip(), len(lowered)) and body.lstrip().startswith(lowered)
    ):  # "The Harbour Programme" then "The Harbour Programme is a ten-week course ...": the page defines it
        return None
    fuller = _fuller_name(finder, lowered)
    if fuller is not None:
        return fuller  # "Self-efficacy - revision notes", then "self-efficacy theory was introduced in 1977"
    whole = text[block.start : block.end]
    offset = block.start + whole.find(words[0]) if words[0] in whole else block.start
    entity_type = "Theory" if words[-1].lower() in ("theory", "theories") else "Modality"
    entity_id = finder.approach(stripped, offset, entity_type, finder._known(stripped))
    if entity_id is None:
        return None
    if acronym_pattern is not None:
        finder.records.add_alias(entity_id, acronym)
    _claim(finder, entity_id, entity_type, [stripped, acronym], block.end, Mention(
        offset, offset + len(stripped), entity_id, entity_type))
    return entity_id


def _fuller_name(finder: MentionFinder, name: str) -> str | None:
    """The approach or theory the page names by ``name`` plus a head word ("self-efficacy theory" for a title
    "Self-efficacy"), if it names exactly one such."""
    found = {finder.records.canonical(m.id) for m in finder.mentions if m.type in _APPROACH_TYPES
             and _HEAD_AFTER.fullmatch(finder.text[m.start : m.end].lower(), len(name))
             and finder.text[m.start : m.end].lower().startswith(name)}
    return found.pop() if len(found) == 1 else None


def _claim(finder: MentionFinder, entity_id: str, entity_type: str, names: list[str], after: int,
           first: Mention | None = None) -> None:
    """Mark every later occurrence of ``names`` (from offset ``after``; a name in lower case matched in any case, an
    acronym exactly) that no other mention covers as a mention of ``entity_id``."""
    text = finder.text
    found = [first] if first is not None else []
    taken = bytearray(len(text))
    for mention in finder.mentions:
        taken[mention.start : mention.end] = b"\x01" * (mention.end - mention.start)
    for name in filter(None, names):
        flags = 0 if name.isupper() else re.IGNORECASE
        for match in re.finditer(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", text[after:], flags):
            start, end = after + match.start(), after + match.end()
            if taken.find(1, start, end) < 0 and (first is None or start != first.start):
                found.append(Mention(start, end, entity_id, entity_type))
                taken[start:end] = b"\x01" * (end - start)
    finder.extend(found)


_NAME_WORD = r"[A-Z][\w'’-]*"
_STATED_SUBJECT = re.compile(
    rf"\s*(?:The\s+)?(?P<name>[A-Z]{{2,6}}|{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|of|and|for|&)){{0,4}}"
    rf"|{_NAME_WORD}\s+[a-z][\w-]*)(?:\s*\([^)]*\))?(?:\s*,[^,.;]{{1,80}},)?\s+(?:was|were)\s+"
    r"(?:(?:\w+ly|first|originally|jointly)\s+)?"
)
_NOT_A_NAME = frozenset([
    "the", "this", "that", "these", "those", "it", "its", "our", "my", "their", "his", "her", "a", "an", "in", "at",
    "by", "since", "when", "much", "most", "research", "treatment", "therapy", "work", "everything", "nothing",
    "each", "every", "one", "some", "many", "such", "both",
])  # sentence openers that are no approach's name ("The method was developed by ...")


def _stated_name(finder: MentionFinder, content: list[Block]) -> str | None:
    """ "Holotropic Breathwork, the method this book explains, was the brainchild of the psychiatrist Stanislav
    Grof": with no topic found otherwise, the named subject of the page's first sentence saying who developed it
    (a passive or nominal developer phrase of the lexicon, then a person named in the sentence) is the topic."""
    text = finder.text
    lex = lexicon()
    for block in content[:20]:
        if block.kind not in ("para", "bullet"):
            continue
        for start, end in split_sentences(text, block.start, block.end):
            subject = _STATED_SUBJECT.match(text, start, end)
            if subject is None or subject.group("name").split()[0].lower() in _NOT_A_NAME:
                continue
            verb = lex.dev_passive.match(text, subject.end(), end) or re.compile(
                r"(?:the|a)\s+", re.IGNORECASE).match(text, subject.end(), end)
            if verb is None or (verb.group().lower().startswith(("the", "a ")) and not lex.dev_nominal.match(
                    text, subject.end(), end)):
                continue
            name = " ".join(subject.group("name").split())
            acronym = name if name.isupper() else ""
            name = acronym_expansion(text, acronym) or name
            if re.search(rf"\b(?:{lex.organisation_words})\b", name) or not any(
                    m.type == "Theorist" for m in finder.within(subject.end(), end)):
                continue
            entity_type = "Theory" if name.split()[-1].lower() in ("theory", "theories") else "Modality"
            entity_id = finder.approach(name, subject.start("name"), entity_type, finder._known(name))
            if entity_id is None:
                continue
            if acronym and acronym != name:
                finder.records.add_alias(entity_id, acronym)
            _claim(finder, entity_id, entity_type, [name, acronym], 0)
            return entity_id
    return None


def heading_subject(finder: MentionFinder, block: Block) -> str | None:
    """The approach a heading is about when it names one and little else ("EMDR (Eye Movement ...)", "About EFT")."""
    heading = finder.text[block.start : block.end].strip()
    if len(heading.split()) > 10:
        return None
    mentions = [m for m in finder.within(block.start, block.end) if m.type in _APPROACH_TYPES]
    if not mentions:
        return None
    first = mentions[0]
    entity_id = finder.records.canonical(first.id)
    rest, cursor = "", block.start
    for mention in mentions:  # the heading without its names of this approach ("LT (lantern therapy)")
        if finder.records.canonical(mention.id) == entity_id:
            rest += finder.text[cursor : mention.start] + " "
            cursor = mention.end
    rest = (rest + finder.text[cursor : block.end]).strip()
    rest = re.sub(r"\(?[A-Z][A-Za-z-]{1,9}\)?", "", rest)
    rest = re.sub(r"(?i)\b(?:about|what\s+is|what\s+are|the|an?|is|\?|:|–|—|-)\b|[?:–—()-]", " ", rest).strip()
    return entity_id if not rest else None
