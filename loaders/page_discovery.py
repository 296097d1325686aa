"""First pass over a page: modality names with their acronyms and aliases, and the page's topic."""

from __future__ import annotations

import re
from bisect import bisect_right

from loaders.page_lexicon import CONDITION_RE
from loaders.page_names import EFT_FULL_NAMES, GENERIC_HEADS, LEADING_STOP, MODALITY_HEAD, head_words, name_start_before
from loaders.page_state import PageState
from loaders.page_text_units import Block, split_sentences

# Acronym definitions ("Internal Family Systems (IFS)"), aliases ("also known as ...") and what is not a name.
_PAREN_ACRONYM = re.compile(r"\(([A-Z][A-Za-z]{0,3}[A-Z](?:-[A-Z][A-Za-z]*)?)\)")

_CLAUSE_BREAK = re.compile(r"[.;:!?(),]\s")

_SMALL_WORDS = frozenset({"and", "of", "for", "the", "&", "in", "to", "with", "a"})

_NOT_MODALITY_TAILS = frozenset(
    {
        "disorder",
        "disorders",
        "syndrome",
        "trial",
        "trials",
        "study",
        "scale",
        "inventory",
        "questionnaire",
        "test",
        "review",
        "group",
        "council",
        "service",
    }
)

_ORG_WORDS = frozenset(
    {
        "University",
        "Institute",
        "Association",
        "Society",
        "Center",
        "Centre",
        "Department",
        "College",
        "Hospital",
        "Foundation",
        "Agency",
        "Organization",
        "Organisation",
        "National",
    }
)

_NOT_MODALITY_WORDS = frozenset({"Loading", "Directory", "Alma", "Yes", "No"})

_ACRONYM_AFTER = re.compile(r"\s*\(([A-Z][A-Za-z0-9]{0,3}(?:-[A-Z][A-Za-z0-9]{0,5})?[A-Z0-9]?)\)")

_ALIAS_AFTER = re.compile(
    r"\s*(?:\(|,\s+)(?:also (?:known|referred to) as|also called|sometimes called|a\.k\.a\.?|aka|formerly|"
    r"or simply|previously called)\s+([^()]{2,120}?)(?:\)|,(?=\s)|\.(?=\s|$)|;)"
)

_ALIAS_SPLIT = re.compile(r"\s*,\s*(?:or\s+|and\s+)?|\s+or\s+(?:just\s+|simply\s+)?|\s+and\s+")


def _initials(word: str) -> str:
    """The initial letters of a word (the whole word if it is an acronym itself)."""
    word = word.strip("\"“”'’*")
    if word.isupper() and len(word) > 1:
        return word
    return "".join(part[:1] for part in word.replace("/", "-").split("-") if part)


def _looks_like_name(name: str) -> bool:
    """Whether a phrase is capitalised like a name (small words and generic heads allowed)."""
    words = name.split()
    if not 1 <= len(words) <= 8:
        return False
    lowered_small = {"and", "of", "for", "in", "&", "the", "a", "to", "on", "with"}
    return (
        all(w[0].isupper() or w.lower() in lowered_small or w[0].isdigit() or w.lower() in GENERIC_HEADS for w in words)
        and words[0][0].isupper()
    )


