"""Every failure kind of issue 12 (items 1-7) as small pages written here, each with the fact a reader finds in it.

Pages are read as ``tkg build --pages`` reads them: the real loader, the gazetteer of the curated graph, and (where
the expected ids are curated ones) resolution against the bundled content. Approaches with made-up names (Lantern
therapy, the Harbour model) are not in our content, so the page mints their ids.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.pipeline.corpus import BUNDLED_CONTENT, assemble, content_files, read_curated
from graph.pipeline.resolve import PageResolver
from loaders.registry import load_page
from ontology.records import Fact

Triple = tuple[str, str, str]


@pytest.fixture(scope="module")
def resolver() -> PageResolver:
    return PageResolver(assemble(read_curated(content_files([BUNDLED_CONTENT]))).name_index())


def read(tmp_path: Path, resolver: PageResolver, text: str, suffix: str = ".txt", resolve: bool = True) -> set[Triple]:
    """The facts of one page (``text`` written to a file with ``suffix``) as (subject, predicate, object)."""
    page = tmp_path / f"page{suffix}"
    page.write_text(text, encoding="utf-8")
    extraction = load_page(page, resolver if resolve else None, gazetteer=resolver.gazetteer).extraction
    return {(f.subject, f.predicate, str(f.object)) for f in extraction.facts if isinstance(f, Fact)}


def check(found: set[Triple], wanted: list[Triple], unwanted: list[Triple] | None = None) -> None:
    """Every wanted fact is found and no unwanted one is."""
    missing = [t for t in wanted if t not in found]
    wrong = [t for t in unwanted or [] if t in found]
    assert not missing and not wrong, f"missing {missing}, wrong {wrong}; found {sorted(found)}"


# ---- item 1: the topic ------------------------------------------------------------------------------------------

TOPICS = {
    "an acronym first, its expansion in brackets": (
        "# SRT (sunrise rehearsal therapy)\n\n## Who developed it\n\n- Ann Example and colleagues, 1990s\n\n"
        "SRT was developed by Ann Example. SRT is used for nightmares.\n",
        [("modality/sunrise-rehearsal-therapy", "developedBy", "theorist/ann-example")],
    ),
    "a review's header names nothing; the first sentence saying who developed an approach names the topic": (
        "BOOKS IN BRIEF  /  mind & body\n\nReviewed by Bob Sample\n\nLantern Breathwork, the method this short "
        "book sets out to explain,\nwas the brainchild of the psychiatrist Ann Example and her husband Greta "
        "Sample. The breathwork grew out of psychedelic therapy.\n",
        [("modality/lantern-breathwork", "developedBy", "theorist/ann-example"),
         ("modality/lantern-breathwork", "developedBy", "theorist/greta-sample"),
         ("modality/lantern-breathwork", "derivedFrom", "modality/psychedelic-therapy")],
    ),
    "a news headline with an acronym; its expansion comes before 'better known as'": (
        "THE HERALD | Health | Saturday\n\nMind tricks or method? The HLP debate refuses to die\n\nThe technique on "
        "offer was harbour-lantern programming, better known as HLP, and the row that followed is old.\n\nHLP was "
        "created in the early 1970s by Ann Example, then a student.\n",
        [("modality/harbour-lantern-programming", "developedBy", "theorist/ann-example"),
         ("modality/harbour-lantern-programming", "introduced", "1970s")],
    ),
    "a school named 'X psychology' that the page describes in practice is a modality, not a theory": (
        "Lantern-oriented psychology\n\nLantern-oriented psychology was developed by Ann Example in the 1970s. "
        "Therapists follow what happens in sessions, and clients bring dreams. Lantern-oriented psychology grew out "
        "of Gestalt therapy.\n",
        [("modality/lantern-oriented-psychology", "developedBy", "theorist/ann-example"),
         ("modality/lantern-oriented-psychology", "derivedFrom", "modality/gestalt-therapy")],
    ),
    "a leaflet titled with a charity's name; a 'WHAT IS X?' heading names the topic": (
        "BRIGHT STARTS FAMILY TRUST\nRegistered charity no. 1100000\n\n~ Seeing what goes well ~\n\n"
        "[inside left]\n\nWHAT IS LANTERN MEO?\n\nLantern Meo is a way of supporting parents with video clips.\n\n"
        "The method was developed by Ann Example in the 1970s.\n\nIS IT THE SAME AS HARBOUR GUIDANCE?\n\nNo. "
        "Harbour Guidance,\nwhich Greta Sample developed in the 1980s, also uses clips.\n",
        [("modality/lantern-meo", "developedBy", "theorist/ann-example"),
         ("modality/lantern-meo", "introduced", "1970s"),
         ("modality/harbour-guidance", "developedBy", "theorist/greta-sample")],
    ),
    "a headline with no name; the text names the approach with 'It is known as'": (
        "HEALTH | Tuesday 14 October 2025\n\nBack at the table: the treatment that puts parents in charge\n\n"
        "That idea lies behind a treatment now offered by most services. It is known as harbour-based treatment, "
        "or HBT, although many call it the harbour approach.\n\nHarbour-based treatment was developed in the "
        "1980s by Ann Example as a way of treating adolescents with anorexia nervosa at home. HBT puts parents in "
        "charge of meals.\n",
        [("modality/harbour-based-treatment", "developedBy", "theorist/ann-example"),
         ("modality/harbour-based-treatment", "introduced", "1980s"),
         ("modality/harbour-based-treatment", "addressesCondition", "condition/anorexia-nervosa")],
    ),
    "a title naming two approaches, the sentences about the second": (
        "When CBT isn't landing: a look at Lantern Therapy\n\nYou have tried CBT and it did not reach him. "
        "Lantern Therapy (LT) was built for exactly that room. Ann Example developed it around 2000. LT is still "
        "a form of CBT. LT was linked with fewer incidents than standard CBT. LT has been adapted for families.\n",
        [("modality/lantern-therapy", "developedBy", "theorist/ann-example"),
         ("modality/lantern-therapy", "subtypeOf", "modality/cognitive-behavioural-therapy")],
    ),
    "a course title naming the approach by its first word": (
        "COUN 2140 Counselling Approaches: Week 6, Lantern\n\nFounder: Ann Example\n\nIt grew out of "
        "psychoanalysis. The key text is Lantern Therapy in Practice.\n",
        [("modality/lantern-therapy", "developedBy", "theorist/ann-example"),
         ("modality/lantern-therapy", "derivedFrom", "modality/psychoanalysis")],
    ),
    "title without a therapy word": (
        "Motivational Interviewing\n\nA guided conversation that helps people find their own reasons to change. "
        "It was developed by William R. Miller and Stephen Rollnick.\n",
        [("modality/motivational-interviewing", "developedBy", "theorist/william-r-miller"),
         ("modality/motivational-interviewing", "developedBy", "theorist/stephen-rollnick")],
    ),
    "one-word title": (
        "Psychodrama\n\nIn this method clients act out scenes from their lives on a small stage. It was founded by "
        "Jacob L. Moreno.\n",
        [("modality/psychodrama", "developedBy", "theorist/jacob-moreno")]  # the curated id of J. L. Moreno,
    ),
    "analysis as the head": (
        "Transactional Analysis\n\nThe approach looks at the ego states behind everyday exchanges. It was created "
        "by Eric Berne in the 1950s.\n",
        [("modality/transactional-analysis", "developedBy", "theorist/eric-berne"),
         ("modality/transactional-analysis", "introduced", "1950s")],
    ),
    "plural title": (
        "Schema therapies\n\nThese therapies look for lifelong patterns laid down in childhood. They were founded "
        "by Jeffrey Young.\n",
        [("modality/schema-therapy", "developedBy", "theorist/jeffrey-young")],
    ),
    "question title with an acronym": (
        "How did EMDR start?\n\nIn 1987, psychologist Francine Shapiro noticed that moving her eyes eased upsetting "
        "thoughts.\n",
        [("modality/emdr", "introduced", "1987")],
    ),
    "question title, expansion later": (
        "What is IFS?\n\nInternal Family Systems (IFS) sees the mind as a family of parts. Richard Schwartz "
        "developed it in the 1980s.\n",
        [("modality/internal-family-systems", "developedBy", "theorist/richard-schwartz"),
         ("modality/internal-family-systems", "introduced", "1980s")],
    ),
    "theory as the topic": (
        "Attachment Theory\n\nThe theory holds that infants need one steady caregiver. It was formulated by John "
        "Bowlby.\n",
        [("theory/attachment-theory", "developedBy", "theorist/john-bowlby")],
    ),
    "no title: the first sentence names the approach": (
        "Narrative exposure therapy (NET) is a short treatment for survivors of organised violence. NET was "
        "developed by Maggie Schauer, Frank Neuner and Thomas Elbert.\n",
        [("modality/narrative-exposure-therapy", "developedBy", "theorist/maggie-schauer"),
         ("modality/narrative-exposure-therapy", "developedBy", "theorist/thomas-elbert")],
    ),
    "one approach under several names": (
        "Bowen family systems therapy\n\nBowen family systems, as its students call it, treats the family as one "
        "emotional unit. Murray Bowen developed family systems therapy at the Menninger Clinic.\n",
        [("modality/bowen-family-systems-therapy", "developedBy", "theorist/murray-bowen")],
    ),
    "a title opening with a verb": (
        "Starting Narrative Exposure Therapy: What You Will Do\n\nYour counsellor has suggested it. It was "
        "developed by Maggie Schauer, Frank Neuner and Thomas Elbert.\n",
        [("modality/narrative-exposure-therapy", "developedBy", "theorist/maggie-schauer")],
    ),
    "the title's last name is the one the page is about": (
        "Family therapy module: week 7 notes: the Milan approach\n\n- Milan systemic therapy = the Milan model\n"
        "- the Milan team founded the Milan approach in 1971\n- the Milan model draws on cybernetics\n",
        [("modality/milan-systemic-therapy", "groundedIn", "theory/cybernetics")],
    ),
}


@pytest.mark.parametrize("name", list(TOPICS))
def test_the_topic_is_found(tmp_path: Path, resolver: PageResolver, name: str) -> None:
    text, wanted = TOPICS[name]
    check(read(tmp_path, resolver, text), wanted)


# ---- item 2: developer phrasings ----------------------------------------------------------------------------------

LANTERN = "modality/lantern-therapy"
ANN = "theorist/ann-example"
GRETA = "theorist/greta-sample"

DEVELOPERS = {
    "fronted participle": (
        "Harbour model\n\nDeveloped by Ann Example in the 1980s, the Harbour model holds that worry is learned.\n",
        [("modality/harbour-model", "developedBy", ANN), ("modality/harbour-model", "introduced", "1980s")],
    ),
    "two developers, acronym object, purpose": (
        "Lantern Therapy\n\nAnn Example and Greta Sample developed Lantern Therapy (LT) to treat insomnia.\n",
        [(LANTERN, "developedBy", ANN), (LANTERN, "developedBy", GRETA),
         (LANTERN, "addressesCondition", "condition/insomnia")],
    ),
    "label line with a colon": (
        "Lantern Therapy\n\nDeveloped by: Ann Example\nYear: 1994\n\nA short therapy for sleep problems.\n",
        [(LANTERN, "developedBy", ANN), (LANTERN, "introduced", "1994")],
    ),
    "label line with a dash": (
        "Lantern Therapy\n\nFounder - Ann Example\n\nA short therapy for sleep problems.\n",
        [(LANTERN, "developedBy", ANN)],
    ),
    "pioneered by": (
        "Lantern Therapy\n\nLantern therapy was pioneered by Ann Example.\n", [(LANTERN, "developedBy", ANN)],
    ),
    "originated with": (
        "Lantern Therapy\n\nThe method originated with Ann Example, a sleep researcher.\n",
        [(LANTERN, "developedBy", ANN)],
    ),
    "the brainchild of": (
        "Lantern Therapy\n\nLantern therapy is the brainchild of Ann Example.\n", [(LANTERN, "developedBy", ANN)],
    ),
    "possessive": (
        "Sleep treatments\n\nAnn Example's Lantern therapy pairs light exposure with talk.\n",
        [(LANTERN, "developedBy", ANN)],
    ),
    "surname alone after the full name": (
        "Lantern Therapy\n\nAnn Example studied sleep for twenty years. In 1994 Example created Lantern therapy.\n",
        [(LANTERN, "developedBy", ANN), (LANTERN, "introduced", "1994")],
    ),
    "a title before the name": (
        "Lantern Therapy\n\nLantern therapy was created by Dr. Ann Example and Prof. Greta Sample.\n",
        [(LANTERN, "developedBy", ANN), (LANTERN, "developedBy", GRETA)],
    ),
    "a plural title and an apposition before the fronted participle's subject": (
        "Lantern Therapy\n\nDeveloped by Drs. Ann Example and Greta Sample, the sleep researchers who founded the "
        "Lantern Institute, the method grew out of a long research programme.\n",
        [(LANTERN, "developedBy", ANN), (LANTERN, "developedBy", GRETA)],
    ),
    "credited as a founder, without 'as'": (
        "Lantern therapy\n\nLantern therapy is a discipline.\n\nIn Britain, the painter Ann Example is generally "
        "credited as a founder of Lantern therapy. Greta Sample is considered the founder of Lantern therapy too.\n",
        [(LANTERN, "developedBy", ANN), (LANTERN, "developedBy", GRETA)],
    ),
    "developers with places and teams between them, and 'and, later,'": (
        "Lantern Therapy\n\nIt was pioneered by Ann Example in South Africa, Greta Sample (1916-1997) and her "
        "colleagues at the Harbour Hospital in London, and Bob Sample and his students in the United States. In "
        "the United States it was developed further by Rollo Example and, later, Irvin Sample.\n",
        [(LANTERN, "developedBy", ANN), (LANTERN, "developedBy", GRETA),
         (LANTERN, "developedBy", "theorist/robert-sample"), (LANTERN, "developedBy", "theorist/rollo-example"),
         (LANTERN, "developedBy", "theorist/irvin-sample")],
    ),
    "a developer with a 'then a student' aside; 'They' then speaks of the pair's approach": (
        "Lantern Therapy\n\nLantern therapy was created by Ann Example, then a student, and Greta Sample, a "
        "linguist. They borrowed heavily from Gestalt therapy, the approach founded by Fritz Perls, and from "
        "Ericksonian hypnotherapy, pioneered by the psychiatrist Milton H. Erickson.\n",
        [(LANTERN, "developedBy", ANN), (LANTERN, "developedBy", GRETA),
         (LANTERN, "derivedFrom", "modality/gestalt-therapy"),
         (LANTERN, "derivedFrom", "modality/ericksonian-hypnotherapy")],
    ),
    "a theory that led to the approach": (
        "Lantern Therapy\n\nAnn Example proposed the light-anchor hypothesis. The theory developed by Example and "
        "colleagues led to the emergence of Lantern therapy (LT).\n",
        [(LANTERN, "developedBy", ANN)],
    ),
}


@pytest.mark.parametrize("name", list(DEVELOPERS))
def test_developer_phrasings(tmp_path: Path, resolver: PageResolver, name: str) -> None:
    text, wanted = DEVELOPERS[name]
    check(read(tmp_path, resolver, text, resolve=False), wanted)


# ---- item 3: names in any script, with particles, hyphens and apostrophes -------------------------------------------

@pytest.mark.parametrize(
    ("name", "person"),
    [
        ("Sándor Ferenczi", "theorist/sandor-ferenczi"),
        ("Cloé Madanes", "theorist/cloe-madanes"),
        ("Bessel van der Kolk", "theorist/bessel-van-der-kolk"),
        ("Anne-Marie Duval", "theorist/anne-marie-duval"),
        ("Seán O'Connell", "theorist/sean-oconnell"),
        ("Émile Ørsted", "theorist/emile-orsted"),
        ("Dr. Susan (Sue) Example", "theorist/susan-example"),
        ("G. L. Harrington", "theorist/g-l-harrington"),
        ("Zofia Łukasiewicz", "theorist/zofia-lukasiewicz"),
    ],
)
def test_names_with_diacritics_particles_hyphens_and_apostrophes(
    tmp_path: Path, resolver: PageResolver, name: str, person: str
) -> None:
    text = f"Lantern Therapy\n\nLantern therapy was developed by {name} in 1994.\n"
    check(read(tmp_path, resolver, text, resolve=False), [(LANTERN, "developedBy", person)])


# ---- item 4: introduction years, and the years that are not ------------------------------------------------------

YEARS = {
    "fronted year": ("In 1987, psychologist Ann Example noticed that light calmed her patients.", "1987"),
    "since a decade": ("Lantern therapy has been in use since the late 1980s.", "1980s"),
    "decade with an apostrophe": ("Lantern therapy was first described by Ann Example in the 1970's.", "1970s"),
    "first target group": ("In the 1990s the first target group of Lantern therapy was shift workers.", "1990s"),
    "a fronted decade, then the developer's surname and 'began'": (
        "Lantern therapy originated with Ann Example. In the 1970s Example began to\nnotice that dreams mirrored "
        "bodies.", "1970s"),
    "a 'Formulated:' label line": ("- **Developed by:** Ann Example\n- **Formulated:** mid-1980s, when Example "
                                   "brought her findings together (Example, 1985)", "1980s"),
}


@pytest.mark.parametrize("name", list(YEARS))
def test_introduction_years(tmp_path: Path, resolver: PageResolver, name: str) -> None:
    sentence, year = YEARS[name]
    found = read(tmp_path, resolver, f"Lantern Therapy\n\n{sentence}\n", resolve=False)
    check(found, [(LANTERN, "introduced", year)])


NOT_YEARS = {
    "life dates": "Lantern therapy was developed by Ann Example (1907-1990).",
    "a citation": "Lantern therapy helps with insomnia (Example, 1995).",
    "a publication": "Ann Example described Lantern therapy in her 2001 book on sleep.",
    "a renaming": "Lantern therapy was renamed in 2004 after a long debate.",
}


@pytest.mark.parametrize("name", list(NOT_YEARS))
def test_years_that_are_not_introduction_years(tmp_path: Path, resolver: PageResolver, name: str) -> None:
    found = read(tmp_path, resolver, f"Lantern Therapy\n\n{NOT_YEARS[name]}\n", resolve=False)
    assert not [t for t in found if t[1] == "introduced"], sorted(found)


# ---- item 5: conditions and populations -------------------------------------------------------------------------

USES = {
    "purpose in prose": (
        "Lantern Therapy\n\nAnn Example developed Lantern therapy to treat alcohol dependence.\n", ".txt",
        [(LANTERN, "addressesCondition", "condition/alcohol-dependence")],
    ),
    "a list after a colon": (
        "Lantern Therapy\n\nLantern therapy is helpful for: insomnia, depression and panic disorder.\n", ".txt",
        [(LANTERN, "addressesCondition", "condition/insomnia"), (LANTERN, "addressesCondition", "condition/depression"),
         (LANTERN, "addressesCondition", "condition/panic-disorder")],
    ),
    "bullets": (
        "Lantern Therapy\n\nLantern therapy can help with:\n\n- Insomnia\n- Nightmares\n- Jet lag\n", ".txt",
        [(LANTERN, "addressesCondition", "condition/insomnia"), (LANTERN, "addressesCondition", "condition/nightmares"),
         (LANTERN, "addressesCondition", "condition/jet-lag")],
    ),
    "<br> lines in HTML": (
        "<html><body><h1>Lantern Therapy</h1><p>Lantern therapy is especially helpful for:<br>Depression<br>"
        "Psychosis<br>Insomnia</p></body></html>", ".html",
        [(LANTERN, "addressesCondition", "condition/depression"),
         (LANTERN, "addressesCondition", "condition/psychosis"),
         (LANTERN, "addressesCondition", "condition/insomnia")],
    ),
    "clients facing ..., including": (
        "Lantern Therapy\n\nLantern therapy is used with clients facing grief, including anxiety and depression.\n",
        ".txt",
        [(LANTERN, "addressesCondition", "condition/anxiety"), (LANTERN, "addressesCondition", "condition/depression")],
    ),
    "unlisted conditions coordinated with a known one": (
        "Lantern Therapy\n\nLantern therapy helps adults with attachment wounds, depression and night terrors. "
        "It also suits people with exhaustion, including burnout.\n", ".txt",
        [(LANTERN, "addressesCondition", "condition/attachment-wounds"),
         (LANTERN, "addressesCondition", "condition/depression"),
         (LANTERN, "addressesCondition", "condition/night-terrors"),
         (LANTERN, "addressesCondition", "condition/exhaustion"),
         (LANTERN, "addressesCondition", "condition/burnout")],
    ),
    "<br> lines under a who-we-serve heading": (
        "<html><body><h1>Lantern Therapy</h1><p>Lantern therapy is play-based.</p><h2>Who we serve</h2>"
        "<p>Children with autism spectrum disorder<br>Adolescents with autism who want support<br>Book a first "
        "session</p></body></html>", ".html",
        [(LANTERN, "servesPopulation", "population/children"), (LANTERN, "servesPopulation", "population/adolescents"),
         (LANTERN, "addressesCondition", "condition/autism-spectrum-disorder")],
    ),
    "a directory's name is not the topic": (
        "CareFinder Therapy Directory\n\nBrowse by approach > Lantern Therapy\n\nLANTERN THERAPY\n\n"
        "Suitable for: women and men\n\nLantern therapy is a coping-skills model for people with insomnia. "
        "Lantern therapy is built on cognitive behavioral therapy (CBT).\n", ".txt",
        [(LANTERN, "servesPopulation", "population/women"), (LANTERN, "servesPopulation", "population/men"),
         (LANTERN, "addressesCondition", "condition/insomnia")],
    ),
    "glossary entries each speak for their own term": (
        "# Glossary of behavioural terms\n\n**Shaping**\nReinforcing successive approximations of a behaviour.\n\n"
        "**Harbour desensitisation** (abbr. HD)\nA type of behaviour therapy in which a feared stimulus is approached "
        "step by step. Ann Example began developing the method in the 1950s.\n\n"
        "**Lantern well-being (LWB)**\n: A multidimensional model of positive functioning proposed by the "
        "psychologist Carol Ryff in 1989.\n", ".md",
        [("modality/harbour-desensitisation", "subtypeOf", "modality/behavior-therapy"),  # unresolved spelling
         ("modality/harbour-desensitisation", "developedBy", "theorist/ann-example"),
         ("modality/harbour-desensitisation", "introduced", "1950s"),
         ("theory/lantern-well-being", "developedBy", "theorist/carol-ryff"),
         ("theory/lantern-well-being", "introduced", "1989")],
    ),
    "an HTML definition list and dash entries": (
        "<html><body><h1>Glossary of family therapy terms</h1><dl><dt>Harbour desensitisation</dt><dd>A type of "
        "behaviour therapy in which fears are faced step by step.</dd><dt>Therapist</dt><dd>A person trained in "
        "psychotherapy.</dd></dl><p>Lantern model &ndash; an approach to couples work created by Bob Sample in "
        "1990.</p></body></html>", ".html",
        [("modality/harbour-desensitisation", "subtypeOf", "modality/behavior-therapy"),  # unresolved spelling
         ("modality/lantern-model", "developedBy", "theorist/robert-sample"),
         ("modality/lantern-model", "introduced", "1990")],
    ),
    "an untitled essay: its opening subject is the topic, a wrapped sentence no heading": (
        "Lantern theory asks a simple question: what\ndo we carry inside us of the people who raised us?\n\n"
        "Some of its themes had been anticipated by the Hungarian analyst\nAnn Example, but the theory took shape "
        "in\nBritain in the 1940s.\n", ".txt",
        [("theory/lantern-theory", "introduced", "1940s")],
    ),
    "a title's acronym carries the topic": (
        "<html><body><h1>Harbour &amp; Lantern Solutions (HLS)</h1><p>HLS is our main model. In early papers its "
        "developers described HLS as a form of cognitive-behavioural therapy; the model blends developmental theory "
        "and social learning theory.</p><h2>Who we offer HLS to</h2><p>We use HLS with:</p><p>children with "
        "anxiety<br>adolescents with low mood</p></body></html>", ".html",
        [("modality/harbour-lantern-solutions", "subtypeOf", "modality/cognitive-behavioral-therapy"),
         ("modality/harbour-lantern-solutions", "groundedIn", "theory/developmental-theory"),
         ("modality/harbour-lantern-solutions", "servesPopulation", "population/children")],
    ),
    "a list whose intro ends in citation markers (a wiki mirror)": (
        "Lantern therapy\n\nLantern therapy is a discipline.\n\nClinical studies describe its use with people "
        "experiencing:[8][9]\n* depression and anxiety\n* dementia\n", ".txt",
        [(LANTERN, "addressesCondition", "condition/depression"), (LANTERN, "addressesCondition", "condition/anxiety"),
         (LANTERN, "addressesCondition", "condition/dementia")],
    ),
    "people it is practised with, a worker's adverb, an adjective after 'and'": (
        "Lantern therapy\n\nLantern therapy is a discipline. Besides individual work it is practised with couples. "
        "Our members work mainly with veterans, at every stage. Some apply it with parents and whole families.\n",
        ".txt",
        [(LANTERN, "servesPopulation", "population/couples"), (LANTERN, "servesPopulation", "population/veterans"),
         (LANTERN, "servesPopulation", "population/families")],
    ),
    "conditions named with their own modifier, and medical conditions of mind-body work": (
        "Lantern therapy\n\nLantern therapy is used to treat childhood trauma and traumatic stress. It helps people "
        "with chronic back pain, chronic primary pain, meaning pain that persists without a cause. It is used for "
        "fibromyalgia, arthritis, psoriasis, tension headache, menstrual migraine and high blood pressure.\n", ".txt",
        [(LANTERN, "addressesCondition", f"condition/{name}") for name in (
            "childhood-trauma", "traumatic-stress", "chronic-back-pain", "chronic-primary-pain", "fibromyalgia",
            "arthritis", "psoriasis",
            "tension-headache", "menstrual-migraine", "high-blood-pressure")],
    ),
    "a directory's 'Target population:' label line": (
        "Lantern therapy\n\nProgram: Lantern therapy\nTarget population: Adult offenders; juvenile offenders\n"
        "Developed by: Ann Example\n", ".txt",
        [(LANTERN, "servesPopulation", "population/adult-offenders"),
         (LANTERN, "servesPopulation", "population/juvenile-offenders")],
    ),
    "populations": (
        "Lantern Therapy\n\nLantern therapy was designed for adolescents and their parents, and later adapted for "
        "military veterans.\n", ".txt",
        [(LANTERN, "servesPopulation", "population/adolescents"), (LANTERN, "servesPopulation", "population/parents"),
         (LANTERN, "servesPopulation", "population/military-veterans")],
    ),
}


@pytest.mark.parametrize("name", list(USES))
def test_conditions_and_populations(tmp_path: Path, resolver: PageResolver, name: str) -> None:
    text, suffix, wanted = USES[name]
    check(read(tmp_path, resolver, text, suffix, resolve=False), wanted)


def test_br_lists_read_like_ul_lists(tmp_path: Path, resolver: PageResolver) -> None:
    head = "<html><body><h1>Lantern Therapy</h1><p>Lantern therapy is especially helpful for:"
    with_br = read(tmp_path, resolver, head + "<br>Depression<br>Psychosis</p></body></html>", ".html", False)
    with_ul = read(tmp_path, resolver, head + "</p><ul><li>Depression</li><li>Psychosis</li></ul></body></html>",
                   ".html", False)
    assert with_br == with_ul and (LANTERN, "addressesCondition", "condition/psychosis") in with_br


# ---- item 6: lineage ----------------------------------------------------------------------------------------------

LINEAGE = {
    "combines approaches": (
        "Lantern therapy combines psychoanalytic, humanistic and cognitive approaches.",
        [(LANTERN, "derivedFrom", "modality/psychoanalysis"),
         (LANTERN, "derivedFrom", "modality/humanistic-therapy"),
         (LANTERN, "derivedFrom", "modality/cognitive-therapy")],
    ),
    "an adaptation of, with adjectives between; a theory named by one school adjective and a weak head": (
        "Lantern therapy is a brief, structured adaptation of motivational interviewing. It also rests on the "
        "transtheoretical model, developed by Ann Example. Its roots lie in existential philosophy.",
        [(LANTERN, "derivedFrom", "modality/motivational-interviewing"),
         (LANTERN, "groundedIn", "theory/transtheoretical-model"),
         (LANTERN, "groundedIn", "theory/existential-philosophy")],
    ),
    "the principles of classical conditioning": (
        "Lantern therapy draws on the principles of classical conditioning.",
        [(LANTERN, "groundedIn", "theory/classical-conditioning")],
    ),
    "using the concepts of": (
        "Using the concepts of family systems theory, Ann Example built Lantern therapy.",
        [(LANTERN, "groundedIn", "theory/family-systems-theory")],
    ),
    "a form of an acronym": (
        "Lantern therapy is a form of CBT.",
        [(LANTERN, "subtypeOf", "modality/cognitive-behavioural-therapy")],
    ),
    "part of the third wave": (
        "Lantern therapy is part of the third wave of behaviour therapy.",
        [(LANTERN, "subtypeOf", "modality/behaviour-therapy")],
    ),
    "grew out of": (
        "Lantern therapy grew out of gestalt therapy.",
        [(LANTERN, "derivedFrom", "modality/gestalt-therapy")],
    ),
    "draws on": (
        "Lantern therapy draws on attachment theory.",
        [(LANTERN, "groundedIn", "theory/attachment-theory")],
    ),
}


@pytest.mark.parametrize("name", list(LINEAGE))
def test_lineage_phrasings(tmp_path: Path, resolver: PageResolver, name: str) -> None:
    sentence, wanted = LINEAGE[name]
    found = read(tmp_path, resolver, f"Lantern Therapy\n\n{sentence}\n")
    lantern = next(s for s, _p, _o in found if "lantern" in s)
    check({(LANTERN if s == lantern else s, p, o) for s, p, o in found}, wanted)


# ---- item 7: a relative clause about another approach -------------------------------------------------------------

def test_they_after_the_developers_is_not_a_person_named_later_in_the_sentence(
    tmp_path: Path, resolver: PageResolver
) -> None:
    found = read(tmp_path, resolver, DEVELOPERS["a developer with a 'then a student' aside; 'They' then speaks of the "
                 "pair's approach"][0], resolve=False)
    check(found, [], [("modality/ericksonian-hypnotherapy", "derivedFrom", "modality/gestalt-therapy")])


def test_trauma_in_a_services_name_or_as_the_event_lived_through_is_no_use(
    tmp_path: Path, resolver: PageResolver
) -> None:
    found = read(tmp_path, resolver, "Lantern Therapy\n\nJournal of Trauma Practice and Research\n\nLantern therapy "
                 "asks you to revisit memories of the trauma. Ask your doctor to refer you to the Anxiety & Trauma "
                 "Service. Lantern therapy treats depression.\n", resolve=False)
    check(found, [(LANTERN, "addressesCondition", "condition/depression")],
          [(LANTERN, "addressesCondition", "condition/trauma")])


def test_people_who_later_took_an_approach_up_and_conditions_in_an_organisations_name_are_no_facts(
    tmp_path: Path, resolver: PageResolver
) -> None:
    found = read(tmp_path, resolver, "Lantern Therapy\n\nLantern therapy was pioneered in Vienna by Ann Example, "
                 "one of the first analysts to work with children, and later taken up by Greta Sample. It was "
                 "tested in a trial funded by the National Institute on Alcohol Abuse and Alcoholism.\n",
                 resolve=False)
    check(found, [(LANTERN, "developedBy", ANN)],
          [(LANTERN, "developedBy", GRETA), (LANTERN, "addressesCondition", "condition/alcohol-abuse"),
           (LANTERN, "addressesCondition", "condition/alcoholism")])


def test_a_relative_clause_gives_its_developer_to_its_own_approach_only(tmp_path: Path, resolver: PageResolver) -> None:
    text = ("Lantern Therapy\n\nLantern therapy is grounded in attachment theory and draws on narrative therapy, "
            "which was developed by Ann Example.\n")
    found = read(tmp_path, resolver, text, resolve=False)
    check(
        found,
        [(LANTERN, "groundedIn", "theory/attachment-theory"), ("modality/narrative-therapy", "developedBy", ANN)],
        [(LANTERN, "developedBy", ANN), ("theory/attachment-theory", "developedBy", ANN)],
    )


def test_a_founder_named_for_another_approach_is_not_the_topics(tmp_path: Path, resolver: PageResolver) -> None:
    text = ("Lantern Therapy\n\nLantern therapy was developed by Greta Sample. Like schema therapy, whose founder "
            "Ann Example trained him, it looks at childhood patterns.\n")
    found = read(tmp_path, resolver, text, resolve=False)
    check(found, [(LANTERN, "developedBy", GRETA)], [(LANTERN, "developedBy", ANN)])


# ---- more phrasings, and sentences that must give nothing ---------------------------------------------------------

PHRASINGS = {
    "a relative clause after the person": (
        "Ann Example (1921–2001) was an American psychiatrist who created Lantern therapy in 1964.",
        [(LANTERN, "developedBy", ANN), (LANTERN, "introduced", "1964")], [],
    ),
    "a list of developers closed by a comma": (
        "The authors, Ann Example, Greta Sample and Cara Sample, developed Lantern therapy in the 1990s.",
        [(LANTERN, "developedBy", ANN), (LANTERN, "developedBy", GRETA),
         (LANTERN, "developedBy", "theorist/cara-sample")], [],
    ),
    "an appositive naming a teacher": (
        "Ann Example, a student of Fritz Perls, created Lantern therapy.",
        [(LANTERN, "developedBy", ANN)], [(LANTERN, "developedBy", "theorist/fritz-perls")],
    ),
    "came up with": (
        "Ann Example came up with Lantern therapy while working with night-shift nurses in the 1970s.",
        [(LANTERN, "developedBy", ANN), (LANTERN, "introduced", "1970s")], [],
    ),
    "before creating": (
        "Ann Example trained with Carl Rogers before creating Lantern therapy.",
        [(LANTERN, "developedBy", ANN)], [(LANTERN, "developedBy", "theorist/carl-rogers")],
    ),
    "the founder of": (
        "Ann Example, the founder of Lantern therapy, trained in Vienna.", [(LANTERN, "developedBy", ANN)], [],
    ),
    "roots that lie in": (
        "The roots of Lantern therapy lie in psychoanalysis.",
        [(LANTERN, "derivedFrom", "modality/psychoanalysis")], [],
    ),
    "an offshoot": (
        "Lantern therapy is an offshoot of gestalt therapy.",
        [(LANTERN, "derivedFrom", "modality/gestalt-therapy")], [(LANTERN, "subtypeOf", "modality/gestalt-therapy")],
    ),
    "an integration of": (
        "Lantern therapy is an integration of CBT and mindfulness practices.",
        [(LANTERN, "derivedFrom", "modality/cognitive-behavioural-therapy")], [],
    ),
    "influenced by": (
        "Lantern therapy was influenced by Buddhist meditation and by acceptance and commitment therapy.",
        [(LANTERN, "derivedFrom", "modality/acceptance-and-commitment-therapy")], [],
    ),
    "a comparison in an aside": (
        "Lantern therapy, like mindfulness-based cognitive therapy, was developed by Ann Example.",
        [(LANTERN, "developedBy", ANN)], [("modality/mindfulness-based-cognitive-therapy", "developedBy", ANN)],
    ),
    "an influence is not a developer": (
        "Lantern therapy builds on the work of Carl Rogers.", [], [(LANTERN, "developedBy", "theorist/carl-rogers")],
    ),
    "an institute's founding": (
        "The Lantern Therapy Institute was founded in 2003 by Ann Example.", [],
        [(LANTERN, "developedBy", ANN), (LANTERN, "introduced", "2003")],
    ),
    "a clinic's own start": (
        "In 2015 our clinic started offering Lantern therapy.", [], [(LANTERN, "introduced", "2015")],
    ),
    "a negated kind": (
        "Lantern therapy is not a form of CBT.", [],
        [(LANTERN, "subtypeOf", "modality/cognitive-behavioural-therapy")],
    ),
    "a contraindication": (
        "Lantern therapy is not recommended for people with psychosis.", [],
        [(LANTERN, "addressesCondition", "condition/psychosis")],
    ),
    "a critic": (
        "Critics such as Greta Sample argue that Lantern therapy lacks evidence.", [],
        [(LANTERN, "developedBy", GRETA)],
    ),
    "a pronoun is the person the last sentence was about": (
        "Ann Example's Lantern therapy grew out of gestalt therapy, but she reframed it through the psychodrama of "
        "Jacob Moreno. She developed the method during the late 1950s.",
        [(LANTERN, "developedBy", ANN), (LANTERN, "introduced", "1950s"),
         (LANTERN, "derivedFrom", "modality/gestalt-therapy")],
        [(LANTERN, "developedBy", "theorist/jacob-moreno")],
    ),
    "the approach of a person": (
        "Lantern therapy draws on the logotherapy of Viktor Frankl.",
        [(LANTERN, "derivedFrom", "modality/logotherapy"), ("modality/logotherapy", "developedBy",
                                                              "theorist/viktor-frankl")],
        [(LANTERN, "developedBy", "theorist/viktor-frankl")],
    ),
    "a person's lineage speaks for the approach they developed": (
        "Ann Example developed Lantern therapy. Example also drew on personal construct theory.",
        [(LANTERN, "groundedIn", "theory/personal-construct-theory")], [],
    ),
    "a theory of a person, named in full": (
        "Lantern therapy rests on the social-ecological theory of Urie Bronfenbrenner.",
        [(LANTERN, "groundedIn", "theory/social-ecological-theory"),
         ("theory/social-ecological-theory", "developedBy", "theorist/urie-bronfenbrenner")], [],
    ),
    "the second founder": (
        "Ann Example began it. The second founder was Greta Sample, also trained as a psychoanalyst.",
        [(LANTERN, "developedBy", "theorist/greta-sample")], [],
    ),
    "a one-word body of theory, drawn on by both versions": (
        "Both versions draw on phenomenology and on cybernetics.",
        [(LANTERN, "groundedIn", "theory/phenomenology"), (LANTERN, "groundedIn", "theory/cybernetics")], [],
    ),
    "a statement ending in a question after a colon": (
        "Yet it was the first systematic form of existential psychotherapy, and it still asks a question most "
        "therapies skip: before we treat a person, what do we take a human being to be?",
        [(LANTERN, "subtypeOf", "modality/existential-therapy")], [],
    ),
    "a rethinking of another approach": (
        "Ann Example developed Lantern therapy. Example's project was an existential rethinking of psychoanalysis.",
        [(LANTERN, "derivedFrom", "modality/psychoanalysis")], [],
    ),
    "a person proposed an adjective-led theory, and the approach rests on that theory": (
        "In the 1970s Peter Lewinsohn proposed a behavioural theory of depression. Lantern therapy still rests on "
        "that theory.",
        [("theory/behavioral-theory-of-depression", "developedBy", "theorist/peter-lewinsohn"),
         (LANTERN, "groundedIn", "theory/behavioral-theory-of-depression")], [],
    ),
    "became a therapy in its own right": (
        "Its roots go back to Greek philosophy. Lantern therapy became a therapy in its own right in 1996.",
        [(LANTERN, "introduced", "1996")], [],
    ),
    "a programme that a person set up, and a model worked out with a colleague": (
        "Lantern therapy is modelled on mindfulness-based stress reduction (MBSR), the programme that Jon "
        "Kabat-Zinn set up in 1979. It rests on the Harbour framework, a model that Ann Example worked out "
        "together with Greta Sample.",
        [("modality/mindfulness-based-stress-reduction", "developedBy", "theorist/jon-kabat-zinn"),
         ("theory/harbour-framework", "developedBy", ANN), ("theory/harbour-framework", "developedBy", GRETA)],
        [(LANTERN, "developedBy", ANN)],
    ),
    "a model a person developed, with no relative pronoun; people named by ethnicity": (
        "Ann Example's team blended structural family therapy, the model Salvador Minuchin developed, with ideas "
        "from strategic family therapy. Lantern therapy was first tested with Hispanic families.",
        [("modality/structural-family-therapy", "developedBy", "theorist/salvador-minuchin"),
         (LANTERN, "servesPopulation", "population/hispanic-families")],
        [("modality/structural-family-therapy", "developedBy", ANN)],
    ),
    "a pronoun's lineage, and techniques combined with those of another approach": (
        "Ann Example developed Lantern therapy. She combined techniques from play therapy with those of "
        "behaviour therapy.",
        [(LANTERN, "derivedFrom", "modality/play-therapy"), (LANTERN, "derivedFrom", "modality/behaviour-therapy")],
        [],
    ),
    "the founder of an institute named after the approach, and a family that includes someone's work": (
        "Lantern therapy is a form of psychodynamic therapy, a family that also includes the work of David Malan. "
        "Greta Sample, who founded the Lantern Therapy Institute, writes books.",
        [(LANTERN, "subtypeOf", "modality/psychodynamic-psychotherapy")],
        [(LANTERN, "developedBy", "theorist/david-malan"), (LANTERN, "developedBy", GRETA)],
    ),
    "a two-word theory of, and a year that belongs to a manual": (
        "Lantern therapy rests on Jean Piaget's theory of cognitive development. The publication of DSM-III in "
        "1980, which introduced dysthymia, helped it.",
        [(LANTERN, "groundedIn", "theory/theory-of-cognitive-development"),
         ("theory/theory-of-cognitive-development", "developedBy", "theorist/jean-piaget")],
        [(LANTERN, "introduced", "1980")],
    ),
    "the psychotherapy of a person described by their roles": (
        "Lantern therapy, the light-centred psychotherapy of the Viennese neurologist and psychiatrist Ann Example, "
        "is often introduced through a book. The word Lantern therapy appeared for the first time in 1926.",
        [(LANTERN, "developedBy", ANN), (LANTERN, "introduced", "1926")], [],
    ),
    "a wife named in apposition, and a pioneer of another approach": (
        "Carl Sample and his wife, Greta Sample, went on to develop Lantern therapy together, and Carl Sample is also "
        "regarded as one of the pioneers of group psychotherapy. Psychodramatists date its birth to 1921.",
        [(LANTERN, "developedBy", "theorist/carl-sample"), (LANTERN, "developedBy", GRETA),
         ("modality/group-psychotherapy", "developedBy", "theorist/carl-sample"), (LANTERN, "introduced", "1921")],
        [],
    ),
    "a relative clause after 'a form of' belongs to the named form": (
        "The Harbour Model, a trauma-focused form of Lantern therapy that Greta Sample developed during the 1990s, "
        "adds safety steps.",
        [("modality/harbour-model", "developedBy", GRETA), ("modality/harbour-model", "subtypeOf", LANTERN)],
        [(LANTERN, "developedBy", GRETA)],
    ),
    "joined elements of two approaches to create a third, one of them devised by someone else": (
        "The writer Carl Sample joined elements of Morita therapy with Naikan, the self-reflection method that "
        "Ishin Yoshimoto devised in the 1940s, to create Lantern therapy. Naikan was founded in 1940 by Yoshimoto.",
        [(LANTERN, "developedBy", "theorist/carl-sample"), (LANTERN, "derivedFrom", "modality/morita-therapy"),
         (LANTERN, "derivedFrom", "modality/naikan"), ("modality/naikan", "developedBy", "theorist/ishin-yoshimoto")],
        [(LANTERN, "developedBy", "theorist/ishin-yoshimoto"), (LANTERN, "introduced", "1940s")],
    ),
    "one of the creative arts therapies; an organisation's name is no person": (
        "Lantern therapy is one of the creative arts therapies. The National Institute for Health and Care "
        "Excellence recommends Lantern therapy for people with psychosis.",
        [(LANTERN, "subtypeOf", "modality/creative-arts-therapy"), (LANTERN, "addressesCondition",
                                                                     "condition/psychosis")],
        [(LANTERN, "developedBy", "theorist/care-excellence")],
    ),
    "the version that two people adapted, and a person who adapted the parent": (
        "Our teen track uses the Harbour Model, the version of the program that Ann Example and Greta Sample adapted "
        "from Lantern therapy. Carl Sample adapted Lantern therapy for older adults.",
        [("modality/harbour-model", "developedBy", ANN), ("modality/harbour-model", "developedBy", GRETA)],
        [(LANTERN, "developedBy", "theorist/carl-sample"), (LANTERN, "developedBy", ANN)],
    ),
    "its chief architect; a founded institute's year; a person's version took shape": (
        "Its chief architect was Ann Example. She and Greta Sample founded the Lantern Therapy Institute in 1976. "
        "Example's version of Lantern therapy took shape in the late 1970s.",
        [(LANTERN, "developedBy", ANN), (LANTERN, "introduced", "1970s")], [(LANTERN, "introduced", "1976")],
    ),
    "radical behaviourism and a theory of an -ism": (
        "Lantern therapy rests on radical behaviourism and on Mikhail Bakhtin's theory of dialogism.",
        [(LANTERN, "groundedIn", "theory/radical-behaviorism"), (LANTERN, "groundedIn", "theory/dialogism"),
         ("theory/dialogism", "developedBy", "theorist/mikhail-bakhtin")], [],
    ),
    "an acronym defined by an appositive after it": (
        "You may also hear about HWT, the Harbour Wellness Training. HWT is built on Lantern therapy.",
        [("modality/harbour-wellness-training", "derivedFrom", LANTERN)], [],
    ),
    "a verb phrase coordinated with a condition is no condition": (
        "Lantern therapy is used for depression and makes sessions shorter, and it treats anxiety or other problems.",
        [(LANTERN, "addressesCondition", "condition/depression"), (LANTERN, "addressesCondition", "condition/anxiety")],
        [(LANTERN, "addressesCondition", "condition/makes-sessions-shorter"),
         (LANTERN, "addressesCondition", "condition/other-problems")],
    ),
    "a pronoun says what kind of therapy the topic is": (
        "Lantern therapy helps people notice their feelings. It is a humanistic therapy: it combines person-centred "
        "therapy with techniques borrowed from Gestalt therapy.",
        [(LANTERN, "subtypeOf", "modality/humanistic-therapy"), (LANTERN, "derivedFrom", "modality/gestalt-therapy")],
        [],
    ),
    "co-developers after the developer's affiliation": (
        "Lantern therapy was developed by Ann Example of York University in Toronto, working with Bob Sample and "
        "Cara Test, in the late 1980s.",
        [(LANTERN, "developedBy", "theorist/ann-example"), (LANTERN, "developedBy", "theorist/cara-test"),
         (LANTERN, "introduced", "1980s")], [],
    ),
    "a shared head word in a coordinated list": (
        "Lantern therapy is used for mood and anxiety disorders.",
        [(LANTERN, "addressesCondition", "condition/mood-disorders"),
         (LANTERN, "addressesCondition", "condition/anxiety-disorders")],
        [(LANTERN, "addressesCondition", "condition/mood")],
    ),
    "a list opened by the paragraph's last sentence belongs to its subject": (
        "Unlike DBT, Lantern therapy treats loneliness as the core problem. The approach is used with clients whose "
        "difficulties include:\n\n- chronic depression\n- anorexia nervosa",
        [(LANTERN, "addressesCondition", "condition/chronic-depression"),
         (LANTERN, "addressesCondition", "condition/anorexia-nervosa")],
        [("modality/dialectical-behaviour-therapy", "addressesCondition", "condition/anorexia-nervosa")],
    ),
    "a blog's byline gives nothing": (
        "Posted by Sam Okafor · 9 min read · Tags: insomnia, CBT\n\nLantern therapy is a talking therapy.",
        [], [(LANTERN, "addressesCondition", "condition/insomnia")],
    ),
    "a model or theory named by its 'of' phrase": (
        "Lantern therapy is built on the cognitive model of PTSD and on Freud's theory of the unconscious; it rests "
        "on Kernberg's object relations model of personality organization.",
        [(LANTERN, "groundedIn", "theory/cognitive-model-of-ptsd"),
         (LANTERN, "groundedIn", "theory/theory-of-the-unconscious"),
         ("theory/theory-of-the-unconscious", "developedBy", "theorist/sigmund-freud"),
         (LANTERN, "groundedIn", "theory/object-relations-model-of-personality-organization")],
        [(LANTERN, "groundedIn", "theory/cognitive-theory")],
    ),
    "an appositive with a condition, then 'that' and two developers": (
        "Lantern therapy is often confused with interpersonal psychotherapy (IPT), the brief treatment for depression "
        "that Gerald Klerman and Myrna Weissman developed.",
        [("modality/interpersonal-psychotherapy", "developedBy", "theorist/gerald-klerman"),
         ("modality/interpersonal-psychotherapy", "developedBy", "theorist/myrna-weissman")],
        [(LANTERN, "developedBy", "theorist/gerald-klerman")],
    ),
    "co-developers after an appositive with a comma inside": (
        "Lantern therapy was developed by Dr. Ann Example, a professor at the University of Nevada, Reno, together "
        "with Greta Sample.",
        [(LANTERN, "developedBy", ANN), (LANTERN, "developedBy", GRETA)], [],
    ),
    "foundations in a theory 'of' its author and in another": (
        "Its theoretical foundations lie in the interpersonal theory of Harry Stack Sullivan and in attachment theory.",
        [(LANTERN, "groundedIn", "theory/interpersonal-theory"), (LANTERN, "groundedIn", "theory/attachment-theory")],
        [],
    ),
    "adaptations listed, and adapted 'as' a named version": (
        "Important adaptations include beacon rhythm therapy (BRT), designed for adolescents. Lantern therapy has "
        "been adapted for work with whole families as Family Harbour Therapy (FHT).",
        [("modality/beacon-rhythm-therapy", "derivedFrom", LANTERN),
         ("modality/family-harbour-therapy", "derivedFrom", LANTERN)], [],
    ),
    "takes ideas from other approaches; adapted from an earlier treatment named after a comma": (
        "Lantern therapy takes mindfulness and defusion from acceptance and commitment therapy (ACT). It was adapted "
        "from an earlier treatment, narrative therapy, in the 1990s.",
        [(LANTERN, "derivedFrom", "modality/acceptance-and-commitment-therapy"),
         (LANTERN, "derivedFrom", "modality/narrative-therapy")], [],
    ),
    "origins, roots and debts name parents; 'the work of' after them names no developer": (
        "Lantern therapy traces its origins to psychoanalysis and owes much to narrative therapy. It has roots in "
        "attachment theory. It has its origins in the work of Carl Rogers.",
        [(LANTERN, "derivedFrom", "modality/psychoanalysis"), (LANTERN, "derivedFrom", "modality/narrative-therapy"),
         (LANTERN, "groundedIn", "theory/attachment-theory")],
        [(LANTERN, "developedBy", "theorist/carl-rogers")],
    ),
    "'X is a <named approach> developed by Y' credits X, which is a kind of the named one": (
        "Lantern therapy is an integrative psychotherapy created by the psychologist Ann Example.",
        [(LANTERN, "developedBy", ANN), (LANTERN, "subtypeOf", "modality/integrative-psychotherapy")],
        [("modality/integrative-psychotherapy", "developedBy", ANN)],
    ),
    "a developer with a 'who' clause naming another approach": (
        "Ann Example, who trained in cognitive therapy, developed Lantern therapy.",
        [(LANTERN, "developedBy", ANN)], [("modality/cognitive-therapy", "developedBy", ANN)],
    ),
    "a year in brackets after an approach's name, not after a person's": (
        "Lantern therapy (since 1982) sits beside transactional analysis (1958). Ann Example (1907-1990) taught it.",
        [(LANTERN, "introduced", "1982"), ("modality/transactional-analysis", "introduced", "1958")],
        [(LANTERN, "introduced", "1907")],
    ),
    "a year after a book title or a society named after an approach dates neither": (
        "Ann Example's book Keys to Narrative Therapy (1985) sold well. She later opened the Swiss Society for "
        "Daseinsanalysis (1970).",
        [], [("modality/narrative-therapy", "introduced", "1985"), ("modality/daseinsanalysis", "introduced", "1970")],
    ),
    "a passive interrupted by commas": (
        "Lantern therapy is named after, and was developed by, the psychiatrist Dr. Ann Example (1901-1980).",
        [(LANTERN, "developedBy", ANN)], [],
    ),
    "what a person created is an approach, not a person": (
        "Lantern therapy was developed by Ann Example. She created Harbour Work, which grew out of Lantern therapy.",
        [(LANTERN, "developedBy", ANN), ("modality/harbour-work", "developedBy", ANN)],
        [(LANTERN, "developedBy", "theorist/harbour-work")],
    ),
    "an appositive names another approach's developer": (
        "Lantern therapy adapts dialectical behavior therapy (DBT), the skills-based treatment Marsha Linehan created "
        "for borderline personality disorder. Person-centred therapy is the approach Carl Rogers founded.",
        [("modality/dialectical-behaviour-therapy", "developedBy", "theorist/marsha-linehan"),
         ("modality/person-centred-therapy", "developedBy", "theorist/carl-rogers")],
        [(LANTERN, "developedBy", "theorist/marsha-linehan"), (LANTERN, "developedBy", "theorist/carl-rogers")],
    ),
    "developers each with an appositive": (
        "Lantern therapy was worked out in the 1960s by Robert Goulding, a psychiatrist, and Mary McClure Goulding, a "
        "social worker, who met in 1962.",
        [(LANTERN, "developedBy", "theorist/robert-goulding"), (LANTERN, "developedBy", "theorist/mary-goulding"),
         (LANTERN, "introduced", "1960s")], [(LANTERN, "introduced", "1962")],
    ),
    "an idea put forward by someone is not the approach's origin": (
        "Lantern therapy grew out of the life review, an idea put forward by the psychiatrist Robert Butler in 1963.",
        [], [(LANTERN, "developedBy", "theorist/robert-butler")],
    ),
    "a learning principle as the theory an approach rests on": (
        "Like its parent approach, Lantern therapy is based on operant conditioning.",
        [(LANTERN, "groundedIn", "theory/operant-conditioning")], [],
    ),
    "a person named as its founding figure": (
        "Lantern therapy took shape in Britain in the 1940s. Ann Example (1882–1960) is usually named as its "
        "founding figure.",
        [(LANTERN, "developedBy", "theorist/ann-example"), (LANTERN, "introduced", "1940s")], [],
    ),
    "the rest of an institution's name is no person": (
        "Lantern therapy was developed at Weill Cornell Medical College in New York by Ann Example.",
        [(LANTERN, "developedBy", "theorist/ann-example")], [(LANTERN, "developedBy", "theorist/weill-cornell")],
    ),
    "recurrent and minor depression keep their specifier": (
        "Lantern therapy is used for minor depression and to prevent relapse in recurrent depression.",
        [(LANTERN, "addressesCondition", "condition/minor-depression"),
         (LANTERN, "addressesCondition", "condition/recurrent-depression")], [],
    ),
    "offered to people": (
        "We offer Lantern therapy to adults, couples and teenagers.",
        [(LANTERN, "servesPopulation", "population/adults"), (LANTERN, "servesPopulation", "population/couples")], [],
    ),
    "an aside between the year and the person of an origin story": (
        "Lantern therapy was developed by the psychologist Ann Example. In 1987, while out on a walk, she noticed "
        "that looking at a lantern calmed her.",
        [(LANTERN, "introduced", "1987")], [],
    ),
    "studies examined the approach for a condition": (
        "Controlled studies have examined lantern therapy mainly for depression and for interpersonal problems.",
        [(LANTERN, "addressesCondition", "condition/depression"),
         (LANTERN, "addressesCondition", "condition/interpersonal-problems")], [],
    ),
    "conditions listed in brackets after a condition": (
        "Lantern therapy is used for anxiety disorders (panic disorder, generalized anxiety disorder, social "
        "anxiety) and depression.",
        [(LANTERN, "addressesCondition", "condition/anxiety-disorders"),
         (LANTERN, "addressesCondition", "condition/panic-disorder"),
         (LANTERN, "addressesCondition", "condition/generalized-anxiety-disorder"),
         (LANTERN, "addressesCondition", "condition/depression")], [],
    ),
    "a bracket after a condition that is an aside, not a list": (
        "Lantern therapy is used for depression (the first trial ran in Leeds).",
        [(LANTERN, "addressesCondition", "condition/depression")],
        [(LANTERN, "addressesCondition", "condition/the-first-trial")],
    ),
    "two developers after a colon, each with a long appositive": (
        "It was created in 2010 by two people: Dr. Ann Example, a psychologist at the University of Leeds who has "
        "spent her career researching kindness, and Dr. Greta Sample, a clinical psychologist in York.",
        [(LANTERN, "developedBy", "theorist/ann-example"), (LANTERN, "developedBy", "theorist/greta-sample"),
         (LANTERN, "introduced", "2010")], [],
    ),
    "co-developers after 'together with' and a plural role": (
        "Lantern therapy was worked out in the 1970s by psychiatrist Ann Example together with psychologists Greta "
        "Sample, Bob Sample and Ida Example.",
        [(LANTERN, "developedBy", "theorist/greta-sample"), (LANTERN, "developedBy", "theorist/ida-example")], [],
    ),
    "a focus on people, and applying it with people": (
        "Its traditional focus was on women; practitioners now also apply lantern therapy with couples and families.",
        [(LANTERN, "servesPopulation", "population/women"), (LANTERN, "servesPopulation", "population/couples")], [],
    ),
    "an adverb inside a lineage phrase": (
        "Lantern therapy builds directly on cognitive therapy and grew largely out of psychodrama.",
        [(LANTERN, "derivedFrom", "modality/cognitive-therapy"), (LANTERN, "derivedFrom", "modality/psychodrama")], [],
    ),
    "a newer model of an approach": (
        "Lantern therapy is a newer model of cognitive-behavioral therapy (CBT) created by Ann Example.",
        [(LANTERN, "subtypeOf", "modality/cognitive-behavioural-therapy"),
         (LANTERN, "developedBy", "theorist/ann-example")], [],
    ),
    "used alongside another approach is no lineage": (
        "Lantern therapy was developed by Ann Example. It has also been combined with art therapy in some settings.",
        [(LANTERN, "developedBy", "theorist/ann-example")], [(LANTERN, "derivedFrom", "modality/art-therapy")],
    ),
    "a bullet that opens with a verb is no person": (
        "- Integrates Example's harbour prevention (HP) with mindfulness meditation",
        [], [(LANTERN, "developedBy", "theorist/integrates-example")],
    ),
    "a research group named after a place is no approach": (
        "Lantern therapy was developed by Ann Example. In 1972 Ann Example and Greta Sample founded the Mount Zion "
        "Psychotherapy Research Group, which was later renamed.",
        [(LANTERN, "developedBy", "theorist/ann-example")],
        [("modality/mount-zion-psychotherapy", "developedBy", "theorist/greta-sample")],
    ),
    "the work of two clinicians": (
        "Lantern therapy is the work of two clinicians, Ann Example and Greta Sample.",
        [(LANTERN, "developedBy", "theorist/ann-example"), (LANTERN, "developedBy", "theorist/greta-sample")], [],
    ),
    "an integrative therapy that marries two approaches": (
        "Lantern therapy is an integrative therapy that marries CBT with psychodrama.",
        [(LANTERN, "derivedFrom", "modality/cognitive-behavioural-therapy"),
         (LANTERN, "derivedFrom", "modality/psychodrama")], [],
    ),
    "supported as a treatment for a condition": (
        "Research supports lantern therapy as a treatment for generalized anxiety disorder.",
        [(LANTERN, "addressesCondition", "condition/generalized-anxiety-disorder")], [],
    ),
    "it suits people": (
        "It suits teenagers and young adults who struggle with anger.",
        [(LANTERN, "servesPopulation", "population/adolescents"),
         (LANTERN, "servesPopulation", "population/young-adults")], [],
    ),
    "a developer and her husband, named after a comma": (
        "Lantern therapy was developed in Norway in 1985 by the psychiatrist Ann Example and her husband, Greta "
        "Sample.",
        [(LANTERN, "developedBy", "theorist/ann-example"), (LANTERN, "developedBy", "theorist/greta-sample")], [],
    ),
    "extends another approach": (
        "Like schema therapy, lantern therapy extends cognitive therapy.",
        [(LANTERN, "derivedFrom", "modality/cognitive-therapy")], [(LANTERN, "derivedFrom", "modality/schema-therapy")],
    ),
    "evolved out of": (
        "Lantern therapy evolved out of psychodrama in the 1970s.",
        [(LANTERN, "derivedFrom", "modality/psychodrama")], [],
    ),
    "applies the principles of a theory": (
        "Lantern therapy applies the principles of attachment theory to couples.",
        [(LANTERN, "groundedIn", "theory/attachment-theory")], [],
    ),
    "the theoretical basis of the approach is a theory": (
        "The theoretical basis of lantern therapy is attachment theory.",
        [(LANTERN, "groundedIn", "theory/attachment-theory")], [],
    ),
    "intellectual roots": (
        "Lantern therapy has its intellectual roots in Gestalt psychology.",
        [(LANTERN, "groundedIn", "theory/gestalt-psychology")], [],
    ),
    "an appositive naming its family": (
        "Lantern therapy, a third-wave behavioural therapy, teaches acceptance.",
        [(LANTERN, "subtypeOf", "modality/third-wave-behavioral-therapy")], [],
    ),
    "shares features but is not derived": (
        "Lantern therapy shares many features with dialectical behaviour therapy but is not derived from it.",
        [], [(LANTERN, "derivedFrom", "modality/dialectical-behaviour-therapy")],
    ),
    "the founder of the approach, named in an appositive": (
        "The founder of lantern therapy, Ann Example, trained as a nurse.",
        [(LANTERN, "developedBy", "theorist/ann-example")], [],
    ),
    "named by its creator": (
        "Lantern therapy was named by its creator, Ann Example, after the Oslo harbour.",
        [(LANTERN, "developedBy", "theorist/ann-example")], [],
    ),
    "first appeared in a decade": (
        "Lantern therapy first appeared in the 1980s as an alternative to long-term analysis.",
        [(LANTERN, "introduced", "1980s")], [],
    ),
    "another person's founding year, the approach unrecognised": (
        "Lantern therapy was developed by Ann Example. Her mentor, Greta Sample, had founded narrative harbour "
        "work in 1975.",
        [(LANTERN, "developedBy", ANN)], [(LANTERN, "introduced", "1975")],
    ),
    "people seek it for a condition": (
        "Many people seek lantern therapy for grief, loneliness or a loss of purpose.",
        [(LANTERN, "addressesCondition", "condition/grief"), (LANTERN, "addressesCondition", "condition/loneliness")],
        [],
    ),
    "survivors named by what they survived": (
        "Lantern therapy has been used successfully with refugees and torture survivors.",
        [(LANTERN, "servesPopulation", "population/refugees"),
         (LANTERN, "servesPopulation", "population/torture-survivors")], [],
    ),
    "formalised by a team led by a person": (
        "Lantern therapy was formalised in the early 2000s by a team led by Ann Example.",
        [(LANTERN, "developedBy", ANN), (LANTERN, "introduced", "2000s")], [],
    ),
    "since its launch": (
        "Since its launch in 2004, lantern therapy has been taught in 20 countries.",
        [(LANTERN, "introduced", "2004")], [],
    ),
    "grew out of a person's work": (
        "Lantern therapy grew out of Ann Example's work with veterans.",
        [(LANTERN, "developedBy", ANN)], [],
    ),
    "a participle after a listed condition is no condition": (
        "The guideline on eating disorders, published in 2017, recommends lantern therapy for adults.",
        [], [(LANTERN, "addressesCondition", "condition/published")],
    ),
    "the developer's own condition is no use": (
        "Lantern therapy was developed by Ann Example, who had herself struggled with depression as a student.",
        [(LANTERN, "developedBy", ANN)], [(LANTERN, "addressesCondition", "condition/depression")],
    ),
    "a relative's diagnosis is no use": (
        "Ann Example's son was diagnosed with autism in 1980. She later developed lantern therapy for adults with "
        "grief.",
        [(LANTERN, "addressesCondition", "condition/grief")],
        [(LANTERN, "addressesCondition", "condition/autism-spectrum")],
    ),
    "a clinic offering another approach for a condition": (
        "The lantern clinic also offers EMDR for trauma.",
        [("modality/emdr", "addressesCondition", "condition/trauma")],
        [(LANTERN, "addressesCondition", "condition/trauma")],
    ),
    "the practical application of a theory": (
        "Since the 1990s lantern therapy has been taught as the practical application of choice theory.",
        [(LANTERN, "groundedIn", "theory/choice-theory")], [],
    ),
}


@pytest.mark.parametrize("name", list(PHRASINGS))
def test_more_phrasings_and_sentences_that_give_nothing(tmp_path: Path, resolver: PageResolver, name: str) -> None:
    sentence, wanted, unwanted = PHRASINGS[name]
    found = read(tmp_path, resolver, f"Lantern Therapy\n\n{sentence}\n")
    lantern = {s for s, _p, _o in found if "lantern" in s}
    check({(LANTERN if s in lantern else s, p, o) for s, p, o in found}, wanted, unwanted)


def test_faq_questions_are_answered_by_the_next_sentence(tmp_path: Path, resolver: PageResolver) -> None:
    text = ("Lantern Therapy FAQ\n\nWho developed Lantern therapy?\n\nAnn Example, a sleep researcher, and her "
            "colleague Greta Sample.\n\nWhen was it created?\n\nThe first clients were seen in 1994.\n\n"
            "Who is it for?\n\nAdults with insomnia.\n")
    check(read(tmp_path, resolver, text, resolve=False), [
        (LANTERN, "developedBy", ANN), (LANTERN, "developedBy", GRETA), (LANTERN, "introduced", "1994"),
        (LANTERN, "servesPopulation", "population/adults"), (LANTERN, "addressesCondition", "condition/insomnia"),
    ])


def test_a_label_line_that_opens_a_paragraph_is_read_as_sentences_too(tmp_path: Path, resolver: PageResolver) -> None:
    text = ("Lantern Therapy\n\nDeveloped by: Ann Example\n\nOrigins: In 1975 a clinic adopted it. Example's team "
            "blended narrative therapy with ideas from strategic family therapy.\n")
    check(read(tmp_path, resolver, text, resolve=False), [
        (LANTERN, "developedBy", ANN), (LANTERN, "derivedFrom", "modality/narrative-therapy"),
        (LANTERN, "derivedFrom", "modality/strategic-family-therapy"),
    ])


def test_a_sentence_wrapped_before_its_year_is_not_a_heading(tmp_path: Path, resolver: PageResolver) -> None:
    text = ("Lantern therapy is a talking cure for insomnia.\n\nExample's version of Lantern therapy took shape in the "
            "late\n1970's. It grew out of narrative therapy.\n")
    check(read(tmp_path, resolver, text, resolve=False), [(LANTERN, "introduced", "1970s")])


def test_a_quotation_is_not_a_concept(tmp_path: Path, resolver: PageResolver) -> None:
    text = ('Lantern Therapy\n\nLantern therapy stays "agnostic" about causes. "It is incredibly demanding," says '
            'Dr Sarah Whitfield, a psychologist.\n')
    page = tmp_path / "page.txt"
    page.write_text(text, encoding="utf-8")
    extraction = load_page(page, resolver, gazetteer=resolver.gazetteer).extraction
    concepts = {str(f.object) for f in extraction.facts if isinstance(f, Fact) and f.predicate == "involvesConcept"}
    assert concepts == {"concept/agnostic"}


def test_label_keys_with_a_qualifier_and_shorthand(tmp_path: Path, resolver: PageResolver) -> None:
    text = ("# Lantern Protocol (LP) - seminar notes\n\n**Dev:** Ann Example + colleagues, Boston University\n\n"
            "## Big idea\n\n- theoretical roots: Example's triple lantern model\n- Key developments in 2001 were "
            "small\n")
    found = read(tmp_path, resolver, text, ".md")
    check(found, [("modality/lantern-protocol", "developedBy", "theorist/ann-example"),
                  ("modality/lantern-protocol", "groundedIn", "theory/triple-lantern-model")],
          [("modality/lantern-protocol", "introduced", "2001")])


@pytest.mark.parametrize("line, wanted, unwanted", [
    ("Developed by: Ann Example and Bob Sample, with their team at the Lantern Center in Milwaukee",
     ["theorist/ann-example", "theorist/robert-sample"], []),
    ("Founders: Ann Example with Greta Sample", ["theorist/ann-example", "theorist/greta-sample"], []),
    ("Founder - Ann Example (1916-1988), Japanese businessman and Greta Sample lay priest", ["theorist/ann-example"],
     ["theorist/greta-sample"]),
])
def test_a_label_line_names_every_developer_it_joins(
    tmp_path: Path, resolver: PageResolver, line: str, wanted: list[str], unwanted: list[str]
) -> None:
    found = read(tmp_path, resolver, f"Lantern therapy\n\n{line}\n\nLantern therapy is used for grief.\n")
    check(found, [(LANTERN, "developedBy", person) for person in wanted],
          [(LANTERN, "developedBy", person) for person in unwanted])


def test_br_lines_after_a_sentence_that_opens_a_list_are_its_items(tmp_path: Path, resolver: PageResolver) -> None:
    page = ("<html><body><h1>Lantern therapy</h1>\n<h2>Who can be referred?</h2>\n<p>Our lantern team works with "
            "adolescents and their families where the young person shows:<br>\nantisocial behaviour<br>\nconduct "
            "disorder<br>\nsubstance misuse<br>\nThe team is based in Leeds.</p></body></html>\n")
    found = read(tmp_path, resolver, page, ".html")
    check(found, [(LANTERN, "addressesCondition", f"condition/{c}")
                  for c in ("antisocial-behavior", "conduct-disorder", "substance-misuse")])


@pytest.mark.parametrize("title", ["You Don't Have to Earn It: My Notes on Lantern Kindness",
                                   "Course notes | A closer look at Lantern Kindness", "Why I teach Lantern Kindness"])
def test_a_title_part_that_announces_its_subject_names_the_topic(
    tmp_path: Path, resolver: PageResolver, title: str
) -> None:
    text = (f"# {title}\n\nYou know that voice.\n\n## Where this comes from\n\nLantern Kindness, or LK, is an "
            "eight-week course. It was created in 2010 by Ann Example.\n")
    found = read(tmp_path, resolver, text, ".md")
    check(found, [("modality/lantern-kindness", "developedBy", "theorist/ann-example"),
                  ("modality/lantern-kindness", "introduced", "2010")])


VARIANTS = {
    "a version named as the approach plus a qualifier": (
        "Schema therapy was developed by Jeffrey Young. Group schema therapy, a version for groups, was developed "
        "by Joan Farrell and Ida Shaw.",
        [("modality/group-schema-therapy", "subtypeOf", "modality/schema-therapy"),
         ("modality/group-schema-therapy", "developedBy", "theorist/joan-farrell")],
        [("modality/schema-therapy", "developedBy", "theorist/joan-farrell")],
    ),
    "an adaptation named as the approach for a population": (
        "Lantern therapy for adolescents (LT-A) was adapted from the adult model for young people who self-harm.",
        [("modality/lantern-therapy-for-adolescents", "derivedFrom", LANTERN)], [],
    ),
    "a name that contains another approach's name is no variant of it": (
        "Cognitive lantern therapy, a form of therapy for groups, was developed by Ann Example.",
        [], [("modality/cognitive-lantern-therapy", "subtypeOf", LANTERN)],
    ),
}


@pytest.mark.parametrize("name", list(VARIANTS))
def test_variants_named_as_the_approach_plus_a_qualifier(tmp_path: Path, resolver: PageResolver, name: str) -> None:
    sentence, wanted, unwanted = VARIANTS[name]
    check(read(tmp_path, resolver, f"Lantern Therapy\n\n{sentence}\n"), wanted, unwanted)


def test_an_acronym_the_page_never_defines_names_the_approach_it_spells(tmp_path: Path, resolver: PageResolver) -> None:
    text = ("Harbour Couples Program - Frequently Asked Questions\n\nLCRT for PTSD: your questions answered\n\n"
            "Q. What is LCRT for PTSD?\nA. Lantern Couple Recovery Therapy for PTSD is a couple therapy for veterans "
            "and their partners.\n\nQ. Who created LCRT?\nA. LCRT was developed by Ann Example.\n")
    found = read(tmp_path, resolver, text)
    topic = "modality/lantern-couple-recovery-therapy-for-ptsd"
    check(found, [(topic, "developedBy", "theorist/ann-example"),
                  (topic, "addressesCondition", "condition/posttraumatic-stress-disorder")],
          [("modality/lcrt", "developedBy", "theorist/ann-example")])


def test_a_two_letter_acronym_taken_for_an_approach_joins_the_title_approach(
    tmp_path: Path, resolver: PageResolver
) -> None:
    found = read(tmp_path, resolver, "Harbour Therapy: A Guide for Parents\n\nHT was created by Dr. Ann Example, a "
                                     "child psychiatrist.\n")
    check(found, [("modality/harbour-therapy", "developedBy", "theorist/ann-example")],
          [("modality/ht", "developedBy", "theorist/ann-example")])


def test_a_title_the_first_sentence_defines_is_the_topic(tmp_path: Path, resolver: PageResolver) -> None:
    found = read(tmp_path, resolver, "The Harbour Programme\n\nThe Harbour Programme is a ten-week group course "
                                     "created by Ann Example in 1990 for adults with depression.\n")
    topic = "modality/the-harbour-program"
    check(found, [(topic, "developedBy", "theorist/ann-example"), (topic, "introduced", "1990"),
                  (topic, "addressesCondition", "condition/depression")])


def test_a_notes_line_that_opens_on_its_verb_speaks_for_the_section(tmp_path: Path, resolver: PageResolver) -> None:
    text = ("Lantern therapy\n\n## Where it comes from\n\n- Integrates Alan Marlatt's relapse prevention (RP) with "
            "mindfulness meditation\n")
    check(read(tmp_path, resolver, text, ".md"), [(LANTERN, "derivedFrom", "modality/relapse-prevention")])


@pytest.mark.parametrize("layout", [
    "## Influences\n\n- Psychodrama\n- Attachment theory\n",
    "It draws on:\n\n- psychodrama\n- attachment theory\n",
])
def test_a_list_of_influences_gives_lineage(tmp_path: Path, resolver: PageResolver, layout: str) -> None:
    text = f"# Lantern therapy\n\nLantern therapy was developed by Ann Example.\n\n{layout}"
    check(read(tmp_path, resolver, text, ".md"), [(LANTERN, "derivedFrom", "modality/psychodrama"),
                                                   (LANTERN, "groundedIn", "theory/attachment-theory")])


def test_a_list_under_an_influences_heading_with_sentences_gives_no_lineage_by_itself(
    tmp_path: Path, resolver: PageResolver
) -> None:
    text = ("# Lantern therapy\n\n## Influences\n\n- Ann Example once attended a psychodrama workshop in Vienna "
            "and remembered it for years afterwards\n")
    check(read(tmp_path, resolver, text, ".md"), [], [(LANTERN, "derivedFrom", "modality/psychodrama")])


@pytest.mark.parametrize("line, family", [
    ("School: psychodynamic", "modality/psychodynamic-psychotherapy"),
    ("Category: Cognitive behavioural therapy", "modality/cognitive-behavioural-therapy"),
    ("**Type:** transdiagnostic, emotion-focused cognitive behavioural therapy",
     "modality/cognitive-behavioural-therapy"),
])
def test_a_type_label_names_the_family(tmp_path: Path, resolver: PageResolver, line: str, family: str) -> None:
    text = f"# Lantern therapy\n\n{line}\n\nLantern therapy was developed by Ann Example.\n"
    check(read(tmp_path, resolver, text, ".md"), [(LANTERN, "subtypeOf", family)])


def test_a_theory_described_as_a_theory_of_something_keeps_its_developer(
    tmp_path: Path, resolver: PageResolver
) -> None:
    text = "Harbour theory\n\nHarbour theory is a theory of emotional safety proposed by Ann Example in 1994.\n"
    check(read(tmp_path, resolver, text), [("theory/harbour-theory", "developedBy", "theorist/ann-example"),
                                           ("theory/harbour-theory", "introduced", "1994")],
          [("theory/theory-of-emotional-safety", "developedBy", "theorist/ann-example")])


def test_proposed_by_in_a_bulleted_label_line(tmp_path: Path, resolver: PageResolver) -> None:
    text = "Harbour theory\n\nKey points:\n- Proposed by: Ann Example (1994)\n- Used in: couples work\n"
    check(read(tmp_path, resolver, text), [("theory/harbour-theory", "developedBy", "theorist/ann-example")])


def test_an_ambiguous_acronym_is_never_reread_by_its_initials(tmp_path: Path, resolver: PageResolver) -> None:
    text = ("Tapping (EFT): Frequently Asked Questions\n\n\"Tapping\" is the everyday name for Emotional Freedom "
            "Techniques, or EFT. Please don't confuse it with Emotionally Focused Therapy for couples, which shares "
            "the same initials.\n\nEFT was developed by Gary Craig in the 1990s.\n")
    found = read(tmp_path, resolver, text)
    assert not any(s == "modality/emotionally-focused-therapy" for s, _p, _o in found), found


def test_a_course_title_gives_way_to_the_approach_its_module_is_about(tmp_path: Path, resolver: PageResolver) -> None:
    text = ("PSYC 7420 - Advanced Lantern Interventions\nModule 5 syllabus: Harbour Rehearsal Therapy (HRT)\n\n"
            "This module introduces Harbour Rehearsal Therapy, created by Ann Example in 2011. HRT keeps three "
            "levels of belief. HRT is transdiagnostic. Students will practise HRT in pairs.\n")
    found = read(tmp_path, resolver, text)
    check(found, [("modality/harbour-rehearsal-therapy", "developedBy", "theorist/ann-example"),
                  ("modality/harbour-rehearsal-therapy", "introduced", "2011")])


def test_that_class_became_the_approach_credits_the_origin_story(tmp_path: Path, resolver: PageResolver) -> None:
    text = ("In 1979 a molecular biologist who meditated, Jon Kabat-Zinn,\nbegan teaching an eight-week class in a "
            "hospital basement. That class became Mindfulness-Based\nStress Reduction, or MBSR, and it spread.\n\n"
            "In 1985 Greta Sample opened a clinic. That clinic became known as Lantern Therapy House.\n")
    found = read(tmp_path, resolver, text)
    mbsr = "modality/mindfulness-based-stress-reduction"
    check(found, [(mbsr, "developedBy", "theorist/jon-kabat-zinn"), (mbsr, "introduced", "1979")],
          [(mbsr, "developedBy", "theorist/greta-sample"), (mbsr, "introduced", "1985"),
           (LANTERN, "developedBy", "theorist/greta-sample")])


def test_a_theory_of_how_and_an_also_written_spelling_are_not_theories_of_their_own(
    tmp_path: Path, resolver: PageResolver
) -> None:
    text = ("Harbour-mastery theory\n\nHarbour-mastery theory (HMT), also written harbour mastery theory, is an "
            "integrative theory of how the mind works. The theory originated with Ann Example (1924-2004).\n")
    found = read(tmp_path, resolver, text)
    check(found, [("theory/harbour-mastery-theory", "developedBy", "theorist/ann-example")],
          [("theory/integrative-theory-of-how", "developedBy", "theorist/ann-example"),
           ("theory/written-harbour-mastery-theory", "developedBy", "theorist/ann-example")])


def test_a_name_the_title_gives_is_found_again_in_lower_case(tmp_path: Path, resolver: PageResolver) -> None:
    text = ("Harbour therapy\n\nAnn Example is a British psychologist. She developed harbour therapy in the early "
            "1990s while working with refugees.\n")
    found = read(tmp_path, resolver, text)
    check(found, [("modality/harbour-therapy", "developedBy", "theorist/ann-example"),
                  ("modality/harbour-therapy", "introduced", "1990s")])


def test_a_list_of_key_ideas_is_not_a_list_of_uses(tmp_path: Path, resolver: PageResolver) -> None:
    text = ("Lantern therapy\n\nLantern therapy is used for depression. Key ideas include:\n\n- condemned "
            "isolation: the sense of being locked out;\n- culture and power: relationships are shaped by race.\n")
    found = read(tmp_path, resolver, text)
    check(found, [(LANTERN, "addressesCondition", "condition/depression")],
          [(LANTERN, "addressesCondition", "condition/condemned-isolation"),
           (LANTERN, "addressesCondition", "condition/culture-and-power")])


def test_notes_headed_who_developed_it_with_fragments_for_lines(tmp_path: Path, resolver: PageResolver) -> None:
    text = ("Riverbend Psychology | Services | Our Team | Fees\n\n# LT (lantern therapy)\n\n## What it is\n"
            "- brief form of **cognitive behavioural therapy (CBT)** for chronic nightmares\n\n## Who developed it\n"
            "- **Ann Example**, US physician / sleep specialist (Sleep Institute, Albuquerque) + colleagues\n\n"
            "## What it's used for\n- nightmare disorder / chronic nightmares\n")
    found = read(tmp_path, resolver, text, suffix=".md")
    check(found, [(LANTERN, "developedBy", ANN), (LANTERN, "subtypeOf", "modality/cognitive-behavioural-therapy"),
                  (LANTERN, "addressesCondition", "condition/nightmare-disorder")])
    assert not any(s.startswith("theory/riverbend") for s, _p, _o in found)


def test_a_lower_case_glossary_term_speaks_for_its_definition(tmp_path: Path, resolver: PageResolver) -> None:
    text = ("PSYCHODYNAMIC TERMS: A SHORT GLOSSARY\n\nlantern psychology\nA school of psychoanalytic theory founded by "
            "the psychoanalyst Ann Example (1913-1981), who worked in Chicago.\n\nshaping\nA technique of "
            "reinforcing steps towards a behaviour.\n")
    found = read(tmp_path, resolver, text, resolve=False)
    assert any(s.endswith("lantern-psychology") and p == "developedBy" and o == ANN for s, p, o in found), found


@pytest.mark.parametrize("page", [
    "GLOSSARY\n\nLantern therapy\nA form of cognitive behavioural therapy developed by Ann Example in 1990.",
    "Glossary: Lantern therapy\n\nLantern therapy: also lantern work\n\nOne of the founding cognitive behavioural "
    "therapies, originated by the psychologist Ann Example (1902-1987) in 1990.",
])
def test_a_glossary_definition_a_form_of_x_by_y_credits_the_term(
    tmp_path: Path, resolver: PageResolver, page: str
) -> None:
    check(read(tmp_path, resolver, page + "\n"), [(LANTERN, "developedBy", ANN)],
          [("modality/cognitive-behavioural-therapy", "developedBy", ANN)])


# ---- kinds first seen on blind set 18 (2026-12-01) -------------------------------------------------------------------

SET_18 = {
    "an approach named as a kind of program, an acronym between": (
        "Lantern Club\n\nLantern Club is a manualized cognitive behavioural therapy (CBT) program for school-age "
        "children with worries.\n",
        [("modality/lantern-club", "subtypeOf", "modality/cognitive-behavioural-therapy")],
    ),
    "its theoretical basis is a person's theory": (
        "Lantern therapy\n\nLantern therapy is a form of exposure therapy. Its theoretical basis is Greta Sample's "
        "two-factor theory of avoidance learning: fear is learned.\n",
        [(LANTERN, "groundedIn", "theory/two-factor-theory-of-avoidance-learning")],
    ),
    "two approaches that are both forms of the topic": (
        "Lantern therapy\n\nLantern therapy is an umbrella term. Harbour therapy and wilderness therapy are both "
        "forms of lantern therapy.\n",
        [("modality/harbour-therapy", "subtypeOf", LANTERN), ("modality/wilderness-therapy", "subtypeOf", LANTERN)],
    ),
    "the developer's work rests on a theory": (
        "Lantern therapy\n\nAnn Example developed lantern therapy in 1996. Example's work rests on attachment "
        "theory.\n",
        [(LANTERN, "groundedIn", "theory/attachment-theory")],
    ),
    "a person who was developing an approach in a decade": (
        "Lantern theory\n\nLantern theory fitted the thinking of Ann Example, who was developing Harbour Therapy "
        "at the same university in the 1960s.\n",
        [("modality/harbour-therapy", "developedBy", ANN), ("modality/harbour-therapy", "introduced", "1960s")],
    ),
    "another name 'published under', then 'a form of X developed by the <field> researcher Y'": (
        "Lantern therapy\n\nLantern therapy (LT), also published under the name harbour-focused dynamic "
        "psychotherapy, is a form of short-term dynamic psychotherapy developed by the American psychotherapy "
        "researcher Ann Example (1945-2012).\n",
        [(LANTERN, "developedBy", ANN), (LANTERN, "subtypeOf", "modality/brief-psychodynamic-psychotherapy")],
    ),
    "the work of a person whose middle name is also a word; 'incorporates ideas from'": (
        "Lantern therapy\n\nThe method is the work of Dr. David Read Johnson, an American drama therapist. On the "
        "clinical side it incorporates ideas from psychoanalysis.\n",
        [(LANTERN, "developedBy", "theorist/david-johnson"), (LANTERN, "derivedFrom", "modality/psychoanalysis")],
    ),
    "a sentence that opens with 'Modern' before the approach's name": (
        "Lantern therapy\n\nModern lantern therapy (LT) originated with Ann Example (1907-1984), a child "
        "psychologist.\n",
        [(LANTERN, "developedBy", ANN)],
    ),
    "a field that a person named and first defined in a year": (
        "Lantern therapy\n\nLantern therapy rests on ecopsychology, a field that the historian Ann Example named "
        "and first defined in 1992.\n",
        [(LANTERN, "groundedIn", "theory/ecopsychology"), ("theory/ecopsychology", "developedBy", ANN),
         ("theory/ecopsychology", "introduced", "1992")],
    ),
}


@pytest.mark.parametrize("name", list(SET_18))
def test_kinds_first_seen_on_blind_set_18(tmp_path: Path, resolver: PageResolver, name: str) -> None:
    text, wanted = SET_18[name]
    check(read(tmp_path, resolver, text), wanted)


def test_a_bold_label_above_a_bulleted_br_list_heads_a_uses_section(tmp_path: Path, resolver: PageResolver) -> None:
    html = ("<html><body><h1>Lantern therapy</h1><p>Lantern therapy is a form of exposure therapy.</p>"
            "<p><b>Problems it has been used for</b><br>- specific phobias<br>- other anxiety disorders<br>"
            "- post-traumatic stress disorder<br></p><p><b>Typical session</b><br>1. Assessment.<br>"
            "2. Therapist narrates an escalating scene for forty minutes.<br></p>"
            "<td><b>Most viewed</b><br><a href='/cbt'>CBT</a><br><a href='/emdr'>EMDR</a><br></td></body></html>")
    found = read(tmp_path, resolver, html, ".html", resolve=False)
    check(found, [(LANTERN, "addressesCondition", "condition/specific-phobias"),
                  (LANTERN, "addressesCondition", "condition/anxiety-disorders"),
                  (LANTERN, "addressesCondition", "condition/post-traumatic-stress-disorder")],
          [(LANTERN, "addressesCondition", "condition/cbt"), (LANTERN, "addressesCondition", "condition/emdr")])


def test_generic_psychosocial_treatments_are_no_approach(tmp_path: Path, resolver: PageResolver) -> None:
    text = ("Lantern therapy\n\nLantern therapy (LT) is a behavioural intervention grounded in learning theory. "
            "Among psychosocial treatments for stimulant use disorder, LT has the most consistent support.\n")
    found = read(tmp_path, resolver, text)
    assert not any("psychosocial" in s or "psychosocial" in o for s, _p, o in found), found


def test_what_a_model_treats_as_its_object_and_coping_strategies_are_no_uses(
    tmp_path: Path, resolver: PageResolver
) -> None:
    text = ("Lantern therapy\n\nLantern therapy is used for depression. A feeling such as anger or grief is treated "
            "as the phobic object.\n\nThese beliefs lead "
            "to unhelpful coping: suppression, rumination, avoidance.\n")
    found = read(tmp_path, resolver, text)
    check(found, [(LANTERN, "addressesCondition", "condition/depression")],
          [(LANTERN, "addressesCondition", "condition/anger"), (LANTERN, "addressesCondition", "condition/grief"),
           (LANTERN, "addressesCondition", "condition/rumination")])


def test_cited_works_and_related_reading_lines_are_not_content(tmp_path: Path, resolver: PageResolver) -> None:
    text = ("Lantern therapy\n\nLantern therapy is a programme for children with anxiety.\n\nSelected research\n\n"
            "- Example, A. B., & Sample, G. (2008). Lantern therapy for adolescent depression: a trial.\n\n"
            "Related reading: \"Can a lantern help with exam stress?\"\n")
    found = read(tmp_path, resolver, text)
    check(found, [(LANTERN, "addressesCondition", "condition/anxiety")],
          [(LANTERN, "addressesCondition", "condition/depression"), (LANTERN, "addressesCondition", "condition/stress"),
           (LANTERN, "servesPopulation", "population/adolescents")])


def test_an_acronym_defined_in_a_programme_line_and_described_later_names_the_topic(
    tmp_path: Path, resolver: PageResolver
) -> None:
    """A workshop line "Collaborative Lantern and Harbour Work (CLHW): an introduction" (no therapy word; its first
    word is also an organisation word), then "CLHW is a ... therapeutic framework" further down."""
    text = ("ANNUAL CONFERENCE — PROGRAMME\n\nThursday, Track B\n\nCollaborative Lantern and Harbour Work (CLHW): a "
            "hands-on introduction\n\nDeveloper: Ann Example, PhD\n\nCLHW is a suicide-specific therapeutic framework "
            "built around one form. It borrows ideas from dialectical behaviour therapy (DBT).\n")
    found = read(tmp_path, resolver, text)
    clhw = "modality/collaborative-lantern-and-harbour-work"
    check(found, [(clhw, "developedBy", ANN), (clhw, "derivedFrom", "modality/dialectical-behaviour-therapy")],
          [("modality/dialectical-behaviour-therapy", "developedBy", ANN)])


def test_a_newspaper_section_masthead_is_no_approach(
    tmp_path: Path, resolver: PageResolver
) -> None:
    news = ("HEALTH | FAMILIES\n\nLantern therapy draws scrutiny as parents weigh it for struggling teens\n\nBy Bob "
            "Sample, Health Reporter\n\nLantern therapy sends adolescents into the hills. Health officials and health "
            "insurers watch. Programs say they treat substance abuse and depression.\n")
    found = read(tmp_path, resolver, news)
    assert not any(s == "modality/health" for s, _p, _o in found), found
    check(found, [(LANTERN, "addressesCondition", "condition/depression")])


def test_a_practice_named_with_an_ampersand_is_no_approach() -> None:
    from loaders.extract import PageWalk
    from ontology.records import Source

    text = "Harbour Counselling & Trauma Centre\n\nWe offer lantern therapy for nightmares.\n"
    walk = PageWalk(text, Source(id="page-x", title="x", kind="web-page"), None, None)
    named = [text[m.start : m.end] for m in walk.finder.mentions if m.type == "Modality"]
    assert "Harbour Counselling" not in named, named


def test_a_heading_with_an_acronym_and_a_developer_label_under_it_names_an_approach(
    tmp_path: Path, resolver: PageResolver
) -> None:
    text = ("# PSY 342 - Existential approaches, week 6 notes\n\n## Paradoxical lantern (PL)\n\n> \"Fear brings "
            "about what one fears.\"\n\n**Developed by:** Ann Example (1905-1997), neurologist\n**First described:** "
            "1939\n**Used within:** lantern therapy (Example's lantern therapy)\n")
    found = read(tmp_path, resolver, text, suffix=".md")
    check(found, [("modality/paradoxical-lantern", "developedBy", ANN),
                  ("modality/paradoxical-lantern", "introduced", "1939")])


def test_numbered_markdown_headings_open_their_sections(tmp_path: Path, resolver: PageResolver) -> None:
    """ "## 5. Used for" opens a uses section (not an ordered item); "## 4. Adaptations" lists approaches derived
    from the topic; a "Note:" line in a list is an aside, not a condition."""
    text = ("# Lantern therapy - seminar notes\n\n## 1. Basics\n\n- Lantern therapy (LT) is a talking therapy.\n\n"
            "## 4. Adaptations\n\n- **LT-A** = lantern therapy for adolescents - adapted from LT\n\n## 5. Used for\n\n"
            "- separation anxiety disorder\n- depression\n- Note: described as transdiagnostic.\n")
    found = read(tmp_path, resolver, text, suffix=".md")
    check(found, [(LANTERN, "addressesCondition", "condition/separation-anxiety-disorder"),
                  (LANTERN, "addressesCondition", "condition/depression"),
                  ("modality/lantern-therapy-for-adolescents", "derivedFrom", LANTERN)],
          [(LANTERN, "addressesCondition", "condition/note"),
           ("modality/lantern-therapy-for-adolescents", "subtypeOf", LANTERN)])


def test_a_glossary_cross_reference_is_no_use(tmp_path: Path, resolver: PageResolver) -> None:
    text = ("# Lantern therapy: a glossary\n\n**Lantern therapy** - a talking therapy used for depression.\n\n"
            "**mutism, selective** - see *selective mutism*.\n")
    found = read(tmp_path, resolver, text, suffix=".md")
    check(found, [(LANTERN, "addressesCondition", "condition/depression")],
          [(LANTERN, "addressesCondition", "condition/selective-mutism")])


TITLE_SHAPES = {
    "a journal's issue line above the article's title": (
        "Journal of Lantern Practice Research, Vol. 14, No. 2\n\nEngaging family and peers in office-based care: a "
        "narrative review of network therapy\n\nABSTRACT\n\nBackground: Network therapy, an approach developed by "
        "the psychiatrist Ann Example, enlists relatives to support abstinence. It combines psychodynamic "
        "psychotherapy with relapse prevention. Relapse prevention helps too.\n",
        [("modality/network-therapy", "developedBy", ANN)],
    ),
    "a newspaper's section and masthead, then a headline naming a lower-case approach": (
        "HEALTH | Riverside Courier\n\nPoints, not punishment: the ward brings back the lantern economy\n\nBy Bob "
        "Sample, Health Reporter\n\nThe scheme is a modern version of the lantern economy, a form of behaviour "
        "modification that Ann Example developed in the 1960s. Health staff say the lantern economy works.\n",
        [("modality/lantern-economy", "developedBy", ANN)],
    ),
    "a breadcrumb trail, then a glossary term line with its acronym": (
        "Glossary of Psychological Treatments  >  P  >  Progressive lantern relaxation\n\nprogressive lantern "
        "relaxation (PLR)\nn. Also called lantern relaxation. A relaxation technique.\n\nOrigin: Devised in the 1920s "
        "by Dr. Ann Example. PLR is used for insomnia. PLR is taught in six sessions.\n",
        [("modality/progressive-lantern-relaxation", "developedBy", ANN)],
    ),
    "a site's name in capitals, then a breadcrumb naming the glossary entry": (
        "LANTERNWORDS: A GLOSSARY OF MENTAL HEALTH TERMS\nHome > Glossary > H > Harbour family therapy\n\nharbour "
        "family therapy\n(noun) also: HFT\n\nDefinition:\nA structured form of family therapy for families living "
        "with schizophrenia.\n\nOrigins:\nThe approach is usually credited to the psychiatrist Ann Example. "
        "LANTERNWORDS is free to use. (c) LANTERNWORDS 2025.\n",
        [("modality/harbour-family-therapy", "developedBy", ANN)],
    ),
    "a blog's name, then 'What Is <Qualified> CBT, and Could It Help?'": (
        "The Doubt Files - a blog about recovery\n\nHome · Posts · About me\n\nWhat Is Lantern-Based CBT, and Could "
        "It Help My OCD?\n\nLantern-based cognitive behavioural therapy (L-CBT) is a form of cognitive behavioural "
        "therapy for obsessive-compulsive disorder. It was developed by Ann Example in Montreal. CBT is older. Many "
        "people try CBT first, and CBT works for many.\n",
        [("modality/lantern-based-cognitive-behavioral-therapy", "developedBy", ANN)],
    ),
}


@pytest.mark.parametrize("name", list(TITLE_SHAPES))
def test_title_shapes_first_seen_on_blind_set_19(tmp_path: Path, resolver: PageResolver, name: str) -> None:
    text, wanted = TITLE_SHAPES[name]
    check(read(tmp_path, resolver, text), wanted)


def test_a_title_asking_about_an_approach_for_a_condition_names_the_adaptation(
    tmp_path: Path, resolver: PageResolver
) -> None:
    """ "What is CBT for psychosis?" on a leaflet that names "cognitive behavioural therapy for psychosis, usually
    shortened to CBTp": the topic is the adaptation, not CBT."""
    text = ("What is CBT for psychosis?\n\nInformation for patients and carers\n\nYou have been offered a talking "
            "therapy called cognitive behavioural therapy for psychosis, usually shortened to CBTp. CBTp was "
            "developed by Ann Example. CBT is older.\n")
    found = read(tmp_path, resolver, text, resolve=False)
    adaptation = "modality/cognitive-behavioral-therapy-for-psychosis"
    check(found, [(adaptation, "developedBy", ANN)], [("modality/cognitive-behavioral-therapy", "developedBy", ANN)])


