"""Word lists of the page extractor: populations, conditions, the token sets that gate the rules, trigger words."""

from __future__ import annotations

import re

TOKEN = re.compile(r"[a-z]+")


# --------------------------------------------------------------------------------------------------------------
# Populations.
# --------------------------------------------------------------------------------------------------------------


POPULATION_WORDS: dict[str, str] = {
    "children": "children",
    "child": "children",
    "kids": "children",
    "adolescents": "adolescents",
    "adolescent": "adolescents",
    "teens": "adolescents",
    "teenagers": "adolescents",
    "teen": "adolescents",
    "youth": "adolescents",
    "young people": "young people",
    "couples": "couples",
    "couple": "couples",
    "families": "families",
    "family": "families",
    "parents": "parents",
    "parent": "parents",
    "caregivers": "caregivers",
    "carers": "caregivers",
    "adults": "adults",
    "older adults": "older adults",
    "veterans": "veterans",
    "infants": "infants",
    "toddlers": "toddlers",
    "students": "students",
    "first responders": "first responders",
    "refugees": "refugees",
    "survivors": "survivors",
}

_POP_ADJ = (
    r"(?:(?:both|young|younger|older|adult|school-aged?|many|some|most|struggling|their|distressed|grieving)\s+)?"
)

POP_TRIGGER_BEFORE = re.compile(
    rf"\b(?:for|help(?:s|ing)?|serv(?:e|es|ing)|support(?:s|ing)?|aimed at|suited to|work(?:s|ing)? with|"
    rf"treat(?:s|ing)?|among|in|us(?:e|ed|es|ing)\s+(?:\S+\s+){{0,2}}?with|offered to|available to|open to)\s+"
    rf"{_POP_ADJ}$",
    re.I,
)

POP_CONTINUE = re.compile(rf"(?:\s*,\s*|\s*,?\s+(?:and|or|&)\s+){_POP_ADJ}", re.I)

POP_FOCUSED_RE = re.compile(
    r"\b(parent|child|couple|family|adolescent|teen)-(?:focused|centred|centered|based)\b", re.I
)

POP_HEAD_WORDS = frozenset(
    [
        "people",
        "persons",
        "person",
        "those",
        "individuals",
        "anyone",
        "adults",
        "children",
        "adolescents",
        "teens",
        "teenagers",
        "parents",
        "caregivers",
        "couples",
        "families",
        "veterans",
        "clients",
        "patients",
        "survivors",
        "youth",
        "kids",
        "infants",
        "students",
        "partners",
        "someone",
    ]
)


# --------------------------------------------------------------------------------------------------------------
# Conditions.
# --------------------------------------------------------------------------------------------------------------


CONDITIONS: tuple[tuple[str, str], ...] = (
    (r"borderline personality disorder|bpd", "borderline personality disorder"),
    (r"post-?traumatic stress(?: disorder)?|ptsd", "post-traumatic stress disorder"),
    (r"complex ptsd|c-ptsd", "complex post-traumatic stress disorder"),
    (r"obsessive[- ]compulsive disorder|ocd", "obsessive-compulsive disorder"),
    (r"generali[sz]ed anxiety disorder", "generalized anxiety disorder"),
    (r"social anxiety(?: disorder)?", "social anxiety"),
    (r"panic (?:disorder|attacks)", "panic disorder"),
    (r"anxiety(?: disorders?)?", "anxiety"),
    (r"(?:major |chronic |treatment-resistant )?depression|depressive disorders?", "depression"),
    (r"bipolar disorder", "bipolar disorder"),
    (r"suicidal (?:thoughts|thinking|ideation)", "suicidal thoughts"),
    (r"suicidal behaviou?rs?|suicidality", "suicidal behavior"),
    (r"self-harm(?:ing)?|self-injury", "self-harm"),
    (r"eating disorders?", "eating disorders"),
    (r"anorexia(?: nervosa)?", "anorexia nervosa"),
    (r"bulimia(?: nervosa)?", "bulimia nervosa"),
    (r"binge[- ]eating(?: disorder)?", "binge-eating disorder"),
    (r"substance (?:use|abuse|misuse)(?: disorders?)?|addictions?", "substance use disorders"),
    (r"personality disorders?", "personality disorders"),
    (r"psychosis|schizophrenia", "psychosis"),
    (r"phobias?", "phobias"),
    (r"insomnia", "insomnia"),
    (r"chronic pain", "chronic pain"),
    (r"grief", "grief"),
    (r"emotion(?:al)? dysregulation", "emotional dysregulation"),
    (r"relationship distress", "relationship distress"),
    (r"attention[- ]deficit(?:/| )hyperactivity disorder|adhd", "attention-deficit/hyperactivity disorder"),
    (r"(?:complex |childhood |early |developmental |relational )?trauma(?![-\w])", "trauma"),
)

