"""The query editor a browser gets at `/`: YASGUI served locally, our examples one click away, answers shown."""

from __future__ import annotations

import pytest

from tests.sparql.conftest import RunningEndpoint

pytestmark = pytest.mark.browser
EDITOR_READY = "() => typeof yasgui !== 'undefined' && !!yasgui.getTab()"
CLOSE_HINT_AND_REFOCUS = """() => { const y = yasgui.getTab().getYasqe();
  if (y.state.completionActive) y.state.completionActive.close();
  y.focus(); y.setCursor(y.lastLine(), y.getLine(y.lastLine()).length); }"""


def test_editor_runs_an_example_query_offline(endpoint: RunningEndpoint, browser: object) -> None:
    outside: list[str] = []
    page = browser.new_page()  # type: ignore[attr-defined]
    try:

        def only_local(route: object) -> None:
            request = route.request  # type: ignore[attr-defined]
            if request.url.startswith(endpoint.base_url) or request.url.startswith("data:"):
                route.continue_()  # type: ignore[attr-defined]
            else:
                outside.append(request.url)
                route.abort()  # type: ignore[attr-defined]

        page.route("**/*", only_local)
        page.goto(endpoint.base_url + "/", wait_until="networkidle")
        page.wait_for_function(EDITOR_READY)  # the editor script defines yasgui after the load, not before
        page.click('button[data-example="lineage-of-a-modality"]')
        page.wait_for_function("() => yasgui.getTab().getYasqe().getValue().includes('Dyadic Developmental')")
        page.evaluate("() => yasgui.getTab().getYasqe().query()")
        page.wait_for_selector("text=Attachment-Focused Psychotherapy", timeout=20_000)
    finally:
        page.close()
    assert outside == []


def test_typing_running_and_browsing_results_stays_on_the_endpoint_origin(endpoint: RunningEndpoint,
                                                                          browser: object) -> None:
    """Autocompletion triggers (a PREFIX, a class after ``a``, a property), a run and the result views: every
    request the page makes goes to the endpoint's own origin (YASQE's LOV and prefix.cc completers are off)."""
    outside: list[str] = []
    local: list[str] = []
    page = browser.new_page()  # type: ignore[attr-defined]
    try:

        def only_local(route: object) -> None:
            request = route.request  # type: ignore[attr-defined]
            if request.url.startswith(endpoint.base_url + "/") or request.url.startswith("data:"):
                local.append(request.url)
                route.continue_()  # type: ignore[attr-defined]
            else:
                outside.append(request.url)
                route.abort()  # type: ignore[attr-defined]

        page.route("**/*", only_local)
        page.goto(endpoint.base_url + "/", wait_until="networkidle")
        page.wait_for_function(EDITOR_READY)  # the editor script defines yasgui after the load, not before
        page.evaluate("() => yasgui.getTab().getYasqe().setValue('')")
        page.click(".CodeMirror")
        keyboard = page.keyboard
        for text in ("PREFIX ", "fo", "af:", " <http://xmlns.com/foaf/0.1/>\n", "SELECT ?s ?name WHERE {\n",
                     "  ?s a foaf:Pers", "on ;\n", "  foaf:na", "me ?x .\n", "  ?s a tkg:Mod", "ality ;\n",
                     "  skos:prefL", "abel ?name .\n", "  ?s rdfs:", "label ?name }\nLIMIT 5"):
            keyboard.type(text, delay=15)
            page.wait_for_timeout(250)  # completers fire on change: give them time to ask
            keyboard.press("Control+Space")
            page.wait_for_timeout(250)
            page.evaluate(CLOSE_HINT_AND_REFOCUS)  # Escape would leave the editor
        typed = page.evaluate("() => yasgui.getTab().getYasqe().getValue()")
        page.evaluate("() => yasgui.getTab().getYasqe().setValue("
                      "'SELECT ?s ?name WHERE { ?s a tkg:Modality ; skos:prefLabel ?name } ORDER BY ?name LIMIT 5')")
        page.evaluate("() => yasgui.getTab().getYasqe().query()")
        page.wait_for_selector("text=Acceptance and Commitment Therapy", timeout=20_000)
        for view in ("Response", "Table"):
            page.click(f"text={view}")
            page.wait_for_timeout(300)
        page.click("text=Acceptance and Commitment Therapy")
        page.wait_for_load_state("networkidle")
    finally:
        page.close()
    assert "?s a foaf:Person" in typed and "tkg:Modality" in typed  # the completers had their triggers
    assert outside == []
    assert any("/query" in url for url in local)  # the run went to the endpoint itself
