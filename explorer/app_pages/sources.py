"""Sources page: every source and what it contributes; upload a page to see what the loader extracts and add it."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from explorer.data import add_to_session, cached_source_facts, current_data, forget_session_pages, source_table
from explorer.markup import choice_param, escape_markdown
from graph.pipeline.resolve import PageResolver
from graph.views.backends import LoadedGraph
from graph.views.review import Reference, reference_from_kg, reference_from_networkx, relation_phrase, review_extraction
from loaders.registry import PageReading, extensions, load_page
from ontology.records import RecordError


@st.cache_resource(show_spinner=False, max_entries=4)
def graph_reference(token: str, _data: LoadedGraph) -> Reference:
    """What the graph holds, for reviewing an uploaded page: curated facts by SPARQL, or from networkx (Neo4j)."""
    return reference_from_kg(_data.kg) if _data.kg is not None else reference_from_networkx(_data.graph)


data = current_data()
graph = data.graph
st.title("Sources")
contributions = source_table(data)
st.dataframe([{"source": c.source.id, "title": c.source.title, "kind": c.source.kind, "author": c.source.author,
               "year": c.source.year, "entities": c.entity_total, "facts": c.fact_total}
              for c in contributions], hide_index=True, width="stretch")

ids = [c.source.id for c in contributions]
wanted = choice_param("source", ids, ids[0] if ids else "")
picked = st.selectbox("What does a source contribute?", ids, index=ids.index(wanted) if wanted in ids else 0,
                      format_func=lambda s: next((c.source.title for c in contributions if c.source.id == s), s))
if picked:
    if st.query_params.get("source") != picked:
        st.query_params["source"] = picked
    contribution = next(c for c in contributions if c.source.id == picked)
    if contribution.source.url:
        st.caption("Link: " + escape_markdown(contribution.source.url))
    by_class, by_relation = st.columns(2)
    with by_class:
        st.markdown("**Entities by class**")
        st.dataframe([{"class": k, "entities": v} for k, v in contribution.entities.most_common()],
                     hide_index=True, width="stretch")
    with by_relation:
        st.markdown("**Facts by relation**")
        st.dataframe([{"relation": k, "facts": v} for k, v in contribution.facts.most_common()],
                     hide_index=True, width="stretch")
    st.markdown("**Facts, with quoted evidence where the source gives it**")
    st.dataframe([{"subject": s, "relation": r, "object": o, "evidence": q} for s, r, o, q in
                  cached_source_facts(data.token, picked, data)], hide_index=True, width="stretch")

st.divider()
st.subheader("Try a page of your own")
st.caption("Upload a therapy page (plain text, Markdown or HTML). You will see what the loader extracts; you can then "
           "add it to your session's graph. The shared graph is never changed.")
upload = st.file_uploader("Page file", type=list(extensions("page")))
if upload is not None:
    name = Path(upload.name).name or "page.txt"
    reading: PageReading | None = None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(upload.getvalue())
        try:
            resolver = PageResolver(data.names)
            reading = load_page(path, resolver, gazetteer=resolver.gazetteer)
        except RecordError as error:
            st.error("This file could not be read as a page: " + escape_markdown(str(error).replace(str(path), name)))
        except Exception as error:  # noqa: BLE001 - a page must never crash the explorer
            st.error(escape_markdown(f"The loader could not handle {name}: {type(error).__name__}: {error}"))
    if reading is not None:
        extraction = reading.extraction
        st.success(f"Read {escape_markdown(name)} as {reading.format}: {len(extraction.entities)} entities, "
                   f"{len(extraction.facts)} facts.")
        for warning in reading.warnings:
            st.warning(escape_markdown(warning.replace(str(path), name)))
        if not extraction.entities and not extraction.facts:
            st.info("The loader found nothing to extract from this page.")
        review = review_extraction(extraction, graph_reference(data.token, data))
        new = len(review.new_entities)
        st.markdown(f"**Review before trust**: {new} of {len(review.entities)} entities are new; of its facts "
                    f"{len(review.contradicts)} contradict curated facts, {len(review.confirms)} confirm them and "
                    f"{len(review.adds)} add to the graph.")
        if review.contradicts:
            st.warning(f"This page contradicts {len(review.contradicts)} curated fact(s); check them before adding it.")
            st.dataframe([{"subject": r.subject, "relation": relation_phrase(r.relation), "page says": r.value,
                           "curated": ", ".join(r.curated), "conflict": r.conflict,
                           "curated sources": ", ".join(r.curated_sources), "evidence": r.evidence}
                          for r in review.contradicts], hide_index=True, width="stretch")
        st.dataframe([{"entity": e.label, "class": e.type, "in the graph": "already in the graph" if e.known else "new"}
                      for e in review.entities], hide_index=True, width="stretch")
        verdicts = [("contradicts curated", review.contradicts), ("confirms curated", review.confirms),
                    ("adds", review.adds)]
        st.dataframe([{"subject": r.subject, "relation": relation_phrase(r.relation), "object": r.value,
                       "review": verdict, "evidence": r.evidence} for verdict, rows in verdicts for r in rows],
                     hide_index=True, width="stretch")
        if name in data.session_pages:
            st.info(f"{escape_markdown(name)} is already in your session graph.")
        elif st.button("Add to my session graph", disabled=data.kg is None):
            try:
                add_to_session(data, extraction, name)
            except Exception as error:  # noqa: BLE001 - shown, not raised
                st.error(escape_markdown(f"Could not add {name}: {error}"))
            else:
                st.rerun()
if data.session_pages and st.button("Forget the pages I added"):
    forget_session_pages()
    st.rerun()