CONDITION_RE = re.compile(r"\b(?:" + "|".join(f"({p})" for p, _ in CONDITIONS) + r")\b", re.I)

_CONDITION_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rf"\b(?:{pattern})\b", re.I), label) for pattern, label in CONDITIONS
)


# --------------------------------------------------------------------------------------------------------------
# Token sets: a sentence none of whose words is in a rule's set cannot trigger that rule.
# --------------------------------------------------------------------------------------------------------------


POPULATION_TOKENS = frozenset(
    {TOKEN.findall(phrase)[-1] for phrase in POPULATION_WORDS} - {"people"}
    | {"young", "parent", "child", "couple", "family", "adolescent", "teen"}
)

CONDITION_TOKENS = frozenset(
    [
        "borderline",
        "bpd",
        "ptsd",
        "traumatic",
        "posttraumatic",
        "obsessive",
        "ocd",
        "panic",
        "anxiety",
        "depression",
        "depressive",
        "bipolar",
        "suicidal",
        "suicidality",
        "harm",
        "injury",
        "eating",
        "anorexia",
        "bulimia",
        "binge",
        "substance",
        "addiction",
        "addictions",
        "personality",
        "psychosis",
        "schizophrenia",
        "phobia",
        "phobias",
        "insomnia",
        "pain",
        "grief",
        "dysregulation",
        "distress",
        "adhd",
        "deficit",
        "trauma",
    ]
)

DEV_TOKENS = frozenset(
    [
        "developed",
        "develop",
        "develops",
        "developing",
        "created",
        "create",
        "creates",
        "devised",
        "devise",
        "founded",
        "found",
        "pioneered",
        "introduced",
        "originated",
        "originates",
        "formulated",
        "conceived",
        "invented",
        "established",
        "designed",
        "proposed",
        "described",
        "codified",
        "began",
        "begins",
        "started",
        "starts",
        "traces",
        "associated",
    ]
)

LINEAGE_TOKENS = frozenset(
    [
        "form",
        "type",
        "kind",
        "subtype",
        "variant",
        "branch",
        "version",
        "style",
        "modified",
        "modification",
        "adaptation",
        "offshoot",
        "outgrowth",
        "extension",
        "derivative",
        "spin",
        "descendant",
        "evolution",
        "based",
        "grounded",
        "rooted",
        "draws",
        "builds",
        "built",
        "informed",
        "inspired",
        "integrates",
        "combines",
        "blends",
        "grew",
        "grows",
        "evolved",
        "emerged",
        "derived",
        "adapted",
        "arose",
        "branched",
        "roots",
    ]
)

INLINE_TOKENS = frozenset(
    [
        "aim",
        "aims",
        "seek",
        "seeks",
        "goal",
        "objective",
        "purpose",
        "techniques",
        "strategies",
        "interventions",
        "tools",
        "exercises",
        "modules",
        "concept",
        "concepts",
        "notion",
        "ideas",
        "phases",
        "stages",
        "steps",
        "phase",
        "stage",
        "step",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "eight",
        "ten",
        "twelve",
        "several",
        "few",
    ]
)

