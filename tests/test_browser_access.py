"""Accessibility, narrow screens and keys in real headless Chromium: axe-core on every kind of page."""

import json
import re
from pathlib import Path

import pytest

from tests.test_browser import browser, server  # noqa: F401 (module fixtures: the browser and the served corpus)

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parents[1] / ".axe" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = [
    "wcag2a",
    "wcag2aa",
    "wcag21a",
    "wcag21aa",
    "wcag22aa",
    "best-practice",
]  # best practice: landmarks, headings
PHONE, DESK = {"width": 390, "height": 844}, {"width": 1366, "height": 900}


def first_hit(page, server, query: str) -> str:  # noqa: F811
    page.goto(server + "/search?" + query)
    return page.locator("#results li.hit").first.get_attribute("data-id")


@pytest.fixture(scope="module")
def pages(server, browser):  # noqa: F811
    """Every kind of page, by name: search, document, comparison, series, genealogy, status and two error pages."""
    context = browser.new_context()
    page = context.new_page()
    treaty = first_hit(page, server, "q=title:Tajikistan&type=treaty&lang=en")
    other = first_hit(page, server, "q=title:Kazakhstan&type=treaty&lang=en")
    statement = first_hit(page, server, "q=Kyrgyz+cooperation")
    context.close()
    return {
        "search": "/search?q=cooperation&party=RUS",
        "document": f"/documents/{statement}",
        "comparison": f"/compare?a={treaty}&b={other}",
        "series": "/series?party=KAZ&party=RUS&lang=ru",
        "genealogy": f"/documents/{treaty}/genealogy",
        "status": "/status",
        "error": "/search?q=%22joint+statement+party:RUS",
        "error-compare": f"/compare?a={treaty}&b=nope",
    }


@pytest.fixture
def open_page(browser):  # noqa: F811
    """A page at a given viewport, with the local axe-core allowed in (our CSP forbids injected scripts)."""
    contexts = []

    def opener(viewport=DESK, **options):
        context = browser.new_context(viewport=viewport, bypass_csp=True, **options)
        contexts.append(context)
        return context.new_page()

    yield opener
    for context in contexts:
        context.close()


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"]), "first": v["nodes"][0]["html"][:200]}
        for v in result["violations"]
    ]


