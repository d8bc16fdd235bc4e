import datetime as dt
import os
import sqlite3
import subprocess
import sys
import threading

import pytest

from corpus.model import SOURCE_HASH, Clause, Document, read_from, source_hash
from corpus.sqlite_store import MIGRATIONS, SQLiteStore
from corpus.store import StoreError

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
T1 = dt.datetime(2026, 2, 1, tzinfo=dt.UTC)


def make_doc(text="The Sides agree.", **kw) -> Document:
    fields = dict(
        source="mid",
        url="https://mid.ru/ru/foreign_policy/news/1803158/",
        language="ru",
        title="Совместное заявление",
        text=text,
        parties=("KGZ", "RUS"),
        date=dt.date(2022, 3, 5),
        doc_type="joint_statement",
        clauses=(Clause(1, text, "1"),),
        translation_key="mid:1803158",
    )
    fields.update(kw)
    return Document(**fields)


def test_save_new_then_unchanged_updates_last_seen_only(store):
    doc = make_doc()
    assert store.save(doc, now=T0).status == "new"
    assert store.save(doc, now=T1).status == "unchanged"
    got = store.get(doc.id)
    assert got.first_seen == T0 and got.last_seen == T1 and got.revision == 1
    assert got.parties == ("KGZ", "RUS") and got.clauses == doc.clauses and got.date == dt.date(2022, 3, 5)
    assert store.revisions(doc.id) == []


def test_the_same_bytes_read_anew_replace_the_text_without_a_revision(store):
    old = read_from(make_doc(text="Ð¡Ñ‚Ð¾Ñ€Ð¾Ð½Ñ‹ agree."), b"<treaty>the file</treaty>")
    store.save(old, now=T0)
    repaired = read_from(make_doc(text="Стороны agree."), b"<treaty>the file</treaty>")  # a better reader
    assert (store.save(repaired, now=T1).status, store.save(repaired, now=T1).status) == ("updated", "unchanged")
    got = store.get(old.id)
    assert (got.text, got.revision, store.revisions(old.id)) == ("Стороны agree.", 1, [])
    edited = read_from(make_doc(text="Стороны agree and note."), b"<treaty>the file, edited</treaty>")
    assert (store.save(edited, now=T1).status, store.get(old.id).revision) == ("changed", 2)
    assert [r.text for r in store.revisions(old.id)] == ["Стороны agree."]


def test_a_text_changed_with_no_fingerprint_stored_is_a_revision(store):
    store.save(make_doc(), now=T0)  # stored by a version that kept no fingerprint
    assert store.save(read_from(make_doc(text="The Sides agree!"), b"x"), now=T1).status == "changed"
    assert store.save(read_from(make_doc(text="The Sides agree!"), b"y"), now=T1).status == "unchanged"
    assert store.get(make_doc().id).extra[SOURCE_HASH] == source_hash(b"y")  # its newest bytes, kept quietly


def test_changed_text_keeps_the_old_version_as_a_revision(store):
    old = make_doc()
    store.save(old, now=T0)
    new = make_doc(text="The Sides agree and note.")
    result = store.save(new, now=T1)
    assert (result.status, result.revision) == ("changed", 2)
    assert store.get(new.id).text == "The Sides agree and note."
    (rev,) = store.revisions(new.id)
    assert (rev.revision, rev.text, rev.content_hash, rev.clauses) == (1, old.text, old.content_hash, old.clauses)
    first = store.get_revision(new.id, 1)
    assert first.text == old.text and first.revision == 1 and first.clauses == old.clauses
    assert store.get_revision(new.id, 2).text == new.text
    assert store.get_revision(new.id, 9) is None


def test_better_metadata_for_the_same_text_updates_in_place(store):
    store.save(make_doc(parties=("RUS",)), now=T0)
    result = store.save(make_doc(), now=T1)
    assert result.status == "updated" and result.revision == 1
    assert store.get(make_doc().id).parties == ("KGZ", "RUS")


def test_an_aggregator_copy_of_a_stored_original_becomes_another_location(store):
    original = make_doc()
    store.save(original, now=T0)
    copy = make_doc(
        source="aggregator", url="https://news.example/2024/04/24/statement/", canonical_url=original.url, language="en"
    )
    result = store.save(copy, now=T1)
    assert (result.status, result.doc_id) == ("duplicate", original.id)
    assert store.get(copy.id) is None
    assert [loc.url for loc in store.locations(original.id)] == [copy.url]
    assert store.find_by_url(copy.url).id == original.id