ORIGIN_TOKENS = frozenset(
    ["originated", "originates", "began", "begins", "started", "starts", "traces", "trace", "associated"]
)

WORK_TOKENS = frozenset(
    ["work", "research", "studies", "contribution", "contributions", "writings", "ideas", "observations"]
)

ANY_SIGNAL_TOKENS = (
    DEV_TOKENS
    | LINEAGE_TOKENS
    | INLINE_TOKENS
    | POPULATION_TOKENS
    | CONDITION_TOKENS
    | ORIGIN_TOKENS
    | WORK_TOKENS
    | {"student", "trainee", "worked", "collaborated", "developed"}
)

TRIGGER_WORDS = frozenset(["for", "with", "from", "symptoms", "cope", "coping", "effective"])

TRIGGER_STEMS = (
    "treat",
    "experienc",
    "struggl",
    "reduc",
    "address",
    "manag",
    "heal",
    "suffer",
    "help",
    "diagnos",
    "recover",
    "overcom",
    "target",
)

HAS_DIGIT = re.compile(r"\d")

NUMBER_WORD = re.compile(r"\b(?:one|two|three|four|five|six|eight|ten|twelve|several|a few)\b")


# --------------------------------------------------------------------------------------------------------------
# Finding conditions and population words in a sentence.
# --------------------------------------------------------------------------------------------------------------


_CONDITIONS_BY_TOKEN: dict[str, set[int]] = {}

for _index, (_pattern, _label) in enumerate(CONDITIONS):
    for _token in CONDITION_TOKENS:
        if re.search(rf"(?<![a-z]){_token}(?![a-z])", _pattern):
            _CONDITIONS_BY_TOKEN.setdefault(_token, set()).add(_index)


def find_conditions(sentence: str, tokens: set[str]) -> list[tuple[int, int, str]]:
    """Condition names in a sentence as ``(start, end, label)``, longest first where they overlap."""
    candidates: list[tuple[int, int, str]] = []
    for index in {i for token in tokens if (ids := _CONDITIONS_BY_TOKEN.get(token)) for i in ids}:
        pattern, label = _CONDITION_PATTERNS[index]
        candidates.extend((m.start(), m.end(), label) for m in pattern.finditer(sentence))
    found: list[tuple[int, int, str]] = []
    for start, end, label in sorted(candidates, key=lambda c: (c[0] - c[1], c[0])):
        if all(end <= s or start >= e for s, e, _ in found):
            found.append((start, end, label))
    return sorted(found)


_POP_WORDS_BY_TOKEN: dict[str, list[str]] = {}

for _word in POPULATION_WORDS:
    for _token in TOKEN.findall(_word):
        if _token in POPULATION_TOKENS:
            _POP_WORDS_BY_TOKEN.setdefault(_token, []).append(_word)


def find_population_words(sentence: str, tokens: set[str]) -> list[tuple[int, int, str]]:
    """Population words in a sentence as ``(start, end, canonical label)``, longest first where they overlap."""
    lowered = sentence.lower()
    candidates: list[tuple[int, int, str]] = []
    for word in {w for token in tokens & POPULATION_TOKENS for w in _POP_WORDS_BY_TOKEN.get(token, ())}:
        position = lowered.find(word)
        while position >= 0:
            end = position + len(word)
            if (position == 0 or not lowered[position - 1].isalnum()) and (
                end == len(lowered) or not (lowered[end].isalnum() or lowered[end] == "-")
            ):
                candidates.append((position, end, POPULATION_WORDS[word]))
            position = lowered.find(word, end)
    found: list[tuple[int, int, str]] = []
    for start, end, label in sorted(candidates, key=lambda c: (c[0] - c[1], c[0])):
        if all(end <= s or start >= e for s, e, _ in found):
            found.append((start, end, label))
    return sorted(found)