class NameDiscovery(PageState):
    """Finds the modality names a page defines before its sentences are read."""

    def discover_names(self, blocks: list[Block]) -> None:
        """First pass: modality names with acronyms and aliases anywhere on the page, and the page topic."""
        text = self.text
        block_starts = [b.start for b in blocks]

        def block_at(position: int) -> Block | None:
            index = bisect_right(block_starts, position) - 1
            block = blocks[index] if index >= 0 else None
            return block if block is not None and block.kind != "boiler" and position < block.end else None

        for match in _PAREN_ACRONYM.finditer(text):
            block = block_at(match.start())
            if block is not None:
                self._acronym_definition(block, match)
        heads_by_block: dict[int, list[tuple[int, int]]] = {}
        for head in head_words(text):
            block = block_at(head.start())
            if block is not None and head.end() <= block.end:
                heads_by_block.setdefault(block.start, []).append(
                    (name_start_before(text, head.start(), block.start), head.end())
                )
        for block in blocks:
            if block.kind == "boiler":
                continue
            for found_start, found_end in heads_by_block.get(block.start, ()):
                name_start, name = self._trim_modality(text[found_start:found_end], found_start)
                if name is None:
                    continue
                after = found_end
                acronym = _ACRONYM_AFTER.match(text, after, block.end)
                alias = _ALIAS_AFTER.match(text, after, block.end)
                if not acronym and not alias and not self._accept_plain_name(name, name_start, block):
                    continue
                entity_id = self.modality_id(name, name_start)
                if acronym:
                    self.acronyms[acronym.group(1)] = entity_id
                    if entity_id:
                        self.add_alias(entity_id, acronym.group(1))
                    alias = _ALIAS_AFTER.match(text, acronym.end(), block.end) or alias
                if alias and entity_id:
                    for part in _ALIAS_SPLIT.split(alias.group(1)):
                        part = re.sub(r"^(?:just|simply|sometimes|the)\s+", "", part.strip(" \"“”'’.")).strip()
                        if part and len(part.split()) <= 7 and part[:1].isupper():
                            self.add_alias(entity_id, part)
                            self.names.setdefault(self.name_key(part), entity_id)
                            if part.isupper():
                                self.acronyms.setdefault(part, entity_id)
            if block.kind in ("bullet", "para", "heading", "title"):
                self._discover_head(block)
        title = next((b for b in blocks if b.kind == "title"), None)
        if title is not None:
            self.topic = self._topic_from_title(title)
        if self.topic is None:
            for block in blocks:
                if block.kind in ("para", "heading") and block.kind != "boiler":
                    mentions = self.mentions(block.start, block.end)
                    modal = [m for m in mentions if m.type == "Modality"]
                    if modal:
                        first_sentence = split_sentences(text, block.start, block.end)[0]
                        if modal[0].start < first_sentence[1] and re.search(
                            r"\b(?:is|was|are)\s+(?:a|an)\b", text[modal[0].end : first_sentence[1]]
                        ):
                            self.topic = modal[0].id
                    break

    def _acronym_definition(self, block: Block, match: re.Match[str]) -> None:
        """A name defined with an acronym whose letters match its initials: "Internal Family Systems (IFS)"."""
        text = self.text
        acronym = match.group(1)
        letters = acronym.replace("-", "").upper()
        window = text[max(block.start, match.start() - 120) : match.start()]
        words = _CLAUSE_BREAK.split(window)[-1].split()
        phrase = None
        for size in range(1, min(len(words), 10) + 1):
            candidate = words[-size:]
            if "".join(_initials(w) for w in candidate if w.lower() not in _SMALL_WORDS).upper() == letters:
                phrase = candidate
                break
        if not phrase or phrase[0].lower() in _SMALL_WORDS:
            return
        while phrase and phrase[0] in LEADING_STOP:
            phrase = phrase[1:]
        if not phrase:
            return
        name = " ".join(phrase)
        last = phrase[-1].lower()
        if last in _NOT_MODALITY_TAILS or any(w in _ORG_WORDS for w in phrase) or CONDITION_RE.fullmatch(name):
            return
        lowered = name.lower()
        if lowered in EFT_FULL_NAMES and EFT_FULL_NAMES[lowered] is None:
            self.acronyms[acronym] = None
            return
        known_acronym = any(w in self.acronyms and self.acronyms[w] for w in phrase)
        if not (
            re.fullmatch(MODALITY_HEAD, phrase[-1], re.I)
            or known_acronym
            or block.kind in ("title", "heading")
            or self.name_key(name) in self.names
            or lowered in EFT_FULL_NAMES
        ):
            return
        start = match.start() - len(window) + window.rfind(name) if name in window else block.start
        entity_id = self.modality_id(name, start)
        if entity_id:
            self.acronyms.setdefault(acronym, entity_id)
            self.add_alias(entity_id, acronym)

    def _accept_plain_name(self, name: str, start: int, block: Block) -> bool:
        """A capitalised name without acronym or alias counts if it is not just a generic lower-case phrase."""
        words = name.split()
        if name in EFT_FULL_NAMES or name.lower() in EFT_FULL_NAMES:
            return True
        if self.name_key(name) in self.names:
            return True
        if words[-1][0].isupper():
            return len(words) >= 2
        at_block_start = start == block.start or self.text[block.start : start].strip() in ("", "(")
        capitalised = [w for w in words[:-1] if w[0].isupper()]
        return (len(capitalised) >= 2 or (bool(capitalised) and not at_block_start)) or block.kind == "title"

    def _trim_modality(self, name: str, start: int) -> tuple[int, str | None]:
        """A candidate modality name without leading stop words, or None if nothing specific is left."""
        words = name.split(" ")
        while words and (words[0] in LEADING_STOP or words[0].lower() in ("and", "of", "for", "in", "&")):
            start += len(words[0]) + 1
            words = words[1:]
        if not words or (len(words) == 1 and words[0].lower() in GENERIC_HEADS):
            return start, None
        if len(words) == 2 and words[0].lower() in GENERIC_HEADS:
            return start, None
        if any(w in _NOT_MODALITY_WORDS for w in words):
            return start, None
        return start, " ".join(words)

    def _discover_head(self, block: Block) -> None:
        """A block that starts with "Name (ACR): ..." or "Name – ..." introduces that name."""
        head = self._head_of(block)
        if not head:
            return
        name = head.group(1).strip()
        acronym = head.group(2)
        if self.name_key(name) in self.names:
            if acronym:
                entity_id = self.names[self.name_key(name)]
                self.acronyms.setdefault(acronym, entity_id)
                self.add_alias(entity_id, acronym)
            return
        if acronym or block.kind in ("bullet", "heading"):
            if not _looks_like_name(name):
                return
            lowered = name.lower()
            if lowered in EFT_FULL_NAMES and EFT_FULL_NAMES[lowered] is None:
                if acronym:
                    self.acronyms[acronym] = None
                return
            new_id = self.modality_id(name, block.start, create=block.kind == "bullet" or bool(acronym))
            if new_id and acronym:
                self.acronyms[acronym] = new_id
                self.add_alias(new_id, acronym)

    def _topic_from_title(self, title: Block) -> str | None:
        """The modality the page title names, if any."""
        mentions = self.mentions(title.start, title.end)
        modal = [m for m in mentions if m.type == "Modality"]
        if modal:
            return modal[0].id
        line = self.text[title.start : title.end].strip()
        if (
            len(line.split()) <= 6
            and re.search(rf"{MODALITY_HEAD}$", line, re.I)
            and line.lower() not in GENERIC_HEADS
            and line[0].isupper()
            and not re.search(r"[,:;.!?]", line)
        ):
            return self.modality_id(line, title.start)
        return None
