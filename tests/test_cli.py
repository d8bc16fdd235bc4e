import datetime as dt
import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from corpus.clauses import segment
from corpus.model import Document
from corpus.postgres_store import MIGRATIONS as PG_MIGRATIONS
from corpus.sqlite_store import MIGRATIONS, SQLiteStore
from tests.conftest import DATABASE_URL, empty_postgres_store
from tests.test_importers import MARKDOWN, TOTA
from treatysearch.cli import main


def run(data_dir, *args, input=None):
    return CliRunner().invoke(main, ["--data-dir", str(data_dir), *args], input=input, catch_exceptions=False)


def markdown_folder(tmp_path):
    """A folder holding one statement (Markdown with front matter)."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.md").write_text(MARKDOWN)
    return folder


def store_options(tmp_path, backend):
    """The command-line options of a fresh store on the backend: a data folder, or an emptied PostgreSQL."""
    where = ["--data-dir", str(tmp_path / "data")]
    if backend == "postgresql":
        empty_postgres_store().close()
        where += ["--database", DATABASE_URL]
    return where


def test_import_stats_export_and_runs(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.md").write_text(MARKDOWN)
    (folder / "pta_99.xml").write_bytes(TOTA)
    (folder / "broken.xml").write_bytes(TOTA[:80])
    data = tmp_path / "data"
    result = run(data, "import", "--quiet", str(folder))
    assert result.exit_code == 0
    store = SQLiteStore(data / "corpus.sqlite3")
    assert store.stats().documents == 2
    (last_run,) = store.runs()
    assert last_run.status == "partial" and last_run.counts["new"] == 2 and "broken.xml" in last_run.errors[0]

    stats = json.loads(run(data, "stats", "--json").output)
    assert stats["documents"] == 2 and stats["by_party"] == {"IND": 1, "KGZ": 1, "RUS": 1, "USA": 1}
    out = tmp_path / "out.jsonl"
    assert run(data, "export", "--format", "jsonl", "-o", str(out)).exit_code == 0
    assert len(out.read_text().splitlines()) == 2
    csv_out = run(data, "export", "--format", "csv").output
    assert csv_out.splitlines()[0].startswith("id,source,url")
    assert "partial" in run(data, "runs").output


def test_bad_input_gives_a_one_line_error_and_exit_code(tmp_path):
    result = CliRunner().invoke(main, ["--data-dir", str(tmp_path / "d"), "import", str(tmp_path / "nothing")])
    assert result.exit_code == 1
    assert "no such file or folder" in result.output and "Traceback" not in result.output
    only_bad = tmp_path / "bad.xml"
    only_bad.write_bytes(b"<treaty>")
    result = CliRunner().invoke(main, ["--data-dir", str(tmp_path / "d"), "import", "--quiet", str(only_bad)])
    assert result.exit_code == 1 and "malformed XML" in result.output
    result = CliRunner().invoke(main, ["--data-dir", str(tmp_path / "d"), "export", "--format", "xml"])
    assert result.exit_code == 2 and "Invalid value" in result.output


def statements_folder(tmp_path, count: int, sentences: int):
    """A folder of `count` plain-text statements of Russia and Kyrgyzstan, each of `sentences` sentences."""
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(count):
        (folder / f"s{n:03}.txt").write_text(f"Joint statement {n} of Russia and Kyrgyzstan\n\n" + "Text. " * sentences)
    return folder


def test_a_reader_that_stops_reading_ends_the_command_quietly(tmp_path):
    folder = statements_folder(tmp_path, 300, 50)
    data = tmp_path / "data"
    assert run(data, "import", "--quiet", str(folder)).exit_code == 0
    command = [sys.executable, "-m", "treatysearch", "--data-dir", str(data), "export", "--format", "jsonl"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout.readline().startswith(b"{")
        process.stdout.close()  # as `treatysearch export | head -1` does
        assert process.wait(timeout=60) == 141
        assert process.stderr.read() == b""


def test_killed_import_then_rerun_gives_the_same_corpus(tmp_path):
    folder = statements_folder(tmp_path, 400, 200)
    data = tmp_path / "data"
    command = [sys.executable, "-m", "treatysearch", "--data-dir", str(data), "import", "--quiet", str(folder)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if (data / "corpus.sqlite3").exists() and SQLiteStore(data / "corpus.sqlite3").stats().documents > 0:
            break
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)  # whether it is half done or done, a rerun must complete it exactly
    process.wait()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    store = SQLiteStore(data / "corpus.sqlite3")
    assert store.stats().documents == 400
    assert len(set(store.ids())) == 400


def test_crawl_command_summary_runs_and_index(tmp_path):
    from tests.site import Site, midru_routes

    data = tmp_path / "data"
    with Site(midru_routes()) as mid:
        result = run(data, "crawl", "mid", "--base-url", mid.url, "--delay", "0", "--quiet", "--index")
    assert result.exit_code == 0, result.output
    assert "4 new" in result.output and "documents indexed" in result.output
    store = SQLiteStore(data / "corpus.sqlite3")
    crawl_run = next(r for r in store.runs() if r.job.startswith("crawl"))
    assert crawl_run.status == "ok" and crawl_run.counts["new"] == 4
    assert list((data / "warc").glob("mid-*.warc.gz"))
    found = json.loads(run(data, "search", "Kyrgyz", "--json").output)
    assert found["total"] >= 1


def test_crawl_command_errors(tmp_path):
    result = CliRunner().invoke(main, ["--data-dir", str(tmp_path), "crawl", "nosuchsite"])
    assert result.exit_code == 2 and "unknown source 'nosuchsite'" in result.output and "kremlin" in result.output
    result = CliRunner().invoke(main, ["--data-dir", str(tmp_path), "crawl", "mid", "--lang", "fr"])
    assert result.exit_code == 2 and "has no language 'fr'" in result.output
    result = CliRunner().invoke(main, ["--data-dir", str(tmp_path), "crawl", "mid", "--since", "yesterday"])
    assert result.exit_code == 2


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_search_command(tmp_path, backend):
    where = store_options(tmp_path, backend)

    def cli(*args):
        return CliRunner().invoke(main, [*where, *args])

    cli("import", "--quiet", str(markdown_folder(tmp_path)))
    assert "1 documents indexed" in cli("index", "--quiet").output
    out = cli("search", "India", "--party", "usa", "--year", "2021").output
    assert "1 documents" in out and "U.S.-India Joint Leaders’ Statement" in out
    assert "0 documents" in cli("search", "India", "--year", "2015-2020").output
    found = json.loads(cli("search", "leaders", "--json").output)
    assert found["total"] == 1 and re.search("<mark[^>]*>leaders</mark>", found["hits"][0]["snippets"][0])
    bad = cli("search", '"India')
    assert bad.exit_code == 2 and "quotation mark is not closed" in bad.output
    bad = cli("search", "x", "--year", "20x0")
    assert bad.exit_code == 2 and "not a year or a range" in bad.output
    assert not (tmp_path / "data" / "index").exists() or backend == "sqlite"  # PostgreSQL holds its index


def test_compare_command(tmp_path):
    from tests.webui_fixtures import documents

    data = tmp_path / "data"
    store = SQLiteStore(data / "corpus.sqlite3")
    docs = documents()
    store.save_many(docs)
    old, new = docs[0], docs[1]
    out = run(data, "compare", old.id, new.id).output
    assert "reworded" in out and "added" in out and "of A's words kept" in out
    data_json = json.loads(run(data, "compare", old.id, new.id, "--json").output)
    assert data_json["summary"]["counts"]["added"] == 1 and len(data_json["pairs"]) == 3
    swapped = json.loads(run(data, "compare", new.id, old.id, "--json").output)  # the older is A, as on the web
    assert (swapped["a"], swapped["b"], swapped["summary"]) == (old.id, new.id, data_json["summary"])
    given = json.loads(run(data, "compare", new.id, old.id, "--json", "--given-order").output)
    assert (given["a"], given["summary"]["counts"]["removed"]) == (new.id, 1)
    missing = CliRunner().invoke(main, ["--data-dir", str(data), "compare", old.id, "nope"])
    assert missing.exit_code == 1 and "no document 'nope'" in missing.output
    russian = docs[2]
    mixed = CliRunner().invoke(main, ["--data-dir", str(data), "compare", old.id, russian.id])
    assert mixed.exit_code == 1 and "different languages" in mixed.output


def test_compare_marks_weak_pairs_as_guesses(tmp_path):
    """A pair below the strong score is a guess: the text output says so, as the web view shows it paler."""
    base = [
        "The Parties reaffirm their commitment to the principles of the Charter of the United Nations.",
        "The Parties will hold consultations between their foreign ministries every year.",
    ]
    first = "The Parties will develop cooperation in trade, energy and culture, with a joint commission in Moscow."
    second = "The Parties will develop cooperation in agriculture and tourism, with new flights between their capitals."
    docs = []
    for year, last in ((2020, first), (2021, second)):
        text = "\n\n".join([*base, last])
        docs.append(
            Document(
                source="test",
                url=f"https://x.example/{year}",
                language="en",
                title=f"Statement {year}",
                text=text,
                date=dt.date(year, 1, 1),
                clauses=segment(text),
            )
        )
    data = tmp_path / "data"
    SQLiteStore(data / "corpus.sqlite3").save_many(docs)
    out = run(data, "compare", docs[0].id, docs[1].id).output
    assert "(1 weak: a guess, marked ?)" in out
    assert [line.split()[3] for line in out.splitlines() if "→" in line] == ["identical", "identical", "reworded?"]


def test_up_imports_indexes_and_serves(tmp_path, monkeypatch):
    import waitress

    served = {}
    monkeypatch.setattr(waitress, "serve", lambda app, **kw: served.update(kw, app=app))
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.md").write_text(MARKDOWN)
    data = tmp_path / "data"
    result = run(data, "up", str(folder), "--port", "8123")
    assert result.exit_code == 0, result.output
    assert served["port"] == 8123 and served["host"] == "127.0.0.1" and served["threads"] == 8
    client = served["app"].test_client()
    assert client.get("/search.json?q=India").get_json()["total"] == 1


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_serve_with_two_worker_processes(tmp_path, backend):
    import socket

    import requests

    where = store_options(tmp_path, backend)
    CliRunner().invoke(main, [*where, "import", "--quiet", str(markdown_folder(tmp_path))], catch_exceptions=False)
    CliRunner().invoke(main, [*where, "index", "--quiet"], catch_exceptions=False)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "treatysearch", *where, "serve", "--port", str(port), "--workers", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:  # a loaded machine may take a while to start the workers: wait, do not fail
                requests.get(f"http://127.0.0.1:{port}/status.json", timeout=60)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        answers = [requests.get(f"http://127.0.0.1:{port}/search.json?q=India", timeout=60) for _ in range(10)]
        assert all(a.status_code == 200 and a.json()["total"] == 1 for a in answers)
    finally:
        server.terminate()
        server.wait(10)
    assert server.returncode is not None


def test_migrate_creates_the_schema(tmp_path):
    assert f"schema version {len(MIGRATIONS)}" in run(tmp_path / "data", "migrate").output
    if DATABASE_URL:
        empty_postgres_store().close()
        result = CliRunner().invoke(main, ["--database", DATABASE_URL, "migrate"])
        assert (
            result.exit_code == 0
            and f"schema version {len(PG_MIGRATIONS)}" in result.output
            and "treatysearch:treatysearch@" not in result.output
        )
    bad = CliRunner().invoke(main, ["--database", "postgresql://nobody:secret@127.0.0.1:9/none", "migrate"])
    assert bad.exit_code == 1 and "cannot open the store" in bad.output and "secret" not in bad.output


def test_copy_command(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.md").write_text(MARKDOWN)
    run(tmp_path / "a", "import", "--quiet", str(folder))
    result = run(tmp_path / "a", "copy", "--to", str(tmp_path / "b"))
    assert result.exit_code == 0 and "1 documents" in result.output
    assert SQLiteStore(tmp_path / "b" / "corpus.sqlite3").stats().documents == 1
    again = CliRunner().invoke(main, ["--data-dir", str(tmp_path / "a"), "copy", "--to", str(tmp_path / "b")])
    assert again.exit_code == 1 and "already holds documents" in again.output


def test_a_full_disk_and_a_read_only_folder_end_in_one_line(tiny_disk, tmp_path):
    folder = tmp_path / "big"
    folder.mkdir()
    for n in range(60):
        (folder / f"s{n}.txt").write_text(f"Joint statement {n} of the Sides\n\n" + f"word{n} " * 5000)
    data = tiny_disk / "data"
    full = CliRunner().invoke(main, ["--data-dir", str(data), "import", "--quiet", str(folder)])
    assert full.exit_code == 1 and full.output.count("\n") == 1 and "database or disk is full" in full.output
    assert "Traceback" not in full.output and "cannot rollback" not in full.output
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True)
    for args in (["import", "--quiet", str(folder)], ["index", "--quiet"], ["stats"], ["runs"]):
        result = CliRunner().invoke(main, ["--data-dir", str(data), *args])
        assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.output)
        assert "Traceback" not in result.output


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_an_export_imports_back_and_damaged_archives_beside_good_files_are_reported(tmp_path, backend):
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(6):
        (folder / f"s{n}.txt").write_text(f"Joint statement {n} of Russia and Kyrgyzstan\n\nText {n}.")
    (folder / "corrupt.zip").write_bytes(b"PK\x03\x04 junk")
    (folder / "cut.tar.xz").write_bytes(b"\xfd7zXZ\x00\x00 cut")
    where = store_options(tmp_path, backend)
    result = CliRunner().invoke(main, [*where, "import", "--quiet", str(folder)])
    assert result.exit_code == 0 and "Aborted" not in result.output and "Traceback" not in result.output
    assert "corrupt.zip: a damaged archive" in result.output and "cut.tar.xz: a damaged archive" in result.output
    export = tmp_path / "export.jsonl"
    assert CliRunner().invoke(main, [*where, "export", "-o", str(export)]).exit_code == 0
    back = CliRunner().invoke(main, ["--data-dir", str(tmp_path / "back"), "import", "--quiet", str(export)])
    assert back.exit_code == 0 and "6 new" in back.output
    again = CliRunner().invoke(main, [*where, "import", "--quiet", str(export)])
    assert "6 unchanged" in again.output


def test_files_not_read_for_a_common_reason_are_counted_not_each_listed():
    from treatysearch.cli import _unread_lines

    unread = [(f"page/{n}.html", "a listing page, not a document") for n in range(2222)] + [("x.rtf", "no rtf")]
    assert _unread_lines(unread) == [
        "not read: page/0.html: a listing page, not a document",
        "not read: … and 2221 more files: a listing page, not a document",
        "not read: x.rtf: no rtf",
    ]