@pytest.mark.parametrize(
    "name", ["search", "document", "comparison", "series", "genealogy", "status", "error", "error-compare"]
)
def test_axe_finds_no_serious_violation_and_nothing_is_wider_than_a_phone(name, pages, server, open_page, screenshots):  # noqa: F811
    if not AXE.exists():
        pytest.skip("axe-core is not installed: npm install --prefix .axe axe-core (.ci/run does it)")
    counts = {}
    for label, viewport in (("390", PHONE), ("1366", DESK)):
        page = open_page(viewport)
        script_errors = []
        page.on("pageerror", lambda error, errors=script_errors: errors.append(str(error)))
        page.goto(server + pages[name])
        page.screenshot(path=str(screenshots / f"access_{name}_{label}.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        violations = axe_violations(page)
        counts[label] = {
            impact: sum(v["impact"] == impact for v in violations)
            for impact in ("critical", "serious", "moderate", "minor")
        }
        print(
            f"axe {name} at {label} px: {json.dumps(counts[label])} {[v['id'] for v in violations]}; page width {width}"
        )
        assert [v for v in violations if v["impact"] in ("serious", "critical")] == []
        assert script_errors == []
        if viewport is PHONE:
            assert width <= 390


def test_skip_link_is_the_first_tab_stop_and_leads_to_the_content(server, open_page):  # noqa: F811
    page = open_page()
    page.goto(server + "/search?q=cooperation")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").bounding_box()["y"] >= 0  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("name", ["search", "document", "status", "error"])
def test_slash_and_escape_on_every_page(name, pages, server, open_page):  # noqa: F811
    page = open_page()
    page.goto(server + pages[name])
    page.locator("main").click(position={"x": 2, "y": 2})
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("abc")
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.id") != "q"
    page.keyboard.press("j")  # a key typed after Esc is a command again, not text in the box
    assert "abcj" not in page.locator("#q").input_value()


def test_question_mark_lists_the_keys_of_the_page(pages, server, open_page):  # noqa: F811
    page = open_page()
    page.goto(server + pages["document"])
    page.keyboard.press("?")
    dialog = page.locator("#keys-help")
    assert dialog.is_visible()
    keys = dialog.locator("dt kbd").all_inner_texts()
    assert {"/", "Esc", "?", "[", "]", "c"} <= set(keys) and "j" not in keys
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    page.goto(server + pages["search"])
    page.keyboard.press("?")
    assert {"j", "k"} <= set(page.locator("#keys-help dt kbd").all_inner_texts())


def test_brackets_move_between_clauses_and_c_copies_the_permalink(pages, server, open_page):  # noqa: F811
    page = open_page(permissions=["clipboard-read", "clipboard-write"])
    page.goto(server + pages["document"])
    page.keyboard.press("]")
    page.keyboard.press("]")
    assert page.evaluate("location.hash") == "#c2"
    assert page.evaluate("document.activeElement.closest('li').id") == "c2"
    page.keyboard.press("[")
    assert page.evaluate("location.hash") == "#c1"
    page.keyboard.press("c")
    page.wait_for_function("document.getElementById('announce').textContent.includes('clause 1')")
    assert page.evaluate("navigator.clipboard.readText()") == server + pages["document"] + "#c1"


def test_histogram_is_one_tab_stop_and_arrow_keys_move_between_years(server, open_page):  # noqa: F811
    page = open_page()
    page.goto(server + "/search?q=cooperation")
    bars = page.locator("svg.histogram a.bar")
    tab_stops = bars.evaluate_all("bars => bars.filter(b => b.tabIndex === 0).length")
    assert tab_stops == 1 and bars.count() > 3
    page.locator("#q").focus()
    in_histogram = "!!document.activeElement.closest('.histogram')"
    for _ in range(80):  # Tab through the page to the histogram …
        page.keyboard.press("Tab")
        if page.evaluate(in_histogram):
            break
    page.keyboard.press("Tab")  # … and one more Tab leaves it
    assert not page.evaluate(in_histogram)
    first = bars.first.get_attribute("data-year")
    page.locator("svg.histogram a.bar[tabindex='0']").focus()
    page.keyboard.press("Home")
    assert page.evaluate("document.activeElement.dataset.year") == first
    page.keyboard.press("ArrowRight")
    second = bars.nth(1).get_attribute("data-year")
    assert page.evaluate("document.activeElement.dataset.year") == second
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"from={second}&to={second}"))


def test_filters_fold_behind_a_button_at_the_top_on_a_phone(server, open_page):  # noqa: F811
    page = open_page(PHONE)
    page.goto(server + "/search?q=cooperation&party=RUS&lang=en")
    button = page.locator("#filters-button")
    assert button.is_visible() and button.inner_text() == "Filters (2 active)"
    assert button.bounding_box()["y"] < page.locator("#results li.hit").first.bounding_box()["y"]
    assert not page.locator("#facet-party").is_visible()
    button.click()
    assert page.locator("#facet-party").is_visible()
    wide = open_page(DESK)
    wide.goto(server + "/search?q=cooperation&party=RUS")
    assert not wide.locator("#filters-button").is_visible() and wide.locator("#facet-party").is_visible()


def test_error_page_keeps_the_query_and_points_at_the_problem(pages, server, open_page):  # noqa: F811
    page = open_page()
    page.goto(server + pages["error"])
    assert page.locator("#q").input_value() == '"joint statement party:RUS'
    assert "at character 1" in page.locator("#error-position").inner_text().lower()
    page.locator("#error-suggestion a").click()
    page.wait_for_url(re.compile(r"/search\?q="))
    assert page.locator("#results li.hit").count() > 0
    page.goto(server + pages["error-compare"])
    assert page.locator("h1").inner_text() == "A document to compare is not there"
    assert page.locator("#q").input_value() == ""