def test_a_book_reviews_title_names_a_book_not_the_pages_topic() -> None:
    from loaders.extract import PageWalk
    from ontology.records import Source

    text = ("Book review: The Theory and Practice of Group Psychotherapy (5th edition)\n\nAnn Example. New York: "
            "Basic Books, 2005.\n\nThe book is the manual of interpersonal group psychotherapy, the approach Ann "
            "Example developed at Stanford. Interpersonal group psychotherapy is used with adults.\n")
    walk = PageWalk(text, Source(id="page-x", title="x", kind="web-page"), None, None)
    assert walk.topic is not None and walk.records.label_of(walk.topic) == "interpersonal group psychotherapy"


# ---- shapes first seen on blind set 22 (each failed on the extractor as it was before) ----------------------------

SET_22_SHAPES = {
    "a person 'originated' an approach (active voice)": (
        "Lantern therapy\n\nLantern therapy is a talking treatment. Ann Example (1913-2007) originated lantern "
        "therapy in the mid-1950s, arguing that rigid beliefs produce distress.\n",
        [("modality/lantern-therapy", "developedBy", ANN), ("modality/lantern-therapy", "introduced", "1950s")],
        [],
    ),
    "guidelines recommend an approach for conditions; 'treatment guidelines' names no approach": (
        "Lantern therapy\n\nLantern therapy was developed by Ann Example.\n\nNational treatment guidelines in several "
        "countries recommend lantern therapy for depression and panic disorder.\n",
        [("modality/lantern-therapy", "addressesCondition", "condition/depression"),
         ("modality/lantern-therapy", "addressesCondition", "condition/panic-disorder")],
        [("modality/national-treatment", "addressesCondition", "condition/depression")],
    ),
    "its makers 'built' it on a theory; the appositive after the theory is the same theory again": (
        "Lantern therapy\n\nLantern therapy was devised by Ann Example and Greta Sample in the 1970s.\n\nExample and "
        "Sample built lantern therapy on operant conditioning, the learning theory worked out by B. F. Skinner.\n",
        [("modality/lantern-therapy", "groundedIn", "theory/operant-conditioning")],
        [("modality/lantern-therapy", "groundedIn", "theory/learning-theory")],
    ),
    "'developed X in the 1950s, an outgrowth of Y': the outgrowth is X, not the page's topic": (
        "What is Lantern therapy?\n\nLantern therapy is a form of body psychotherapy founded by Ann Example. Together "
        "with Greta Sample, she earlier developed Harbour Analysis in the 1950s, an outgrowth of character analysis "
        "that added grounding.\n",
        [("modality/harbour-analysis", "derivedFrom", "modality/character-analysis")],
        [("modality/lantern-therapy", "derivedFrom", "modality/character-analysis")],
    ),
    "'Other names seen in the literature:' under a section heading names the title's approach, not 'Basics'": (
        "# Lantern theory of sleep (LTS) - reading notes\n\n## Basics\n\n- Proposed by **Ann Example**; first laid "
        "out in a 2005 book.\n- Other names seen in the literature: \"lantern-harbour theory of sleep\" (LHTS).\n\n"
        "## Clinical relevance\n\n- Fits with **HAMS** (Harbour Assessment and Management of Sleeplessness), the "
        "framework developed by Greta Sample, which treats insomnia itself as the target.\n",
        [("theory/lantern-theory-of-sleep", "developedBy", ANN),
         ("modality/harbour-assessment-and-management-of-sleeplessness", "developedBy", GRETA)],
        [("modality/basics", "developedBy", ANN), ("theory/lantern-theory-of-sleep", "developedBy", GRETA)],
    ),
    "'This week we examine X, which Y first set out in 1977': a course page's pronoun is not the dating's owner": (
        "Week 5: Lantern Theory\n\nThis week we examine lantern theory, which Ann Example first set out in 1977 in "
        "a journal paper.\n",
        [("theory/lantern-theory", "developedBy", ANN), ("theory/lantern-theory", "introduced", "1977")],
        [("theory/week-we-examine-lantern-theory", "developedBy", ANN)],
    ),
    "a person's 'time-limited psychotherapy' is a name, not a description": (
        "Lantern therapy\n\nLantern therapy is a brief therapy developed by Ann Example. Compare it with Greta "
        "Sample's time-limited psychotherapy, another product of the same decade.\n",
        [("modality/time-limited-psychotherapy", "developedBy", GRETA)],
        [],
    ),
    "'Who developed it?' answered by 'The original manual was written by X together with Y and Z'": (
        "# What Is Lantern Facilitation?\n\n### What is Lantern Facilitation?\n\nLantern Facilitation is a brief, "
        "manual-guided counseling approach for alcohol use disorder.\n\n### Who developed it?\n\nThe original "
        "manual was written by psychologist Ann Example together with Greta Sample and Kim Example.\n",
        [("modality/lantern-facilitation", "developedBy", ANN), ("modality/lantern-facilitation", "developedBy", GRETA),
         ("modality/lantern-facilitation", "developedBy", "theorist/kim-example")],
        [],
    ),
    "'X is a four-session approach that grew out of Y' in a paragraph opening 'In Project MATCH, TSF ...'": (
        "# Lantern Facilitation\n\nLantern Facilitation was developed by Ann Example.\n\nIn Project MATCH, LF was "
        "tested alongside Harbour Enhancement Therapy (HET). HET is a four-session approach that grew out of "
        "motivational interviewing, and Greta Sample led the team.\n",
        [("modality/harbour-enhancement-therapy", "derivedFrom", "modality/motivational-interviewing")],
        [("modality/lantern-facilitation", "derivedFrom", "modality/motivational-interviewing")],
    ),
    "study notes credit an approach to a person in brackets; an alias in brackets is no person": (
        "# Lantern conditioning - notes\n\n- Lantern conditioning is a learning theory developed by Ann Example.\n"
        "- Compare with social learning theory (Albert Bandura) for week 6.\n- Harbour psychology (Harbour Work) is "
        "another name for the lantern approach.\n",
        [("theory/social-learning-theory", "developedBy", "theorist/albert-bandura")],
        [("modality/harbour-psychology", "developedBy", "theorist/harbour-work"),
         ("theory/harbour-psychology", "developedBy", "theorist/harbour-work")],
    ),
    "'an abbreviated version of lantern relaxation, the method developed by X' names lantern relaxation": (
        "Reciprocal lanterns\n\nReciprocal lanterns is a principle formulated by Ann Example. The relaxation itself "
        "was usually an abbreviated version of lantern relaxation, the method developed by Greta Sample.\n",
        [("modality/lantern-relaxation", "developedBy", GRETA)],
        [("theory/reciprocal-lanterns", "developedBy", GRETA), ("modality/reciprocal-lanterns", "developedBy", GRETA)],
    ),
}


# ---- shapes first seen on blind set 23 (scored once, sealed until then; each failed on the extractor before) ------

SET_23_SHAPES = {
    "a glossary under a one-word brand ('PsychLexicon :: ...') is about its breadcrumb's last step; 'Compare:' "
    "names other approaches' makers; 'through X, Y and Z' lists no conditions": (
        "PsychLexicon :: Online Glossary of Clinical Psychology\nHome > Glossary > L > lantern-raising "
        "psychotherapy\n\n"
        "lantern-raising psychotherapy (LRP)\n\nn. a focal form of brief psychodynamic psychotherapy in which the "
        "therapist deliberately raises the patient's tension, through clarification, confrontation and "
        "interpretation.\n\nOriginator: Ann Example (1920-2008)\n\nCompare: Harbour Psychotherapy, developed by "
        "Greta Sample.\n\nCite this entry: PsychLexicon (2024). Related entries: PsychLexicon home.\n",
        [("modality/lantern-raising-psychotherapy", "developedBy", ANN),
         ("modality/harbour-psychotherapy", "developedBy", GRETA)],
        [("modality/psychlexicon", "developedBy", ANN),
         ("modality/lantern-raising-psychotherapy", "addressesCondition", "condition/through-clarification"),
         ("modality/lantern-raising-psychotherapy", "developedBy", GRETA)],
    ),
    "a course page: 'approaches the question through X theory, the framework formulated by Y'; an acronym's "
    "expansion with no head word, then ', a form of CBT'; a that-clause's own date before ', and we ...'": (
        "PSYC 4470 - Lantern Stress and Mental Health | Department of Psychology\n\nCourse description\n\nThis "
        "seminar approaches the question through lantern stress theory, the framework formulated by Ann Example, "
        "who first set it out in the mid-1990s.\n\nWe discuss the harbour stress model that Greta Sample proposed in "
        "2012 for transgender clients, and we spend two weeks on treatment research. Our main case is BSEAC "
        "(Brief Skills to Empower Adult Clients), a form of cognitive-behavioral therapy developed by "
        "Kim Example.\n",
        [("theory/lantern-stress-theory", "developedBy", ANN), ("theory/lantern-stress-theory", "introduced", "1990s"),
         ("theory/harbour-stress-model", "introduced", "2012"),
         ("modality/brief-skills-to-empower-adult-clients", "developedBy", "theorist/kim-example")],
        [("theory/question-through-lantern-stress-theory", "developedBy", ANN)],
    ),
    "a therapist's bio: 'My main approach is the Lantern Method (LM). LM was developed by ...'": (
        "About Dr Jo Sample | Clinical Psychologist\n\nAbout me\n\nI'm Dr Jo Sample, a clinical psychologist.\n\nHow I "
        "work\n\nMy main approach is the Lantern Method (LM). LM was developed by Ann Example, and it rests on harbour "
        "control theory, which Greta Sample developed. I first came across harbour control theory in Manchester, "
        "where harbour control theory was taught.\n",
        [("modality/lantern-method", "developedBy", ANN),
         ("modality/lantern-method", "groundedIn", "theory/harbour-control-theory")],
        [],
    ),
    "'developed by WHO together with a team that included X and Y of the University of Z and WHO's W'": (
        "# What is Lantern Plus?\n\nLantern Plus (LP+) is a brief psychological intervention for adults in "
        "adversity. It was developed by WHO together with a team that included Ann Example and Greta Sample of the "
        "University of New South Wales and WHO's Kim Example.\n",
        [("modality/lantern-plus", "developedBy", ANN), ("modality/lantern-plus", "developedBy", GRETA),
         ("modality/lantern-plus", "developedBy", "theorist/kim-example")],
        [],
    ),
    "'X is still often called the father of Y'; 'Lantern Breathwork, which Stanislav and Christina Sample "
    "created'": (
        "Harbour therapy\n\nHarbour therapy as a clinical practice originated with Ann Example, a poet. She later "
        "worked alongside the psychiatrist Dr. Kim Example. Kim Example is still often called the father of harbour "
        "therapy. My training includes facilitator training in Lantern Breathwork, which Stanislav and Christina "
        "Sample created as a non-drug route.\n",
        [("modality/harbour-therapy", "developedBy", "theorist/kim-example"),
         ("modality/lantern-breathwork", "developedBy", "theorist/stanislav-sample"),
         ("modality/lantern-breathwork", "developedBy", "theorist/christina-sample")],
        [("modality/harbour-therapy", "developedBy", "theorist/lantern-breathwork")],
    ),
    "revision notes titled by a theory's short name ('Self-efficacy'), with 'Who:' and 'When:' lines": (
        "# Lantern-efficacy - revision notes (PSY 312, wk 6)\n\n## Basics\n- **Who:** Ann Example (1925-2021), "
        "Stanford\n- **What:** lantern-efficacy = a person's belief that they can act\n- **When:** lantern-efficacy "
        "theory was introduced in 1977, in a journal paper\n- lantern-efficacy theory was later folded into a "
        "broader theory\n",
        [("theory/lantern-efficacy-theory", "developedBy", ANN),
         ("theory/lantern-efficacy-theory", "introduced", "1977")],
        [("modality/lantern-efficacy", "introduced", "1977")],
    ),
    "'the brainchild of X Jr. (1932-2016), who developed it in the early 1970s'; 'grounded X in what he called Y'": (
        "Lantern behavior therapy\n\nLantern behavior therapy (LBT) is a short-term form of cognitive behavioral "
        "therapy. It was the brainchild of the American psychiatrist Ann Clarence Example Jr. (1932-2016), who "
        "developed it in the early 1970s.\n\nExample grounded LBT in what he called harbour learning theory, which "
        "treats thoughts as learned behaviours.\n",
        [("modality/lantern-behavior-therapy", "introduced", "1970s"),
         ("modality/lantern-behavior-therapy", "groundedIn", "theory/harbour-learning-theory")],
        [],
    ),
    "'X is a good fit for:' then 'children and adolescents with PTSD or significant traumatic stress'": (
        "Lantern Systems Therapy (LST)\n\nLantern Systems Therapy is a treatment model for children, developed by "
        "Ann Example.\n\nLST is a good fit for:\n\u2022 children and adolescents with post-traumatic stress "
        "disorder (PTSD) or significant traumatic stress\n\u2022 young people whose outbursts put placements at "
        "risk\n",
        [("modality/lantern-systems-therapy", "addressesCondition", "condition/posttraumatic-stress-disorder"),
         ("modality/lantern-systems-therapy", "addressesCondition", "condition/traumatic-stress")],
        [("modality/lantern-systems-therapy", "servesPopulation",
          "population/children-and-adolescents-with-post-traumatic-stress-disorder-ptsd-or")],
    ),
    "'grew out of the Y founded by P, the tradition in which X had trained'; 'working at first in partnership with'": (
        "Lantern psychoanalysis\n\nThe lantern approach emerged in New York in the 1980s, and it was developed "
        "above all by Ann Example, working at first in partnership with Greta Sample.\n\nLantern psychoanalysis grew "
        "out of the interpersonal psychoanalysis founded by Harry Stack Sullivan, the tradition in which Example "
        "herself had trained.\n",
        [("modality/lantern-psychoanalysis", "developedBy", ANN),
         ("modality/lantern-psychoanalysis", "developedBy", GRETA),
         ("modality/interpersonal-psychoanalysis", "developedBy", "theorist/harry-stack-sullivan")],
        [("modality/lantern-psychoanalysis", "developedBy", "theorist/harry-stack-sullivan"),
         ("modality/interpersonal-psychoanalysis", "developedBy", ANN)],
    ),
    "'X's group later went on to develop Y'; 'Y for Adolescents (Y-A) was adapted from the adult protocol by Z'": (
        "# Lantern Control Treatment: FAQ\n\nLantern Control Treatment (LCT) was developed by Ann Example in the "
        "1980s. Example's group later went on to develop the Harbour Protocol, a transdiagnostic treatment for "
        "emotional disorders.\n\nLantern Control Treatment for Adolescents (LCT-A) was adapted from the adult "
        "protocol by Greta Sample and colleagues.\n",
        [("modality/harbour-protocol", "developedBy", ANN),
         ("modality/lantern-control-treatment-for-adolescents", "developedBy", GRETA)],
        [("modality/lantern-control-treatment", "developedBy", GRETA)],
    ),
}


