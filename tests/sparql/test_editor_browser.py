"""The query editor a browser gets at `/`: YASGUI served locally, our examples one click away, answers shown."""

from __future__ import annotations

import pytest

from tests.sparql.conftest import RunningEndpoint

pytestmark = pytest.mark.browser


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
        page.click('button[data-example="lineage-of-a-modality"]')
        page.wait_for_function("() => yasgui.getTab().getYasqe().getValue().includes('Dyadic Developmental')")
        page.evaluate("() => yasgui.getTab().getYasqe().query()")
        page.wait_for_selector("text=Attachment-Focused Psychotherapy", timeout=20_000)
    finally:
        page.close()
    assert outside == []
