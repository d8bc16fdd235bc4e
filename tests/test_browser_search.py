"""The search page's facets, name widening and zero-hit help in real headless Chromium."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.test_browser import browser, hits, page, server  # noqa: F401  (the shared browser fixtures)

pytestmark = pytest.mark.browser


def parties_in_url(url: str) -> list[str]:
    return parse_qs(urlsplit(url).query).get("party", [])


def test_show_all_parties_and_filter_them(server, page):  # noqa: F811
    page.goto(server + "/")
    facet = page.locator("#facet-party")
    assert facet.locator("ul.top li").count() == 12
    hidden = facet.locator("ul.rest a.facet-value").first
    assert not hidden.is_visible()
    facet.locator("details.all-values summary").click()
    assert hidden.is_visible()
    label = hidden.locator(".label").inner_text()  # "Name (CODE)"
    code = hidden.get_attribute("data-value")
    assert label.endswith(f"({code})") or label == code
    facet.locator("input.facet-filter").fill(code.lower())
    shown = [t for t in facet.locator("li").all_inner_texts() if t]
    visible = [li for li in facet.locator("li").all() if li.is_visible()]
    assert 1 <= len(visible) < len(shown) and all(code.lower() in li.inner_text().lower() for li in visible)
    facet.locator(f'a[data-value="{code}"]').click()
    page.wait_for_url(re.compile(rf"party={code}"))
    assert page.locator(f'#facet-party ul.top a.selected[data-value="{code}"]').count() == 1


@pytest.mark.parametrize("mode", ["all", "any"])
def test_a_selected_party_can_be_taken_off_in_both_modes(server, page, mode):  # noqa: F811
    page.goto(server + "/")
    rest = page.locator("#facet-party ul.rest a.facet-value")
    rare = rest.nth(rest.count() - 1).get_attribute("data-value")  # one of the least frequent parties
    page.goto(f"{server}/search?party=RUS&party={rare}" + ("&mode=any" if mode == "any" else ""))
    selected = page.locator(f'#facet-party ul.top a.selected[data-value="{rare}"]')
    assert selected.count() == 1 and selected.is_visible()
    selected.click()
    page.wait_for_url(lambda url: rare not in url)
    assert parties_in_url(page.url) == ["RUS"]
    assert page.locator(f'#facet-party a.selected[data-value="{rare}"]').count() == 0


def test_a_widened_name_is_explained_on_the_hit(server, page):  # noqa: F811
    page.goto(server + "/search?q=Киргизия")
    names = page.locator("#results li.hit .names .name").all_inner_texts()
    assert names and all(n.startswith("Киргизия → ") for n in names)
    assert any("Kyrgyz" in n for n in names)


def test_a_search_with_no_hits_offers_ways_on(server, page):  # noqa: F811
    page.goto(server + '/search?q="stability strategic"')
    assert hits(page).count() == 0
    page.locator('#alternatives li[data-kind="words"] a').click()
    page.wait_for_url(re.compile(r"q=stability\+strategic"))
    assert hits(page).count() > 0
    page.goto(server + '/search?q="strategic stability"&party=ZWE')
    assert hits(page).count() == 0
    page.locator('#alternatives li[data-kind="no filters"] a').click()
    page.wait_for_url(lambda url: "party=" not in url)
    assert hits(page).count() > 0