def test_an_original_arriving_after_its_copy_adopts_the_copy(store):
    original = make_doc()
    copy = make_doc(source="aggregator", url="https://news.example/a/", canonical_url=original.url, language="en")
    store.save(copy, now=T0)
    store.save(original, now=T1)
    assert store.get(copy.id) is None
    assert [loc.url for loc in store.locations(original.id)] == ["https://news.example/a/"]
    ops = [(c.doc_id, c.op) for c in store.changes_since(0)]
    assert ops == [(copy.id, "upsert"), (original.id, "upsert"), (copy.id, "delete")]


def test_translations_share_a_key(store):
    ru = make_doc()
    en = make_doc(url="https://mid.ru/en/foreign_policy/news/1803158/", language="en", title="Joint statement")
    store.save_many([ru, en], now=T0)
    assert [d.id for d in store.translations(ru.id)] == [en.id]
    assert [d.language for d in store.translations(en.id)] == ["ru"]


def test_change_log_and_delete(store):
    doc = make_doc()
    store.save(doc, now=T0)
    seq = store.changes_since(0)[-1].seq
    assert store.save(doc, now=T1).status == "unchanged"
    assert store.changes_since(seq) == []  # unchanged documents are not re-indexed
    assert store.delete(doc.id) is True
    assert [(c.doc_id, c.op) for c in store.changes_since(seq)] == [(doc.id, "delete")]
    assert store.delete(doc.id) is False
    assert store.get(doc.id) is None


def test_stats_count_by_facet(store):
    store.save_many([make_doc(), make_doc(url="u2", language="en", date=None, parties=("USA",), doc_type="other")])
    stats = store.stats()
    assert stats.documents == 2 and stats.clauses == 2
    assert stats.by_language == {"en": 1, "ru": 1}
    assert stats.by_year == {"2022": 1, "undated": 1}
    assert stats.by_party == {"KGZ": 1, "RUS": 1, "USA": 1}
    assert stats.by_type == {"joint_statement": 1, "other": 1}


def test_runs_are_recorded(store):
    run = store.start_run("import x")
    run.counts = {"new": 3}
    run.errors = ["x.xml: malformed XML"]
    store.finish_run(run, "partial")
    (got,) = store.runs()
    assert (got.job, got.status, got.counts, got.errors) == ("import x", "partial", {"new": 3}, run.errors)
    assert got.ended is not None


def test_schema_version_and_reopen(tmp_path):
    path = tmp_path / "c.sqlite3"
    SQLiteStore(path).save(make_doc())
    again = SQLiteStore(path)
    assert again.schema_version == len(MIGRATIONS)
    assert again.stats().documents == 1


def test_a_newer_schema_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "c.sqlite3"
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    con.close()
    with pytest.raises(StoreError, match="newer than this program knows"):
        SQLiteStore(path)


def test_an_unwritable_location_gives_a_store_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="cannot open the store"):
        SQLiteStore(blocker / "sub" / "c.sqlite3")


def test_a_failed_batch_leaves_nothing_half_written(store):
    good = make_doc()
    bad = make_doc(url="u2", clauses=(Clause(1, "a"), Clause(1, "duplicate number")))
    with pytest.raises(Exception, match=r"UNIQUE constraint|duplicate key"):  # SQLite's or PostgreSQL's words
        store.save_many([good, bad])
    assert store.stats().documents == 0


def test_readers_read_while_a_writer_writes(tmp_path):
    path = tmp_path / "c.sqlite3"
    writer, reader = SQLiteStore(path), SQLiteStore(path)
    writer.save(make_doc())
    con = writer._con
    con.execute("BEGIN IMMEDIATE")
    con.execute("UPDATE documents SET title = 'uncommitted'")
    seen = []
    thread = threading.Thread(target=lambda: seen.append(reader.get(make_doc().id).title))
    thread.start()
    thread.join(5)
    con.execute("ROLLBACK")
    assert seen == ["Совместное заявление"]  # the reader was not blocked and saw the committed state


def test_workers_lease_different_urls_and_a_dead_workers_lease_runs_out(store):
    from corpus.store import FrontierItem

    assert store.begin_crawl("c", [FrontierItem(f"https://x.org/{n}", "article") for n in range(3)]) == 0
    assert store.begin_crawl("c", []) == 3  # a second worker joins the pass instead of starting another
    first = store.lease_next("c", now=100.0, lease=10.0, worker="a:1")
    second = store.lease_next("c", now=100.0, lease=10.0, worker="b:2")
    third = store.lease_next("c", now=100.0, lease=10.0, worker="b:2")
    assert len({first.url, second.url, third.url}) == 3
    assert store.lease_next("c", now=105.0, lease=10.0, worker="c:3") is None  # all held
    assert store.pending_count("c") == (3, 110.0)
    store.finish_url("c", second.url, "done")
    store.finish_url("c", third.url, "done")
    assert store.lease_holders("c") == {"a:1"}
    retaken = store.lease_next("c", now=110.5, lease=10.0, worker="c:3")  # a:1 died: its lease ran out
    assert retaken.url == first.url
    assert store.release_leases("c", ["c:3"]) == 1 and store.lease_holders("c") == set()


