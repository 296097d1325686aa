"""SPARQL page: an editor pre-filled with the example queries, results as a table, CSV/JSON downloads, plain errors."""

from __future__ import annotations

import csv
import io
import json

import streamlit as st

from explorer.data import current_data, sparql_outcome
from explorer.markup import choice_param, escape_markdown
from graph.views.sparql_workers import SPARQL_TIMEOUT
from ontology.example_queries import example_queries

data = current_data()
st.title("SPARQL")
by_stem = {example.stem: example for example in example_queries()}
stems = list(by_stem)
wanted = choice_param("example", stems, stems[0] if stems else "")
chosen = st.selectbox("Example query", stems, index=stems.index(wanted) if wanted in stems else 0,
                      format_func=lambda stem: f"{stem.replace('-', ' ')}: {by_stem[stem].title}")
if chosen and st.query_params.get("example") != chosen:
    st.query_params["example"] = chosen
st.caption(f"Prefixes tkg:, skos:, rdfs:, dct:, prov:, xsd: and id: are predeclared. The default graph is the union "
           f"of all sources; GRAPH ?g finds each fact's source. Queries stop after {SPARQL_TIMEOUT:g} s.")
query = st.text_area("Query", value=by_stem[chosen].text if chosen else "SELECT * WHERE { ?s ?p ?o } LIMIT 10",
                     height=260, key=f"sparql-text-{chosen}")
st.button("Run", type="primary", icon=":material/play_arrow:",
          help="Runs the query above (Ctrl+Enter in the editor does the same).")
outcome = sparql_outcome(data, query)
if outcome.error:
    st.error("The query did not run: " + escape_markdown(outcome.error))
elif outcome.boolean is not None:
    st.success(f"Answer: {'yes' if outcome.boolean else 'no'} ({outcome.seconds * 1000:.0f} ms)")
else:
    st.caption(f"{len(outcome.rows):,} rows{' (first rows only)' if outcome.truncated else ''} "
               f"in {outcome.seconds * 1000:.0f} ms")
    st.dataframe(outcome.rows, hide_index=True, width="stretch", column_order=outcome.columns)
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=outcome.columns)
    writer.writeheader()
    writer.writerows(outcome.rows)
    csv_column, json_column = st.columns(2)
    with csv_column:
        st.download_button("Download CSV", text.getvalue().encode("utf-8"), file_name=f"{chosen or 'query'}.csv",
                           mime="text/csv")
    with json_column:
        st.download_button("Download JSON", json.dumps(outcome.rows, ensure_ascii=False, indent=1).encode("utf-8"),
                           file_name=f"{chosen or 'query'}.json", mime="application/json")
if chosen and by_stem[chosen].description:
    st.caption("About this example: " + escape_markdown(by_stem[chosen].description))
