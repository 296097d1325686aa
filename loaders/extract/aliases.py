"""Other names the page gives an approach: "also called Bowen therapy", "usually shortened to Bowen theory"."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from loaders.extract.names import name_key
from loaders.extract.segment import Block, classify_heading

if TYPE_CHECKING:
    from loaders.extract.mentions import MentionFinder

_MARKER = re.compile(
    r"(?:[,(–—-]\s*|\s)(?:also|sometimes|often|usually|commonly|widely|originally|formerly|previously|or)?\s*"
    r"(?:(?:just|simply)\s+)?(?:called|known as|referred to as|written|shortened to|abbreviated(?:\s+(?:to|as))?"
    r"|termed|named|spelled|spelt|nicknamed|(?:published|practi[sc]ed|taught)\s+under\s+the\s+names?)\s+",
    re.IGNORECASE,
)
_LABEL = re.compile(
    r"(?:other names?|also known as|also called|aka|a\.k\.a\.|synonyms?|alternative names?)"
    r"(?:(?:\s+(?:seen|used|found|given|met)(?:\s+(?:in|on)(?:\s+the)?(?:\s+[a-z]+){1,2})?)?\s*:|\s[-–—]\s|\s)\s*",
    re.IGNORECASE,
)
_SECTION_WORDS = re.compile(
    r"(?:the\s+)?(?:basics|overview|summary|introduction|key\s+facts|quick\s+facts|facts|at\s+a\s+glance|in\s+brief"
    r"|in\s+short|definitions?|terminology|names|naming|notes|details|essentials|fact\s+sheet)",
    re.IGNORECASE,
)
_ITEM_ACRONYM = re.compile(r"\s*\(([A-Z][A-Za-z-]{1,8})\)[\s.;]*$")
_CALL_IT = re.compile(r"\b(?:just\s+|simply\s+)?call(?:s|ed)?\s+it\s+", re.IGNORECASE)
_SPLIT = re.compile(r"\s*[;,]\s*(?:or\s+|and\s+)?|\s+or\s+(?:just\s+|simply\s+)?|\s+and\s+")
_END = re.compile(r"[)–—.;:!?]|\s-\s|,\s+(?:is|was|are|which|who|a|an|the|it|and\s+(?:is|was))\b|$")
_IT_IS = re.compile(  # "It is known as ...", "This treatment is often called ..." (then the marker)
    r"(?:^|(?<=[.!?\s]))(?:It|This\s+(?:approach|treatment|therapy|method|model|programme|program|intervention))"
    r"\s+(?:is|was|has\s+been|became|is\s+now)\s*$"
)
_NOT_A_NAME = re.compile(r"(?:by|after|for|in|with|to|from|at|on|its|his|her|their|our|my|your|this|that)\b",
                         re.IGNORECASE)
_LEAD = re.compile(r"^(?:the|a|an|just|simply)\s+", re.IGNORECASE)


def _items(value: str) -> list[str]:
    """The names in an alias list ("Bowenian therapy, Bowen therapy or multigenerational family therapy")."""
    found = []
    parts = []
    for part in _SPLIT.split(value):
        acronym = _ITEM_ACRONYM.search(part)  # '"interpersonal-psychological theory of suicide" (IPTS)'
        if acronym is not None:
            parts.append(acronym.group(1))
            part = part[: acronym.start()]
        parts.append(part)
    for part in parts:
        part = part.strip(" \"“”'‘’*.;").strip()
        part = _LEAD.sub("", part).strip(" \"“”'‘’")
        if part and len(part.split()) <= 6 and part[0].isalpha() and not re.search(r"\d{4}", part) and not (
            _NOT_A_NAME.match(part)  # "was named by its creator", "named after the harbour": no name follows
        ):
            found.append(part)
    return found


def find_aliases(finder: MentionFinder, blocks: list[Block]) -> list[tuple[str, str, str]]:
    """Record aliases the page states; returns ``(phrase, entity id, type)`` for names to look for again."""
    text = finder.text
    new: list[tuple[str, str, str]] = []
    previous_heading_entity: str | None = None
    previous_heading: Block | None = None
    title_entity: str | None = None
    for block in blocks:
        mentions = finder.within(block.start, block.end) if finder._starts else _mentions_in(finder, block)
        approaches = [m for m in mentions if m.type in ("Modality", "Theory")]
        if block.kind in ("title", "heading"):
            previous_heading = block
            previous_heading_entity = approaches[0].id if approaches else None
            if block.kind == "title" and title_entity is None:
                title_entity = previous_heading_entity
            continue
        label = _LABEL.match(text, block.start, block.end)
        if label is not None:
            target = previous_heading_entity
            if target is None and previous_heading is not None:
                heading = text[previous_heading.start : previous_heading.end].strip()
                if 1 <= len(heading.split()) <= 4 and heading[:1].isupper() and not re.search(r"[?:!.]", heading) and (
                    not _SECTION_WORDS.fullmatch(heading) and not any(classify_heading(heading))
                ):  # "## Basics" then "- Other names: ...": the page's topic's names, under a section heading
                    target = finder.approach(heading, previous_heading.start)
                    if target:
                        new.append((heading, target, "Modality"))
                elif title_entity is not None:
                    target = title_entity  # "## Basics" then "- Other names: ...": the names of the title's approach
            if target:
                new.extend(_register(finder, target, _items(text[label.end() : block.end])))
            continue
        for match in _MARKER.finditer(text, block.start, block.end):
            before = [m for m in approaches if m.end <= match.start() and match.start() - m.end <= 12]
            if not before:
                new.extend(_named_by_anaphor(finder, match, block))
                continue
            target_mention = before[-1]
            between = text[target_mention.end : match.start()]
            if re.search(r"[.;:]", between):
                continue
            end_match = _END.search(text, match.end(), min(block.end, match.end() + 160))
            end = end_match.start() if end_match else min(block.end, match.end() + 160)
            value = text[match.end() : end]
            new.extend(_register(finder, target_mention.id, _items(value)))
        for match in _CALL_IT.finditer(text, block.start, block.end):
            before = [m for m in approaches if m.end <= match.start() and match.start() - m.end <= 60]
            if before:
                quoted = re.match(r"[\"“]([^\"”]{2,60})[\"”]|([A-Z][\w-]*(?:\s+[\w-]+){0,3}?\s+(?:therapy|theory))",
                                  text[match.end() : block.end])
                if quoted:
                    new.extend(_register(finder, before[-1].id, [quoted.group(1) or quoted.group(2)]))
    return new


def _named_by_anaphor(finder: MentionFinder, match: re.Match[str], block: Block) -> list[tuple[str, str, str]]:
    """ "... a treatment now offered by most services. It is known as family-based treatment, or FBT": the sentence
    names an approach the page has only described so far, so its first name is a new approach and the others its
    aliases. Only when the list gives an acronym or the name ends in an approach head word ("treatment", "model")
    and no approach is named earlier in the block (then "it" is that approach, left to the rules)."""
    text = finder.text
    if _IT_IS.search(text, max(block.start, match.start() - 40), match.start() + 1) is None:
        return []
    earlier = finder.within(block.start, match.start())
    if any(m.type in ("Modality", "Theory") for m in earlier):
        return []
    end_match = _END.search(text, match.end(), min(block.end, match.end() + 160))
    end = end_match.start() if end_match else min(block.end, match.end() + 160)
    names = _items(text[match.end() : end])
    if not names or names[0].isupper():
        return []
    first, rest = names[0], names[1:]
    heads = finder.lex.approach_heads | finder.lex.approach_weak_heads
    if not any(n.isupper() and 1 < len(n) <= 8 for n in rest) and first.split()[-1].lower() not in heads:
        return []
    entity_id = finder.approach(first, text.find(first, match.end()))
    if entity_id is None:
        return []
    return [(first, entity_id, "Modality"), *_register(finder, entity_id, rest)]


def _mentions_in(finder: MentionFinder, block: Block) -> list:  # noqa: ANN401 - Mention list
    return [m for m in finder.mentions if block.start <= m.start and m.end <= block.end]


def _register(finder: MentionFinder, target: str, names: list[str]) -> list[tuple[str, str, str]]:
    """Add ``names`` as aliases of ``target``; entities already made for them are folded into it."""
    records = finder.records
    target = records.canonical(target)
    entity_type = records.type_of(target)
    found: list[tuple[str, str, str]] = []
    for name in names:
        if name.lower() == records.label_of(target).lower():
            continue
        if name.isupper() and 1 < len(name) <= 8:
            existing = finder.names.acronyms.get(name)
            if existing and records.canonical(existing[0]) != target:
                continue
            finder.names.acronyms[name] = (target, entity_type)
            records.add_alias(target, name)
            found.append((name, target, entity_type))
            continue
        for kind in ("Modality", "Theory"):
            other = finder.names.keys.get((kind, name_key(name)))
            if other and records.canonical(other) != target and records.type_of(other) == entity_type:
                records.merge(other, target)
        finder.names.keys.setdefault((entity_type, name_key(name)), target)
        records.add_alias(target, name)
        found.append((name, target, entity_type))
    return found
