"""Sentence rules: the patterns that turn one sentence into facts (developers, lineage, dates, uses, goals, ...)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from loaders.page_lexicon import (
    ANY_SIGNAL_TOKENS,
    CONDITION_TOKENS,
    DEV_TOKENS,
    HAS_DIGIT,
    INLINE_TOKENS,
    LINEAGE_TOKENS,
    NUMBER_WORD,
    ORIGIN_TOKENS,
    POP_CONTINUE,
    POP_FOCUSED_RE,
    POP_TRIGGER_BEFORE,
    POPULATION_TOKENS,
    POPULATION_WORDS,
    TOKEN,
    TRIGGER_STEMS,
    TRIGGER_WORDS,
    WORK_TOKENS,
    find_conditions,
    find_population_words,
)
from loaders.page_names import NAME_WORD, PERSON, PERSON_LIST, ROLE, capitalise, short_label, slugify
from loaders.page_state import Mention, PageState
from ontology.records import Year

# Who developed what: "developed by X", "X developed Y", "Johnson and Greenberg developed", "X's work on",
# "originated with X"; students and collaborators.
_PASSIVE_DEV = re.compile(
    rf"\b(?i:developed|created|devised|founded|originated|pioneered|introduced|formulated|conceived|established"
    rf"|invented|proposed|designed|first described|codified)\s+(?:\w+\s+){{0,3}}?by\s+{ROLE}({PERSON_LIST})"
)

_ACTIVE_DEV = re.compile(
    rf"({PERSON_LIST})(?:\s*,[^,;]{{2,80}},)?\s+(?:\w+\s+)?(?:developed|created|devised|founded|pioneered"
    rf"|introduced|originated|formulated|conceived|invented|established|designed)\b"
)

_SURNAME_DEV = re.compile(
    rf"\b({NAME_WORD}(?:\s*,\s*{NAME_WORD})*\s+(?:and|&)\s+{NAME_WORD})\s+(?:\w+\s+)?(?:developed|created|devised"
    rf"|founded|pioneered|introduced|formulated)\b"
    rf"|\b(?:developed|created|devised|founded|pioneered|introduced|formulated)\s+by\s+({NAME_WORD}(?:\s*,\s*"
    rf"{NAME_WORD})*\s+(?:and|&)\s+{NAME_WORD})\b"
)

_WORK_ON = re.compile(
    rf"({PERSON})['’]s?\s+(?:\w+\s+){{0,2}}?(?:work|research|studies|contributions?|writings?|ideas|observations)\b"
)

_ORIGINATED_WITH = re.compile(
    rf"\b(?:originated|originates|began|begins|started|starts|traces? back|(?:closely )?associated)"
    rf"\s+(?:\w+\s+){{0,2}}?"
    rf"(?:with|to)\s+"
    rf"(?:the (?:work|research|ideas) of\s+)?{ROLE}({PERSON_LIST})"
)

_STUDENT_OF = re.compile(
    rf"({PERSON}),?\s+(?:a|an|the)\s+(?:former\s+)?(?:student|trainee|protégé|protege)"
    rf"\s+of\s+({PERSON})"
)

_COLLABORATED = re.compile(rf"({PERSON})\s+(?:collaborated|worked closely|worked)\s+with\s+({PERSON})")

_STUDENT_HINT = re.compile(r"student|trainee|prot[ée]g[ée]")

# When: a year ("in 1987") or a decade ("in the late 1980s") in a sentence about a development.
_DEV_VERB = re.compile(
    r"\b(?:developed|created|devised|founded|originated|pioneered|introduced|formulated|conceived|established"
    r"|invented|proposed|designed|emerged|appeared|arose|published|first described|dates? back|began|launched)\b"
)

_DECADE = re.compile(r"\b(?:the\s+)?(?:(?:early|mid|late)[\s-]+)?((?:1[89]|20)\d0)s\b")

_YEAR = re.compile(r"\b(?:in|by|around|circa|c\.)\s+((?:1[89]|20)\d\d)\b(?!s)")

# Lineage: "a form of", "grew out of", "based on" (and "based on the X model").
_KIND_OF = re.compile(
    r"\b(?:(?P<sub>is|as)\s+(?:a|an|one)\s+(?:specific\s+|specialized\s+|particular\s+)?(?:form|type|kind|subtype|"
    r"variant|branch|version|style)\s+of"
    r"|(?P<der>modified form|modification|adaptation|offshoot|outgrowth|extension|derivative|spin-off|descendant"
    r"|evolution)\s+of"
    r"|(?P<base>based on|grounded in|rooted in|draws on|draws from|builds on|built on|informed by|inspired by"
    r"|integrates|combines|blends)"
    r"|(?P<grew>grew out of|grows out of|evolved from|emerged from|developed out of|derived from|adapted from"
    r"|developed from|arose from|branched off from|has its roots in|have their roots in))\b",
    re.I,
)

_LINEAGE_PHRASES = (
    "form of",
    "type of",
    "kind of",
    "subtype of",
    "variant of",
    "branch of",
    "version of",
    "style of",
    "modification of",
    "adaptation of",
    "offshoot of",
    "outgrowth of",
    "extension of",
    "derivative of",
    "spin-off of",
    "descendant of",
    "evolution of",
    "based on",
    "grounded in",
    "rooted in",
    "draws on",
    "draws from",
    "builds on",
    "built on",
    "informed by",
    "inspired by",
    "integrates",
    "combines",
    "blends",
    "grew out",
    "grows out",
    "evolved from",
    "emerged from",
    "developed out",
    "derived from",
    "adapted from",
    "developed from",
    "arose from",
    "branched off",
    "roots in",
)

_LINEAGE_PHRASE_RE = re.compile("|".join(re.escape(phrase) for phrase in _LINEAGE_PHRASES))

_MODEL_AFTER = re.compile(r"\s+(?:the\s+|an?\s+)?((?:[A-Za-z][a-z-]+\s+){1,4}(?:model|framework))\b")

# Inline lists and numbers: goals, techniques, concepts, phases, durations and session lengths.
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
    r"\b(?:typically|usually|lasts?|takes?|runs?|course|within|generally|often|treatments?|therap(?:y|ies)|program|attend\w*)\b",
    re.I,
)

_MINUTES = re.compile(r"\b\d+(?:\s*(?:–|-|to)\s*\d+)?[\s-]+minutes?\b", re.I)

_LIST_SPLIT = re.compile(r"\s*(?:,|;)\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+(?=\S)")


class SentenceRules(PageState):
    """Applies the sentence patterns to one sentence at a time."""

    def sentence(
        self, span: tuple[int, int], subject: str | None, section: str, bullet: bool, tokens: set[str] | None = None
    ) -> None:
        """Apply every rule to one sentence; ``tokens`` are its lower-case words if already known."""
        text = self.text
        s0, s1 = span
        sentence = text[s0:s1]
        lowered = sentence.lower()
        gated = tokens is not None
        if tokens is None:
            tokens = set(TOKEN.findall(lowered))
        if not gated and (
            tokens.isdisjoint(ANY_SIGNAL_TOKENS)
            and " by " not in sentence
            and not HAS_DIGIT.search(sentence)
            and "“" not in sentence
            and '"' not in sentence
            and "’s" not in sentence
            and "'s" not in sentence
        ):
            self._previous_developed = None
            return
        mentions = self.mentions(s0, s1)
        developed: list[str] = []
        has_lineage = (not tokens.isdisjoint(LINEAGE_TOKENS) or "developed" in tokens) and (
            _LINEAGE_PHRASE_RE.search(lowered) is not None
        )
        kind_of = list(_KIND_OF.finditer(sentence)) if has_lineage and mentions else []
        lineage_objects = self._lineage_objects(kind_of, s0, mentions) if kind_of else set()

        def subject_before(position: int, types: tuple[str, ...] = ("Modality", "Theory")) -> str | None:
            before = [
                m
                for m in mentions
                if m.end <= position
                and m.type in types
                and (m.start not in lineage_objects or "," in text[m.end : position])
            ]
            return before[-1].id if before else subject

        def link(target: str | None, persons: Iterable[str]) -> None:
            for pid in persons:
                self.add_fact(target, "developedBy", pid, span)
            if target:
                developed.append(target)
                self.last_developed = target

        has_by = " by " in sentence
        if has_by:
            for match in _PASSIVE_DEV.finditer(sentence):
                target = subject_before(s0 + match.start())
                link(target, self.persons_in(match.group(1), s0 + match.start(1)))
        dev_hint = not tokens.isdisjoint(DEV_TOKENS)
        for match in _ACTIVE_DEV.finditer(sentence) if dev_hint else ():
            after = [
                m
                for m in mentions
                if m.start >= s0 + match.end()
                and m.start - (s0 + match.end()) < 40
                and m.type in ("Modality", "Theory")
            ]
            if after:
                link(after[0].id, self.persons_in(match.group(1), s0 + match.start(1)))
        if dev_hint and (" and " in sentence or " & " in sentence):
            for match in _SURNAME_DEV.finditer(sentence):
                names = match.group(1) or match.group(2)
                pids = [self.surnames.get(w.lower()) for w in re.split(r"\s*,\s*|\s+(?:and|&)\s+", names)]
                if all(pids) and pids:
                    if match.group(1):
                        after = [m for m in mentions if m.start >= s0 + match.end() and m.type != "Theorist"]
                        target = after[0].id if after else None
                    else:
                        target = subject_before(s0 + match.start())
                    link(target, [p for p in pids if p])
        if not tokens.isdisjoint(ORIGIN_TOKENS):
            for match in _ORIGINATED_WITH.finditer(sentence):
                link(subject_before(s0 + match.start()), self.persons_in(match.group(1), s0 + match.start(1)))
        if ("'" in sentence or "’" in sentence) and not tokens.isdisjoint(WORK_TOKENS):
            for match in _WORK_ON.finditer(sentence):
                pid = self.person(match.group(1), s0 + match.start(1))
                if pid is None:
                    continue
                on_target = [
                    m
                    for m in mentions
                    if m.start >= s0 + match.end()
                    and m.start - (s0 + match.end()) < 12
                    and m.type in ("Modality", "Theory")
                ]
                if on_target:
                    link(on_target[0].id, [pid])
                elif self.last_developed and re.match(
                    r"(?:his|her|their|this)\b|.*\b(?:alongside|along with|together"
                    r" with)\b",
                    sentence,
                    re.I,
                ):
                    self.add_fact(self.last_developed, "developedBy", pid, span)
        for match in _STUDENT_OF.finditer(sentence) if "of" in sentence and _STUDENT_HINT.search(sentence) else ():
            a, b = self.person(match.group(1), s0), self.person(match.group(2), s0)
            self.add_fact(a, "studentOf", b, span)
        for match in _COLLABORATED.finditer(sentence) if "worked" in sentence or "collaborat" in sentence else ():
            a, b = self.person(match.group(1), s0), self.person(match.group(2), s0)
            self.add_fact(a, "collaboratedWith", b, span)
        self._dates(sentence, span, mentions, developed, subject)
        self._previous_developed = developed[0] if developed else None
        if has_lineage:
            self._lineage(sentence, span, mentions, subject, kind_of if mentions else None)
        if not tokens.isdisjoint(POPULATION_TOKENS) or not tokens.isdisjoint(CONDITION_TOKENS):
            self._populations_and_conditions(
                sentence, span, [m for m in mentions if m.start not in lineage_objects], subject, tokens
            )
        if subject and (
            not tokens.isdisjoint(INLINE_TOKENS) or "“" in sentence or '"' in sentence or HAS_DIGIT.search(sentence)
        ):
            self._goals_techniques_concepts(sentence, span, mentions, subject, section)

    @staticmethod
    def _lineage_objects(kind_of: list[re.Match[str]], s0: int, mentions: list[Mention]) -> set[int]:
        """Starts of mentions that follow "a form of", "based on" and the like: they are not the subject."""
        objects: set[int] = set()
        for match in kind_of:
            position = s0 + match.end()
            for m in mentions:
                if position <= m.start <= position + 3:
                    objects.add(m.start)
                    position = m.end + 2  # an acronym in brackets right after belongs to the same object
        return objects

    def _dates(
        self, sentence: str, span: tuple[int, int], mentions: list[Mention], developed: list[str], subject: str | None
    ) -> None:
        """An ``introduced`` year or decade for what the sentence (or the previous one) says was developed."""
        if not HAS_DIGIT.search(sentence):
            return
        decade = _DECADE.search(sentence)
        year = _YEAR.search(sentence)
        if not decade and not year:
            return
        when = (
            Year(int(year.group(1)))
            if year and (not decade or year.start() < decade.start())
            else (Year(int(decade.group(1)), "decade") if decade else None)
        )
        if when is None:
            return
        if developed:
            target = developed[0]
        elif self._previous_developed and re.match(r"(?:He|She|They)\b", sentence):
            target = self._previous_developed
        elif _DEV_VERB.search(sentence):
            named = [m for m in mentions if m.type in ("Modality", "Theory")]
            if not named:
                return
            target = named[0].id
        else:
            return
        self.add_fact(target, "introduced", when, span)

    def _lineage(
        self,
        sentence: str,
        span: tuple[int, int],
        mentions: list[Mention],
        subject: str | None,
        kind_of: list[re.Match[str]] | None = None,
    ) -> None:
        """subtypeOf, derivedFrom and groundedIn facts from "a form of", "grew out of", "based on", ..."""
        s0 = span[0]
        for match in kind_of if kind_of is not None else _KIND_OF.finditer(sentence):
            position = s0 + match.end()
            targets = [m for m in mentions if position <= m.start <= position + 45 and m.type in ("Modality", "Theory")]
            if not targets and (match.group("base") or match.group("grew")):
                model = _MODEL_AFTER.match(self.text, position)
                if model:
                    phrase = model.group(1)
                    theory_id = f"theory/{slugify(phrase)}"
                    self.add_entity(theory_id, "Theory", capitalise(phrase), s0 + model.start(1) - s0)
                    targets = [Mention(model.start(1), model.end(1), theory_id, "Theory")]
            if not targets:
                continue
            objects = self._lineage_objects(
                kind_of if kind_of is not None else list(_KIND_OF.finditer(sentence)), s0, mentions
            )
            before = [
                m for m in mentions if m.end <= s0 + match.start() and m.type == "Modality" and m.start not in objects
            ]
            source_id = before[-1].id if before else subject
            if source_id is None:
                continue
            for target in targets[:3]:
                if target.start > position + 45:
                    break
                if match.group("sub"):
                    predicate = "subtypeOf" if target.type == "Modality" else "groundedIn"
                elif match.group("der") or match.group("grew"):
                    predicate = "derivedFrom" if target.type == "Modality" else "groundedIn"
                else:
                    predicate = "groundedIn" if target.type == "Theory" else "derivedFrom"
                self.add_fact(source_id, predicate, target.id, span)
                between = self.text[target.end : target.end + 12]
                if not re.match(r"\s*(?:,|and|&)\s*", between):
                    break

    def _populations_and_conditions(
        self, sentence: str, span: tuple[int, int], mentions: list[Mention], subject: str | None, tokens: set[str]
    ) -> None:
        """servesPopulation and addressesCondition facts from population words and conditions."""
        s0 = span[0]

        def target_at(position: int) -> str | None:
            before = [m for m in mentions if m.end <= position and m.type == "Modality"]
            return before[-1].id if before else subject

        def inside_mention(position: int) -> bool:
            return any(m.start <= position < m.end for m in mentions)

        has_population = not tokens.isdisjoint(POPULATION_TOKENS)
        list_start = 0
        previous_end = -1
        for start, end, label in find_population_words(sentence, tokens) if has_population else ():
            if previous_end >= 0 and POP_CONTINUE.fullmatch(sentence, previous_end, start):
                pass  # "children and adolescents": continues a list already accepted
            elif POP_TRIGGER_BEFORE.search(sentence, max(0, start - 60), start):
                list_start = start
            else:
                previous_end = -1
                continue
            previous_end = end
            if inside_mention(s0 + start):
                continue
            self.add_fact(
                target_at(s0 + list_start),
                "servesPopulation",
                self.simple("population", "Population", label, s0 + start),
                span,
            )
        has_focus = "-focused" in sentence or "-based" in sentence or "-cent" in sentence
        for match in POP_FOCUSED_RE.finditer(sentence) if has_population and has_focus else ():
            if inside_mention(s0 + match.start()):
                continue
            label = POPULATION_WORDS[match.group(1).lower()]
            self.add_fact(
                target_at(s0 + match.start()),
                "servesPopulation",
                self.simple("population", "Population", label, s0 + match.start()),
                span,
            )
        conditions = find_conditions(sentence, tokens) if not tokens.isdisjoint(CONDITION_TOKENS) else []
        if conditions and (not tokens.isdisjoint(TRIGGER_WORDS) or any(t.startswith(TRIGGER_STEMS) for t in tokens)):
            for start, _end, label in conditions:
                if inside_mention(s0 + start):
                    continue
                self.add_fact(
                    target_at(s0 + start),
                    "addressesCondition",
                    self.simple("condition", "Condition", label, s0 + start),
                    span,
                )

    def _goals_techniques_concepts(
        self, sentence: str, span: tuple[int, int], mentions: list[Mention], subject: str, section: str
    ) -> None:
        """Inline goals, techniques, concepts, phases, durations and session lengths."""
        s0 = span[0]
        lowered = sentence.lower()
        for match in _GOAL_INLINE.finditer(sentence) if _GOAL_HINT.search(lowered) else ():
            label = short_label(match.group(1), 2)
            if 1 <= len(label.split()) <= 10:
                self.add_fact(subject, "hasGoal", self.simple("goal", "Goal", label, s0 + match.start(1)), span)
        for match in _TECHNIQUE_INLINE.finditer(sentence) if _TECHNIQUE_HINT.search(lowered) else ():
            for item in self._list_items(match.group(1)):
                self.add_fact(
                    subject, "usesTechnique", self.simple("technique", "Technique", item, s0 + match.start(1)), span
                )
        if "concept" in lowered or "notion" in lowered or "ideas such" in lowered:
            for match in _CONCEPT_INLINE.finditer(sentence):
                items = self._list_items(match.group(1)) if match.group(1) else [match.group(2).strip()]
                for item in items:
                    if len(item.split()) <= 5:
                        self.add_fact(
                            subject,
                            "involvesConcept",
                            self.simple("concept", "Concept", item, s0 + match.start()),
                            span,
                        )
        if "“" in sentence or '"' in sentence:
            for match in _QUOTED.finditer(sentence):
                phrase = match.group(1).strip(" ,.")
                words = phrase.split()
                if 1 <= len(words) <= 5 and not phrase[:1].isdigit() and not re.search(r"[?!]", phrase):
                    self.add_fact(
                        subject, "involvesConcept", self.simple("concept", "Concept", phrase, s0 + match.start(1)), span
                    )
        if section != "evidence" and ("phase" in lowered or "stage" in lowered or "step" in lowered):
            for match in _PHASES_INLINE.finditer(sentence):
                items = self._list_items(match.group(1))
                if len(items) >= 2:
                    for order, item in enumerate(items, start=1):
                        phase = self.simple(
                            "phase", "TreatmentPhase", item, s0 + match.start(1), scope=subject.split("/", 1)[1]
                        )
                        self.add_fact(subject, "hasPhase", phase, span)
                        self.add_fact(phase, "phaseOrder", order, span)
        if HAS_DIGIT.search(sentence) or NUMBER_WORD.search(lowered):
            if section == "length" or _DURATION_CONTEXT.search(sentence):
                for match in _DURATION.finditer(sentence):
                    if re.match(r"\s+(?:per|a|each|every)\s+(?:week|month|day)", sentence[match.end() :]):
                        continue
                    if section == "length" or re.search(
                        r"\b(?:lasts?|takes?|typically|usually|runs?|over|within|"
                        r"course of|consists? of|attend\w*)\b",
                        sentence[: match.start()],
                        re.I,
                    ):
                        self.add_fact(subject, "typicalDuration", match.group(1), span)
                        break
            if _MINUTES.search(sentence) and re.search(r"\bsessions?\b", sentence, re.I):
                self.add_fact(subject, "sessionExpectation", sentence.strip().rstrip("."), span)

    @staticmethod
    def _list_items(text: str) -> list[str]:
        """The items of an inline list ("A, B and C"), each cut to a short name."""
        items = []
        for part in _LIST_SPLIT.split(text):
            part = re.sub(r"^(?:and|or|the|a|an)\s+", "", part.strip(" ()“”\"'")).strip()
            part = re.sub(r"\s*\(.*$", "", part)
            part = re.split(r"\s+(?:were|are|is|was|have|has|can|may|will)\b", part)[0]
            if part and len(part.split()) <= 6 and not part[:1].isdigit():
                items.append(part)
        return items
