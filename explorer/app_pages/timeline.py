"""Timeline page: approaches by the decade they were introduced, a range of decades and a family filter."""

from __future__ import annotations

import streamlit as st

from explorer.data import current_data
from explorer.markup import anchor, entity_caption, int_param, link_list, list_param, page_href
from graph.views.explore import approaches_by_decade, families_of, label_of

data = current_data()
graph = data.graph
st.title("Timeline")
st.caption("Therapy approaches by the decade they were introduced (the earliest a source gives). Narrow the decades "
           "to reveal the field as it grew; pick families to follow one school.")
dated, undated = approaches_by_decade(graph)
if not dated and not undated:
    st.info("This graph holds no therapy approaches.")
    st.stop()
families = families_of(graph, [node for _, ids in dated for node in ids] + undated)
family_sizes: dict[str, int] = {}
for family in families.values():
    family_sizes[family] = family_sizes.get(family, 0) + 1
named_families = sorted((f for f, size in family_sizes.items() if size > 1),
                        key=lambda f: label_of(graph, f).casefold())
decades = [decade for decade, _ in dated]
first, last = (decades[0], decades[-1]) if decades else (1900, 2020)
low = int_param("from", first, first, last)
high = int_param("to", last, low, last)
if decades and first < last:
    low, high = st.slider("Decades", first, last, (low, high), step=10, format="%ds")
chosen = st.multiselect("Only these families (none = all)", named_families,
                        default=list_param("family", named_families),
                        format_func=lambda f: f"{label_of(graph, f)} ({family_sizes[f]})")
for name, value in (("from", str(low)), ("to", str(high)), ("family", ",".join(chosen))):
    if value and st.query_params.get(name) != value:
        st.query_params[name] = value
    elif not value and name in st.query_params:
        del st.query_params[name]


def wanted(node: str) -> bool:
    """Whether an approach passes the family filter."""
    return not chosen or families[node] in chosen


shown = 0
for decade, ids in dated:
    if not low <= decade <= high:
        continue
    kept = [node for node in ids if wanted(node)]
    if kept:
        st.subheader(f"{decade}s ({len(kept)})")
        link_list([anchor(page_href(entity=node), entity_caption(data, node)) for node in kept])
        shown += len(kept)
if not shown:
    st.caption("No dated approach in these decades and families.")
left_out = [node for node in undated if wanted(node)]
if left_out:
    with st.expander(f"Undated: {len(left_out)} approaches no source dates"):
        link_list([anchor(page_href(entity=node), entity_caption(data, node)) for node in left_out])
