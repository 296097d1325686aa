"""Search and entity page: type-ahead over labels and aliases, then everything known about one entity, with sources."""

from __future__ import annotations

import streamlit as st

from explorer.data import current_data
from explorer.markup import LINEAGE_PAGE, entity_link, escape_markdown
from graph.views.explore import INVERSE_PHRASES, dating_sources, entity_profile, label_of, life_years
from graph.views.lineage import RELATION_PHRASES

MAX_LINKS = 40
ORIGIN_DEPTH = 2  # the entity page shows two generations; the Lineage page shows all

data = current_data()
graph = data.graph
st.title("Search the graph")
typed = st.text_input("Name, acronym or alias", value=st.query_params.get("q", ""), key="search-text",
                      placeholder="e.g. Fonagy, MBT, attachment")
if typed.strip():
    st.query_params["q"] = typed
    hits = data.search.search(typed, 25)
    if not hits:
        st.info("Nothing matches that name. Try part of a word, or an acronym such as MBT.")
    for hit in hits:
        label = f"{hit.label} — {hit.type}" + (f" (also called {hit.matched})" if hit.matched else "")
        st.page_link("app_pages/search.py", label=escape_markdown(label),
                     query_params={"q": typed, "entity": hit.id})
elif "q" in st.query_params:
    del st.query_params["q"]

entity_id = st.query_params.get("entity")
if entity_id and entity_id not in graph:
    st.error(f"There is no entity with the id {escape_markdown(repr(entity_id))} in this graph.")
elif entity_id:
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
    for relation, value, _source in profile.details:
        name = "Typical duration" if relation == "typicalDuration" else "What sessions are like"
        st.markdown(f"**{name}:** {escape_markdown(value)}")

    fact_rows: list[dict[str, str]] = []
    left, right = st.columns(2)
    with left:
        for heading, facts in profile.sections:
            st.subheader(escape_markdown(heading))
            for fact in facts[:MAX_LINKS]:
                entity_link(fact.other, fact.other_label)
            if len(facts) > MAX_LINKS:
                st.caption(f"… and {len(facts) - MAX_LINKS:,} more (see the fact table below)")
    with right:
        st.subheader("Where it came from")
        near_origins = [step for step in profile.origins if step.depth <= ORIGIN_DEPTH]
        if near_origins:
            for step in near_origins[:MAX_LINKS]:
                indent = "  " * (step.depth - 1)
                phrase = INVERSE_PHRASES.get(step.via, step.via)
                st.text(f"{indent}↑ {label_of(graph, step.id)} {phrase} {label_of(graph, step.parent)}")
        else:
            st.caption("No recorded origins.")
        st.subheader("What grew from it")
        if profile.descendants:
            for step in profile.descendants[:MAX_LINKS]:
                indent = "  " * (step.depth - 1)
                phrase = RELATION_PHRASES.get(step.via, step.via)
                st.text(f"{indent}↓ {label_of(graph, step.id)} {phrase} {label_of(graph, step.parent)}")
            if profile.descendants_total > MAX_LINKS:
                st.caption(f"… {profile.descendants_total:,} in all")
        else:
            st.caption("Nothing recorded as growing from it.")
        st.page_link(LINEAGE_PAGE, label="Open the family tree and timeline", icon=":material/family_history:",
                     query_params={"entity": entity_id})
        if profile.related:
            st.subheader("Related")
            for fact in profile.related[:MAX_LINKS]:
                entity_link(fact.other, f"{fact.phrase}: {fact.other_label}")
            if len(profile.related) > MAX_LINKS:
                st.caption(f"… {len(profile.related):,} related facts in all (see the table below)")

    for _, facts in [*profile.sections, ("Related", profile.related)]:
        for fact in facts:
            subject, obj = (profile.label, fact.other_label) if fact.outgoing else (fact.other_label, profile.label)
            fact_rows.append({
                "fact": f"{subject} {RELATION_PHRASES.get(fact.relation, fact.relation)} {obj}",
                "source": "; ".join(sources[s].title if s in sources else s for s in fact.sources),
                "evidence": " / ".join(f"“{e['text']}”" for e in fact.evidence),
                "note": " / ".join(fact.notes),
            })
    st.subheader("Every fact, its source and evidence")
    st.dataframe(fact_rows, hide_index=True, width="stretch")
    st.caption("Described by: " + escape_markdown("; ".join(
        sources[s].title if s in sources else s for s in profile.sources)))
elif not typed.strip():
    st.caption("Search for a therapy, a theory, a theorist, a condition or a technique, then open it.")
