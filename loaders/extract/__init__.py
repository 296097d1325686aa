"""The page extractor: segment -> find names -> find the topic -> apply the rules -> build records (one page, pure)."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator

from loaders.extract.details import DetailRules
from loaders.extract.gazetteer import Gazetteer
from loaders.extract.lexicon import lexicon
from loaders.extract.mentions import MentionFinder
from loaders.extract.records import PageRecords
from loaders.extract.relations import Context, RelationRules
from loaders.extract.segment import (
    BOILER_STEM_RE,
    CITATION_MARKS,
    Block,
    block_head,
    classify_heading,
    list_role,
    looks_like_boilerplate,
    split_blocks,
    split_sentences,
)
from loaders.extract.topic import find_topic, heading_subject
from ontology.records import Entity, Fact, Source

__all__ = ["Gazetteer", "extract_records", "extract_with_warnings", "parse"]

_PROFILE = re.compile(  # "Ann Example, LCSW": a clinician's profile line; not "In Project MATCH, TSF was ..."
    r"(?!(?:In|On|At|By|For|From|During|After|Before|Since|With|Within|Under|Across|Through|The|An?|When|While)\s)"
    r"(?:(?:Dr|Prof)\.?\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’.-]*){1,3}\s*,\s*(?!(?:US|UK|USA|EU|NZ)\b)"
    r"(?:[A-Z][A-Za-z]*[A-Z][A-Za-z-]*|PhD|PsyD"
    r"|MDiv|EdD)\b"
)


_BYLINE = re.compile(  # "Posted by Sam O. · 9 min read · Tags: trauma, CBT": a blog's byline, not content
    r"^[^\n]{0,200}?(?:\b\d+[ -]min(?:ute)?s?\s+read\b|\bTags?:|\bFiled\s+under\b|\bCategories:)[^\n]*$", re.I
)
_REFERENCE = re.compile(  # "Kendall, P. C., & Hedtke, K. A. (2006). Coping Cat workbook ...": a cited work's title
    r"(?:[•*–-]\s*|\d{1,3}[.)]\s*)?[A-Z][\w'’-]+,\s+(?:[A-Z]\.\s*){1,3}[^\n]{0,200}?\((?:19|20)\d\d[a-z]?\)\."
)
_RELATED = re.compile(  # "Related reading: ...", "See also: ...": links to other pages, not content
    r"\s*(?:Related(?:\s+(?:reading|articles?|posts?|content|links?))?|See\s+also|Further\s+reading|Read\s+(?:next|more)"
    r"|You\s+(?:may|might)\s+also\s+(?:like|enjoy))\s*:",
    re.IGNORECASE,
)
_CROSS_REFERENCE = re.compile(  # "mutism, selective — see selective mutism.": a glossary's pointer to another entry
    r"[^\n.]{1,80}?(?:\s[—–-]|[:,;])\s*see\s+(?:also\s+)?[^\n.]{1,60}\.?\s*$", re.IGNORECASE
)
_ASIDE_NOTE = re.compile(r"\s*(?:Note|NB|N\.B\.|Tip|Exam\s+tip|Caveat|Disclaimer)\s*:", re.IGNORECASE)  # "Note: ..."
_NOT_CONTENT = (_PROFILE, _REFERENCE, _RELATED, _CROSS_REFERENCE, _ASIDE_NOTE)  # blocks opening so are skipped whole
_GENUS = re.compile(r"\s*(?:[Aa]n?|[Tt]he)\s+")  # the article a glossary definition opens with ("A model of ...")
_TERM_LINE = re.compile(  # a glossary term on its own line (any case), then its definition: "self psychology\nA school"
    r"([A-Za-z][^\n:()]{1,60}?)\s*(?:\((?:[^)\n]*?\b)?([A-Z][A-Za-z0-9-]{1,9})\)|\([^)\n]*\))?[ \t]*\n"
    r"(?=\s*(?:An?|The)\s)"
)
_LABEL_WORDS = frozenset(["family", "type", "kind", "category", "school", "tradition", "group", "class", "genre",
                          "definition", "overview", "summary", "description", "approach", "method", "model", "what"])
_KIND_GAP = re.compile(
    r"(?:[\w-]+,?\s+){0,2}(?:type|form|kind|variant|variety|branch|version|adaptation|school|strand)\s+of\s+", re.I
)
_ADJECTIVE_GAP = re.compile(r"(?:[\w-]*(?:-[\w]+|al|ic|ive|ed|ful|ous|ary|ory|ent|ant|ured),?\s+){0,3}")
_LINE_ITEM = re.compile(r"[^\n.!?:]{1,100}")  # one short line without a sentence's end: a list item set as lines


class PageWalk:
    """Walks one page block by block, tracking its sections and passages, and hands each sentence to the rules."""

    def __init__(self, text: str, source: Source, heading_starts: frozenset[int] | None, gazetteer: Gazetteer | None):
        self.text = text
        self.blocks = split_blocks(text, heading_starts)
        self.records = PageRecords(text, source)
        self.finder = MentionFinder(text, self.records, gazetteer)
        self.finder.run(self.blocks)
        self.topic = self.finder.practised_school(find_topic(self.finder, self.blocks))
        self.finder.short_forms(self.topic)
        self.rules = RelationRules(self.finder, self.records, self.topic)
        self.details = DetailRules(self.records)
        self.sentences: list[tuple[int, int]] = []
        self.warnings: list[str] = []

    def run(self) -> None:
        """Apply the rules to every block under its section and subject, then settle years and name populations."""
        if self.topic is None:
            self.warnings.append(f"{self.records.source.id}: the page names no therapy approach as its topic")
        section = ""
        boiler = False
        section_subject = self.topic
        list_intro = ""
        in_heading_run = False
        run_kinds: list[str] = []
        for block in self.blocks:
            if block.kind == "boiler":
                continue
            if block.kind in ("heading", "title"):
                heading = self.text[block.start : block.end]
                if not in_heading_run:
                    run_kinds = []
                    boiler = False
                in_heading_run = True
                kind, boiler_heading = classify_heading(heading)
                named = self.topic if block.kind == "title" else heading_subject(self.finder, block)
                if boiler_heading or (_PROFILE.match(heading.strip()) and block.kind == "heading"):
                    boiler = True
                elif named or kind:
                    boiler = False  # "Fees | Contact" then "# Lantern therapy": the content starts here
                if kind:
                    run_kinds.append(kind)
                section = run_kinds[-1] if run_kinds else ""
                section_subject = named or self.topic
                list_intro = ""
                self.rules.list_theme = None
                if not boiler_heading and _RELATED.match(self.text, block.start, block.end) is None:
                    self._sentences(block, Context(section_subject, section))
                    self.rules.ask_heading((block.start, block.end), Context(section_subject, section))
                continue
            in_heading_run = False
            if boiler or any(pattern.match(self.text, block.start, block.end) for pattern in _NOT_CONTENT) or (
                _BYLINE.search(self.text, block.start, block.end)
            ):
                continue
            if self._label(block, section_subject):
                continue
            head_subject = self._block_head(block, section, section_subject)
            subject = head_subject or section_subject
            if block.kind == "para" and (section == "uses" or list_intro) and self._line_item(block):
                self._item(block, section, subject, head_subject, list_intro)  # "Who we serve" then short lines
            elif block.kind == "para":
                self._sentences(block, Context(subject, section))
                stripped = CITATION_MARKS.sub("", self.text[block.start : block.end].rstrip())
                if stripped.endswith(":"):
                    last = split_sentences(self.text, block.start, block.end)[-1]  # the sentence that opens the list
                    list_intro = CITATION_MARKS.sub("", self.text[last[0] : last[1]]).strip().lower()
                    intro = [m for m in self.finder.within(*last) if m.type in ("Modality",)]
                    self.rules.list_theme = self.records.canonical(intro[0].id) if intro else subject
                else:
                    list_intro = ""
                    self.rules.list_theme = None
            else:
                self._item(block, section, subject, head_subject, list_intro)

    def _line_item(self, block: Block) -> bool:
        """A short line with no sentence end that names people or a condition: a list item set as lines (<br>)."""
        return _LINE_ITEM.fullmatch(self.text, block.start, block.end) is not None and any(
            m.type in ("Condition", "Population") for m in self.finder.within(block.start, block.end)
        )

    def _sentences(self, block: Block, context: Context) -> None:
        spans = split_sentences(self.text, block.start, block.end)
        maybe_boiler = BOILER_STEM_RE.search(self.text[block.start : block.end].lower()) is not None
        for span in spans:
            if maybe_boiler and looks_like_boilerplate(self.text, span[0], span[1]):
                continue
            self.sentences.append(span)
            self.rules.sentence(span, context)
            if block.kind not in ("title", "heading"):
                self.details.sentence(span, context.subject, context.section)

    def _item(self, block: Block, section: str, subject: str | None, head_subject: str | None, intro: str) -> None:
        """A bullet or numbered item: facts by its list's role, then its sentences."""
        spans = split_sentences(self.text, block.start, block.end)
        if not spans or looks_like_boilerplate(self.text, block.start, block.end):
            return
        role = list_role(block.kind == "ordered", section, intro)
        theme = subject if head_subject else (self.rules.list_theme or subject)
        if role in ("phase", "session") or (role in ("goal", "technique") and head_subject is None):
            self.details.list_item(block, role, theme, spans[0])
        if role == "lineage" and head_subject is None and len(self.text[block.start : block.end].split()) <= 8:
            for mention in self.finder.within(block.start, block.end):  # "## Influences" then "- Psychodrama"
                if mention.type in ("Modality", "Theory"):
                    self.rules.lineage(theme, self.records.canonical(mention.id), "derived", spans[0])
        whole = role == "uses" and head_subject is None and self.rules.use_item((block.start, block.end), theme, intro)
        context = Context(theme, section, in_list=True, list_role=role, population_item=whole)
        for span in spans:
            self.sentences.append(span)
            self.rules.sentence(span, context)
            self.details.sentence(span, theme, section)

    def _label(self, block: Block, subject: str | None) -> bool:
        """A label line ("Founder - Eric Berne", "When: 1990s"): facts from its value; True if nothing else to read."""
        lex = lexicon()
        match = lex.label_pattern.match(self.text, block.start, block.end)
        if match is None or "\n" in self.text[block.start : block.end]:
            return False
        kind = lex.label_keys[match.group("key").lower()]
        separated = bool(re.search(r"[:=\-–—]", match.group()))
        if (match.group("qualifier") or match.group("key").lower() == "who") and not separated:
            return False  # "Key figures" opens a label; "Key developments in ..." and "Who can benefit" open sentences
        if not separated and (kind not in ("developer", "year", "alias") or len(self.text[block.start : block.end]
                                                                                .split()) > 8):
            return False
        if kind == "skip":
            if match.group("key").lower() == "compare":  # "Compare: focal psychotherapy, pioneered by David Malan":
                self._sentences(block, Context(None))  # facts about the approaches it names, none about the topic
            return True
        if kind == "alias":
            return True
        span = (block.start, block.end)
        self.sentences.append(span)
        self.rules.label(kind, (match.end(), block.end), Context(subject), span)
        if len(split_sentences(self.text, match.end(), block.end)) > 1:
            self.sentences.remove(span)
            return False  # "Origins: In 1975 ... Szapocznik's team blended ...": a paragraph, read as one
        return kind in ("developer", "year")

    def _block_head(self, block: Block, section: str, topic: str | None) -> str | None:
        """The approach a "Name (ACR): ..." block is about; under a subtypes heading also its subtypeOf fact."""
        head = block_head(self.text, block) or _TERM_LINE.match(self.text, block.start, block.end)
        if not head:
            return None
        name = head.group(1).strip()
        if "," in name or name.count(" ") > 8:
            return None
        mentions = [m for m in self.finder.within(block.start, block.start + len(head.group(1)) + 1)
                    if m.type == "Modality" or (m.type == "Theory" and m.start == block.start)]
        if not mentions:
            return self._defined_term(block, head)
        entity_id = self.records.canonical(mentions[0].id)
        if section in ("subtypes", "adaptations") and topic and entity_id != topic:
            span = split_sentences(self.text, block.start, block.end)[0]  # an adaptation derives from the approach
            self.records.fact(entity_id, "derivedFrom" if section == "adaptations" else "subtypeOf", topic, span)
        return entity_id

    def _defined_term(self, block: Block, head: re.Match[str]) -> str | None:
        """A glossary entry whose term is new to the page: "Psychological well-being (PWB): A model of ... proposed
        by Carol Ryff". When the definition opens with an approach or theory ("A multidimensional model of ..."),
        the term names that kind of thing, and the opening name is folded into it (its label becomes an alias)."""
        term = head.group(1).strip()
        if block.kind != "para" or len(term.split()) > 6 or "," in term or term.lower() in _LABEL_WORDS:
            return None  # "- Family: a type of behaviour therapy" is a label line, not a glossary entry
        genus = _GENUS.match(self.text, head.end(), block.end)
        if genus is None:
            return None
        opening = [m for m in self.finder.within(genus.end(), min(block.end, genus.end() + 80))
                   if m.type in ("Modality", "Theory")]
        if not opening:
            return None
        first = opening[0]
        gap = self.text[genus.end() : first.start]
        kind = _KIND_GAP.fullmatch(gap) is not None  # "A type of behaviour therapy": the parent, a fact of its own
        if not kind and _ADJECTIVE_GAP.fullmatch(gap) is None:  # "A short-term, structured psychotherapy"
            return None  # "A person trained in psychotherapy": the term is no approach
        term_id = self.records.approach(term, block.start, first.type)
        acronym = head.group(2) or ""
        if re.fullmatch(r"[A-Z][A-Za-z0-9-]{1,9}", acronym):
            self.records.add_alias(term_id, acronym)
        return term_id if kind else self.records.merge(first.id, term_id)

    def finish(self) -> list[Entity | Fact]:
        """Settle the page's years and name populations; its records."""
        self.sentences.sort()
        starts = [s for s, _e in self.sentences]
        first_sentence: dict[str, tuple[int, int]] = {}
        for mention in self.finder.mentions:
            if mention.type != "Modality":
                continue
            entity_id = self.records.canonical(mention.id)
            if entity_id in first_sentence:
                continue
            index = bisect_right(starts, mention.start) - 1
            if index >= 0 and self.sentences[index][1] >= mention.end:
                first_sentence[entity_id] = self.sentences[index]
        self.rules.finish(first_sentence)
        return list(self.records.records(self.topic))


def extract_with_warnings(
    text: str, source: Source, heading_starts: frozenset[int] | None = None, gazetteer: Gazetteer | None = None
) -> tuple[list[Entity | Fact], list[str]]:
    """Entities and facts of one page's plain ``text`` (pure), and warnings (for example: no approach named).

    ``heading_starts`` are the offsets of heading lines when the format knows them (HTML, Markdown);
    ``gazetteer`` holds the names the curated graph already knows (the caller builds it; optional).
    Evidence offsets index into ``text``.
    """
    walk = PageWalk(text, source, heading_starts, gazetteer)
    walk.run()
    return walk.finish(), walk.warnings


def extract_records(
    text: str, source: Source, heading_starts: frozenset[int] | None = None, gazetteer: Gazetteer | None = None
) -> list[Entity | Fact]:
    """All entities and facts of one page's plain ``text`` (pure); evidence offsets index into ``text``."""
    return extract_with_warnings(text, source, heading_starts, gazetteer)[0]


def parse(text: str, source: Source) -> Iterator[Entity | Fact]:
    """Entities and facts of a plain-text page (pure; no I/O)."""
    yield from extract_records(text, source)
