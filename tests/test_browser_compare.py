"""The comparison pages in headless Chromium on real documents, with screenshots: side by side, inline
redline, phone width, and the genealogy of the seed statement checked against a reading."""

import json
import re
import threading
from pathlib import Path

import pytest

from corpus.importers import import_paths
from corpus.sqlite_store import SQLiteStore
from indexer.build import update_index
from tests import test_browser
from webui import create_app

pytestmark = pytest.mark.browser
browser = test_browser.browser  # the same Chromium fixture
SEED = json.loads((Path(__file__).parent / "golden" / "seed_genealogy.json").read_text("utf-8"))
CRI = "whitehouse_joint_statements/statements-releases/{0}/{0}-{1}-international-counter-ransomware-initiative-{2}-"
CRI += "joint-statement.md"
FILES = [
    SEED["document"],
    *SEED["earlier"],
    CRI.format("2023-11", "01", 2023),
    CRI.format("2024-10", "02", 2024),
    "tota/xml/pta_423.xml",
    "tota/xml/pta_424.xml",
]


@pytest.fixture(scope="module")
def server(corpus_dir, tmp_path_factory):
    from waitress.server import create_server

    from treatysearch.cli import readers

    folder = tmp_path_factory.mktemp("compare-site")
    store = SQLiteStore(folder / "corpus.sqlite3")
    report = import_paths(store, [corpus_dir / f for f in FILES], readers())
    assert report.problems == []
    update_index(store, folder / "index")
    app = create_app({"STORE": store, "INDEX_PATH": str(folder / "index"), "DATA_DIR": str(folder)})
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    yield f"http://127.0.0.1:{server.effective_port}", store
    server.close()


def open_page(browser, width=1280, height=900):
    context = browser.new_context(viewport={"width": width, "height": height})
    return context, context.new_page()


def find(store, source_id: str):
    """A document by (the end of) its source's own id."""
    return next(d for d in store.iter_documents() if d.source_id.endswith(source_id))


def test_side_by_side_with_sticky_headers_map_and_keys(server, browser, screenshots):
    base, store = server
    a, b = sorted([find(store, "423"), find(store, "424")], key=lambda d: d.date)
    context, page = open_page(browser)
    page.goto(f"{base}/compare?a={b.id}&b={a.id}")
    assert page.locator("#doc-a").inner_text() == a.title  # the older on the left, whichever was asked first
    assert page.locator("#moved-blocks li").count() >= 1 and page.locator("#map line.moved").count() >= 1
    page.screenshot(path=str(screenshots / "compare_side_by_side.png"))
    page.mouse.wheel(0, 2500)
    page.wait_for_timeout(200)
    header = page.locator("#aligned thead th.b").bounding_box()
    assert header is not None and 0 <= header["y"] < 5  # the column headers stay in view
    page.screenshot(path=str(screenshots / "compare_side_by_side_scrolled.png"))
    page.keyboard.press("n")
    page.keyboard.press("n")
    current = page.locator("#aligned tr.current")
    assert current.count() == 1 and "identical" not in current.get_attribute("class")
    assert re.search(r"#row-\d+$", page.url)
    page.keyboard.press("s")
    page.wait_for_url(re.compile(rf"a={b.id}&b={a.id}&order=given"))
    context.close()


def test_weak_pairs_look_weaker_and_the_inline_redline(server, browser, screenshots):
    base, store = server
    old, new = find(store, "2023-joint-statement/"), find(store, "2024-joint-statement/")
    context, page = open_page(browser)
    page.goto(f"{base}/compare?a={old.id}&b={new.id}")
    weak = page.locator("#aligned tr.weak td.b").first
    strong = page.locator('#aligned tr.row[data-confidence="strong"] td.b').first
    style = "e => getComputedStyle(e).color + '|' + getComputedStyle(e).borderLeftStyle"
    assert weak.evaluate(style) != strong.evaluate(style) and "dashed" in weak.evaluate(style)
    page.locator("#mode-inline").click()
    page.wait_for_url(re.compile(r"mode=inline"))
    assert page.locator("#aligned td.inline del").count() > 0 and page.locator("#aligned td.inline ins").count() > 0
    assert page.locator("#aligned td.a").count() == 0
    page.screenshot(path=str(screenshots / "compare_inline_redline.png"))
    context.close()


