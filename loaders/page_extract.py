"""Extract therapy entities and facts, each with sentence evidence and offsets, from the plain text of a page."""

from __future__ import annotations

import re
from collections.abc import Iterator

from loaders.page_discovery import NameDiscovery
from loaders.page_lexicon import ANY_SIGNAL_TOKENS, HAS_DIGIT, POP_HEAD_WORDS, TOKEN, find_conditions
from loaders.page_names import short_label
from loaders.page_sentence_rules import SentenceRules
from loaders.page_text_units import (
    BOILER_STEM_RE,
    Block,
    classify_heading,
    list_role,
    looks_like_boilerplate,
    split_blocks,
    split_sentences,
)
from ontology.records import Entity, Fact, Source


class PageExtractor(NameDiscovery, SentenceRules):
    """Turns one page's plain text into entities and facts; create one per page."""

    def run(self) -> None:
        """Walk the page block by block, tracking the section and its topic, and apply the rules to each block."""
        blocks = split_blocks(self.text, self.heading_starts)
        self.discover_names(blocks)
        if self.topic is None:
            self.warnings.append(f"{self.source.id}: the page names no therapy approach as its topic")
        section = ""
        boiler = False
        section_topic = self.topic
        list_intro = ""
        in_heading_run = False
        run_kinds: list[str] = []
        for block in blocks:
            if block.kind == "boiler":
                continue
            if block.kind in ("heading", "title"):
                heading = self.text[block.start : block.end]
                if not in_heading_run:
                    run_kinds = []
                    boiler = False
                in_heading_run = True
                kind, boiler_heading = classify_heading(heading)
                if boiler_heading:
                    boiler = True
                if kind:
                    run_kinds.append(kind)
                section = run_kinds[-1] if run_kinds else ""
                named = self._heading_topic(block)
                if named is not None:
                    section_topic = named
                elif self.topic is not None:
                    section_topic = self.topic
                list_intro = ""
                continue
            in_heading_run = False
            if boiler:
                continue
            if block.kind == "para":
                self.paragraph(block, section, section_topic)
                stripped = self.text[block.start : block.end].rstrip()
                list_intro = stripped.lower() if stripped.endswith(":") else ""
            else:
                self.list_item(block, section, section_topic, list_intro)

    def _heading_topic(self, block: Block) -> str | None:
        """The modality a heading is about when it names one and little else ("EMDR (Eye Movement ...)")."""
        heading = self.text[block.start : block.end].strip()
        if block.kind == "title":
            return self.topic
        if len(heading.split()) > 10 or heading.endswith("?"):
            return None
        mentions = [m for m in self.mentions(block.start, block.end) if m.type == "Modality"]
        if not mentions:
            return None
        rest = (heading[: mentions[0].start - block.start] + heading[mentions[0].end - block.start :]).strip()
        rest = re.sub(r"^\(?[A-Z][A-Za-z-]{1,9}\)?$", "", rest).strip(" :–—-")
        return mentions[0].id if not rest else None

    def paragraph(self, block: Block, section: str, topic: str | None) -> None:
        """Apply the sentence rules to each sentence of a paragraph, skipping boilerplate sentences."""
        head_subject = self._block_head_subject(block, section, topic)
        subject = head_subject or topic
        block_tokens = self._signal_tokens(block.start, block.end)
        if block_tokens is None:
            return
        spans = split_sentences(self.text, block.start, block.end)
        maybe_boiler = BOILER_STEM_RE.search(self.text[block.start : block.end].lower()) is not None
        for span in spans:
            if maybe_boiler and looks_like_boilerplate(self.text, span[0], span[1]):
                continue
            self.sentence(span, subject, section, bullet=False, tokens=block_tokens if len(spans) == 1 else None)

    def list_item(self, block: Block, section: str, topic: str | None, intro: str) -> None:
        """Facts from a bullet or numbered item by its list's role (phase, goal, ...), then its sentences."""
        text = self.text
        spans = split_sentences(text, block.start, block.end)
        if not spans or looks_like_boilerplate(text, block.start, block.end):
            return
        first = spans[0]
        item = text[block.start : block.end]
        head_subject = self._block_head_subject(block, section, topic)
        subject = head_subject or topic
        role = self._list_role(block, section, intro)
        if role == "phase" and topic:
            label = short_label(item)
            phase = self.simple("phase", "TreatmentPhase", label, block.start, scope=topic.split("/", 1)[1])
            self.add_fact(topic, "hasPhase", phase, first)
            self.add_fact(phase, "phaseOrder", block.number or self._next_order(topic), first)
        elif role == "goal" and topic and head_subject is None:
            self.add_fact(topic, "hasGoal", self.simple("goal", "Goal", short_label(item, 3), block.start), first)
        elif role == "technique" and topic and head_subject is None:
            self.add_fact(
                topic, "usesTechnique", self.simple("technique", "Technique", short_label(item, 3), block.start), first
            )
        elif role == "session" and topic:
            self.add_fact(topic, "sessionExpectation", text[first[0] : first[1]].rstrip(" .;"), first)
        elif role == "uses" and topic and head_subject is None:
            self._uses_item(block, topic, first)
        block_tokens = self._signal_tokens(block.start, block.end)
        if block_tokens is not None:
            for span in spans:
                self.sentence(span, subject, section, bullet=True, tokens=block_tokens if len(spans) == 1 else None)

    def _signal_tokens(self, start: int, end: int) -> set[str] | None:
        """The lower-case words of ``text[start:end]`` if any rule could react to it, else None (cheap gate)."""
        segment = self.text[start:end]
        tokens = set(TOKEN.findall(segment.lower()))
        if (
            not ANY_SIGNAL_TOKENS.isdisjoint(tokens)
            or " by " in segment
            or HAS_DIGIT.search(segment) is not None
            or "“" in segment
            or '"' in segment
            or "’s" in segment
            or "'s" in segment
        ):
            return tokens
        return None

    def _next_order(self, topic: str) -> int:
        """The order of the next phase of ``topic`` when the list does not number it."""
        return sum(1 for (s, p, _o) in self.facts if s == topic and p == "hasPhase")

    @staticmethod
    def _list_role(block: Block, section: str, intro: str) -> str:
        """The role of a block's list (see :func:`list_role`)."""
        return list_role(block.kind == "ordered", section, intro)

    def _uses_item(self, block: Block, topic: str, span: tuple[int, int]) -> None:
        """An item of a "helpful for:" list: a population ("People who ...") or one or more conditions."""
        item = self.text[block.start : block.end].strip().rstrip(".;")
        first_word = item.split()[0].lower().strip(",") if item.split() else ""
        if first_word in POP_HEAD_WORDS:
            label = short_label(item, 4) if ":" in item or " – " in item or " — " in item else item
            self.add_fact(topic, "servesPopulation", self.simple("population", "Population", label, block.start), span)
        else:
            conditions = find_conditions(item, set(TOKEN.findall(item.lower())))
            for start, _end, label in conditions:
                self.add_fact(
                    topic, "addressesCondition", self.simple("condition", "Condition", label, block.start + start), span
                )
            if not conditions:
                label = short_label(item, 1)
                if label and len(label.split()) <= 8:
                    self.add_fact(
                        topic, "addressesCondition", self.simple("condition", "Condition", label, block.start), span
                    )

    def _block_head_subject(self, block: Block, section: str, topic: str | None) -> str | None:
        """The modality a "Name (ACR): ..." block is about; under a subtypes heading also its subtypeOf fact."""
        head = self._head_of(block)
        if not head:
            return None
        name = head.group(1).strip()
        if "," in name or name.count(" ") > 8:
            return None
        entity_id = self.names.get(self.name_key(name))
        if entity_id is None and head.group(2):
            entity_id = self.acronyms.get(head.group(2))
        if entity_id is None:
            mentions = [
                m for m in self.mentions(block.start, block.start + len(head.group(1)) + 1) if m.type == "Modality"
            ]
            entity_id = mentions[0].id if mentions else None
        if entity_id is None:
            return None
        if section == "subtypes" and topic and entity_id != topic:
            span = split_sentences(self.text, block.start, block.end)[0]
            self.add_fact(entity_id, "subtypeOf", topic, span)
        return entity_id


def extract_records(text: str, source: Source, heading_starts: frozenset[int] | None = None) -> list[Entity | Fact]:
    """All entities and facts of one page's plain ``text`` (pure); evidence offsets index into ``text``."""
    extractor = PageExtractor(text, source, heading_starts)
    extractor.run()
    return list(extractor.records())


def extract_with_warnings(
    text: str, source: Source, heading_starts: frozenset[int] | None = None
) -> tuple[list[Entity | Fact], list[str]]:
    """Like :func:`extract_records`, also returning warnings (for example: no modality named)."""
    extractor = PageExtractor(text, source, heading_starts)
    extractor.run()
    return list(extractor.records()), extractor.warnings


def parse(text: str, source: Source) -> Iterator[Entity | Fact]:
    """Entities and facts of a plain-text page (pure; no I/O)."""
    yield from extract_records(text, source)
