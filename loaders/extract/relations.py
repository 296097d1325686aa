"""Sentence rules: developedBy, lineage (subtypeOf, derivedFrom, groundedIn), uses (servesPopulation,
addressesCondition) and introduced, read from a sentence's skeleton.

A skeleton is the sentence with every name replaced by a typed placeholder (``⟦M3⟧`` an approach, ``⟦T4⟧`` a
theory, ``⟦P5⟧`` a person, ``⟦C6⟧`` a condition, ``⟦O7⟧`` a population, ``⟦Y8⟧`` a year, ``⟦A9⟧`` "it"/"the
approach", ``⟦R1⟧`` he/she/they) and parenthetical asides (life dates, citations, translations) removed, so a rule
is one short pattern over placeholders and the trigger phrases of ``lexicon.yaml``. Which approach a rule speaks
about (its theme) follows the sentence's grammar: a relative clause or apposition speaks about the name it follows
("narrative therapy, which was developed by ..."), a main clause about its subject, a fronted participle
("Developed by X, the model ...") about the subject after it, "it" and "the approach" about the passage's subject.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from loaders.extract.gazetteer import fold
from loaders.extract.lexicon import lexicon
from loaders.extract.mentions import Mention, MentionFinder
from loaders.extract.records import PageRecords
from ontology.records import Year

_LEX = lexicon()
_E = r"⟦[MTAH]\d+⟧"
_APPROACH = r"⟦[MA]\d+⟧"
_PERSON = r"⟦[PWR]\d+⟧"
_ITEM = re.compile(r"⟦([A-Z])(\d+)⟧")
_GAP_WORDS = r"(?:(?:the|a|an)\s+)?(?:[^\s⟦,;()]+\s+){0,5}?"
_TEAM_THAT_INCLUDED = (  # "developed by WHO together with a team that included X, Y and Z"
    r"(?:[^\s⟦,;()]+\s+){0,3}?(?:together\s+with\s+|with\s+|and\s+)?(?:a|an|the|his|her|their)\s+(?:[\w-]+\s+)?"
    r"(?:team|group|panel|committee)\s+(?:that\s+|which\s+)?(?:included|includes|including|led\s+by|headed\s+by)\s+"
)
_PLACE = r"(?:\s+(?:in|at|of|from)\s+(?:the\s+)?[A-Z][\w-]*(?:\s+(?:[A-Z][\w-]*|of))*)*"  # " in South Africa"
_TEAM = r"(?:\s+and\s+(?:his|her|their)\s+(?:colleagues|students|co-workers|collaborators|team)" + _PLACE + ")?"
_PL = (  # people in a list, each perhaps with an appositive ("X, a psychiatrist, and Y"), a place or a team
    rf"{_PERSON}(?:{_PLACE}{_TEAM}(?:\s*,\s*(?:(?:then|now|later|at\s+the\s+time)\s+)?(?:a|an|the)\s+[^⟦,;()]{{1,120}}?"
    rf"(?=,))?"  # "X, then a student, and Y"
    rf"\s*(?:,\s*(?:and\s+)?|\s+and\s*,?\s*|\s*&\s*|\s+(?:together\s+with|along\s+with|alongside)\s+)"
    rf"(?:(?:later|then|subsequently|afterwards)\s*,?\s+)?"  # "Rollo May and, later, Irvin Yalom"
    rf"(?:(?:the|a|an|his|her)\s+)?(?:(?!(?:by|which|whom|whose|where)\s)[^\s⟦,;()]+\s+){{0,4}}?"
    rf"(?:(?:his|her|their)\s+[^\s⟦,;()]+,\s+)?"
    rf"{_PERSON})*"  # not "..., and later taken up by Y": a new passive clause, not the list going on
)
_YEAR = re.compile(
    r"\b(?:the\s+)?(?:(early|mid|late)[\s-]+)?((?:1[89]|20)\d0)['’]?s\b|\b((?:1[89]|20)\d\d)\b(?![–-]\d)"
)
_PRONOUN = re.compile(r"\b(?:[Hh]e|[Ss]he|[Tt]hey)\b")
_GATE_WORD = re.compile(r"[a-z][a-z-]*")
_FACT_TYPES = frozenset(["Theorist", "Condition", "Population"])
_LINEAGE_WORDS = _LEX.first_words["lineage"] | _LEX.first_words["member"] | _LEX.kind_nouns | {
    "is", "was", "remains", "became", "renamed", "christened", "called", "named"}  # ... and "That class became X"
_SPACES = re.compile(r"\s+")
_NOT_ANAPHOR = re.compile(
    r"\s+(?:relationship|relationships|session|sessions|room|process|team|manual|office|itself\s+as)\b"
)
_CLAUSE_OPENING = re.compile(r"(?:[;:]|,\s+(?:and|but|while|so|yet)|\.|^)\s*(?:(?:also|then|later|now|today)\s+)?$")
_THEORY_APPOSITION = re.compile(r"⟦[TM](?P<t>\d+)⟧\s*,\s*⟦H(?P<h>\d+)⟧")
_APPOSITION_OF_NAME = re.compile(r"⟦M\d+⟧\s*,\s*$")  # "Morita therapy, the approach that ..."
_OBJECT_BEFORE = re.compile(r"(?:form|type|kind|of|from|on|with)\s+(?:the\s+)?$", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_VARIANT_CUE = re.compile(
    r"\b(?:(?P<kind>versions?|variants?|forms?|variations?)|adapt\w*|modified|modification|extension|extends"
    r"|tailored)\b",
    re.IGNORECASE,
)
_FIRST = _LEX.first_words
_ROLE_OF_WORDS = _LEX.dev_role_of | {w + "s" for w in _LEX.dev_role_of}


def _pattern(regex: str) -> re.Pattern[str]:
    return re.compile(regex, re.IGNORECASE)


def _alternatives(pattern: re.Pattern[str]) -> str:
    """The inner alternation of a phrase pattern, to embed in a larger one."""
    return pattern.pattern


_PASSIVE = _pattern(
    rf"(?P<trig>{_alternatives(_LEX.dev_passive)})(?P<mid>(?:\s+(?:[^\s⟦;:]+|⟦Y\d+⟧)){{0,12}}?)"
    rf"\s+by,?\s+(?:and\s+(?:named|called)\s+(?:after|for),\s+)?(?:{_TEAM_THAT_INCLUDED}|{_GAP_WORDS})(?P<agents>{_PL})"
)
_ACTIVE = _pattern(
    rf"(?P<agents>{_PL})(?P<mid>(?:\s*['’]s\s+(?:[\w-]+\s+)?(?:group|team|lab|laboratory|colleagues|students)"
    rf"|\s+and\s+(?:his|her|their)\s+(?:[\w-]+\s+)?(?:colleagues|co-workers|students|team"
    rf"|wife|husband|partner|group)(?:\s+(?:at|in|from|of)\s+[^,;⟦]{{1,90}}?)?)?(?:\s*,(?:[^;⟦]|⟦[PWY]\d+⟧){{1,90}}?,"
    rf"|\s*,\s*who\s+(?!developed|created|founded)(?:[^;⟦,]|⟦[MTCOY]\d+⟧){{1,90}}?,)?"  # ", who trained in CBT,"
    rf"(?:\s+(?:is|was)\s+(?:an?|the)\s+[^,;.⟦]{{1,60}}?\s+who)?"
    rf"(?:\s*,\s*who)?(?:\s+(?:first|later|then|also|originally|further|jointly|together|subsequently|soon|eventually"
    rf"|had|has|have|himself|herself|themselves|initially|gradually|quickly|now|would|went|on|to|who)){{0,5}})"
    rf"(?:(?<=⟧),)?\s+(?P<trig>{_alternatives(_LEX.dev_active)})"  # "The authors, X, Y and Z, developed MBCT"
)
_OBJECT = _pattern(
    rf"\s+(?:(?:what|which)\s+(?:⟦R\d+⟧|he|she|they)\s+(?:called|named|termed)\s+"
    rf"|(?:a|an|the)\s+(?:[\w-]+\s+){{0,3}}?(?:method|approach|treatment|therapy|model|technique|system)\s+"
    rf"(?:which|that)\s+(?:⟦R\d+⟧|he|she|they)\s+(?:called|named|termed)\s+"
    rf"|(?:(?:the|a|an|his|her|their)\s+)?(?:(?:own|new|first|early|original)\s+)?"
    rf"(?:[a-z][a-z-]*(?:al|ic|ive|ist|ous)\s+){{0,2}}"  # "proposed a behavioural theory of depression"
    rf"|(?:the\s+)?(?:word|term|name)\s+)?(?P<obj>{_E})"
)
_RELATIVE_ACTIVE = _pattern(
    rf"(?P<e>{_E})(?:\s+(?:model|approach|framework|method|theory|hypothesis|technique))?"
    rf"(?:\s*,\s*(?:(?:the|a|an|another)\s+(?:[^,;⟦]|⟦[COY]\d+⟧){{0,90}}?,?\s+)?|\s+)(?:which|that|whom)\s+"
    rf"(?:(?:the|a|an)\s+)?(?:[^\s⟦,;]+\s+){{0,5}}?$"
)
_ADAPTING = frozenset(["adapted", "modified", "tailored"])  # developers of an adaptation, never of its object
_ORGANISATION_AFTER = re.compile(rf"\s*(?:{_LEX.organisation_words}|Group)\b")  # "the ISTDP Institute"
_ORGANISATION_NAMED = re.compile(
    r"\b(?:founded|co-founded|opened|established|set\s+up|started|launched)\s+(?:the\s+|a\s+)?(?:[A-Z][\w-]*\s+)*"
    rf"⟦M\d+⟧\s*(?:{_LEX.organisation_words})\b"
)
_BARE_RELATIVE = re.compile(  # "structural family therapy, the model Minuchin developed"; "DBT, the treatment
    r"(?:(?P<e>⟦[AH]\d+⟧)|(?P<named>⟦M\d+⟧)\s*,\s*(?:the|a|an)\s+(?:[\w-]+\s+){0,3}?"  # Linehan created"
    r"(?:treatment|approach|therapy|model|method|programme|program|intervention|technique))\s+$"
)
_OTHER_WORK = re.compile(
    r",\s+(?:an?|the)\s+(?:[\w-]+\s+)?(?:idea|concept|notion|term|phrase|word|book|paper|article|study|essay)\s+$"
)
_IS_THE_APPROACH = re.compile(r"(?P<named>⟦M\d+⟧)\s+(?:is|was)\s+$")  # "PCT is the approach Carl Rogers founded"
_COMPANIONS = _pattern(  # "X (of York University), working with Y and Z": Y and Z are co-developers
    rf"(?:\s+(?:of|at|from)\s+(?:the\s+)?[A-Z][^,;⟦.]{{1,60}}?(?=,)"
    rf"|\s*,\s*(?:an?|the|his|her)\s+[^;⟦.]{{1,90}}?(?=,\s*(?:working|together|in\s+collaboration|along)))?"
    rf"\s*,?\s*(?:working\s+(?:(?:at\s+first|initially|closely|first)\s+)?(?:with|in\s+partnership\s+with"
    rf"|in\s+collaboration\s+with)|together\s+with|in\s+(?:collaboration|partnership)\s+with|along\s+with|alongside"
    rf"|with)\s+(?:(?:the|his|her)\s+(?:[\w-]+\s+){{0,3}}?)?(?P<agents>{_PL})"
)
_NOMINAL = _pattern(  # "the brainchild of X", "the work of two clinicians, X and Y"
    rf"(?P<trig>{_alternatives(_LEX.dev_nominal)})\s+{_GAP_WORDS}(?:[^\s⟦,;()]+\s*,\s+)?(?P<agents>{_PL})"
)
_POSSESSIVE = re.compile(r"(?P<p>⟦[PW]\d+⟧)\s*(?:['’]s|['’])\s+(?:own\s+)?(?P<obj>⟦[MT]\d+⟧)")
_OWN = _pattern(
    rf"(?P<e>{_E})\s*,\s*(?P<p>⟦[PW]\d+⟧)\s*['’]s?\s+(?:own\s+)?(?:[\w-]+\s+){{0,2}}?"
    rf"(?:{'|'.join(sorted(_LEX.dev_own_nouns))})\b"
)
_ROLE_OF_APPROACH = _pattern(  # "The founder of harbour therapy, Ann Example, trained as a nurse"
    rf"\b(?:the|its|a)\s+(?:(?:original|main|principal|chief)\s+)?(?:{'|'.join(sorted(_LEX.dev_role_of))})s?\s+of\s+"
    rf"(?P<e>⟦[MT]\d+⟧)\s*,\s*(?P<agents>{_PL})"
)
_ROLE_OF = _pattern(
    rf"\b(?:its|their|the|other)\s+(?:(?:first|second|third|other|original|main|principal|chief|early|earliest|two"
    rf"|three|four|key|leading)\s+){{0,2}}(?:{'|'.join(sorted(_LEX.dev_role_of))})s?\s*,?\s+{_GAP_WORDS}(?P<agents>{_PL})"
)
_FOUNDER_OF = _pattern(
    rf"(?P<p>{_PERSON})\s*,\s*(?:(?:the|its|a)\s+)?(?:[\w-]+\s+)?(?:{'|'.join(sorted(_LEX.dev_role_of))})s?\s+of\s+"
    rf"(?:the\s+)?(?P<obj>{_E})"
)
_CREDITED = _pattern(
    rf"(?P<p>{_PERSON})\s+(?:is|was|are|were)\s+(?:\w+\s+)?credited\s+with\s+(?:founding|developing|creating|inventing"
    rf"|introducing|devising|originating|pioneering)\s+(?P<obj>{_E})"
)
_WHOSE = _pattern(r"(?P<p>⟦[PW]\d+⟧)[^;⟦]{0,90}?,\s*whose\s+(?:[\w-]+\s+){0,2}?(?P<obj>⟦[MT]\d+⟧)")
_WORK_ON = _pattern(
    r"(?P<p>⟦[PW]\d+⟧)\s*['’]s?\s+(?:[\w-]+\s+){0,2}?(?:work|research|studies|contributions?|writings?|ideas"
    r"|observations)\s+(?:on|with|in)\s+(?:the\s+)?(?P<obj>⟦[MT]\d+⟧)"
)
_GREW_FROM_WORK = _pattern(  # "Harbour therapy grew out of Ann Example's work with veterans"
    r"(?P<e>⟦[MTA]\d+⟧)\s+(?:grew\s+out\s+of|grew\s+from|emerged\s+from|began\s+with|began\s+in|originated\s+in"
    r"|came\s+out\s+of|evolved\s+from|started\s+with)\s+(?P<p>⟦[PW]\d+⟧)\s*['’]s?\s+(?:[\w-]+\s+){0,2}?"
    r"(?:work|research|studies|experiments?|practice|observations|groups?|clinic)\b"
)
_LED_TO = _pattern(
    rf"\bby\s+(?P<agents>{_PL})[^;]{{0,120}}?\bled\s+to\s+the\s+(?:emergence|development|creation|birth)\s+of\s+"
    rf"(?P<obj>{_E})"
)
_ALONGSIDE = _pattern(rf"^(?:his|her|their)\s+(?:research|work)\b.{{0,40}}?\b(?:alongside|along with|together with)\s+"
                      rf"(?P<p>{_PERSON})")

_KIND_OF = _pattern(
    rf"(?:\b(?:a|an|one|the)\s+|^\s*)(?:[\w-]+,?\s+){{0,4}}?(?:{'|'.join(sorted(_LEX.kind_nouns))})\s+of\s+"
    rf"(?:the\s+)?(?:[\w-]+\s+){{0,2}}?(?P<obj>⟦[MTA]\d+⟧)"
)
_IS_THE_KIND_OF = re.compile(  # "Lacanian psychoanalysis is the school of psychoanalysis": "the school" reads as "it"
    r"(?P<subj>⟦[MT]\d+⟧)\s+(?:is|was|remains)\s+(?P<a>⟦A\d+⟧)\s+of\s+(?:the\s+)?(?P<obj>⟦[MT]\d+⟧)"
)
_MEMBER = _pattern(
    rf"(?:{_alternatives(_LEX.member_of)})\s+(?:the\s+)?(?:so-called\s+)?(?:[\w-]+\s+){{0,2}}?"
    rf"(?:(?:third|second|first|new)[\s-]+waves?\s+of\s+(?:the\s+)?(?P<wave>⟦M\d+⟧)|(?P<plural>⟦M\d+⟧))"
)
_IS_A = _pattern(
    rf"(?P<subj>{_E}|^\s*(?:It|This\s+(?:approach|therapy|method|model)))\s+(?:is|was|remains)\s+(?:also\s+)?(?:a|an)\s+(?:(?!of\b)[\w-]+,?\s+){{0,4}}?(?P<obj>⟦M\d+⟧)"
    rf"(?=(?:\s*\([^()]*\))?(?:\s+(?:program|programme|protocol|package|curriculum|intervention)s?\b)?"
    rf"\s*(?:for|that|which|with|in|used|designed|built|based|grounded|rooted|developed|created|founded|devised"
    rf"|pioneered|originated|introduced|first|originally|,|\.|;|:|$))"
)
_LINEAGE = _pattern(rf"(?P<trig>{_alternatives(_LEX.derived)}|{_alternatives(_LEX.grounded)})")
_OWN_NOUN = rf"(?:own\s+)?(?:{'|'.join(sorted(_LEX.dev_own_nouns))})"
_LINEAGE_OBJECT_BEFORE = _pattern(
    rf"(?:{_alternatives(_LEX.derived)}|{_alternatives(_LEX.grounded)}|\bof\b)\s*(?:the\s+)?(?:[\w-]+\s+)?"
    rf"(?:⟦[PW]\d+⟧\s*['’]s?\s+)?$"
)
_NAME_DATE = re.compile(  # "(1958)", "(c. 1958)", "(since 1982)", "(1980s)", "(1982-present)", "(1982 to date)"
    r"\s*\((?:c\.\s*|ca\.\s*|circa\s+|since\s+|from\s+)?(1[89]\d\d|20[0-3]\d)(s)?"
    r"(?:\s*(?:[–—-]|to)\s*(?:present|today|now|date))?\)"
)
_TITLE_OR_BODY_BEFORE = _pattern(  # "De Shazer's book Keys to Solution in Brief Therapy (1985)", "the Society for ..."
    r"\b(?:book|books|wrote|written|published|text|textbook|manual|volume|titled|entitled|journal|society|institute"
    r"|association|centre|center|opened|set\s+out|paper|article|classic|monograph)\b"
)
_GREW_FROM_BEFORE = _pattern(  # "X grew out of the Y founded by P": P founded Y (but "a form of Y developed by P": X)
    r"\b(?:grew|grown|grows|growing|emerged|evolved|derived|descended|developed|spun|branched|broke)\s+(?:out\s+of|from|off"
    r"\s+from|away\s+from)\s+(?:the\s+)?(?:[\w-]+\s+)?$"
)
_IS_A_BEFORE = _pattern(
    r"(?P<subj>⟦[MAT]\d+⟧)\s+(?:is|was|remains)\s+(?:also\s+|now\s+)?(?:an?|one)\s+(?:(?!of\b)[\w-]+,?\s+){0,4}$"
)
_INFLUENCE_BEFORE = _pattern(
    rf"(?:{_alternatives(_LEX.derived)}|{_alternatives(_LEX.grounded)}|influenced\s+by|extends|extended|extending"
    rf"|follows|followed|following|includes|including|include|included)\s+(?:also\s+)?$"
)  # "builds on the work of Carl Rogers": an influence, not the developer
_ROOTS_IN = re.compile(  # "the roots of X lie in Y", "the theoretical basis of X is Y"
    r"\b(?:roots|(?:theoretical\s+|conceptual\s+)?(?:basis|foundations?|underpinnings?))\s+of\s+(?P<e>⟦[MTAH]\d+⟧)\s+"
    r"(?:(?:can\s+be\s+)?(?:lie|lies|lay|are|were|is|was|go\s+back)\s+"
    r"(?:(?:firmly|partly|mainly|largely|deeply)\s+)?(?:in|to)?|(?:are|were)\s+found\s+in)\s*(?:the\s+)?"
)
_APPOSITIVE_KIND = re.compile(  # "Harbour therapy, a third-wave behavioural therapy, teaches ..."
    r"(?P<subj>⟦[MA]\d+⟧)\s*,\s*(?:a|an)\s+(?:(?!of\b)[\w-]+\s+){0,3}?(?P<obj>⟦M\d+⟧)\s*(?=,)"
)
_ITS_ROOTS = re.compile(  # "Its theoretical basis is Mowrer's two-factor theory": "its" is the sentence's subject
    r"(?:^|[.;:]\s+)\s*(?:Its|Their)\s+(?:(?:theoretical|conceptual|philosophical|scientific|main)\s+)?"
    r"(?:basis|foundations?|underpinnings?|roots?)\s+(?:is|are|was|were|lies?|lay)\s+(?:in\s+)?(?:the\s+)?"
)
_BOTH_KINDS = re.compile(  # "Horticultural therapy and wilderness therapy are both forms of ecotherapy"
    r"(?P<subjects>⟦M\d+⟧(?:\s*,\s*⟦M\d+⟧)*\s*,?\s+(?:and|&)\s+⟦M\d+⟧)\s+(?:are|were)\s+(?:both\s+|all\s+)?"
    r"(?:[\w-]+\s+){0,2}?(?:forms|types|kinds|variants|varieties|branches|versions|examples|subtypes|schools)\s+of\s+"
    r"(?:the\s+)?(?P<obj>⟦[MA]\d+⟧)", re.IGNORECASE
)
_ROOTS_WORDS = frozenset(["roots", "basis", "foundation", "foundations", "underpinning", "underpinnings"])
_OF_PERSON_AFTER = re.compile(r"\s+of\s+⟦[PW]\d+⟧")
_TAKES_FROM = _pattern(  # "it takes mindfulness and defusion from ACT, and the emphasis on validation from DBT"
    r"\b(?:takes|took|taking|borrows|borrowed|borrowing|adopts|adopted|adopting)\s+(?:[^;⟦.]|⟦[CO]\d+⟧){1,80}?"
    r"\s+from\s+(?:the\s+)?(?P<obj>⟦[MT]\d+⟧)"
)
_COMMA_BEFORE = re.compile(r"⟧,\s+$")
_AND = re.compile(r"\band\b|&")
_ADAPTATION_WORDS = frozenset(["adaptations", "variants", "versions", "offshoots", "adaptation", "spin-offs"])
_ADAPTATIONS = _pattern(  # "Important adaptations include IPT-A and IPSRT": each of them derives from the approach
    rf"\b(?:adaptations|variants|versions|offshoots|spin-offs)\s+(?:of\s+(?P<e>{_E})\s+)?(?:include|includes"
    rf"|included|are|such\s+as)\s+(?:the\s+)?"
)
_BUILT_ON = re.compile(  # "Hunt and Azrin built CRA on operant conditioning": its makers rested it on a parent
    r"\b(?:built|based|grounded|founded|rooted)\s+(?P<e>⟦[MA]\d+⟧)\s+(?:(?:firmly|squarely|partly|mainly|largely)\s+)?"
    r"(?:up)?(?:on|in)\s+(?:what\s+(?:he|she|they|⟦R\d+⟧)\s+(?:called|termed|named)\s+)?"
)
_BUILT_WORDS = ("built", "based", "grounded", "founded", "rooted")
_ADAPTED_AS = _pattern(  # "MDT has been adapted for work with whole families as Family MDT"
    rf"(?P<e>{_E})\s+(?:has|have|had)?\s*(?:been|was|were|is)?\s*(?:also\s+|since\s+|later\s+)?adapted\b"
    rf"(?:[^;⟦.]|⟦[OCY]\d+⟧){{0,80}}?\b(?:as|into)\s+(?:the\s+)?(?P<obj>⟦M\d+⟧)"
)
_IN_ORGANISATION = re.compile(
    rf"\b(?:{_LEX.organisation_words})\s+(?:on|of|for)\s+(?:the\s+)?(?:[A-Z][\w-]*\s+)*(?:⟦C\d+⟧\s+(?:and|&)\s+)?$"
)
_MORE_BY = _pattern(  # "pioneered in Britain by X and in the United States by Y"; not "and later taken up by Y"
    rf"\band\s+(?:in|at|later|then)\b(?![^;⟦]{{0,60}}?\b(?:taken\s+up|adopted|used|embraced|populari[sz]ed|critici[sz]ed"
    rf"|studied|tested|applied|practi[sc]ed|extended|refined)\b)[^;⟦]{{0,60}}?\bby\s+{_GAP_WORDS}(?P<agents>{_PL})"
)
_DEVELOP_OBJECT = _pattern(rf"(?:{_alternatives(_LEX.dev_active)})\s+(?:(?:the|a|an)\s+)?(?P<obj>{_E})")
_CHAINED = re.compile(rf"(?P<e>{_E})\s*,\s*(?:the|a|an)\s+(?:[\w-]+\s+){{0,3}}$")
_LINEAGE_OBJECT = re.compile(
    rf"(?:\s+(?:both|either|the|a|an|his|her|their|its|ideas|elements|concepts|parts|principles|techniques|methods"
    rf"|tools|insights|aspects|features|strands|of|from|on|in|with|heavily|largely|mainly|partly|also|directly"
    rf"|explicitly|strongly)\b){{0,5}}(?:\s+(?:[^\s⟦,;.()]+|⟦[PW]\d+⟧\s*['’]s?(?=\s+⟦))){{0,5}}?"
    rf"(?:\s*,(?=\s+⟦[MT]))?\s+"  # "adapted from an earlier treatment, CBT-BN": the appositive's name
    rf"(?P<obj>{_E}|⟦[PW]\d+⟧\s*['’]s?\s+{_OWN_NOUN}\b)",
    re.IGNORECASE,
)
_FRONTED_YEAR = re.compile(r"\s*(?:In|By|Around)\s+(?:the\s+)?(?:(?:early|mid|late)[\s-]+)?⟦Y\d+⟧\s*,?\s+⟦[PWR]\d+⟧")
_CAPITALISED_AFTER = re.compile(
    r"[ \t]+(?:&[ \t]+)?(?:Practice|Service|Services|Program|Programme|Recovery|Centre|Center|Clinic|Unit|Team"
    r"|Network|Institute|Research|Studies|Society|Association|Foundation|Journal|Review|Quarterly|Trust|Project"
    r"|Alliance)\b"
)
_CAPITALISED_BEFORE = re.compile(r"\b(?:Journal|Institute|Centre|Center|Society|Association)\s+(?:of|on|for)\s+"
                                 r"(?:the\s+)?(?:[A-Z][\w-]*\s+(?:&\s+|and\s+)?)*$")
_LINE_START = re.compile(r"(?:^|\n)\s*$")
_EVENT_DETERMINER = re.compile(r"\b(?:the|this|that|their|his|her|your|my|our)\s+$", re.IGNORECASE)
_OBJECT_ASIDE = re.compile(
    r",\s*(?:⟦A\d+⟧|(?:the|a|an)\s+[^,;⟦]{1,60}?)\s+(?:founded|developed|created|pioneered|devised|introduced)\s+by\s+"
    r"(?:the\s+)?(?:[\w-]+\s+){0,2}?⟦[PW]\d+⟧(?=\s*,)"
)
_APPOSITION = re.compile(r",\s*the\s+")
_BY_PARTICIPLE = re.compile(r"\s+(?:\w+\s+){0,2}?(?:developed|founded|created|pioneered|devised|introduced|worked\s+out"
                            r"|formulated|proposed|set\s+out|described)\s+by\b")
_CONTINUE = re.compile(
    r"\s*(?:,\s*(?:and\s+|as well as\s+)?(?:on\s+|from\s+|in\s+|with\s+)?(?:the\s+)?"
    r"|\s+(?:and|&|\+|or|as well as)\s+(?:also\s+)?(?:on\s+|from\s+|in\s+|with\s+)?(?:the\s+)?"
    r"|\s+with\s+(?:(?:ideas|elements|concepts|techniques|tools|insights|parts|principles|those|that)\s+)?(?:from|of)\s+"
    r"(?:both\s+)?(?:the\s+)?|\s+with\s+(?:the\s+)?)"
    r"(?:[\w-]+\s+)?(?:⟦[PW]\d+⟧\s*['’]s?\s+)?(?=⟦[MTAH]\d+⟧)",
    re.IGNORECASE,
)
_FORMED = re.compile(rf"[^;]{{0,160}}?\bto\s+(?:form|create|produce|make|build)\s+(?P<obj>{_E})", re.IGNORECASE)
_FRONTED = re.compile(
    r"\s*(?:[\[\"“]\s*)?(?:(?:In|During|Since|By|From|After|Before|Although|Though|While|When|Because|As|With|Using"
    r"|Grounded|Based|Rooted|Developed|Created|Founded|Pioneered|Designed|Built|Drawing|Building|Beyond|Besides"
    r"|Like|Unlike|Today|Later|Originally|Initially|Historically|Over|At|Compared|Instead|Rather|Apart|Together"
    r"|Alongside|Put|Unlike|Following|Inspired|Influenced|Adapted|Derived|Taking|Starting|Originating|Now|Yes|No"
    r"|Then|Here|Back|Despite|Under|Within|Through|Whether|Once|Even|Again|Also|Thus|So|Still|Sometimes"
    r"|Traditionally|Classically|Essentially|Basically|Briefly|Simply|Put simply)\b[^,;]{0,160},\s*)"
)
_SUBJECT = re.compile(
    r"\s*(?:[AQ]:\s*)?(?:(?:the|this|that|its|today|now|so|then|also|both|thus|therefore|originally"
    r"|at its heart,?)\s+)?"
    r"(?:(?:modern|original|classical|classic|standard|contemporary|individual|group|new|also|early|later|so-called"
    r"|first|second|third|now|today|word|term|name|label|[A-Z][\w-]*|"
    + "|".join(sorted(_LEX.roles, key=len, reverse=True))  # "In 1987, psychologist Francine Shapiro ..."
    + r")\s+){0,3}?(?P<item>⟦[A-Z]\d+⟧)",
)
_PUBLICATION_AFTER = re.compile(
    r"⟦Y\d+⟧\s+(?:[\w-]+\s+)?(?:papers?|stud(?:y|ies)|books?|articles?|editions?|manuals?|trials?|reviews?"
    r"|textbooks?|monographs?|lectures?|reports?|publications?)\b", re.IGNORECASE
)
_ORIGIN_AFTER = re.compile(
    rf"(?:\s+(?:also|then|later|suddenly)){{0,2}}\s+(?:{'|'.join(sorted(_LEX.origin_verbs, key=len, reverse=True))})\b"
)
_LIKE_ASIDE = re.compile(r",\s*(?:like|unlike|as\s+with|similar\s+to|much\s+like|just\s+like|such\s+as)\s+"
                         r"(?:[\w-]+\s+){0,3}$")
_ORGANISATION_SUBJECT = re.compile(
    r"\s*(?:The\s+)?(?:[A-Z][\w'’-]*\s+){1,6}(?:" + "|".join(sorted(_LEX.organisations)) + r")\b"
)
_GERUND = re.compile(
    rf"\b(?:before|after|while|when|by|in)\s+(?:first\s+)?(?:{'|'.join(sorted(_LEX.dev_gerunds))})\s+(?:the\s+)?"
    rf"(?P<obj>⟦[MTA]\d+⟧)"
)
_OF_PERSON = re.compile(
    r"(?:(?P<head>⟦M\d+⟧)\s*,\s*)?\bthe\s+(?:(?P<e>⟦[MT]\d+⟧)|(?<=,\sthe\s)(?:[\w-]+\s+){0,3}?(?:psychotherapy"
    r"|therapy|method|approach|school|system|technique|treatment))\s+of\s+(?:the\s+)?(?:[A-Z][\w-]*\s+)?"
    r"(?:[a-z-]+\s+(?:and\s+)?){0,4}?(?P<p>⟦[PW]\d+⟧)(?!\s*['’])"
)  # "the logotherapy of Frankl"; "Logotherapy, the meaning-centred psychotherapy of the Viennese neurologist Frankl"
_REGARDED = _pattern(  # "X is considered the founder of Y", "X is generally credited as a founder of Y"
    rf"(?P<p>{_PERSON})\s+(?:is|was|are|were)\s+(?:(?:also|widely|often|generally|usually|rightly|still|sometimes"
    rf"|frequently|commonly)\s+){{0,3}}(?:regarded"
    rf"|considered|seen|known|counted|described|recognised|recognized|credited|acknowledged|hailed|called|named"
    rf"|deemed)\s+(?:as\s+)?(?:one\s+of\s+)?(?:the\s+|a\s+)?(?:[\w-]+\s+)?"
    rf"(?:{'|'.join(sorted(_LEX.dev_role_of))})s?\s+of\s+(?:the\s+)?(?P<obj>{_E})"
)  # "Moreno is also regarded as one of the pioneers of group psychotherapy"
_ITS_ROLE = _pattern(
    rf"(?P<p>{_PERSON})(?:\s*\([^)]*\))?\s+(?:is|was|are|were)\s+(?:(?:usually|often|widely|generally|also|now|rightly)"
    rf"\s+)?(?:named|regarded|considered|seen|described|counted|cited|credited|remembered|known)\s+as\s+(?:its|their)"
    rf"\s+(?:founding\s+(?:figure|father|mother|thinker)s?|(?:[\w-]+\s+)?(?:{'|'.join(sorted(_LEX.dev_role_of))})s?)\b"
)  # "Melanie Klein (1882-1960) is usually named as its founding figure": the developer of what "its" names
_QUESTION = re.compile(
    r"\s*(?:Q\s*[:.)]\s*|\d+[.)]\s*)?(?:(?:So|And|But)\s+)?(?P<kind>who|when)\b[^?]{0,80}?\b(?:"
    + _alternatives(_LEX.dev_active) + "|" + _alternatives(_LEX.dev_passive)
    + r"|start|started|begin|began|emerge|emerged|appear|appeared|originate|originated|come\s+about|invent|invented)"
    r"\b[^?]{0,80}\?", re.IGNORECASE
)
_HEADING_QUESTION = re.compile(
    r"\s*(?:\d+[.)]\s*)?(?:who\s+(?:\w+\s+)?(?:" + _alternatives(_LEX.dev_active) + r")\b[^?\n]{0,60}"
    r"|(?:the\s+)?(?:founders?|developers?|creators?|originators?|key\s+figures?)(?:\s+of\b[^?\n]{0,60})?)\s*\??\s*$",
    re.IGNORECASE,
)
_MORE_AGENTS = re.compile(
    rf"(?:\s*,[^,;.⟦]{{1,60}},)?\s*,?\s+(?:and|together\s+with|along\s+with|alongside)\s+(?:(?:his|her|their)\s+)?"
    rf"(?:[\w-]+\s+){{0,2}}?(?P<agents>{_PL})"
)
_USES_QUESTION = re.compile(
    r"\s*(?:Q\s*[:.)]\s*|\d+[.)]\s*)?(?:who|what|which)\b[^?]{0,80}?\b(?:for|benefit|benefits|help|helps|treat"
    r"|treats|suited|suitable|address|addresses|with)\s*\?", re.IGNORECASE
)
_WHO_ANSWER = re.compile(
    rf"\s*(?:A\s*[:.)]\s*)?(?:(?:It|This|That|The(?:\s+\w+){{1,3}})\s+was\s+(?:\w+\s+){{0,3}}?by\s+)?(?:the\s+)?"
    rf"(?:[\w-]+\s+){{0,3}}?(?P<agents>{_PL})"
)
_OUR_OWN = re.compile(
    r"\b(?:our|we|us|my|I)\b|\b(?:started|began|begun|start|begin)\s+(?:offering|providing|using|delivering|running"
    r"|teaching|training|practising|practicing|to\s+offer|to\s+provide|to\s+use)\b"
)
_DEFINED_THEN_RELATIVE = re.compile(
    r"\s+(?:is|was|are|were)\s+(?:a|an)\s+[^⟦,;:.]{0,60}?\s+(?:that|which)\s+(?:(?:\w+ly|also|first|has|had|have)\s+)*"
)
_BRACKET_OPEN = re.compile(r"[ \t]*\(\s*")
_ONLY_JOINERS = re.compile(r"(?:\s|,|&|\band\b|\bDr\.?|\bProf\.?)*")  # what may stand between names in brackets
_JOINED_CLAUSE = re.compile(r",\s+(?:and|but|while)\s")
_RELATIVE_OPENING = re.compile(r",\s*(?:which|who|whom)\b|(?<=⟧)\s+that\b")
_DATED = re.compile(r"\s*(?:In|By|Around|During|From|Since|Until|After|Before)\s+⟦Y\d+⟧\s*,?\s*", re.IGNORECASE)
_ASIDE_AFTER_DATE = re.compile(  # "In 1987, while out on a walk, she noticed ...": the aside before the subject
    r"(?:while|when|after|as|during|working|having|at|on|in)\b[^,;⟦]{0,80},\s*"
)
_CLAUSE_BREAK = re.compile(
    r";|:\s|,\s+(?:and|but|while|whereas|although|though|so|yet)\s+(?=⟦|the\b|this\b|his\b|her\b|its\b)"
    r"|\s+(?:but|while|whereas)\s+(?=⟦)"
)
_RELATIVE_PASSIVE = re.compile(  # "X, which was first ...", "X in the 1950s, an outgrowth of ..."
    r"(?:\s+(?:in|from|by)\s+(?:the\s+)?(?:(?:early|mid|late)[\s-]+)?⟦Y\d+⟧)?\s*,\s*(?:(?:which|that|who)\s+)?(?:(?:was|were|is|are|has\s+been|had\s+been|have\s+been|being|been)\s+)?"
    r"(?:(?:first|later|originally|also|initially|largely|mainly|jointly|independently|itself)\s+)?",
    re.IGNORECASE,
)
_APPOSITIVE = re.compile(r"\s*,\s*(?:the|a|an|another|his|her|their)\s+(?P<np>[^,;⟦]{0,90}?)\s*", re.IGNORECASE)
_DIRECT = re.compile(
    r"\s*(?:(?:was|were|is|are|has\s+been|had\s+been|have\s+been|be|been|itself)\s+)?(?:(?:\w+ly|first|later|also"
    r"|then|originally|in\s+part)\s+)*(?:as\s+)?",
    re.IGNORECASE,
)
_RELATIVE_MARKER = re.compile(r",\s*(?:which|who|whose|where)\b", re.IGNORECASE)
_NEGATION = _LEX.negations
_KIND_OF_HEAD = re.compile(
    r"(?P<head>⟦M\d+⟧)\s*,\s*(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?(?:form|type|kind|version|variant|adaptation)\s+of"
    r"\s+(?:the\s+)?$"
)
_KIND_OPENING = _pattern(  # a sentence that opens "A form of", "A school of" (a glossary definition)
    rf"(?:\b(?:an?|one)\s+(?:[\w-]+,?\s+){{0,3}}(?:{'|'.join(sorted(_LEX.kind_nouns))}|school|strand)\s+of\s+"
    rf"(?:the\s+)?|^\s*(?:one|part|a\s+member)\s+of\s+(?:the\s+)?(?:[\w-]+\s+){{0,3}})$"
)
_KIND_BEFORE = re.compile(r"\b(?:form|forms|type|types|kind|kinds|version|variant)\s+of\s+(?:the\s+)?$", re.I)
_QUESTION_START = re.compile(r"^\s*(?:Q:|is|are|does|do|can|will|should|what|who|how|why|when|where)\b", re.I)
_STRONG_USE = re.compile(
    r"\b(?:treat|treats|treated(?!\s+as\b)|treating|help\w*|target\w*|address\w*|reduc\w*|(?:less|fewer)(?=\s+⟦C)|manag\w*"
    r"|heal\w*|recover\w*|overcom\w*|devised|designed|developed|created|built|tried"
    r"|cop(?:e|es|ing)\s+with|effective\w*|benefit\w*|struggl\w*|suffer\w*|experienc\w*|living|facing|dealing|designed|used"
    r"|uses|use|applied|apply|applies|treatments?\s+(?:for|of)|suits?|seeks?|sought|recommend(?:s|ed)?|indicated|offered|offers?|provides?|provided|extended|adapted|relie\w*|eas(?:e|es|ing)|work\s+with"
    r"|works\s+with|working\s+with|serv(?:e|es|ing)|built\s+for|developed\s+(?:for|to)|created\s+(?:for|to)"
    r"|see|sees|aimed|suited|tried\s+it|studied|examined|tested|evaluated|investigated|trialled|trialed|lifts?"
    r"|improves?|applications?|diagnosis|diagnosed|affected|targets|for\s+people|practi[sc](?:ed|ing)"
    r"|works?\s+\w+ly\s+with|working\s+\w+ly\s+with|available\s+(?:to|for)"
    r"|for\s+clients|for\s+patients|for\s+adults|for\s+children|for\s+those)\b",
    re.IGNORECASE,
)
_BECAME = re.compile(
    r"\s*(?:That|This|The|Their|His|Her)\s+(?:[\w-]+\s+){0,3}?(?:became|grew\s+into|evolved\s+into|developed\s+into"
    r"|turned\s+into|was\s+(?:later\s+|eventually\s+|soon\s+)?(?:named|called|renamed|christened|known\s+as))\s+"
    r"(?:known\s+as\s+)?(?P<obj>⟦M\d+⟧)"
)
_USED_ALONGSIDE = re.compile(r"\b(?:been|be|is|are|was|were)\s+combined\s+with\b", re.IGNORECASE)
_FIRST_APPEARED = re.compile(r"\bfirst\s+appeared\s+(?:in\s+)?(?:the\s+)?(?:(?:early|mid|late)[\s-]+)?$",
                             re.IGNORECASE)
_PERSON_THEN_VERB = re.compile(  # "Greta Sample, had founded", "Ann Example then developed"
    r"⟦[PW]\d+⟧\s*,?\s+(?:had\s+|has\s+|have\s+|then\s+|later\s+|also\s+|first\s+)*[a-z]+ed\b"
)
_PERSONS_OWN = re.compile(  # "X, who had herself struggled with", "X's son was diagnosed with"
    r"⟦[PWR]\d+⟧(?:\s*['’]s\s+[\w-]+)?(?:\s*,\s*who)?\s+(?:(?:had|has|have|was|were|is|been|herself|himself"
    r"|themselves|also|later|once|then|long)\s+)*(?:diagnosed|suffered|suffering|struggled|struggling|battled"
    r"|battling|lived|living|experienced)\s+(?:with|from)\s+(?:[\w-]+\s+){0,3}$"
)
_FOCUS_ON = re.compile(r"\bfocus(?:es|ed)?\s+(?:was\s+|is\s+|has\s+been\s+)?on\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
_WEAK_USE = re.compile(r"\b(?:for|with|among|to|in|symptoms|problems|support\w*)\b", re.IGNORECASE)
_POP_CUE = re.compile(
    r"(?:\b(?:for|with|among|to|serv(?:e|es|ing)|help(?:s|ing)?|treat(?:s|ing)?|aimed\s+at|suited\s+to|see|sees"
    r"|include|includes|including|reach(?:es)?|support(?:s|ing)?|suits?|focus(?:es|ed)?\s+(?:was\s+|is\s+|has\s+been\s+)?on)"
    r"\s+(?:(?:their|the|many|most|some|both|all|our)\s+)?"
    r"(?:[\w-]+\s+){0,2}?(?:[\w-]+\s*,\s*){0,2}?$)",
    re.IGNORECASE,
)
_POP_CONTINUE = re.compile(
    r"^(?:\s+with\s+(?:[\w-]+\s+){0,2}?⟦C\d+⟧)?(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+(?:for\s+)?|\s+of\s+)"
    r"(?:(?:their|the|whole|entire|other|all)\s+)?$",  # "with parents and whole families"
    re.I,
)
_NAMED_PEOPLE_WITH = re.compile(r"\s*(?:⟦O\d+⟧\s+(?:and|or)\s+)*⟦O\d+⟧\s+(?:with|who\s+have|living\s+with)\s+⟦C\d+⟧")
_PEOPLE_ITEM = re.compile(r"^(?:people|those|individuals|anyone|parents|adults|children|adolescents|teens|couples"
                          r"|families|clients|patients|someone|survivors|veterans)\b", re.IGNORECASE)


@dataclass
class Item:
    """A placeholder of a skeleton: its type code, the entity id (if any) and its span in the page."""

    code: str
    id: str
    start: int
    end: int
    year: Year | None = None


@dataclass
class Skeleton:
    """One sentence reduced to placeholders (see the module docstring); ``words`` gate the rules cheaply."""

    span: tuple[int, int]
    text: str
    items: list[Item] = field(default_factory=list)
    question: bool = False
    lower: str = ""
    words: frozenset[str] = frozenset()
    codes: str = ""

    def __post_init__(self) -> None:
        self.lower = self.text.lower()
        self.words = frozenset(_GATE_WORD.findall(self.lower))
        self.codes = "".join(item.code for item in self.items)

    def item(self, placeholder: str) -> Item:
        """The item behind a placeholder such as ``⟦M3⟧``."""
        return self.items[int(_ITEM.match(placeholder).group(2))]  # type: ignore[union-attr]

    def items_in(self, start: int, end: int, codes: str = "MTAHPWRCOY") -> list[tuple[int, Item]]:
        """``(skeleton position, item)`` for the placeholders inside ``text[start:end]``."""
        return [(m.start(), self.items[int(m.group(2))]) for m in _ITEM.finditer(self.text, start, end)
                if m.group(1) in codes]


@dataclass
class Context:
    """What a sentence is read against: the subject of its passage, its section and its list."""

    subject: str | None
    section: str = ""
    in_list: bool = False
    list_role: str = ""
    population_item: bool = False  # the list item is itself a population ("Parents who want ...")


class RelationRules:
    """The relation rules of one page, applied sentence by sentence; create one per page."""

    def __init__(self, finder: MentionFinder, records: PageRecords, topic: str | None):
        self.finder = finder
        self.records = records
        self.text = finder.text
        self.topic = topic
        self.developed: dict[str, str] = {}  # person id -> the approach the page says they developed
        self.last_person: str | None = None
        self.last_subject: str | None = None  # the person the last sentence was about ("Kalff ..., but she ...")
        self.last_theory: str | None = topic if topic and records.type_of(topic) == "Theory" else None
        self.origin: tuple[list[str], Year | None] = ([], None)  # the last sentence's subject people and fronted year
        self.last_developed: str | None = None
        self.years: dict[str, tuple[int, int, Year, tuple[int, int]]] = {}  # theme -> (score, -position, year, span)
        self.list_theme: str | None = None
        self.question: tuple[str, str] | None = None  # ("who" | "when", approach) asked by the last sentence

    # ---- skeletons ---------------------------------------------------------------------------------------------
    def skeleton(self, start: int, end: int) -> Skeleton:
        """The skeleton of ``text[start:end]``: names, years and anaphors as placeholders, asides removed.

        One pass over the sentence: every span to replace (names from the mention finder; years, anaphors and
        pronouns found here) is collected, asides are skipped, and the pieces are joined once.
        """
        text = self.text
        sentence = text[start:end]
        removed = _parentheticals(text, start, end)
        spans: list[tuple[int, int, str, str, Year | None]] = []  # (start, end, code, id, year)
        for mention in self.finder.within(start, end):
            spans.append((mention.start, mention.end, _code(mention), mention.id, None))
        if removed and any(span[2] == "C" for span in spans):
            removed = _without_condition_lists(text, removed, spans)
        lowered = sentence.lower()
        if _DIGIT.search(sentence):
            for match in _YEAR.finditer(sentence):
                value = Year(int(match.group(2)), "decade") if match.group(2) else Year(int(match.group(3)))
                spans.append((start + match.start(), start + match.end(), "Y", "", value))
        if "it" in lowered or "th" in lowered:
            for match in _LEX.anaphors.finditer(sentence):
                if match.group().lower() != "it" and _NOT_ANAPHOR.match(sentence, match.end()):
                    continue
                spans.append((start + match.start(), start + match.end(), "A", "", None))
            for match in _LEX.theory_anaphors.finditer(sentence):
                spans.append((start + match.start(), start + match.end(), "H", "", None))
        if "he" in lowered:
            for match in _PRONOUN.finditer(sentence):
                spans.append((start + match.start(), start + match.end(), "R", "", None))
        spans.sort(key=lambda span: (span[0], span[0] - span[1]))
        pieces: list[str] = []
        items: list[Item] = []
        cursor = start
        aside = 0
        for a, b, code, entity_id, dating in spans:
            if a < cursor:
                continue
            while aside < len(removed) and removed[aside][1] <= a:
                aside += 1
            if aside < len(removed) and removed[aside][0] <= a:
                continue  # inside a parenthetical aside
            pieces.append(_without_asides(text, cursor, a, removed))
            items.append(Item(code, entity_id, a, b, dating))
            pieces.append(f"⟦{code}{len(items) - 1}⟧")
            cursor = b
        pieces.append(_without_asides(text, cursor, end, removed))
        skeleton = _SPACES.sub(" ", "".join(pieces))
        self._bind_anaphors(skeleton, items)
        question = bool(_QUESTION_START.match(sentence) and "?" in sentence[-3:]) or (
            sentence.rstrip().endswith("?")
            and (":" not in sentence or bool(_QUESTION_START.match(sentence.partition(":")[2])))
        )  # "Q: Is it ...?" asks; "Yet it was the first ...: before we treat a person, what ...?" states
        return Skeleton((start, end), skeleton, items, question)

    def _bind_anaphors(self, skeleton: str, items: list[Item]) -> None:
        """Bind "the approach"/"the method" to an approach named earlier in the sentence (not "it"), and "the
        framework" right after a theory to that theory ("field theory, the framework developed by ...")."""
        for match in _THEORY_APPOSITION.finditer(skeleton):
            items[int(match.group("h"))].id = self.records.canonical(items[int(match.group("t"))].id)
        if not any(item.code == "A" for item in items):
            return
        last: Item | None = None
        for match in _ITEM.finditer(skeleton):
            item = items[int(match.group(2))]
            if item.code == "M":
                before = skeleton[max(0, match.start() - 24) : match.start()]
                appositive = re.match(r"\s*,\s*⟦A\d+⟧", skeleton[match.end() : match.end() + 12])
                if not _OBJECT_BEFORE.search(before) or appositive:
                    last = item
            elif item.code == "A" and last is not None and self.text[item.start : item.end].lower() != "it" and (
                _CLAUSE_OPENING.search(skeleton[: match.start()])
                or _APPOSITION_OF_NAME.search(skeleton[: match.start()])
            ):
                item.id = self.records.canonical(last.id)  # "..., and the approach rests on ...": a new clause

    # ---- resolving placeholders -------------------------------------------------------------------------------
    def entity(self, item: Item, context: Context) -> str | None:
        """The entity an item stands for: names directly, "it"/"the approach" the passage's subject.

        "The approach" after another approach in the same sentence is that approach ("Johnson and Greenberg
        developed EFT ..., and the approach rests on attachment theory").
        """
        if item.code in "MTCOPW":
            return self.records.canonical(item.id)
        if item.code == "A":
            return item.id or context.subject
        if item.code == "H":
            return item.id or self.last_theory or context.subject
        if item.code == "R":
            return self.pronoun_person
        return None

    @property
    def pronoun_person(self) -> str | None:
        """Who "he"/"she"/"they" is: the person the last sentence was about, else the last person named."""
        return self.last_subject or self.last_person

    def approach_of(self, item: Item, context: Context) -> str | None:
        """An approach for an item that may name a person (their approach on this page) or an approach."""
        entity = self.entity(item, context)
        if entity is None:
            return None
        if item.code in "PWR":
            return self.developed.get(entity) or context.subject
        return entity if self.records.type_of(entity) in ("Modality", "Theory") else None

    def persons(self, skeleton: Skeleton, start: int, end: int) -> list[str]:
        """The people named in ``skeleton.text[start:end]`` (pronouns resolved to the last person named)."""
        found = []
        for _position, item in skeleton.items_in(start, end, "PWR"):
            person = self.pronoun_person if item.code == "R" else self.records.canonical(item.id)
            if person and self.records.type_of(person) == "Theorist" and person not in found:
                found.append(person)
        return found

    # ---- where a rule's theme is ---------------------------------------------------------------------------------
    def clause_start(self, skeleton: Skeleton, position: int, through_colons: bool = False) -> int:
        """Start of the clause that holds ``position`` (``through_colons``: a list after a colon belongs to the
        clause that introduces it, "Commonly treated with EMDR: PTSD, phobias ...")."""
        start = 0
        for match in _CLAUSE_BREAK.finditer(skeleton.text, 0, position):
            if through_colons and match.group().startswith(":"):
                continue
            start = match.end()
        return start

    def clause_end(self, skeleton: Skeleton, position: int) -> int:
        """End of the clause that holds ``position``."""
        match = _CLAUSE_BREAK.search(skeleton.text, position)
        return match.start() if match else len(skeleton.text)

    def subject(self, skeleton: Skeleton, start: int) -> tuple[int, Item] | None:
        """The grammatical subject of the clause starting at ``start`` (after a fronted phrase), if it is a name."""
        text = skeleton.text[start:]
        dated = _DATED.match(text)
        fronted = _ASIDE_AFTER_DATE.match(text, dated.end()) if dated else _FRONTED.match(text)
        offset = fronted.end() if fronted else (dated.end() if dated else 0)
        match = _SUBJECT.match(text, offset)
        if match is None:
            return None
        position = start + match.start("item")
        return position, skeleton.item(match.group("item"))

    def theme_before(self, skeleton: Skeleton, position: int, context: Context) -> str | None:
        """The approach a trigger at ``position`` speaks about (see the module docstring)."""
        text = skeleton.text
        start = self.clause_start(skeleton, position)
        fronted = _FRONTED.match(text, start)
        if fronted and fronted.end() > position:
            after = self.subject(skeleton, start)
            if after is not None and after[0] >= fronted.end():
                return self.approach_of(after[1], context)
            return context.subject
        placed = [(p, i) for p, i in skeleton.items_in(start, position, "MTAH")]
        placed = [(p, i) for p, i in placed if not _LIKE_ASIDE.search(text, start, p)]  # ", like MBCT, was ..."
        if not placed and _ORGANISATION_SUBJECT.match(text, start):
            return None  # "The Lantern Therapy Institute was founded by ...": the institute, not the approach
        if not placed:
            found = self.subject(skeleton, start)
            if found is not None and found[0] > position:
                found = None  # "- Integrates Marlatt's relapse prevention with ...": a note's line opens on its verb
            if found is not None and found[1].code == "R" and self.text[found[1].start : found[1].end].lower() in (
                "they", "these"
            ) and _PASSIVE.match(text, position):
                return context.subject  # "They were founded by ...": people are not founded; the approaches are
            if found is not None and found[1].code in "PWR":
                return None
            return context.subject
        last_position, last = placed[-1]
        opening = text[start:last_position]
        if len(placed) == 1 and _KIND_OPENING.search(opening) and self.subject(skeleton, start) is None:
            return context.subject  # a definition "One of the humanistic therapies, originated by X": the term's
        between = text[last_position + len(f"⟦{last.code}{skeleton.items.index(last)}⟧") : position]
        chained = _CHAINED.search(text[start:last_position])
        if chained is not None and _DIRECT.fullmatch(between):
            return self.entity(skeleton.item(chained.group("e")), context)
        if _RELATIVE_PASSIVE.fullmatch(between):
            return self.entity(last, context)
        appositive = _APPOSITIVE.fullmatch(between)
        if appositive:
            words = set(re.findall(r"[\w-]+", appositive.group("np")))
            if words & _LEX.organisations or any(w.lower() in ("institute", "centre", "center", "clinic", "society",
                                                               "association", "journal", "book", "paper")
                                                 for w in words):
                return None
            return self.entity(last, context)
        if re.match(r"\s*,\s*(?:which|who|that)\b", between):
            return self.entity(last, context)  # "redecision therapy, which X developed ... by combining"
        if _DEFINED_THEN_RELATIVE.fullmatch(between):
            return self.entity(last, context)  # "MET is a four-session approach that grew out of MI"
        if _RELATIVE_MARKER.search(between):
            return None  # a relative clause about something that is not a name here
        if _DIRECT.fullmatch(between):
            before = text[start:last_position]
            described = _IS_A_BEFORE.search(before)
            if described is not None:  # "Schema therapy is an integrative psychotherapy created by Young"
                return self.entity(skeleton.item(described.group("subj")), context)
            if _LINEAGE_OBJECT_BEFORE.search(before) and not _GREW_FROM_BEFORE.search(before):
                found = self.subject(skeleton, start)
                if found is not None and found[1].code in "MTAH":
                    return self.entity(found[1], context)
                if found is None and _KIND_OPENING.search(before):
                    return context.subject  # a definition "A form of CBT developed by X": the defined term's
            return self.entity(last, context)
        found = self.subject(skeleton, start)
        if found is not None:
            return self.approach_of(found[1], context) if found[1].code in "MTAHPWR" else None
        return None

    # ---- facts --------------------------------------------------------------------------------------------------
    def developed_by(self, theme: str | None, people: list[str], span: tuple[int, int]) -> None:
        """Record ``theme developedBy person`` for each person; remember who developed what."""
        if theme is None or self.records.type_of(theme) not in ("Modality", "Theory"):
            return
        for person in people:
            if self.records.fact(theme, "developedBy", person, span):
                self.developed.setdefault(person, theme)
        if people:
            self.last_developed = theme

    def lineage(self, theme: str | None, obj: str | None, kind: str, span: tuple[int, int]) -> None:
        """Record subtypeOf / derivedFrom / groundedIn by the kind of phrase and the object's type."""
        if theme is None or obj is None or theme == obj:
            return
        theme_type, obj_type = self.records.type_of(theme), self.records.type_of(obj)
        if theme_type not in ("Modality", "Theory") or obj_type not in ("Modality", "Theory"):
            return
        if obj_type == "Theory":
            predicate = "groundedIn"
        elif kind == "kind":
            predicate = "subtypeOf"
        else:
            predicate = "derivedFrom"
        if theme_type == "Theory" and predicate != "groundedIn":
            return
        self.records.fact(theme, predicate, obj, span)

    def year(self, theme: str | None, year: Year | None, score: int, position: int, span: tuple[int, int]) -> None:
        """A candidate introduction year of ``theme``; the strongest (then the first) is kept."""
        if theme is None or year is None or self.records.type_of(theme) not in ("Modality", "Theory"):
            return
        if not 1800 <= year.year <= 2030:
            return
        theme = self.records.canonical(theme)
        candidate = (score, -position, year, span)
        best = self.years.get(theme)
        if best is None or candidate[:2] > best[:2]:
            self.years[theme] = candidate

    # ---- one sentence -------------------------------------------------------------------------------------------
    def sentence(self, span: tuple[int, int], context: Context) -> None:
        """Apply every relation rule to one sentence (one with no name and no year cannot give a fact)."""
        asked, self.question = self.question, None
        if "?" in self.text[max(span[0], span[1] - 3) : span[1]]:
            self._ask(span, context)
        types = {mention.type for mention in self.finder.within(*span)}
        undated = not types & _FACT_TYPES and not _DIGIT.search(self.text, *span)
        words = _GATE_WORD.findall(self.text[span[0] : span[1]].lower()) if undated and types else ()
        lineage = not _LINEAGE_WORDS.isdisjoint(words)
        if undated and not lineage:
            return  # no person, condition, population or year, and no lineage phrase: no fact
        if _DIGIT.search(self.text, *span):
            self._dated_names(span)
        if "(" in self.text[span[0] : span[1]]:
            self._credited_in_brackets(span)
        skeleton = self.skeleton(*span)
        if not skeleton.items:
            return
        events: list[tuple[int, str | None]] = []  # (skeleton position, theme) of development statements
        if asked is not None and not skeleton.question:
            self._answer(skeleton, asked)
        origin, self.origin = self.origin, self._origin(skeleton)
        became = _BECAME.match(skeleton.text)
        if became is not None and not _ORGANISATION_AFTER.match(skeleton.text, became.end()):
            # "In 1979 Jon Kabat-Zinn began teaching a class. That class became MBSR." (not "... the X Institute")
            theme = self.entity(skeleton.item(became.group("obj")), context)
            self.developed_by(theme, origin[0], span)
            if origin[1] is not None:
                self.year(theme, origin[1], 3, span[0], span)
        if not skeleton.question:
            self._developers(skeleton, context, events)
            self._lineage(skeleton, context)
            self._variants(skeleton, context)
        self._uses(skeleton, context)
        self._years(skeleton, context, events)
        people = [i for i in skeleton.items if i.code == "P"]
        if people:
            self.last_person = self.records.canonical(people[-1].id)
        if people or any(i.code == "R" for i in skeleton.items):
            found = self.subject(skeleton, 0)
            if found is None or found[1].code not in "PR":
                self.last_subject = None
            elif found[1].code == "P":
                self.last_subject = self.records.canonical(found[1].id)
        theories = [i for i in skeleton.items if i.code == "T"]
        if theories:
            self.last_theory = self.records.canonical(theories[-1].id)

    def _credited_in_brackets(self, span: tuple[int, int]) -> None:
        """ "social learning theory (Albert Bandura)", "Positive psychotherapy (Peseschkian)": an approach followed by
        brackets holding only people's names (a study note's or a list's credit) was developed by them."""
        mentions = self.finder.within(*span)
        for index, mention in enumerate(mentions):
            if mention.type not in ("Modality", "Theory"):
                continue
            opened = _BRACKET_OPEN.match(self.text, mention.end)
            if opened is None:
                continue
            closing = self.text.find(")", opened.end(), span[1])
            if closing < 0:
                continue
            people = [m for m in mentions[index + 1 :] if opened.end() <= m.start and m.end <= closing]
            rest = self.text[opened.end() : closing]
            for person in reversed(people):
                rest = rest[: person.start - opened.end()] + rest[person.end - opened.end() :]
            approach = self.records.canonical(mention.id)
            names = {name.lower() for name in self.records.names_of(approach)}
            if people and all(m.type == "Theorist" and self.text[m.start : m.end].lower() not in names
                              and self._plainly_a_person(m) for m in people) and _ONLY_JOINERS.fullmatch(rest):
                self.developed_by(approach, [self.records.canonical(m.id) for m in people], span)

    def _plainly_a_person(self, mention: Mention) -> bool:
        """A person named with a known given name ("Albert Bandura"), or by the surname of one named in full before
        ("Peseschkian" after "Nossrat Peseschkian"); not a capitalised pair taken for a name ("Process Work")."""
        label = self.records.label_of(self.records.canonical(mention.id)).split()
        surface = self.text[mention.start : mention.end].split()
        return bool(label) and (label[0].lower() in _LEX.given_names or (len(surface) == 1 < len(label)))

    def _origin(self, skeleton: Skeleton) -> tuple[list[str], Year | None]:
        """The people who are the subject of a sentence with no approach in it, and its fronted year ("In 1979 a
        biologist, Jon Kabat-Zinn, began teaching a class"): what a following "That class became X" credits to X."""
        if any(item.code in "MTAH" for item in skeleton.items):
            return [], None
        dated = _DATED.match(skeleton.text)
        placeholder = re.search(r"⟦Y\d+⟧", dated.group()) if dated else None
        year = skeleton.item(placeholder.group()).year if placeholder else None
        found = self.subject(skeleton, 0)
        if found is None and dated:  # "In 1979 a molecular biologist ..., Jon Kabat-Zinn, began"
            appositive = re.match(r"\s*(?:a|an|the)\s+[^⟦,;]{1,80},\s*(?P<p>⟦P\d+⟧)\s*,", skeleton.text[dated.end() :])
            if appositive:
                found = (dated.end() + appositive.start("p"), skeleton.item(appositive.group("p")))
        if found is None or found[1].code not in "PR":
            return [], year
        placeholder_end = found[0] + len(f"⟦{found[1].code}{skeleton.items.index(found[1])}⟧")
        return self.persons(skeleton, found[0], placeholder_end), year

    def _dated_names(self, span: tuple[int, int]) -> None:
        """ "Transactional analysis (1958)", "Lantern therapy (since 1982)", "(1982-present)": a year in brackets
        right after an approach's name dates it (a person's "(1907-1990)" is a life, and a citation has a name)."""
        for mention in self.finder.within(*span):
            if mention.type not in ("Modality", "Theory"):
                continue
            dated = _NAME_DATE.match(self.text, mention.end, span[1])
            if dated is not None and not _TITLE_OR_BODY_BEFORE.search(self.text, max(span[0], mention.start - 60),
                                                                        mention.start):
                decade = bool(dated.group(2))
                year = Year(int(dated.group(1)), "decade") if decade else Year(int(dated.group(1)))
                self.year(self.records.canonical(mention.id), year, 3, mention.end, span)

    # ---- questions and their answers (FAQ pages) -----------------------------------------------------------------
    def ask_heading(self, span: tuple[int, int], context: Context) -> None:
        """A heading that asks without a question mark ("Who developed it", "Founders"): the next sentence (or list
        item) answers it, as after "Who developed it?"."""
        if _HEADING_QUESTION.match(self.text, span[0], span[1]):
            named = [m for m in self.finder.within(*span) if m.type in ("Modality", "Theory")]
            theme = self.records.canonical(named[0].id) if named else context.subject
            if theme is not None:
                self.question = ("who", theme)

    def _ask(self, span: tuple[int, int], context: Context) -> None:
        """ "Who developed Lantern therapy?", "When was IFS created?": remember what the next sentence answers."""
        match = _QUESTION.match(self.text, span[0], span[1])
        kind = match.group("kind").lower() if match else "uses" if _USES_QUESTION.match(self.text, *span) else ""
        if not kind:
            return
        named = [m for m in self.finder.within(*span) if m.type in ("Modality", "Theory")]
        theme = self.records.canonical(named[0].id) if named else context.subject
        if theme is not None:
            self.question = (kind, theme)

    def _answer(self, skeleton: Skeleton, asked: tuple[str, str]) -> None:
        """The sentence after a question: its first people (who) or its first year (when) answer it."""
        kind, theme = asked
        if kind == "who":
            match = _WHO_ANSWER.match(skeleton.text)
            while match is not None:  # "Ann Example, a sleep researcher, and her colleague Greta Sample"
                self.developed_by(theme, self.persons(skeleton, match.start("agents"), match.end("agents")),
                                  skeleton.span)
                match = _MORE_AGENTS.match(skeleton.text, match.end())
        elif kind == "uses":
            if skeleton.items and skeleton.items[0].code in "CO" and _LEX.contraindication.search(
                self.text[skeleton.span[0] : skeleton.span[1]]
            ) is None:
                for _position, item in skeleton.items_in(0, len(skeleton.text), "CO"):
                    predicate = "addressesCondition" if item.code == "C" else "servesPopulation"
                    self.records.fact(theme, predicate, self.records.canonical(item.id), skeleton.span)
        else:
            for position, item in skeleton.items_in(0, min(len(skeleton.text), 90), "Y"):
                if not _PUBLICATION_AFTER.match(skeleton.text, position):
                    self.year(theme, item.year, 3, skeleton.span[0] + position, skeleton.span)
                break

    def _developers(self, skeleton: Skeleton, context: Context, events: list[tuple[int, str | None]]) -> None:
        text = skeleton.text
        span = skeleton.span
        words = skeleton.words
        if not any(code in skeleton.codes for code in "PWR"):
            return
        passive_spans: list[tuple[int, int]] = []
        passive = " by" in skeleton.lower and not words.isdisjoint(_FIRST["passive"])
        for match in _PASSIVE.finditer(text) if passive else ():
            if _OTHER_WORK.search(text, 0, match.start("trig")):
                continue  # "... the life review, an idea put forward by Robert Butler": not the approach's developer
            theme = self.theme_before(skeleton, match.start("trig"), context)
            people = self.persons(skeleton, match.start("agents"), match.end("agents"))
            companions = _COMPANIONS.match(text, match.end("agents"))
            if companions:
                people += self.persons(skeleton, companions.start("agents"), companions.end("agents"))
            self.developed_by(theme, people, span)
            events.append((match.start("trig"), theme))
            passive_spans.append((match.start(), match.end()))
            self._more_by(skeleton, match.end(), theme, context)
        for match in _ACTIVE.finditer(text) if not words.isdisjoint(_FIRST["active"]) else ():
            if any(a <= match.start("trig") < b for a, b in passive_spans):
                continue
            agents_end = match.end("agents")
            if _COMMA_BEFORE.search(text, 0, match.start("trig")) and not _AND.search(match.group("agents")):
                agents_end = _ITEM.match(text, match.start("agents")).end()  # type: ignore[union-attr]
                # "Ann Example, a student of Fritz Perls, created ...": Perls is in an aside
            people = self.persons(skeleton, match.start("agents"), agents_end)
            if re.match(r"\s+and\s+(?:his|her|their)\s+(?:wife|husband|partner|colleague)\s*,", match.group("mid")):
                people += self.persons(skeleton, match.start("mid"), match.end("mid"))  # "Moreno and his wife, Zerka"
            obj = _OBJECT.match(text, match.end("trig"))
            theme = None
            if obj is not None and _ORGANISATION_AFTER.match(text, obj.end()):
                continue  # "who founded the ISTDP Institute": an organisation, not the approach
            if obj is not None and match.group("trig").lower() in _ADAPTING:
                continue  # "Miller adapted DBT for adolescents": DBT is the parent, not what Miller developed
            if obj is not None:
                theme = self.approach_of(skeleton.item(obj.group("obj")), context)
                companions = _COMPANIONS.match(text, obj.end())
                if companions:
                    people += self.persons(skeleton, companions.start("agents"), companions.end("agents"))
                formed = None
            else:
                relative = _RELATIVE_ACTIVE.search(text, self.clause_start(skeleton, match.start()),
                                                   match.start("agents"))
                if relative is None:
                    bare = _BARE_RELATIVE.search(text, 0, match.start("agents"))
                    item = skeleton.item(bare.group("e") or bare.group("named")) if bare else None
                    if bare is not None and item is not None and self.text[item.start : item.end].lower() != "it" and (
                        item.id or _IS_THE_APPROACH.search(text, 0, bare.start())
                    ):
                        relative = bare
                if relative is not None:
                    named = relative.groupdict().get("named")
                    copula = None if named else _IS_THE_APPROACH.search(text, 0, relative.start("e"))
                    theme = self.entity(skeleton.item(named or (copula.group("named") if copula else None)
                                                      or relative.group("e")), context)
                    kind_of = _KIND_OF_HEAD.search(text, 0, relative.start())
                    if kind_of is not None:  # "The Spiral Model, a form of psychodrama that Hudgins developed"
                        theme = self.entity(skeleton.item(kind_of.group("head")), context)
                    companions = _COMPANIONS.match(text, match.end("trig"))
                    if companions:  # "a model that Teasdale worked out together with Philip Barnard"
                        people += self.persons(skeleton, companions.start("agents"), companions.end("agents"))
                formed = None if relative is not None else _FORMED.match(text, match.end("trig"))
                if formed is not None:
                    theme = self.entity(skeleton.item(formed.group("obj")), context)
            if theme is None:
                continue
            self.developed_by(theme, people, span)
            events.append((match.start("trig"), theme))
        for match in _NOMINAL.finditer(text) if not words.isdisjoint(_FIRST["nominal"]) else ():
            if _INFLUENCE_BEFORE.search(text, max(0, match.start("trig") - 40), match.start("trig")):
                continue
            theme = self.theme_before(skeleton, match.start("trig"), context)
            self.developed_by(theme, self.persons(skeleton, match.start("agents"), match.end("agents")), span)
            events.append((match.start("trig"), theme))
        patterns = [*((_POSSESSIVE, _OWN, _WORK_ON, _GREW_FROM_WORK) if "’" in text or "'" in text else ()),
                    *((_FOUNDER_OF,) if not words.isdisjoint(_ROLE_OF_WORDS) else ()),
                    *((_CREDITED,) if "credited" in words else ()), *((_WHOSE,) if "whose" in words else ()),
                    *((_OF_PERSON, _REGARDED) if "of" in words else ())]
        for pattern in patterns:
            for match in pattern.finditer(text):
                if pattern is _OF_PERSON and (match.group("head") or not match.group("e")):
                    if not match.group("head"):
                        continue
                    target = skeleton.item(match.group("head"))  # the name the appositive describes
                else:
                    target = skeleton.item(match.group("obj") if "obj" in pattern.groupindex else match.group("e"))
                theme = self.entity(target, context)
                self.developed_by(theme, self.persons(skeleton, match.start("p"), match.end("p")), span)
                if pattern is _CREDITED:
                    events.append((match.start(), theme))
        for match in _ROLE_OF.finditer(text) if not words.isdisjoint(_ROLE_OF_WORDS) else ():
            theme = self.theme_before(skeleton, match.start(), context)
            self.developed_by(theme, self.persons(skeleton, match.start("agents"), match.end("agents")), span)
        for match in _ROLE_OF_APPROACH.finditer(text) if not words.isdisjoint(_ROLE_OF_WORDS) else ():
            theme = self.entity(skeleton.item(match.group("e")), context)
            self.developed_by(theme, self.persons(skeleton, match.start("agents"), match.end("agents")), span)
        for match in _ITS_ROLE.finditer(text) if "as" in words else ():
            theme = self.theme_before(skeleton, match.start(), context) or context.subject
            self.developed_by(theme, self.persons(skeleton, match.start("p"), match.end("p")), span)
        for match in _LED_TO.finditer(text) if "led" in words else ():
            theme = self.entity(skeleton.item(match.group("obj")), context)
            self.developed_by(theme, self.persons(skeleton, match.start("agents"), match.end("agents")), span)
        for match in _GERUND.finditer(text) if not words.isdisjoint(_LEX.dev_gerunds) else ():
            found = self.subject(skeleton, self.clause_start(skeleton, match.start())) or self.subject(skeleton, 0)
            if found is not None and found[1].code in "PW" and found[0] < match.start():
                self.developed_by(self.entity(skeleton.item(match.group("obj")), context),
                                  self.persons(skeleton, found[0], _ITEM.match(text, found[0]).end()), span)  # type: ignore[union-attr]
        alongside = _ALONGSIDE.match(text)
        if alongside and self.last_developed:
            self.developed_by(self.last_developed, self.persons(skeleton, alongside.start("p"), alongside.end("p")),
                              span)

    def _more_by(self, skeleton: Skeleton, start: int, theme: str | None, context: Context) -> None:
        """ "... pioneered in Britain by X, who ..., and in the United States by Y": later "by" phrases."""
        text = skeleton.text
        for match in _MORE_BY.finditer(text[start:]):
            self.developed_by(theme, self.persons(skeleton, start + match.start("agents"), start + match.end("agents")),
                              skeleton.span)

    def _lineage(self, skeleton: Skeleton, context: Context) -> None:
        text = skeleton.text
        span = skeleton.span
        words = skeleton.words
        if not any(code in skeleton.codes for code in "MTH"):
            return  # a lineage fact names a parent approach or theory
        kind = " of " in skeleton.lower and not words.isdisjoint(_LEX.kind_nouns)
        for match in _KIND_OF.finditer(text) if kind else ():
            if self._negated(text, match.start()):
                continue
            theme = self.theme_before(skeleton, match.start(), context)
            self.lineage(theme, self.entity(skeleton.item(match.group("obj")), context), "kind", span)
        for match in _MEMBER.finditer(text) if not words.isdisjoint(_FIRST["member"]) else ():
            placeholder = match.group("wave") or match.group("plural")
            self._alongside(skeleton, match.end(), placeholder, context)
            item = skeleton.item(placeholder)
            if match.group("plural"):  # "counted among the third-wave therapies": a plural names a family
                surface = self.text[item.start : item.end].lower()
                if not re.search(r"(?:therapies|psychotherapies|treatments|approaches|interventions)$", surface):
                    continue
            theme = self.theme_before(skeleton, match.start(), context)
            self.lineage(theme, self.entity(item, context), "kind", span)
        for match in _IS_A.finditer(text) if not words.isdisjoint(("is", "was", "remains")) else ():
            obj = skeleton.item(match.group("obj"))
            label = self.records.label_of(obj.id).lower()
            if label.split()[-1:] and len(label.split()) < 2:
                continue
            subject = match.group("subj")
            theme = self.entity(skeleton.item(subject), context) if "⟦" in subject else context.subject
            self.lineage(theme, self.entity(obj, context), "kind", span)
        for match in _IS_THE_KIND_OF.finditer(text) if "⟦A" in text else ():  # "X is the school of psychoanalysis"
            anaphor = skeleton.item(match.group("a"))
            if self.text[anaphor.start : anaphor.end].lower().split()[-1] in _LEX.kind_nouns:
                self.lineage(self.entity(skeleton.item(match.group("subj")), context),
                             self.entity(skeleton.item(match.group("obj")), context), "kind", span)
        for match in _APPOSITIVE_KIND.finditer(text) if ", a" in text else ():
            theme = self.entity(skeleton.item(match.group("subj")), context)
            self.lineage(theme, self.entity(skeleton.item(match.group("obj")), context), "kind", span)
        covered = 0
        for match in _LINEAGE.finditer(text) if not words.isdisjoint(_FIRST["lineage"]) else ():
            if match.start() < covered or self._negated(text, match.start()):
                continue
            if _USED_ALONGSIDE.search(text, max(0, match.start() - 12), match.end() + 6):
                continue  # "It has also been combined with art therapy": used alongside it, not made of it
            objects, covered = self._objects(skeleton, match.end(), context)
            if not objects:
                continue
            formed = _FORMED.match(text, match.end())
            if formed is not None:
                theme = self.entity(skeleton.item(formed.group("obj")), context)
                people = self.persons(skeleton, self.clause_start(skeleton, match.start()), match.start())
                self.developed_by(theme, people, span)
            else:
                theme = self.theme_before(skeleton, match.start(), context) or self._persons_approach(
                    skeleton, match.start())
            for parent in objects:
                self.lineage(theme, parent, "derived", span)
        for match in _ROOTS_IN.finditer(text) if not words.isdisjoint(_ROOTS_WORDS) else ():
            objects, _end = self._objects(skeleton, match.end() - 1, context)
            theme = self.entity(skeleton.item(match.group("e")), context)
            for parent in objects:
                self.lineage(theme, parent, "derived", span)
        for match in _ITS_ROOTS.finditer(text) if not words.isdisjoint(_ROOTS_WORDS) else ():
            objects, _end = self._objects(skeleton, match.end() - 1, context)
            for parent in objects:
                self.lineage(context.subject, parent, "derived", span)
        for match in _BOTH_KINDS.finditer(text) if not words.isdisjoint(_LEX.kind_nouns) else ():
            family = self.entity(skeleton.item(match.group("obj")), context)
            for placeholder in _ITEM.finditer(match.group("subjects")):
                self.lineage(self.entity(skeleton.item(placeholder.group()), context), family, "kind", span)
        for match in _ADAPTATIONS.finditer(text) if not words.isdisjoint(_ADAPTATION_WORDS) else ():
            adapted = (self.entity(skeleton.item(match.group("e")), context) if match.group("e")
                       else self.theme_before(skeleton, match.start(), context))
            adaptations, _end = self._objects(skeleton, match.end() - 1, context)
            for adaptation in adaptations:
                self.lineage(adaptation, adapted, "derived", span)
        for match in _TAKES_FROM.finditer(text) if " from " in skeleton.lower else ():
            if self._negated(text, match.start()):
                continue
            theme = self.theme_before(skeleton, match.start(), context)
            self.lineage(theme, self.entity(skeleton.item(match.group("obj")), context), "derived", span)
        for match in _BUILT_ON.finditer(text) if not words.isdisjoint(_BUILT_WORDS) else ():
            objects, _end = self._objects(skeleton, match.end() - 1, context)
            for parent in objects:
                self.lineage(self.entity(skeleton.item(match.group("e")), context), parent, "derived", span)
        for match in _ADAPTED_AS.finditer(text) if "adapted" in words else ():
            self.lineage(self.entity(skeleton.item(match.group("obj")), context),
                         self.entity(skeleton.item(match.group("e")), context), "derived", span)

    def _variants(self, skeleton: Skeleton, context: Context) -> None:
        """ "Group schema therapy, a version for groups", "MBT for adolescents was adapted from the adult model": an
        approach named as another approach's name plus a qualifier, in a sentence that calls it a version or an
        adaptation, is a subtype (version, form, variant) or a derivative (adaptation, extension) of that approach."""
        cue = _VARIANT_CUE.search(skeleton.text)
        if cue is None:
            return
        kind = "kind" if all(match.group("kind") for match in _VARIANT_CUE.finditer(skeleton.text)) else "derived"
        named = [self.records.canonical(item.id) for _position, item in skeleton.items_in(0, len(skeleton.text), "M")]
        bases = [entity for entity, draft in self.records.entities.items() if draft.type == "Modality"]
        for entity in dict.fromkeys(named):
            names = [fold(name) for name in self.records.names_of(entity)]
            for base in bases:
                if base == entity:
                    continue
                if any(_extends(name, fold(base_name)) for name in names for base_name in self.records.names_of(base)):
                    self.lineage(entity, base, kind, skeleton.span)
                    break

    def _persons_approach(self, skeleton: Skeleton, position: int) -> str | None:
        """ "Ryle also drew on Kelly's personal construct theory": a clause whose subject is a person speaks about
        the approach the page says that person developed (none when the page has not said so)."""
        found = self.subject(skeleton, self.clause_start(skeleton, position))
        if found is None or found[1].code not in "PWR":
            return None
        person = self.pronoun_person if found[1].code == "R" else self.records.canonical(found[1].id)
        return self.developed.get(person) if person else None

    def _alongside(self, skeleton: Skeleton, position: int, parent: str, context: Context) -> None:
        """ "part of the third wave ..., alongside approaches such as DBT": DBT shares the parent."""
        match = re.match(r"\s*,?\s*(?:alongside|along\s+with|like|as\s+do|together\s+with)\s+(?:other\s+)?"
                         r"(?:[\w-]+\s+){0,2}?(?:such\s+as|like|including)\s+(?:⟦[PW]\d+⟧\s*['’]s?\s+)?"
                         r"(?P<obj>⟦M\d+⟧)", skeleton.text[position:])
        if match:
            sibling = self.entity(skeleton.item(match.group("obj")), context)
            self.lineage(sibling, self.entity(skeleton.item(parent), context), "kind", skeleton.span)

    def _objects(self, skeleton: Skeleton, position: int, context: Context) -> tuple[list[str], int]:
        """The approaches and theories a lineage phrase names, as a list ("A, B and on C"), and where it ends."""
        text = skeleton.text
        first = _LINEAGE_OBJECT.match(text, position)
        if first is None:
            return [], position
        found: list[str] = []
        placeholder = first.group("obj")
        cursor = first.end()
        while True:
            if placeholder.startswith(("⟦P", "⟦W")):
                person = self.records.canonical(skeleton.item(placeholder[: placeholder.index("⟧") + 1]).id)
                obj = self.developed.get(person)
            else:
                item = skeleton.item(placeholder)
                is_it = item.code == "A" and self.text[item.start : item.end].lower() == "it"
                obj = None if is_it else self.entity(item, context)
            if obj:
                found.append(obj)
            of_person = _OF_PERSON_AFTER.match(text, cursor)  # "the interpersonal theory of Sullivan and ..."
            if of_person is not None:
                cursor = of_person.end()
            aside = _OBJECT_ASIDE.match(text, cursor)  # "Gestalt therapy, the approach founded by Perls, and from ..."
            if aside is not None:
                cursor = aside.end()
            more = _CONTINUE.match(text, cursor)
            if more is None:
                break
            next_item = _ITEM.match(text, more.end())
            if next_item is None or next_item.group(1) not in "MTAH":
                break
            if _APPOSITION.fullmatch(more.group()) and _BY_PARTICIPLE.match(text, next_item.end()):
                break  # "operant conditioning, the learning theory worked out by Skinner": the same parent again
            placeholder = next_item.group()
            cursor = next_item.end()
        return found, cursor

    @staticmethod
    def _negated(text: str, position: int) -> bool:
        before = text[max(0, position - 24) : position]
        return _NEGATION.search(before) is not None

    # ---- uses -----------------------------------------------------------------------------------------------------
    def _uses(self, skeleton: Skeleton, context: Context) -> None:
        text = skeleton.text
        sentence = self.text[skeleton.span[0] : skeleton.span[1]]
        if _LEX.contraindication.search(sentence):
            return
        targets = skeleton.items_in(0, len(text), "CO")
        if not targets:
            return
        previous_population: int | None = None
        for position, item in targets:
            before = text[:position]
            if item.code == "C" and (_KIND_BEFORE.search(before) or _IN_ORGANISATION.search(before[-90:])
                                     or self._in_a_title(item) or self._the_event(item)):
                continue  # "a kind of anxiety"; "the National Institute on Alcohol Abuse"; "Trauma Recovery Program"
            after = text[position : position + 40]
            if item.code == "C" and re.match(r"⟦C\d+⟧\s+(?:memory|memories|account|narrative|story|history|field"
                                             r"|research|researchers|services?|clinic|specialists?|training|model|theory"
                                             r"|work|team|unit|programmes?|programs?)\b", after):
                continue
            if _NEGATION.search(before[-14:]) or re.match(r"\s*(?:Beyond|Apart from|Except|Unlike)\b[^,]*$", before):
                continue
            start = self.clause_start(skeleton, position, through_colons=True)
            clause = text[start : self.clause_end(skeleton, position)]
            if item.code == "C" and _PERSONS_OWN.search(text, max(start, position - 120), position):
                continue  # "Ann Example, who had herself struggled with depression": her condition, not a use
            if item.code == "O":
                if context.population_item:
                    continue
                if re.match(r"⟦O\d+⟧\s*['’]s?\s", text[position:]) or re.search(r"\b(?:our|my)\s+$", before):
                    continue  # "their child's needs", "our parents": not people the approach serves
                cued = _POP_CUE.search(before[-40:]) is not None or self._focused(item)
                continued = previous_population is not None and _POP_CONTINUE.match(text[previous_population:position])
                placeholder_end = position + len(f"⟦O{skeleton.items.index(item)}⟧")
                previous_population = placeholder_end
                if not (cued or continued or context.list_role == "uses"):
                    previous_population = None if not cued else previous_population
                    continue
            strong = bool(_STRONG_USE.search(clause)) or context.list_role == "uses" or (
                item.code == "O" and _FOCUS_ON.search(before[-40:]) is not None)  # "its focus was on women"
            theme = self._uses_theme(skeleton, position, context, strong)
            if theme is None:
                continue
            entity = self.records.canonical(item.id)
            predicate = "addressesCondition" if item.code == "C" else "servesPopulation"
            self.records.fact(theme, predicate, entity, skeleton.span)

    def _in_a_title(self, item: Item) -> bool:
        """ "Journal of Trauma Practice", "the Anxiety & Trauma Service": a capitalised condition inside a run of
        capitalised words (a journal's, service's or programme's name) mid-sentence, not a use."""
        surface = self.text[item.start : item.end]
        if not surface[:1].isupper():
            return False
        after = _CAPITALISED_AFTER.match(self.text, item.end)
        before = _CAPITALISED_BEFORE.search(self.text, max(0, item.start - 40), item.start)
        return after is not None or (before is not None and not _LINE_START.search(
            self.text, max(0, item.start - 2), item.start))

    def _the_event(self, item: Item) -> bool:
        """ "revisit memories of the trauma", "describe their trauma": trauma after a determiner is the event a
        person lived through, not a condition the approach treats."""
        return self.text[item.start : item.end].lower() == "trauma" and _EVENT_DETERMINER.search(
            self.text, max(0, item.start - 8), item.start) is not None

    def _focused(self, item: Item) -> bool:
        """A population named by a compound ("parent-focused") carries its own cue."""
        return "-" in self.text[item.start : item.end]

    def _uses_theme(self, skeleton: Skeleton, position: int, context: Context, strong: bool) -> str | None:
        """The approach a condition or population in this clause belongs to."""
        text = skeleton.text
        start = self.clause_start(skeleton, position, through_colons=True)
        placed = skeleton.items_in(start, position, "MTAH")
        for last_position, last in reversed(placed):
            placeholder = f"⟦{last.code}{skeleton.items.index(last)}⟧"
            between = text[last_position + len(placeholder) : position]
            if re.match(r"\s*,\s*(?:(?:which|that|who)\b|(?:a|an|the|another)\s|(?:created|developed|designed|built"
                        r"|adapted|founded|pioneered)\b)", between) and not re.search(r"[;:]|,\s+(?:is|was|has|are)\b",
                                                                                    between):
                return self.entity(last, context)
        found = self.subject(skeleton, start)
        if found is not None and found[1].code in "MTAH":
            entity = self.entity(found[1], context)
            if entity and self.records.type_of(entity) in ("Modality", "Theory"):
                return entity
        develop = _DEVELOP_OBJECT.search(text[start:position])
        if develop is not None:
            return self.entity(skeleton.item(develop.group("obj")), context)
        placed = [(p, item) for p, item in placed if not _LINEAGE_OBJECT_BEFORE.search(text[max(0, p - 40) : p])]
        if not strong:
            return context.subject if context.list_role == "uses" and not placed else None
        if placed:
            first = placed[0][1]
            return self.approach_of(first, context)
        if found is not None and found[1].code in "PWR":
            return self.approach_of(found[1], context)
        return context.subject

    # ---- years ------------------------------------------------------------------------------------------------------
    def _years(self, skeleton: Skeleton, context: Context, events: list[tuple[int, str | None]]) -> None:
        text = skeleton.text
        years = skeleton.items_in(0, len(text), "Y")
        if not years:
            return
        cues = list(events)
        for match in _LEX.year_cue.finditer(text):
            if not any(abs(p - match.start()) < 3 for p, _t in cues):
                cues.append((match.start(), self._cue_theme(skeleton, match, context)))
        cues.sort()
        for position, item in years:
            before = text[max(0, position - 32) : position]
            after = text[position : position + 30]
            if _PUBLICATION_AFTER.match(after):
                continue  # "his 1944 study", "a 2009 paper": a publication
            words = before.split()
            founded = re.search(r"^\s*(?:⟦[MAT]\d+⟧)\s+(?:was|were)\s+(?:co-)?founded\s+in\s+$", text[
                self.clause_start(skeleton, position) : position])  # "It was founded in 1919 by ...": the approach
            own = founded is not None or _FIRST_APPEARED.search(before) is not None  # "first appeared in the 1980s"
            if not own and _LEX.year_not_before.search(" ".join(words[-3:])) and not re.search(
                r"\b(?:papers?|stud(?:y|ies)|trials?|books?|articles?|reviews?|manuals?)\b", " ".join(words[-3:-1])
            ) or _LEX.year_not_before.search(" ".join(words[-1:])) or re.search(
                r"\b(?:by|until|before|after|of)\s+$", before
            ) or re.search(r"\b(?:publication|release|edition)\s+of\s+\S+\s+in\s+$", before):
                continue  # "The publication of DSM-III in 1980, which introduced dysthymia": not the approach's year
            start, end = self.clause_start(skeleton, position), self.clause_end(skeleton, position)
            if _ORGANISATION_NAMED.search(text, start, position):
                continue  # "They founded the Family Therapy Institute of Washington in 1976": the institute's year
            # "This week we examine X, which Bandura set out in 1977": only the relative clause's own words count
            own_start = max((m.end() for m in _RELATIVE_OPENING.finditer(text, start, position)), default=start)
            joined = _JOINED_CLAUSE.search(text, position, end)  # "..., and we spend two weeks on ...": another clause
            if _OUR_OWN.search(text, own_start, joined.start() if joined else end):
                continue  # "In 2015 our clinic started offering it": the practice's date, not the approach's
            left = [(p, t) for p, t in cues if start <= p < position and position - p < 160]
            right = [(p, t) for p, t in cues if position < p < end and p - position < 90]
            chosen = left[-1] if left else (right[0] if right else None)
            if chosen is not None:
                if chosen[1] is not None:
                    self.year(chosen[1], item.year, 3, skeleton.span[0] + position, skeleton.span)
                continue
            if re.search(r"\bsince\s+(?:the\s+)?(?:(?:early|mid|late)\s+)?$", before, re.IGNORECASE) and (
                _LEX.year_since.search(text[start:position])
            ):
                found = self.subject(skeleton, start)
                theme = self.approach_of(found[1], context) if found else context.subject
                self.year(theme, item.year, 1, skeleton.span[0] + position, skeleton.span)
                continue
            fronted = re.match(r"^\s*(?:In|By|Around)\s+(?:the\s+)?(?:(?:early|mid|late)\s+)?$", text[start:position])
            if fronted:
                found = self.subject(skeleton, start)
                if found is not None and found[1].code in "PWR":
                    person = self.entity(found[1], context)
                    theme = self.developed.get(person or "") or (self.last_developed if found[1].code == "R" else None)
                    if theme is None and context.subject and _ORIGIN_AFTER.match(
                        text, found[0] + len(f"⟦{found[1].code}{skeleton.items.index(found[1])}⟧")
                    ):
                        theme = context.subject  # "In 1987, psychologist X noticed that ...": the page's origin story
                    self.year(theme, item.year, 2, skeleton.span[0] + position, skeleton.span)

    def _cue_theme(self, skeleton: Skeleton, cue: re.Match[str], context: Context) -> str | None:
        """What a dating word ("emerged", "first used") dates: its subject, or what follows it after a person."""
        start = self.clause_start(skeleton, cue.start())
        found = self.subject(skeleton, start)
        if found is not None and found[1].code in "PWR":
            owned = re.match(r"⟦[PWR]\d+⟧\s*['’]s?\s+(?:[\w-]+\s+){0,2}?(?:of\s+)?(?P<obj>⟦[MT]\d+⟧)",
                             skeleton.text[found[0] : cue.start()])
            if owned is not None:  # "Haley's version of strategic therapy took shape in the late 1970's"
                return self.entity(skeleton.item(owned.group("obj")), context)
            after = re.match(r"(?:\s+[^\s⟦,;.]+){0,7}?\s+(?P<obj>⟦[MTAH]\d+⟧)", skeleton.text[cue.end() :])
            if after is not None:
                return self.entity(skeleton.item(after.group("obj")), context)
            person = self.entity(found[1], context)  # "In the 1970s Mindell began to notice ...": his approach
            return self.developed.get(person) if person and _FRONTED_YEAR.match(skeleton.text, start) else None
        if found is None and _PERSON_THEN_VERB.search(skeleton.text, start, cue.end()) and not any(
            item.code in "MTAH" for _p, item in skeleton.items_in(start, cue.end())
        ):  # "Her mentor, Greta Sample, had founded narrative lantern therapy in 1975": not this page's approach
            after = re.match(r"(?:\s+[^\s⟦,;.]+){0,7}?\s+(?P<obj>⟦[MTAH]\d+⟧)", skeleton.text[cue.end() :])
            return self.entity(skeleton.item(after.group("obj")), context) if after else None
        return self.theme_before(skeleton, cue.start(), context)

    # ---- label lines ("Founder - Eric Berne", "When: 1990s", "Main uses ...") ----------------------------------------
    def label(self, kind: str, value: tuple[int, int], context: Context, span: tuple[int, int]) -> None:
        """Facts from a label line's value about the passage's subject."""
        subject = context.subject
        if subject is None:
            return
        skeleton = self.skeleton(*value)
        text = skeleton.text
        if kind == "developer":
            people: list[str] = []
            for match in re.finditer(_PERSON, text):
                before = text[: match.start()]
                tail = re.sub(rf"{_PERSON}\s*$", "", before)
                joined = re.search(rf"{_PERSON}\s*,?\s*(?:and|with|plus|together\s+with)\s*$", before)
                if people and re.search(r"[^\s,&;/+]\s*$", tail) and not joined:
                    break  # "X and Y", "X, Y & Z": one list; "X, a businessman and Y": X alone
                if re.match(r"\s*['’]s\b", text[match.end() :]):
                    continue
                people += self.persons(skeleton, match.start(), match.end())
            self.developed_by(subject, people, span)
        elif kind == "year":
            for _position, item in skeleton.items_in(0, len(text), "Y"):
                self.year(subject, item.year, 4, value[0], span)
                break
        elif kind in ("uses", "populations"):
            for _position, item in skeleton.items_in(0, len(text), "CO"):
                predicate = "addressesCondition" if item.code == "C" else "servesPopulation"
                self.records.fact(subject, predicate, self.records.canonical(item.id), span)
        elif kind == "kind":
            families = [self.records.canonical(item.id) for _p, item in skeleton.items_in(0, len(text), "M")]
            value_text = self.text[value[0] : value[1]].strip(" *.:")
            if not families and 1 <= len(value_text.split()) <= 3:  # "Type of therapy: Humanistic"
                for head in (" therapy", " psychotherapy", " therapies"):
                    known = self.finder._known(value_text + head)
                    if known is not None and known.type == "Modality":
                        found = self.finder.approach(value_text + head, value[0], known=known)
                        families = [found] if found else []
                        break
            for family in families:
                self.lineage(subject, self._known_head(family), "kind", span)
        elif kind == "grounded":
            for _position, item in skeleton.items_in(0, len(text), "MT"):
                self.lineage(subject, self.records.canonical(item.id), "derived", span)
            for match in re.finditer(r"(?P<e>⟦[MT]\d+⟧)\s*,\s*(?:also\s+)?(?P<p>⟦[PW]\d+⟧)\s*['’]s?\b", text):
                self.developed_by(self.entity(skeleton.item(match.group("e")), context),
                                  self.persons(skeleton, match.start("p"), match.end("p")), span)

    def _known_head(self, entity: str) -> str:
        """A page-made approach whose name ends with a known approach's name stands for that one in a "Type:" label
        ("transdiagnostic, emotion-focused cognitive behavioural therapy" is a kind of CBT)."""
        words = self.records.label_of(entity).split()
        if len(words) < 3 or self.finder._known(" ".join(words)) is not None:
            return entity
        for first in range(1, len(words) - 1):
            known = self.finder._known(" ".join(words[first:]))
            if known is not None and known.type == "Modality":
                return self.finder.approach(" ".join(words[first:]), 0, known=known) or entity
        return entity

    # ---- list items under "especially helpful for:" ------------------------------------------------------------------
    def use_item(self, span: tuple[int, int], theme: str | None, intro: str) -> bool:
        """Conditions and populations of one list item (seed style: "People who ..." is itself a population);
        True when the whole item was taken as one population (its inner people are not populations of their own)."""
        if theme is None:
            return False
        skeleton = self.skeleton(*span)
        item_text = self.text[span[0] : span[1]].strip().rstrip(".;")
        found = skeleton.items_in(0, len(skeleton.text), "CO")
        if _PEOPLE_ITEM.match(item_text) and len(item_text.split()) >= 4 and re.search(
            r"helpful|benefit|can help|helps", intro
        ) and not _NAMED_PEOPLE_WITH.match(skeleton.text):  # not "children and adolescents with PTSD or ..."
            label = item_text
            self.records.fact(theme, "servesPopulation", self.records.simple("population", "Population", label,
                                                                             span[0]), span)
            found = [(p, i) for p, i in found if i.code == "C"]
            whole = True
        else:
            whole = False
        for position, item in found:
            if item.code == "C" and _KIND_BEFORE.search(skeleton.text[:position]):
                continue
            predicate = "addressesCondition" if item.code == "C" else "servesPopulation"
            self.records.fact(theme, predicate, self.records.canonical(item.id), span)
        if not found and not _PEOPLE_ITEM.match(item_text):
            label = re.split(r"\s*(?:[,:;(]|\s[–—-]\s)", item_text)[0].strip()
            if 1 <= len(label.split()) <= 4 and label[:1].isalpha() and not re.search(
                r"\b(?:you|your|we|our|i|my|is|are|was|were|have|has|can|will)\b", label, re.IGNORECASE
            ):
                self.records.fact(theme, "addressesCondition",
                                  self.records.simple("condition", "Condition", label.lower() if label.istitle()
                                                      and len(label.split()) > 1 else label, span[0]), span)
        return whole

    # ---- the end of the page -----------------------------------------------------------------------------------
    def finish(self, sentence_of: dict[str, tuple[int, int]]) -> None:
        """Write the best introduction year per approach; populations named in approach names ("DBT for Teens")."""
        for theme, (_score, _position, year, span) in self.years.items():
            self.records.fact(theme, "introduced", year, span)
        for entity_id, draft in list(self.records.entities.items()):
            if draft.type != "Modality" or entity_id not in sentence_of:
                continue
            for name in (draft.label, *draft.aliases):
                match = re.search(r"\bfor\s+([\w-]+(?:\s+[\w-]+)?)$", name)
                if not match:
                    continue
                words = match.group(1).lower()
                label = _LEX.population_labels.get(words, words)
                if words in _LEX.population_heads or label in _LEX.population_heads:
                    if label in _LEX.population_never_alone:
                        continue
                    self.records.fact(entity_id, "servesPopulation",
                                      self.records.simple("population", "Population", label, draft.start),
                                      sentence_of[entity_id])
                    break


