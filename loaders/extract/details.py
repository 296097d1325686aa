"""Detail rules: goals, techniques, concepts, phases (with their order), typical duration and session expectations."""

from __future__ import annotations

import re

from loaders.extract.names import short_label
from loaders.extract.records import PageRecords
from loaders.extract.segment import Block

_GOAL_INLINE = re.compile(
    r"\b(?:aims? to|seeks? to|the (?:main |primary |central |overall |ultimate )?(?:goal|aim|objective|purpose)"
    r"(?: of [^,.;]{1,60}?)? (?:is|was) to)\s+([^.;:]{3,160})",
    re.I,
)
_GOAL_HINT = re.compile(r"aim|seek|goal|objective|purpose")
_TECHNIQUE_INLINE = re.compile(
    r"\b(?:techniques|strategies|interventions|tools|exercises|skills modules|skill modules|modules)\b"
    r"(?:\s+used)?(?:\s+(?:such as|like|include|includes|including|are|involve)|:)\s+([^.;]{3,240})",
    re.I,
)
_TECHNIQUE_HINT = re.compile(r"techniques|strategies|interventions|tools|exercises|modules")
_CONCEPT_INLINE = re.compile(
    r"\b(?:(?:key|core|central|main|important) concepts?|ideas? such as)(?:\s+(?:include|includes|are|is|such as)"
    r"|:)\s+([^.;]{3,200})|\bthe (?:concept|notion) of\s+([^.,;()]{3,60})",
    re.I,
)
_PHASES_INLINE = re.compile(r"\b(?:phases|stages|steps)\b[^.:;]{0,60}?(?::|\binclude\b|\bare\b)\s+([^.;]{5,300})", re.I)
_QUOTED = re.compile(r"[“\"]([^”\"\n]{2,60}?)[,.]?[”\"]")
_DURATION = re.compile(
    r"\b((?:\d+|one|two|three|four|five|six|eight|ten|twelve|several|a few)(?:\s*(?:–|-|to)\s*(?:\d+|\w+))?"
    r"\s+(?:weeks|months|years|sessions|year|month))\b",
    re.I,
)
_DURATION_CONTEXT = re.compile(
    r"\b(?:typically|usually|lasts?|takes?|runs?|course|within|generally|often|treatments?|therap(?:y|ies)|program"
    r"|attend\w*)\b",
    re.I,
)
_DURATION_VERB = re.compile(
    r"\b(?:lasts?|takes?|typically|usually|runs?|over|within|course of|consists? of|attend\w*)\b", re.I
)
_MINUTES = re.compile(r"\b\d+(?:\s*(?:–|-|to)\s*\d+)?[\s-]+minutes?\b", re.I)
_NUMBER_WORD = re.compile(r"\b(?:one|two|three|four|five|six|eight|ten|twelve|several|a few)\b")
_LIST_SPLIT = re.compile(r"\s*(?:,|;)\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+(?=\S)")
_HINT_WORDS = re.compile(
    "aim|seek|goal|objective|purpose|techniques|strategies|interventions|tools|exercises|modules|concept|notion"
    "|ideas such|phase|stage|step|one|two|three|four|five|six|eight|ten|twelve|several|few"
)
_SPEECH = re.compile(r"(?i)(?:i|we|you|it|they|he|she|this|that|there|our|my)\b|.*\b(?:is|are|was|were|am)\b")
_SPEECH_AFTER = re.compile(r"\s*(?:says|said|recalls|recalled|explains|explained|adds|added|told|notes|noted)\b")
_HINT_MARKS = re.compile(r"[“\"\d]")


def list_items(text: str) -> list[str]:
    """The items of an inline list ("A, B and C"), each cut to a short name."""
    items = []
    for part in _LIST_SPLIT.split(text):
        part = re.sub(r"^(?:and|or|the|a|an)\s+", "", part.strip(" ()“”\"'")).strip()
        part = re.sub(r"\s*\(.*$", "", part)
        part = re.split(r"\s+(?:were|are|is|was|have|has|can|may|will)\b", part)[0]
        if part and len(part.split()) <= 6 and not part[:1].isdigit():
            items.append(part)
    return items