def test_host_slots_are_booked_one_interval_apart_whoever_books_them(store):
    waits = [store.reserve_host("example.org", 0.5) for _ in range(3)]
    assert waits[0] == pytest.approx(0, abs=0.1)
    assert waits[1] == pytest.approx(0.5, abs=0.1) and waits[2] == pytest.approx(1.0, abs=0.1)
    assert store.reserve_host("other.org", 0.5) == pytest.approx(0, abs=0.1)  # each host its own rate


# the save path: nothing lost (issue 11, point 1)


def test_a_document_without_a_url_deletes_nothing(store):
    """20,755 documents became 6: a Markdown file without `url:` adopted every document whose canonical URL
    was empty as a copy of itself."""
    corpus = [make_doc(url=f"https://mid.ru/ru/{n}/", text=f"Text {n}.") for n in range(5)]
    store.save_many(corpus)
    for url in ("", "file:statement.md"):
        result = store.save(make_doc(url=url, source="file", source_id=f"{url or 'x'}.md", text="Other."))
        assert (result.status, result.merged) == ("new", ())
    assert store.stats().documents == 7
    assert all(store.get(d.id) for d in corpus) and all(store.locations(d.id) == [] for d in corpus)


def test_copies_are_linked_only_through_a_real_equal_url(store):
    original = make_doc(url="file:a.txt")
    store.save(original)
    copy = make_doc(source="aggregator", url="https://news.example/a/", canonical_url="file:a.txt")
    assert store.save(copy).status == "new"  # a file: name is no web address: nothing links to it
    no_address = make_doc(source="aggregator", url="", canonical_url="https://news.example/a/", source_id="n")
    assert store.save(no_address).status == "new"  # a copy without an address of its own is no location
    assert store.stats().documents == 3


def test_a_merge_is_reported_and_keeps_the_copy_and_its_locations_as_locations(store):
    original = make_doc()
    first = make_doc(source="aggregator", url="https://news.example/a/", canonical_url=original.url, language="en")
    second = make_doc(source="aggregator", url="https://other.example/b/", canonical_url=original.url, language="en")
    store.save(first)
    assert store.save(second).status == "duplicate"  # a location of the first copy, for now
    result = store.save(original)
    assert (result.status, result.merged) == ("new", (first.id,))
    assert sorted(loc.url for loc in store.locations(original.id)) == [first.url, second.url]
    assert store.find_by_url(second.url).id == original.id


def test_a_text_stored_twice_at_two_urls_is_merged_when_saved_again_as_a_copy(store):
    """Stores imported before copies were linked hold the same text at two URLs as two documents (issue 12);
    saved again as a copy of the other, the second becomes its location and nothing of it is lost."""
    first, second = make_doc(url="https://mid.ru/a/"), make_doc(url="https://mid.ru/b/", text=" The Sides  agree.")
    differing = make_doc(url="https://mid.ru/c/", text="The Sides disagree.")
    store.save_many([first, second, differing])
    result = store.save(second.replace(canonical_url=first.url))
    assert (result.doc_id, result.status, result.merged) == (first.id, "duplicate", (second.id,))
    assert store.get(second.id) is None and store.find_by_url(second.url).id == first.id
    assert [loc.url for loc in store.locations(first.id)] == [second.url]
    assert store.save(differing.replace(canonical_url=first.url)).status == "updated"  # another text: kept apart
    assert store.stats().documents == 2


def test_a_copy_saved_over_another_text_of_its_id_is_not_merged_and_keeps_its_address(store):
    """Found by the store's property test: a document saved again as a copy is merged only when the text it
    now brings is the original's too, and the address it came from stays findable."""
    original = make_doc(url="https://a.org/1", text="The Sides disagree.", source_id="")
    earlier = make_doc(url="", text="The Sides disagree.", source_id="1")
    copy = make_doc(url="file:a.md", text="The Sides agree.", source_id="1").replace(canonical_url=original.url)
    store.save_many([original, earlier])
    result = store.save(copy)
    assert result.merged == () and store.get(copy.id).text == "The Sides agree."
    assert store.find_by_url("file:a.md").id == copy.id and store.stats().documents == 2