def _without_asides(text: str, start: int, end: int, removed: list[tuple[int, int]]) -> str:
    """``text[start:end]`` without the parts inside ``removed`` spans (asides), joined by a space."""
    if start >= end:
        return ""
    if not removed:
        return text[start:end]
    parts: list[str] = []
    cursor = start
    for a, b in removed:
        if b <= cursor or a >= end:
            continue
        if a > cursor:
            parts.append(text[cursor:a])
        cursor = max(cursor, b)
    if cursor < end:
        parts.append(text[cursor:end])
    return " ".join(parts)


def _extends(name: str, base: str) -> bool:
    """``name`` is ``base`` with a qualifier: a suffix ("dbt-a", "mbt for adolescents", "... in groups") or a
    qualifying word before it from the lexicon's ``lineage.variant_qualifiers`` ("group schema therapy"); "cognitive
    behavioural therapy" does not extend "behavioural therapy"."""
    if len(base) < 3 or len(name) <= len(base) + 1:
        return False
    if name.startswith(base):
        return re.match(r"-[a-z]{1,2}$|\s+(?:for|in|with)\s|\s+parenting$", name[len(base) :]) is not None
    if name.endswith(" " + base):
        words = name[: -len(base)].split()
        return bool(words) and all(word in _LEX.variant_qualifiers for word in words)
    return False


