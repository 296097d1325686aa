"""The explorer's router: page setup, the backend note in the sidebar, and st.navigation over explorer/app_pages."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from streamlit.delta_generator import DeltaGenerator

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # `streamlit run explorer/streamlit_app.py` puts only explorer/ on the path
    sys.path.insert(0, str(REPO_ROOT))


CAPTION_SELECTOR = '[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] *'


def main() -> None:
    """Set up the page, note the graph in the sidebar, and run the page the URL names."""
    # Imported here, not at the top: the SPARQL worker processes import this script (see the guard below) and
    # need none of the app; at the top, each new worker would load Streamlit and log its no-runtime warnings.
    import streamlit as st

    # A Material icon, not the emoji 🌳: checking an emoji loads Streamlit's emoji catalogue, 0.1-0.2 s of every
    # server's first page.
    st.set_page_config(page_title="therapy-kg explorer", page_icon=":material/park:", layout="wide")
    pages = [
        st.Page("app_pages/start.py", title="Start", icon=":material/home:", url_path="start"),
        st.Page("app_pages/search.py", title="Search and entities", icon=":material/search:", default=True),
        st.Page("app_pages/lineage.py", title="Lineage", icon=":material/family_history:", url_path="lineage"),
        st.Page("app_pages/timeline.py", title="Timeline", icon=":material/timeline:", url_path="timeline"),
        st.Page("app_pages/map.py", title="Map", icon=":material/hub:", url_path="map"),
        st.Page("app_pages/compare.py", title="Compare", icon=":material/compare_arrows:", url_path="compare"),
        st.Page("app_pages/sparql.py", title="SPARQL", icon=":material/terminal:", url_path="sparql"),
        st.Page("app_pages/sources.py", title="Sources", icon=":material/menu_book:", url_path="sources"),
    ]
    navigation = st.navigation(pages)
    # Streamlit draws captions in a faded grey at 60% opacity: 2.7-3.9:1 on white, below WCAG AA's 4.5:1 for body
    # text (1.4.3). Captions get a solid grey instead: 7.0:1 on white (light theme), 9.4:1 on Streamlit's dark
    # background.
    dark = getattr(st.context.theme, "type", None) == "dark"
    st.html(f"<style>{CAPTION_SELECTOR} {{ color: {'#b8b8b8' if dark else '#595959'} !important; "
            "opacity: 1 !important; }</style>")
    # The note on the graph keeps its place at the top of the sidebar but is written after the page: the page's
    # first element (the search box of `/`) is then on screen before the graph's modules are imported and its
    # store opened (0.3-0.5 s of CPU on a server's first page).
    with st.sidebar:
        note = st.empty()
    page_failed = False
    try:
        navigation.run()
    except Exception:
        page_failed = True  # shown as the page's error; the note would only repeat a failing load
        raise
    finally:  # also after st.stop() or a switch to another page (BaseException, not Exception)
        if not page_failed:
            graph_note(note)


def graph_note(slot: DeltaGenerator) -> None:
    """Write which graph the explorer shows (backend, entities, facts, a session's added pages) into ``slot``."""
    import streamlit as st

    from explorer.data import current_data
    from explorer.markup import escape_markdown

    data = current_data()
    entities, facts = data.counts
    with slot.container():
        st.caption(f"Graph: {escape_markdown(data.description)}; {entities:,} entities, {facts:,} facts.")
        if data.session_pages:
            st.caption("Session pages added: " + escape_markdown(", ".join(data.session_pages)))


# Streamlit runs this script as __main__. The explorer's SPARQL worker processes (started with multiprocessing's
# spawn, graph/views/sparql_workers.py) import the running script as __mp_main__ and must not run the app.
if __name__ == "__main__":
    main()