def test_a_value_postgresql_cannot_hold_is_cleaned_the_same_on_both_stores(store):
    doc = make_doc(text="A NUL\x00 byte and a lone surrogate \ud800.", title="Title\x00")
    result = store.save_many([make_doc(url="https://mid.ru/other/"), doc])[1]
    got = store.get(result.doc_id)
    assert "\x00" not in got.text + got.title and "\ud800" not in got.text
    assert store.save(doc).status == "unchanged"  # a re-import of the same file changes nothing
    assert store.stats().documents == 2


# runs whose process is gone (issue 11, point 13)


def test_a_run_whose_process_is_gone_becomes_interrupted(store):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    run = store.start_run("crawl kremlin")
    with store._write() as con:
        con.execute("UPDATE runs SET pid = ? WHERE id = ?", (dead.pid, run.id))
    alive = store.start_run("import x")  # this process: still running
    statuses = {r.id: r.status for r in store.runs()}
    assert statuses == {run.id: "interrupted", alive.id: "running"}
    assert store.runs()[0].pid == os.getpid()


# full disks and read-only folders: one line, nothing half written (issue 11, point 13)


def test_a_full_disk_is_one_clear_error_and_loses_nothing_stored(tiny_disk):
    store = SQLiteStore(tiny_disk / "c.sqlite3")
    store.save(make_doc())
    big = [make_doc(url=f"https://mid.ru/{n}/", text=f"{n} " + "word " * 20000) for n in range(40)]
    with pytest.raises(StoreError, match="database or disk is full") as caught:
        store.save_many(big)
    assert "\n" not in str(caught.value)
    assert store.stats().documents == 1 and store.get(make_doc().id).text == make_doc().text
    store.close()


def test_a_read_only_store_gives_a_store_error(tiny_disk):
    store = SQLiteStore(tiny_disk / "c.sqlite3")
    store.save(make_doc())
    store.close()
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True)
    with pytest.raises(StoreError, match=r"readonly|read-only|unable to open") as caught:
        SQLiteStore(tiny_disk / "c.sqlite3").save(make_doc(text="changed"))
    assert "\n" not in str(caught.value)


def test_a_url_is_finished_with_its_links_and_validators_in_one_transaction(store):
    from corpus.store import FetchRecord, FrontierItem

    store.begin_crawl("c", [FrontierItem("https://x.org/news", "listing")])
    item = store.lease_next("c", now=1.0, lease=10.0, worker="a:1")
    found = [FrontierItem(f"https://x.org/news/{n}", "article") for n in range(3)]

    def then_full_disk():
        yield from found
        raise OSError("No space left on device")  # a write that fails half-way (a full disk, a kill)

    with pytest.raises(OSError):
        store.complete_url("c", item.url, "done", found=then_full_disk(), fetch=FetchRecord(item.url, 200, '"e"'))
    assert store.validators(item.url) == ("", "") and store.url_states("c", [f.url for f in found]) == {}
    added = store.complete_url("c", item.url, "done", found=found, fetch=FetchRecord(item.url, 200, '"e"', "", ""))
    assert added == 3 and store.validators(item.url) == ('"e"', "")
    assert store.url_states("c", [f.url for f in found]) == dict.fromkeys((f.url for f in found), "pending")


def test_mentions_date_precision_and_clause_kinds_are_kept(store):
    clauses = (Clause(1, "The Sides agree.", "1"), Clause(2, "Moscow, 5 March 2022", kind="formal"))
    doc = make_doc(mentions=(("UKR", 3), ("CHN", 1)), date_precision="month", clauses=clauses)
    store.save(doc, now=T0)
    got = store.get(doc.id)
    assert got.mentions == (("UKR", 3), ("CHN", 1)) and got.date_precision == "month" and got.date_shown == "2022-03"
    assert [c.kind for c in got.clauses] == ["content", "formal"]
    assert store.save(doc.replace(mentions=(("UKR", 3),)), now=T1).status == "updated"
    assert store.get(doc.id).mentions == (("UKR", 3),)


def test_a_better_title_for_the_same_text_is_an_update_not_a_revision(store):
    doc = make_doc(title="MAIN TEXT:")
    store.save(doc, now=T0)
    result = store.save(doc.replace(title="Agreement between Russia and Kyrgyzstan"), now=T1)
    assert (result.status, result.revision) == ("updated", 1)
    assert store.get(doc.id).title == "Agreement between Russia and Kyrgyzstan" and store.revisions(doc.id) == []
    assert store.save(doc.replace(text="The Sides agree again."), now=T1).status == "changed"


def test_revisions_saved_before_clause_kinds_still_read(tmp_path):
    from corpus.sqlite_store import _revision_clauses

    assert _revision_clauses('[[1, "1", "", "The Sides agree."]]') == (Clause(1, "The Sides agree.", "1"),)
    assert _revision_clauses('[[2, "", "", "Moscow", "formal"]]')[0].kind == "formal"