class DetailRules:
    """Goals, techniques, concepts, phases, durations and session expectations of one page."""

    def __init__(self, records: PageRecords):
        self.records = records
        self.text = records.text

    def sentence(self, span: tuple[int, int], subject: str | None, section: str) -> None:
        """Inline goals, techniques, concepts, phases, durations and session lengths of one sentence."""
        if subject is None:
            return
        records = self.records
        s0 = span[0]
        sentence = self.text[span[0] : span[1]]
        lowered = sentence.lower()
        if not _HINT_WORDS.search(lowered) and not _HINT_MARKS.search(sentence):
            return
        for match in _GOAL_INLINE.finditer(sentence) if _GOAL_HINT.search(lowered) else ():
            label = short_label(match.group(1), 2)
            if 1 <= len(label.split()) <= 10:
                records.fact(subject, "hasGoal", records.simple("goal", "Goal", label, s0 + match.start(1)), span)
        for match in _TECHNIQUE_INLINE.finditer(sentence) if _TECHNIQUE_HINT.search(lowered) else ():
            for item in list_items(match.group(1)):
                records.fact(subject, "usesTechnique",
                             records.simple("technique", "Technique", item, s0 + match.start(1)), span)
        if "concept" in lowered or "notion" in lowered or "ideas such" in lowered:
            for match in _CONCEPT_INLINE.finditer(sentence):
                items = list_items(match.group(1)) if match.group(1) else [match.group(2).strip()]
                for item in items:
                    if len(item.split()) <= 5:
                        records.fact(subject, "involvesConcept",
                                     records.simple("concept", "Concept", item, s0 + match.start()), span)
        if "“" in sentence or '"' in sentence:
            for match in _QUOTED.finditer(sentence):
                phrase = match.group(1).strip(" ,.")
                words = phrase.split()
                if not re.search(r"[^\W\d_]", phrase) or _SPEECH.match(phrase) or _SPEECH_AFTER.match(sentence,
                                                                                               match.end()):
                    continue  # "“It is incredibly demanding,” says Dr X": a quotation, not a term
                if 1 <= len(words) <= 5 and not phrase[:1].isdigit() and not re.search(r"[?!]", phrase):
                    records.fact(subject, "involvesConcept",
                                 records.simple("concept", "Concept", phrase, s0 + match.start(1)), span)
        if section != "evidence" and ("phase" in lowered or "stage" in lowered or "step" in lowered):
            for match in _PHASES_INLINE.finditer(sentence):
                items = list_items(match.group(1))
                if len(items) >= 2:
                    scope = subject.split("/", 1)[1]
                    for order, item in enumerate(items, start=1):
                        phase = records.simple("phase", "TreatmentPhase", item, s0 + match.start(1), scope=scope)
                        records.fact(subject, "hasPhase", phase, span)
                        records.fact(phase, "phaseOrder", order, span)
        if re.search(r"\d", sentence) or _NUMBER_WORD.search(lowered):
            if section == "length" or _DURATION_CONTEXT.search(sentence):
                for match in _DURATION.finditer(sentence):
                    if re.match(r"\s+(?:per|a|each|every)\s+(?:week|month|day)", sentence[match.end() :]):
                        continue
                    if section == "length" or _DURATION_VERB.search(sentence[: match.start()]):
                        records.fact(subject, "typicalDuration", match.group(1), span)
                        break
            if _MINUTES.search(sentence) and re.search(r"\bsessions?\b", sentence, re.I):
                records.fact(subject, "sessionExpectation", sentence.strip().rstrip("."), span)

    def list_item(self, block: Block, role: str, subject: str | None, first: tuple[int, int]) -> None:
        """Facts from a bullet or numbered item by its list's role (phase, goal, technique, session)."""
        if subject is None:
            return
        records = self.records
        item = self.text[block.start : block.end]
        if role == "phase":
            label = short_label(item)
            phase = records.simple("phase", "TreatmentPhase", label, block.start, scope=subject.split("/", 1)[1])
            records.fact(subject, "hasPhase", phase, first)
            records.fact(phase, "phaseOrder", block.number or self._next_order(subject), first)
        elif role == "goal":
            records.fact(subject, "hasGoal", records.simple("goal", "Goal", short_label(item, 3), block.start), first)
        elif role == "technique":
            records.fact(subject, "usesTechnique",
                         records.simple("technique", "Technique", short_label(item, 3), block.start), first)
        elif role == "session":
            records.fact(subject, "sessionExpectation", self.text[first[0] : first[1]].rstrip(" .;"), first)

    def _next_order(self, subject: str) -> int:
        """The order of the next phase of ``subject`` when the list does not number it."""
        return len(self.records.objects(subject, "hasPhase"))