def _code(mention: Mention) -> str:
    if mention.type == "Modality":
        return "M"
    if mention.type == "Theory":
        return "T"
    if mention.type == "Theorist":
        return "W" if mention.weak else "P"
    if mention.type == "Condition":
        return "C"
    return "O"


_BRACKET = re.compile(r"[()\[\]]")
_DASH_ASIDE = re.compile(r"\s[–—]\s[^–—()\n]{1,160}?\s[–—](?=\s)")


def _parentheticals(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of ``(...)``, ``[...]`` and paired dash asides (`` – also called X – ``) in ``text[start:end]``."""
    spans: list[tuple[int, int]] = []
    for match in _DASH_ASIDE.finditer(text, start, end):
        spans.append((match.start(), match.end()))
    depth = 0
    opened = start
    position = text.find("(", start, end)
    bracket = text.find("[", start, end)
    if position < 0 and bracket < 0:
        return _merged(spans)
    for match in _BRACKET.finditer(text, start, end):
        index = match.start()
        if match.group() in "([":
            if depth == 0:
                opened = index
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0 and not (opened == start and index >= end - 2):  # a bracketed sentence is kept
                spans.append((opened, index + 1))
    return _merged(spans)


def _without_condition_lists(text: str, removed: list[tuple[int, int]],
                             spans: list[tuple[int, int, str, str, Year | None]]) -> list[tuple[int, int]]:
    """``removed`` less the brackets that list conditions right after a condition: "anxiety disorders (panic
    disorder, social anxiety)" names three conditions, not one with an aside."""
    conditions = [(a, b) for a, b, code, _id, _year in spans if code == "C"]
    kept = []
    for a, b in removed:
        inside = [(x, y) for x, y in conditions if a < x and y < b]
        leftover = text[a + 1 : b - 1]
        for x, y in reversed(inside):
            leftover = leftover[: x - a - 1] + leftover[y - a - 1 :]
        if text[a] == "(" and inside and any(not text[y:a].strip() for _x, y in conditions) and not re.sub(
            r"\b(?:and|or|e\.g\.|i\.e\.|such as|including|especially|notably)\b|[\s,;.]", "", leftover
        ):
            continue
        kept.append((a, b))
    return kept


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping spans covering ``spans``."""
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged
