"""Search and entity page: type-ahead over labels and aliases, then everything known about one entity, with sources."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st

MAX_LINKS = 40
DECADE = re.compile(r"(?:the\s+)?(?P<start>1[0-9]{2}0|20[0-9]0)'?s", re.IGNORECASE)  # 1980s, 1980's, the 1980s
ORIGIN_DEPTH = 2  # the entity page shows two generations; the Lineage page shows all
DISAGREEMENT_HEADINGS = {"introduced": "Sources disagree on when it was introduced"}


def entity_url(entity: str) -> str:
    """The absolute URL of an entity's page on this server (from the browser's URL), or a relative one."""
    current = urlsplit(str(st.context.url or ""))
    query = urlencode({"entity": entity})
    if not current.netloc:
        return f"./?{query}"
    path = current.path if current.path.endswith("/") else current.path.rsplit("/", 1)[0] + "/"
    return urlunsplit((current.scheme, current.netloc, path, query, ""))


st.title("Search the graph")
# A form: typing commits nothing until Enter or "Search". A bare text_input commits when it loses focus, and the
# rerun that starts then used to swallow a click on the sidebar made in the same moment (the first click after
# typing was lost); inside a form, leaving the box starts no rerun.
with st.form("search-form", border=False, enter_to_submit=True):
    typed = st.text_input("Name, acronym or alias", value=st.query_params.get("q", ""), key="search-text",
                          placeholder="e.g. Fonagy, MBT, attachment, 1980s")
    st.form_submit_button("Search", icon=":material/search:")
# The graph's modules are imported, and its store opened, only once the search box is drawn: on a server's first
# page (`/`, what `tkg explore` opens) they cost 0.3-0.5 s of CPU that the bare box does not need.
from explorer.data import current_data  # noqa: E402
from explorer.markup import (  # noqa: E402
    LINEAGE_PAGE,
    ambiguity_note,
    anchor,
    entity_caption,
    escape_markdown,
    link_list,
    page_href,
)
from graph.views.citations import (  # noqa: E402
    cite_this_page,
    disagreements,
    in_text_citations,
    profile_source_ids,
    source_references,
)
from graph.views.explore import (  # noqa: E402
    DETAIL_HEADINGS,
    INVERSE_PHRASES,
    dating_sources,
    entity_profile,
    label_of,
    life_years,
)
from graph.views.lineage import RELATION_PHRASES  # noqa: E402

data = current_data()  # its view (graph, indexes) is read on first use: the bare search box needs none of it
decade = DECADE.fullmatch(typed.strip())
if decade:  # "1980s" asks for a decade: the timeline shows it
    st.switch_page("app_pages/timeline.py", query_params={"from": decade["start"], "to": decade["start"]})
if typed.strip():
    st.query_params["q"] = typed
    hits = data.search.search(typed, 25)
    ambiguity_note(data, typed)
    if not hits:
        hits = data.search.suggest(typed, 5)
        st.info("Nothing matches that name exactly. " + ("Did you mean:" if hits else
                                                           "Try part of a word, or an acronym such as MBT."))
    link_list([anchor(page_href(q=typed, entity=hit.id), entity_caption(data, hit.id)
                      + (f" (also called {hit.matched})" if hit.matched else "")) for hit in hits])
elif "q" in st.query_params:
    del st.query_params["q"]

entity_id = st.query_params.get("entity")
if entity_id and entity_id not in data.graph:
    st.error(f"There is no entity with the id {escape_markdown(repr(entity_id))} in this graph.")
elif entity_id:
    graph = data.graph
    sources = data.sources
    profile = entity_profile(graph, entity_id, data.notes, data.details.get(entity_id, ()))
    st.divider()
    st.header(escape_markdown(profile.label))
    facts_line = [profile.type, life_years(profile)]
    if profile.aliases:
        facts_line.append("also called " + ", ".join(profile.aliases))
    st.caption(escape_markdown(" · ".join(part for part in facts_line if part)))
    if profile.description:
        st.markdown(escape_markdown(profile.description))
    by_source = dating_sources(profile, {source_id: info.title for source_id, info in sources.items()})
    if by_source:
        st.markdown(f"**Introduced, by source:** {escape_markdown(by_source)}")
    references = source_references(sources, profile_source_ids(profile))
    for disagreement in disagreements(profile):
        st.markdown(f"**{DISAGREEMENT_HEADINGS[disagreement.aspect]}**")
        answers = disagreement.answers[:4]
        for column, (answer, ids) in zip(st.columns(len(answers), border=True), answers, strict=True):
            with column:
                column.markdown(f"**{escape_markdown(answer)}**")
                column.markdown('<div class="tkg-citation">' + "".join(
                    f"<p>{ref.html()}</p>" for ref in source_references(sources, ids)) + "</div>",
                    unsafe_allow_html=True)
    for relation, value, _source in profile.details:
        st.markdown(f"**{DETAIL_HEADINGS.get(relation, relation)}:** {escape_markdown(value)}")

    fact_rows: list[dict[str, str]] = []
    left, right = st.columns(2)
    with left:
        for heading, facts in profile.sections:
            st.subheader(escape_markdown(heading))
            link_list([anchor(page_href(entity=fact.other), fact.other_label) for fact in facts[:MAX_LINKS]])
            if len(facts) > MAX_LINKS:
                st.caption(f"… and {len(facts) - MAX_LINKS:,} more (see the fact table below)")
    with right:
        st.subheader("Where it came from")
        near_origins = [step for step in profile.origins if step.depth <= ORIGIN_DEPTH]
        if near_origins:
            shown = near_origins[:MAX_LINKS]
            link_list([anchor(page_href(entity=step.id), label_of(graph, step.id), before="↑ ",
                              after=f" {INVERSE_PHRASES.get(step.via, step.via)} {label_of(graph, step.parent)}")
                       for step in shown], [step.depth - 1 for step in shown])
        else:
            st.caption("No recorded origins.")
        st.subheader("What grew from it")
        if profile.descendants:
            shown = profile.descendants[:MAX_LINKS]
            link_list([anchor(page_href(entity=step.id), label_of(graph, step.id), before="↓ ",
                              after=f" {RELATION_PHRASES.get(step.via, step.via)} {label_of(graph, step.parent)}")
                       for step in shown], [step.depth - 1 for step in shown])
            if profile.descendants_total > MAX_LINKS:
                st.caption(f"… {profile.descendants_total:,} in all")
        else:
            st.caption("Nothing recorded as growing from it.")
        link_list([anchor(page_href(LINEAGE_PAGE, entity=entity_id), "Open the family tree and timeline")])
        if profile.related:
            st.subheader("Related")
            # one line per related entity: several facts with the same entity share its line
            phrases: dict[str, list[str]] = {}
            for fact in profile.related:
                phrases.setdefault(fact.other, [])
                if fact.phrase not in phrases[fact.other]:
                    phrases[fact.other].append(fact.phrase)
            link_list([anchor(page_href(entity=other), label_of(graph, other), before=" and ".join(said) + " ")
                       for other, said in list(phrases.items())[:MAX_LINKS]])
            if len(phrases) > MAX_LINKS:
                st.caption(f"… {len(phrases):,} related entities in all (see the table below)")

    for _, facts in [*profile.sections, ("Related", profile.related)]:
        for fact in facts:
            subject, obj = (profile.label, fact.other_label) if fact.outgoing else (fact.other_label, profile.label)
            fact_rows.append({
                "fact": f"{subject} {RELATION_PHRASES.get(fact.relation, fact.relation)} {obj}",
                "source": "; ".join(sources[s].title if s in sources else s for s in fact.sources),
                "cited as": in_text_citations(references, fact.sources),
                "evidence": " / ".join(f"“{e['text']}”" for e in fact.evidence),
                "note": " / ".join(fact.notes),
            })
    st.subheader("Every fact, its source and evidence")
    st.dataframe(fact_rows, hide_index=True, width="stretch")
    st.caption("Described by: " + escape_markdown("; ".join(
        sources[s].title if s in sources else s for s in profile.sources)))
    st.subheader("Sources")
    st.markdown('<ol class="tkg-references">' + "".join(f"<li>{ref.html()}</li>" for ref in references) + "</ol>",
                unsafe_allow_html=True)
    st.subheader("Cite this page")
    citation = cite_this_page(profile.label, entity_url(entity_id), date.today())
    st.code(citation, language=None, wrap_lines=True)
    st.caption("APA style (7th edition), with today's date as the date you read it. For a single fact, cite its "
               "source above (the table's “cited as” column).")
elif not typed.strip():
    st.caption("Search for a therapy, a theory, a theorist, a condition or a technique, then open it.")
