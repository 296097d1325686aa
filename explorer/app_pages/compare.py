"""Compare page: two to four modalities side by side, with what they all share highlighted."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from explorer.data import current_data
from explorer.markup import entity_picker, escape_markdown, list_param
from graph.views.explore import compare_modalities

SHARED_STYLE = "background-color: #fff3bf; font-weight: 600"
DEFAULTS = ("modality/mentalization-based-treatment", "modality/dyadic-developmental-psychotherapy",
            "modality/emotionally-focused-therapy")

data = current_data()
graph = data.graph
st.title("Compare modalities")
st.caption("Pick two to four. Entries every chosen modality shares are highlighted.")
listed = list_param("m", graph)[:4]
if not listed and "m" not in st.query_params:
    listed = [m for m in DEFAULTS if m in graph][:2]
slots = st.columns(4)
chosen: list[str] = []
for number, column in enumerate(slots):
    with column:
        current = listed[number] if number < len(listed) else None
        picked = entity_picker(data, f"Modality {number + 1}", f"compare-{number}", current, types=("Modality",),
                               allow_empty=True)
        if picked and picked not in chosen:
            chosen.append(picked)
if ",".join(chosen) != st.query_params.get("m", ""):
    st.query_params["m"] = ",".join(chosen)

if len(chosen) < 2:
    st.info("Choose at least two modalities.")
else:
    comparison = compare_modalities(graph, chosen, data.notes)
    table = pd.DataFrame({label: [", ".join(cells[i]) or "—" for _, cells in comparison.rows]
                          for i, label in enumerate(comparison.labels)},
                         index=[heading for heading, _ in comparison.rows])
    if len(set(comparison.labels)) < len(comparison.labels):
        table.columns = [f"{label} ({i + 1})" for i, label in enumerate(comparison.labels)]

    def highlight(row: pd.Series) -> list[str]:
        shared = set(comparison.shared.get(str(row.name), ()))
        return [SHARED_STYLE if shared and shared & {part.strip() for part in str(v).split(",")} else ""
                for v in row]

    st.dataframe(table.style.apply(highlight, axis=1), width="stretch")
    st.subheader("What they all share")
    if comparison.shared:
        for heading, items in comparison.shared.items():
            st.markdown(f"**{escape_markdown(heading)}:** {escape_markdown(', '.join(items))}")
    else:
        st.caption("Nothing is shared by all of them.")
    st.subheader("Evidence and notes")
    for label, notes in zip(comparison.labels, comparison.notes, strict=True):
        with st.expander(f"{escape_markdown(label)}: {len(notes)} quoted or annotated facts"):
            for note in notes:
                st.markdown("- " + escape_markdown(note))
            if not notes:
                st.caption("No quoted evidence or curator notes.")