def test_phone_width_stacks_a_above_b_without_sideways_scroll(server, browser, screenshots):
    base, store = server
    old, new = find(store, "2023-joint-statement/"), find(store, "2024-joint-statement/")
    context, page = open_page(browser, 390, 844)
    page.goto(f"{base}/compare?a={old.id}&b={new.id}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    row = page.locator("#aligned tr.kind-reworded").first
    box_a, box_b = row.locator("td.a").bounding_box(), row.locator("td.b").bounding_box()
    assert box_b["y"] >= box_a["y"] + box_a["height"] - 1 and box_a["width"] > 300
    assert page.locator("#map").is_hidden()
    assert page.locator("#change-list").is_hidden()  # folded on a phone
    page.locator("#changes summary").click()
    assert page.locator("#change-list").is_visible()
    page.locator("#changes summary").click()
    page.screenshot(path=str(screenshots / "compare_phone_390.png"), full_page=False)
    context.close()


def test_genealogy_of_the_seed_statement_agrees_with_the_reading(server, browser, screenshots):
    base, store = server
    seed = find(store, Path(SEED["document"]).name)
    context, page = open_page(browser)
    page.goto(f"{base}/documents/{seed.id}")
    page.locator("#genealogy-link").click()
    page.wait_for_url(re.compile(r"/genealogy$"))
    titles = page.locator("#series-table thead th.doc").evaluate_all("ths => ths.map(t => t.title)")
    earlier = [find(store, Path(p).name).title for p in SEED["earlier"]]
    assert set(earlier) <= set(titles)
    sure = page.locator("#series-table td.first .sure").all_inner_texts()
    hints = page.locator("#series-table td.first").evaluate_all("tds => tds.map(t => !!t.querySelector('.echo'))")
    assert len(sure) == len(seed.clauses)
    wanted = [SEED["first_seen"].get(str(n), "new") for n in range(1, len(sure) + 1)]
    # No sure answer contradicts the reading; a weak pair only hedges ("possibly since …") and is counted.
    assert all(got in (want, "") for got, want in zip(sure, wanted, strict=True))
    assert all(got == want for got, want, hint in zip(sure, wanted, hints, strict=True) if not hint)
    print(
        f"\nseed genealogy: {sum(s == w for s, w in zip(sure, wanted, strict=True))}/{len(sure)} answers as read, "
        f"{sum(hints)} weak hints"
    )
    page.screenshot(path=str(screenshots / "genealogy_seed.png"), full_page=False)
    context.close()


def test_genealogy_of_a_statement_series_agrees_with_the_gold(server, browser, screenshots):
    """CRI 2024 traced back to CRI 2023: each gold anchor of that pair says whether the 2024 unit stood in 2023."""
    from tests.gold_windows import locate
    from tests.test_compare_gold import GOLD, printed

    base, store = server
    old, new = find(store, "2023-joint-statement/"), find(store, "2024-joint-statement/")
    gold = next(p for p in GOLD if "2023-joint" in p["a"] and "2024-joint" in p["b"])
    context, page = open_page(browser)
    page.goto(f"{base}/documents/{new.id}/genealogy")
    page.screenshot(path=str(screenshots / "genealogy_cri_2024.png"), full_page=False)
    data = page.request.get(f"{base}/documents/{new.id}/genealogy.json").json()
    context.close()
    from compare.units import units

    ua, ub = printed(units(old)), printed(units(new))
    seen = {c["number"] - 1: c["first_seen"] for c in data["clauses"]}
    right = total = 0
    for anchor in gold["anchors"]:
        if anchor["b"] is None:
            continue
        unit = locate(ub, anchor["b"])
        first = seen[unit]
        if anchor["relation"] == "added":
            ok = first is None
        else:
            ok = first is not None and first["doc_id"] == old.id
            if ok and anchor["a"] is not None:
                ok = first["clause"] == units(old)[locate(ua, anchor["a"])].clause
        right, total = right + ok, total + 1
    print(f"\nCRI 2024 genealogy against the gold: {right}/{total} anchors")
    assert (
        total >= 8 and right / total >= 0.5
    )  # 6/12 on issue 12's clauses (7/12 before) on this heavily rewritten pair