# ---- shapes first seen on blind set 24 (scored once, sealed until the session's last rule; each failed before) ----

SET_24_SHAPES = {
    "a program profile: 'X Model (XM)' described as 'XM is a group intervention', then 'Problems addressed' lines": (
        "<html><head><title>Harbour Recovery Model (HRM) - Program Profile | Practice Directory</title></head><body>"
        "<h1>Harbour Recovery Model (HRM)</h1><p>Developed by: Ann Example and a team of clinicians</p>"
        "<h2>Problems addressed</h2><p>Depression</p><p>Anxiety</p><h2>Description</h2>"
        "<p>HRM is a group intervention built around coping skills.</p></body></html>\n",
        [("modality/harbour-recovery-model", "developedBy", ANN),
         ("modality/harbour-recovery-model", "addressesCondition", "condition/depression"),
         ("modality/harbour-recovery-model", "addressesCondition", "condition/anxiety")],
        [("theory/harbour-recovery-model", "developedBy", ANN)],
    ),
    "a news story: 'This is lantern therapy, a short course of sessions ... Devised by X in 2008' (a plain noun "
    "before 'therapy' that the page repeats names the approach)": (
        "Giving the voices a face: how lantern therapy helps people talk back | Health | The Northern Ledger\n\n"
        "This is lantern therapy, a short course of sessions aimed at people with schizophrenia. Devised by the "
        "psychiatrist Ann Example in 2008, the approach was first tested in a small study.\n",
        [("modality/lantern-therapy", "developedBy", ANN), ("modality/lantern-therapy", "introduced", "2008"),
         ("modality/lantern-therapy", "addressesCondition", "condition/schizophrenia")],
        [],
    ),
    "training notes: a name line 'Attachment, Self-Regulation, and Competency (ARC)' over a '- Developed by:' "
    "bullet names the approach the title's acronym stands for": (
        "# LRC training notes (day 1 of 2)\n\n## Basics\n\n**Lanterns, Self-Regulation, and Coping (LRC)**\n"
        "- Developed by: Ann Example + Greta Sample\n- Timeline: framework took shape in the mid-2000s\n\n"
        "## Who it's for\n- children + adolescents w/ complex trauma\n",
        [("modality/lanterns-self-regulation-and-coping", "developedBy", ANN),
         ("modality/lanterns-self-regulation-and-coping", "developedBy", GRETA)],
        [("modality/lrc-training", "developedBy", ANN)],
    ),
    "an essay: 'X is the school of psychoanalysis founded by, and named after, the French psychiatrist Y'": (
        "Lantern psychoanalysis is the school of psychoanalysis founded\nby, and named after, the French "
        "psychiatrist Ann Example\n(1901-1981), and it remains the most influential form of analytic practice in "
        "France.\n",
        [("modality/lantern-psychoanalysis", "developedBy", ANN),
         ("modality/lantern-psychoanalysis", "subtypeOf", "modality/psychoanalysis")],
        [("modality/psychoanalysis", "developedBy", ANN)],
    ),
    "a coverage policy: the list's intro is its paragraph's last sentence (not 'measurable goals' before it); "
    "'Contemporary practice draws on X' names no approach": (
        "<html><head><title>Lantern Psychotherapy - Coverage Policy</title></head><body><h1>Lantern "
        "psychotherapy</h1><p>Lantern psychotherapy is a talking treatment developed by Ann Example. Contemporary "
        "practice draws on attachment theory.</p><h2>Policy</h2><p>The Plan covers it with a documented treatment "
        "plan with measurable goals. Conditions for which the Plan recognizes it as appropriate include:<br>"
        "\u2013 Depressive disorders<br>\u2013 Anxiety disorders</p></body></html>\n",
        [("modality/lantern-psychotherapy", "addressesCondition", "condition/depression"),
         ("modality/lantern-psychotherapy", "addressesCondition", "condition/anxiety-disorders"),
         ("modality/lantern-psychotherapy", "groundedIn", "theory/attachment-theory")],
        [("modality/contemporary-practice", "groundedIn", "theory/attachment-theory")],
    ),
    "'It originated with X, a former Alcoholics Anonymous member': the fellowship is no developer": (
        "Lantern therapy\n\nLantern therapy is a form of group treatment. It originated with Ann Example, a former "
        "Alcoholics Anonymous member who set up a house in 1958.\n",
        [("modality/lantern-therapy", "developedBy", ANN)],
        [("modality/lantern-therapy", "developedBy", "theorist/alcoholics-anonymous")],
    ),
    "'Attention bias modification (ABM), the most widely studied variant, was introduced by X in 2002' "
    "('modification' heads an approach's name)": (
        "Lantern bias modification\n\nLantern bias modification (LBM) is an umbrella term for computerised "
        "training procedures. Attention bias modification (ABM), the most widely studied variant, was introduced by "
        "Ann Example and colleagues in 2002.\n",
        [("modality/attention-bias-modification", "developedBy", ANN),
         ("modality/attention-bias-modification", "introduced", "2002")],
        [("modality/lantern-bias-modification", "introduced", "2002")],
    ),
}


def page_suffix(text: str) -> str:
    """The file type a small page is written in: Markdown if it opens with a heading, HTML with <html>, else text."""
    return ".md" if text.startswith("#") else ".html" if text.startswith("<html") else ".txt"


LATER_SHAPES = {f"set {n}: {name}": case for n, shapes in ((22, SET_22_SHAPES), (23, SET_23_SHAPES),
                                                          (24, SET_24_SHAPES)) for name, case in shapes.items()}


@pytest.mark.parametrize("name", list(LATER_SHAPES))
def test_shapes_first_seen_on_blind_sets_22_to_24(tmp_path: Path, resolver: PageResolver, name: str) -> None:
    text, wanted, unwanted = LATER_SHAPES[name]
    check(read(tmp_path, resolver, text, page_suffix(text)), wanted, unwanted)
