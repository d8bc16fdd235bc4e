"""The web UI in real headless Chromium (Debian's chromium driven by Playwright), on real documents."""

import re
import shutil
import threading
from pathlib import Path

import pytest

from corpus.importers import import_paths
from corpus.sqlite_store import SQLiteStore
from crawler.browser import CHROMIUM, FLAGS
from indexer.build import update_index
from tests.test_indexer import FILES
from webui import create_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(corpus_dir, tmp_path_factory):
    """`serve`'s WSGI server (waitress) on 127.0.0.1 with an index of real documents."""
    from waitress.server import create_server

    from treatysearch.cli import readers

    folder = tmp_path_factory.mktemp("site")
    store = SQLiteStore(folder / "corpus.sqlite3")
    import_paths(store, [corpus_dir / f for f in FILES], readers())
    update_index(store, folder / "index")
    app = create_app({"STORE": store, "INDEX_PATH": str(folder / "index"), "DATA_DIR": str(folder)})
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium); .ci/run installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, screenshots, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    page.screenshot(path=str(screenshots / f"{request.node.name}.png"), full_page=False)
    context.close()


def hits(page):
    return page.locator("#results li.hit")


def test_search_from_the_box(server, page):
    page.goto(server + "/")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("Kyrgyz cooperation")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=Kyrgyz\+cooperation"))
    assert hits(page).count() > 0
    assert page.locator("#results li.hit mark").first.is_visible()


def test_click_a_facet_and_go_back(server, page):
    page.goto(server + "/search?q=cooperation")
    total = page.locator("#total").inner_text()
    page.locator('#facet-party a[data-value="KGZ"]').click()
    page.wait_for_url(re.compile(r"party=KGZ"))
    assert page.locator('#facet-party a.selected[data-value="KGZ"]').count() == 1
    parties = page.locator("#results .parties").all_inner_texts()
    assert parties and all("KGZ" in p for p in parties)
    page.go_back()
    page.wait_for_url(re.compile(r"q=cooperation$"))
    assert page.locator("#total").inner_text() == total
    page.go_forward()
    page.wait_for_url(re.compile(r"party=KGZ"))


def test_year_histogram_bar_filters_by_year(server, page):
    page.goto(server + "/search?q=cooperation")
    bar = page.locator("svg.histogram a.bar").filter(has=page.locator("rect[height]:not([height='0.0'])")).last
    year = bar.get_attribute("data-year")
    bar.click()
    page.wait_for_url(re.compile(rf"from={year}&to={year}|from={year}.*to={year}"))
    dates = page.locator("#results .date").all_inner_texts()
    assert dates and all(d.startswith(year) for d in dates)


def test_open_a_document_and_follow_a_clause_permalink(server, page):
    page.goto(server + '/search?q="Franco-British memorandum"')
    clause_link = page.locator("#results a.clause-link").first
    number = clause_link.inner_text().split()[-1]
    clause_link.click()
    page.wait_for_url(re.compile(rf"/documents/\w+#c{number}$"))
    target = page.locator(f"#c{number}")
    assert target.is_visible() and "Franco-British" in target.inner_text()
    assert page.evaluate("document.querySelector(':target').id") == f"c{number}"
    page.locator("#c3 a.permalink").click()
    assert page.url.endswith("#c3")


def test_keyboard_navigation(server, page):
    page.goto(server + "/search?q=cooperation")
    page.locator("body").click(position={"x": 5, "y": 800})
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert page.locator("#results li.hit").nth(1).get_attribute("class") == "hit current"
    page.keyboard.press("k")
    current = page.locator("#results li.hit.current")
    assert current.count() == 1 and current.get_attribute("data-id") == hits(page).first.get_attribute("data-id")
    doc_id = current.get_attribute("data-id")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/documents/{doc_id}$"))
    assert page.locator("h1").is_visible()


def test_phone_width_and_no_script_errors(server, browser, screenshots):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(server + "/search?q=сотрудничество")
    assert hits(page).count() > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # no sideways scrolling
    page.screenshot(path=str(screenshots / "phone_search.png"), full_page=True)
    context.close()
    assert errors == []


def test_works_without_javascript(server, browser, screenshots):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "/search?q=Kyrgyz")
    page.locator("#facet-type a.facet-value").first.click()
    page.wait_for_url(re.compile(r"type="))
    assert hits(page).count() > 0
    page.screenshot(path=str(screenshots / "no_javascript.png"))
    context.close()


def test_compare_two_treaties_from_the_document_page(server, page):
    page.goto(server + "/search?q=title:Tajikistan&type=treaty&lang=en")
    page.locator("#results a.hit-link").first.click()
    page.wait_for_url(re.compile(r"/documents/\w+$"))
    select = page.locator("form.compare select")
    kazakhstan = next(o for o in select.locator("option").all() if "Kazakhstan" in o.inner_text())
    select.select_option(kazakhstan.get_attribute("value"))
    page.locator("form.compare button").click()
    page.wait_for_url(re.compile(r"/compare\?a=\w+&b=\w+"))
    assert page.locator("#aligned tr.row").count() >= 20
    assert page.locator("#aligned tr.moved").count() >= 1  # articles 8 and 9 swap places
    assert page.locator("#aligned ins, #aligned del").count() > 10
    page.locator("#change-list a").nth(2).click()
    assert re.search(r"#row-\d+$", page.url)
    page.locator("#only-changes").click()
    page.wait_for_url(re.compile(r"changes=1"))
    kinds = set(page.locator("#aligned tr.row").evaluate_all("rows => rows.map(r => r.dataset.kind)"))
    assert kinds and "identical" not in kinds


def test_series_view_across_years(server, page):
    page.goto(server + "/series?party=KAZ&party=RUS&lang=ru")
    header = page.locator("#series-table thead th").all_inner_texts()
    assert header[0] == "clause" and header[-1] == "first seen"
    assert page.locator("#series-table tbody tr").count() > 10
    assert page.locator("#series-table td.status-identical, #series-table td.status-reworded").count() > 0
    page.locator("#series-table a.elsewhere").first.click()
    page.wait_for_url(re.compile(r"/clauses/1/elsewhere$"))
    assert page.locator("#clause").is_visible()
