import datetime as dt
import io
import json
import os
import tarfile

import pytest

from corpus.export import as_dict, write_jsonl
from corpus.importers import (
    ImportFailed,
    decode,
    import_paths,
    markdown_to_text,
    read_json,
    read_jsonl,
    read_markdown,
    read_text,
    read_tota,
)
from corpus.sqlite_store import SQLiteStore
from corpus.store import RejectedDocument

MARKDOWN = """---
date: '2021-09-24'
source_url: https://www.whitehouse.gov/briefing-room/statements-releases/2021/09/24/u-s-india-joint-statement/
title: "U.S.-India Joint Leaders\\u2019 Statement"
---

Today, the leaders met.

1\\. The [United States](https://x.org) and **India** agree.

###
"""

TOTA = b"""<?xml version="1.0" encoding="UTF-8"?>
<treaty><meta><name>Russian Federation - Kyrgyzstan</name><treaty_identifier>99</treaty_identifier>
<date_signed>1992-10-08</date_signed><parties><partyisocode n="1">RUS</partyisocode>
<partyisocode n="2">KGZ</partyisocode></parties><language>en</language>
<source lang="en" type="full text">http://rtais.wto.org/x.doc</source></meta>
<body><chapter chapter_identifier="1" name="Preamble"><article article_identifier="1">The Parties,</article></chapter>
<chapter chapter_identifier="2"><article number="ARTICLE 1" article_identifier="2">They shall cooperate.</article>
</chapter></body></treaty>"""


def test_markdown_with_front_matter():
    (doc,) = read_markdown("wh/2021-09-24-x.md", MARKDOWN.encode())
    assert doc.title == "U.S.-India Joint Leaders’ Statement"
    assert (doc.source, doc.date, doc.doc_type, doc.parties) == (
        "whitehouse",
        dt.date(2021, 9, 24),
        "joint_statement",
        ("IND", "USA"),
    )
    assert [(c.label, c.text) for c in doc.clauses] == [
        ("", "Today, the leaders met."),
        ("1", "The United States and India agree."),
    ]


def test_markdown_to_text_unescapes_and_drops_links_and_emphasis():
    assert markdown_to_text("1\\. See [the text](http://x) **now**") == "1. See the text now"
    assert markdown_to_text('<span style="text-decoration: underline">The Framework</span> of 2 < 3<!-- -->') == (
        "The Framework of 2 < 3"
    )


def test_a_bold_line_over_its_paragraph_becomes_a_heading_of_its_own():
    markdown = "We met.  \n  \n**Cybersecurity**  \nIn a digital world we\nwill act together.  \n\n**Space** is next."
    text = markdown_to_text(markdown)
    assert "Cybersecurity\n\nIn a digital world" in text and "Space is next." in text  # run-in bold stays
    (doc,) = read_markdown("statement.md", f"---\ntitle: Joint Statement\n---\n{markdown}".encode())
    assert [(c.heading, c.text) for c in doc.clauses][1] == (
        "Cybersecurity",
        "In a digital world we will act together.",
    )


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"no front matter here", "no YAML front matter"),
        (b"---\ntitle: [unclosed\n---\ntext", "bad YAML front matter"),
        (b"---\ndate: '2021-01-01'\n---\ntext", "no title"),
        (b"   \n", "empty file"),
    ],
)
def test_bad_markdown_is_reported(data, reason):
    with pytest.raises(ImportFailed, match=reason):
        read_markdown("x.md", data)


def test_tota_xml_articles_become_clauses():
    (doc,) = read_tota("pta_99.xml", TOTA)
    assert (doc.source, doc.source_id, doc.parties, doc.date) == ("tota", "99", ("KGZ", "RUS"), dt.date(1992, 10, 8))
    assert [(c.label, c.heading, c.text) for c in doc.clauses] == [
        ("", "Preamble", "The Parties,"),
        ("Article 1", "", "They shall cooperate."),
    ]


def test_truncated_xml_is_reported():
    with pytest.raises(ImportFailed, match="malformed XML"):
        read_tota("pta_99.xml", TOTA[: len(TOTA) // 2])
    with pytest.raises(ImportFailed, match="not a ToTA treaty"):
        read_tota("x.xml", b"<html><body/></html>")


def test_cp1251_text_without_declared_charset_is_decoded():
    text = "Совместное заявление Министров иностранных дел Российской Федерации и Киргизской Республики\n\n"
    text += "Стороны подтвердили приверженность принципам взаимного уважения и сотрудничества. " * 5
    (doc,) = read_text("statement.txt", text.encode("cp1251"))
    assert doc.title.startswith("Совместное заявление") and doc.language == "ru"
    assert doc.parties == ("KGZ", "RUS") and doc.doc_type == "joint_statement"
    assert decode(text.encode("utf-8-sig")) == text


def test_utf16_text_is_read_and_bytes_after_a_byte_order_mark_are_refused():
    text = "Совместное заявление\n\nСтороны подтвердили приверженность сотрудничеству."
    assert decode(text.encode("utf-16")) == text
    (doc,) = read_text("statement.txt", text.encode("utf-16"))
    assert doc.title == "Совместное заявление"
    for blob in (b"\xff\xfe\x8b\x1c\xf3\x9a\x07\xe2\x51\xb4\x6c\xd9\x02\xaa\x4f\x90", b"\xff\xfe" + bytes(range(256))):
        with pytest.raises(ImportFailed, match="binary data, not text"):
            read_text("blob.txt", blob)


def test_a_text_of_one_short_paragraph_is_its_text_titled_by_its_opening():
    line = "amendment to annex ii of the agreement on the conservation of small whales, adopted at the third meeting"
    (doc,) = read_text("Raw/XYZ_2001E2.txt", line.encode())
    assert doc.title == "Amendment to annex ii of the agreement on the conservation of small …"  # begun with a capital
    assert doc.text.strip() == line and [c.text for c in doc.clauses] == [line]


def test_aggregator_text_takes_its_source_link_as_canonical_url():
    data = (
        b"Wednesday, April 24\n\nJoint statement of Russia and Kyrgyzstan\n\nFacebook Twitter\n\n"
        b"The Sides agree.\n\nSource: https://www.mid.ru/ru/foreign_policy/news/1803158/\n\nShare.\n"
    )
    (doc,) = read_text("seed/000_x.txt", data)
    assert doc.source == "aggregator" and doc.canonical_url == "https://www.mid.ru/ru/foreign_policy/news/1803158/"
    assert [c.text for c in doc.clauses] == ["The Sides agree."]


def test_known_file_name_schemes_give_metadata():
    (speech,) = read_text("TXT/Session 77 - 2022/KGZ_77_2022.txt", b"I wish to congratulate the President.")
    assert (speech.source, speech.parties, speech.year, speech.doc_type) == ("ungdc", ("KGZ",), 2022, "speech")
    (treaty,) = read_text("Raw/KAZ-RUS[ENP]_2004A.txt", "Соглашение между Россией и Казахстаном\n\nТекст.".encode())
    assert (treaty.source, treaty.parties, treaty.year, treaty.doc_type) == (
        "manytreaties",
        ("KAZ", "RUS"),
        2004,
        "treaty",
    )
    assert treaty.extra == {"date_precision": "year"}
    (multi,) = read_text("Raw/AFRCCM_1962O.txt", b"African Common Market between Egypt and Ghana\n\nText.")
    assert (multi.source, multi.year, multi.doc_type, multi.parties) == ("manytreaties", 1962, "treaty", ("EGY", "GHA"))


def test_json_records():
    data = (
        b'{"6278": {"title": "No title", "date": null, "url": "http://kremlin.ru/supplement/6278", '
        b'"content": "\\u0421\\u043e\\u0432\\u043c\\u0435\\u0441\\u0442\\u043d\\u043e\\u0435 '
        b"\\u0437\\u0430\\u044f\\u0432\\u043b\\u0435\\u043d\\u0438\\u0435  13 \\u043c\\u0430\\u0440\\u0442\\u0430 "
        b'2025 \\u0433\\u043e\\u0434\\u0430     Text one.Text two."}, "x": 5}'
    )
    (doc,) = read_json("s.json", data)
    assert doc.title == "Совместное заявление" and doc.date == dt.date(2025, 3, 13) and doc.source == "kremlin"
    with pytest.raises(ImportFailed, match="malformed JSON"):
        read_json("s.json", b'{"a": ')
    with pytest.raises(ImportFailed, match="no records"):
        read_json("s.json", b"[1, 2]")


def write_corpus(folder):
    folder.mkdir()
    (folder / "a.md").write_text(MARKDOWN)
    (folder / "pta_99.xml").write_bytes(TOTA)
    (folder / "broken.xml").write_bytes(TOTA[:100])
    (folder / "empty.txt").write_bytes(b"")
    (folder / "README.md").write_text("# not a document")
    (folder / "notes.csv").write_text("a,b")


def test_import_reports_bad_files_and_loads_the_rest(store, tmp_path):
    write_corpus(tmp_path / "in")
    report = import_paths(store, [tmp_path / "in", tmp_path / "missing.md"])
    assert report.counts["new"] == 2 and report.counts["failed"] == 3
    problems = {name.rsplit("/", 1)[-1]: reason for name, reason in report.problems}
    assert set(problems) == {"broken.xml", "empty.txt", "missing.md"}
    assert "malformed XML" in problems["broken.xml"] and problems["empty.txt"] == "empty file"
    assert store.stats().documents == 2


def test_reimporting_changes_nothing(store, tmp_path):
    write_corpus(tmp_path / "in")
    import_paths(store, [tmp_path / "in"])
    last = store.changes_since(0)[-1].seq
    again = import_paths(store, [tmp_path / "in"])
    assert again.counts["new"] == 0 and again.counts["unchanged"] == 2
    assert store.changes_since(last) == []


def test_a_better_reader_of_unchanged_files_revises_nothing(store, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "99.xml").write_bytes(TOTA)
    import_paths(store, [tmp_path / "in"])
    louder = {".xml": lambda name, data: [d.replace(text=d.text.upper()) for d in read_tota(name, data)]}
    again = import_paths(store, [tmp_path / "in"], readers=louder)  # the same bytes, read otherwise
    (doc,) = store.iter_documents()
    assert again.counts["updated"] == 1 and doc.text.isupper() and (doc.revision, store.revisions(doc.id)) == (1, [])
    (tmp_path / "in" / "99.xml").write_bytes(TOTA.replace(b"cooperate", b"co-operate"))
    assert import_paths(store, [tmp_path / "in"]).counts["changed"] == 1  # the file itself changed
    assert [r.text for r in store.revisions(doc.id)] == [doc.text]


def test_a_file_unchanged_since_an_older_version_stored_it_is_read_anew_without_a_revision(store, tmp_path):
    (tmp_path / "in").mkdir()
    old = read_tota("99.xml", TOTA)[0]  # stored by a version that kept no fingerprint
    store.save(old)
    (tmp_path / "in" / "99.xml").write_bytes(TOTA)
    os.utime(tmp_path / "in" / "99.xml", (1_600_000_000, 1_600_000_000))  # 2020: before it was stored
    louder = {".xml": lambda name, data: [d.replace(text=d.text.upper()) for d in read_tota(name, data)]}
    assert import_paths(store, [tmp_path / "in"], readers=louder).counts["updated"] == 1
    assert (store.get(old.id).text, store.revisions(old.id)) == (old.text.upper(), [])


def test_a_file_changed_after_an_older_version_stored_it_makes_a_revision(store, tmp_path):
    (tmp_path / "in").mkdir()
    old = read_tota("99.xml", TOTA)[0]
    store.save(old, now=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    (tmp_path / "in" / "99.xml").write_bytes(TOTA.replace(b"cooperate", b"co-operate"))  # written since
    assert import_paths(store, [tmp_path / "in"]).counts["changed"] == 1
    assert [r.text for r in store.revisions(old.id)] == [old.text]


def test_archives_are_read_member_by_member(store, tmp_path):
    archive = tmp_path / "corpus.tar.xz"
    with tarfile.open(archive, "w:xz") as tar:
        for name, data in (("xml/pta_99.xml", TOTA), ("xml/._pta_99.xml", b"junk"), ("x/a.md", MARKDOWN.encode())):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    report = import_paths(store, [archive])
    assert report.counts["new"] == 2 and report.problems == []


def test_an_interrupted_import_resumes_without_loss_or_duplicates(store, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(30):
        (folder / f"s{n:02}.txt").write_text(f"Joint statement number {n} of Russia and Kyrgyzstan\n\nText {n}.")
    calls = []

    def crash_after_twenty(name: str) -> None:
        calls.append(name)
        if len(calls) == 20:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_paths(store, [folder], progress=crash_after_twenty, batch=8)
    assert 0 < store.stats().documents < 30  # committed batches survived the crash
    report = import_paths(store, [folder])
    assert store.stats().documents == 30
    assert report.counts["new"] + report.counts["unchanged"] == 30


# one bad file never stops an import (issue 11, point 4)


def statements(folder, count=6):
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (folder / f"s{n}.txt").write_text(f"Joint statement number {n} of Russia and Kyrgyzstan\n\nText {n}.")


def test_damaged_archives_and_deep_json_are_reported_and_the_rest_loads(store, tmp_path):
    folder = tmp_path / "in"
    statements(folder)
    (folder / "corrupt.zip").write_bytes(b"PK\x03\x04 not really a zip file")
    whole = tmp_path / "whole.tar.xz"
    with tarfile.open(whole, "w:xz") as tar:
        for n in range(40):
            data = f"Joint statement {n} of the Sides\n\n{'text ' * 2000}{n}".encode()
            info = tarfile.TarInfo(f"t/{n}.txt")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    (folder / "cut.tar.xz").write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    data = bytearray(whole.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 64] = bytes(64)  # damaged in the middle: lzma's own error
    (folder / "damaged.tar.xz").write_bytes(bytes(data))
    (folder / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    report = import_paths(store, [folder])
    problems = {name.rsplit("/", 1)[-1]: reason for name, reason in report.problems}
    assert set(problems) == {"corrupt.zip", "cut.tar.xz", "damaged.tar.xz", "deep.json"}
    assert "damaged archive" in problems["corrupt.zip"] and "after" in problems["cut.tar.xz"]
    assert problems["deep.json"] == "nested too deeply to read"
    assert 6 < report.counts["new"] < 86 and store.stats().documents == report.counts["new"]


def test_a_file_the_store_refuses_is_reported_and_its_batch_is_saved(store, tmp_path, monkeypatch):
    statements(tmp_path / "in")
    real = store.save_many

    def refuse_s3(docs, now=None):
        docs = list(docs)
        if any("number 3" in d.title for d in docs):
            raise RejectedDocument("the store refused the data: a test refusal")
        return real(docs, now)

    monkeypatch.setattr(store, "save_many", refuse_s3)
    report = import_paths(store, [tmp_path / "in"])
    assert [name.rsplit("/", 1)[-1] for name, _ in report.problems] == ["s3.txt"]
    assert report.counts["new"] == 5 and store.stats().documents == 5


def test_a_nul_byte_in_one_text_loses_nothing(store, tmp_path):
    statements(tmp_path / "in")
    (tmp_path / "in" / "nul.txt").write_bytes(b"Joint statement with a NUL\n\nThe Sides\x00 agree.")
    report = import_paths(store, [tmp_path / "in"])
    assert report.problems == [] and report.counts["new"] == 7
    assert import_paths(store, [tmp_path / "in"]).counts["unchanged"] == 7


def test_a_yaml_alias_bomb_is_refused_at_once():
    bomb = "\n".join(
        ["a: &a [x, x, x, x, x, x, x, x, x]"]
        + [
            f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]"
            for p, c in zip("abcdefgh", "bcdefghi", strict=True)
        ]
    )
    data = f"---\ntitle: *i\n{bomb}\n---\n\nText.\n".encode()
    assert len(data) < 700
    with pytest.raises(ImportFailed, match="aliases"):
        read_markdown("bomb.md", data)


def test_symbolic_links_out_of_the_folder_are_refused(store, tmp_path):
    statements(tmp_path / "in", 2)
    outside = tmp_path / "secret"
    statements(outside, 1)
    (tmp_path / "in" / "passwd.txt").symlink_to(outside / "s0.txt")
    (tmp_path / "in" / "elsewhere").symlink_to(outside, target_is_directory=True)
    (tmp_path / "in" / "inside.txt").symlink_to(tmp_path / "in" / "s0.txt")
    report = import_paths(store, [tmp_path / "in"])
    reasons = {name.rsplit("/", 1)[-1]: reason for name, reason in report.problems}
    assert set(reasons) == {"passwd.txt", "elsewhere"} and all("outside" in r for r in reasons.values())
    assert report.counts["new"] == 3  # s0, s1, and inside.txt: a link within the folder is read


# ids from the path under the import root (issue 11, point 5)


def test_files_of_one_name_in_two_folders_are_two_documents_and_reimport_unchanged(store, tmp_path):
    for folder, text in (("a", "The Sides agree."), ("b", "The Sides disagree.")):
        (tmp_path / "in" / folder).mkdir(parents=True)
        (tmp_path / "in" / folder / "statement.md").write_text(f"---\ntitle: Joint statement {folder}\n---\n\n{text}\n")
        (tmp_path / "in" / folder / "statement.txt").write_text(f"Joint statement {folder}\n\n{text}")
        (tmp_path / "in" / folder / "x").mkdir()
        (tmp_path / "in" / folder / "x" / "s.txt").write_text(f"Joint statement {folder} x\n\n{text}")
    assert import_paths(store, [tmp_path / "in"]).counts["new"] == 6
    again = import_paths(store, [tmp_path / "in"])
    assert again.counts["unchanged"] == 6 and store.stats().revisions == 0 and store.stats().documents == 6


def test_a_corpus_imported_under_the_earlier_names_is_not_duplicated(store, tmp_path):
    """Before, a file's document was named by the last part (Markdown, HTML) or two parts (text) of its
    path; such stores keep their ids (and permalinks) when the same folder is imported again."""
    root = tmp_path / "Raw"
    statements(root, 3)
    (root / "w.md").write_text("---\ntitle: Joint statement w\n---\n\nText.\n")
    store.save_many([read_text(f"Raw/s{n}.txt", (root / f"s{n}.txt").read_bytes())[0] for n in range(3)])
    store.save_many(read_markdown("w.md", (root / "w.md").read_bytes()))
    before = set(store.ids())
    first = import_paths(store, [root])
    assert first.counts["new"] == 0 and set(store.ids()) == before
    second = import_paths(store, [root])
    assert second.counts["unchanged"] == 4 and set(store.ids()) == before


def test_two_files_that_shared_an_earlier_id_split_it_once(store, tmp_path):
    for folder in ("a", "b"):
        (tmp_path / "in" / folder).mkdir(parents=True)
        (tmp_path / "in" / folder / "s.md").write_text(f"---\ntitle: Joint statement {folder}\n---\n\nText.\n")
    store.save_many(read_markdown("s.md", (tmp_path / "in" / "b" / "s.md").read_bytes()))  # the earlier id
    first = import_paths(store, [tmp_path / "in"])
    assert (first.counts["new"], store.stats().documents) == (1, 2)
    again = import_paths(store, [tmp_path / "in"])
    assert again.counts["unchanged"] == 2 and store.stats().documents == 2


# our own export imports back exactly (issue 11, point 7)


def exported(store) -> list[dict]:
    """Everything export writes, but the last-seen time (the import's) and the revision (history is not exported)."""
    return sorted((as_dict(d) | {"last_seen": None, "revision": None} for d in store.iter_documents()), key=str)


@pytest.mark.parametrize("form", ["jsonl", "json"])
def test_an_export_imports_back_exactly(store, tmp_path, form):
    write_corpus(tmp_path / "in")
    statements(tmp_path / "in")
    (tmp_path / "in" / "copy.txt").write_text(
        "Joint statement\n\nSource: https://kremlin.ru/acts/1\n\nThe Sides agree."
    )
    import_paths(store, [tmp_path / "in"])
    out = tmp_path / f"export.{form}"
    with out.open("w", encoding="utf-8") as f:
        write_jsonl(store.iter_documents(), f)
    if form == "json":
        out.write_text(json.dumps([json.loads(line) for line in out.read_text("utf-8").splitlines()]), "utf-8")
    target = SQLiteStore(tmp_path / "back.sqlite3")
    report = import_paths(target, [out])
    assert report.problems == [] and report.counts["new"] == store.stats().documents == 9
    assert exported(target) == exported(store)
    assert import_paths(target, [out]).counts["unchanged"] == 9


def test_an_edited_export_record_is_reported():
    line = json.dumps(as_dict(read_text("a.txt", b"Joint statement\n\nText.")[0]) | {"title": "Edited"})
    with pytest.raises(ImportFailed, match=r"line 1: record \w+: its id or hash does not match"):
        read_jsonl("x.jsonl", line.encode())


def test_a_new_file_never_takes_the_id_of_a_file_of_its_earlier_name(store, tmp_path):
    """sub/x.md's earlier id is that of x.md (the last part of its path): x.md, imported now, keeps it."""
    root = tmp_path / "in"
    (root / "b").mkdir(parents=True)
    (root / "x.md").write_text("---\ntitle: Joint statement x\n---\n\nText x.\n")
    (root / "b" / "x.txt").write_text("Joint statement b\n\nText b.")
    import_paths(store, [root])
    (root / "a" / "b").mkdir(parents=True)
    (root / "a" / "x.md").write_text("---\ntitle: Joint statement a/x\n---\n\nText a/x.\n")
    (root / "a" / "b" / "x.txt").write_text("Joint statement a/b\n\nText a/b.")
    report = import_paths(store, [root])
    assert (report.counts["new"], report.counts["unchanged"]) == (2, 2) and store.stats().revisions == 0


def test_an_archive_whose_middle_is_unreadable_is_reported_not_quietly_cut_short(store, tmp_path):
    archive = tmp_path / "in.tar"
    with tarfile.open(archive, "w") as tar:
        for n in range(10):
            data = f"Joint statement {n} of the Sides\n\nText {n}.".encode()
            info = tarfile.TarInfo(f"t/{n}.txt")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    data = bytearray(archive.read_bytes())
    data[5 * 1024 : 5 * 1024 + 512] = b"garbage!" * 64  # the sixth member's header: tarfile stops there quietly
    archive.write_bytes(bytes(data))
    report = import_paths(store, [archive])
    assert report.counts["new"] == 5
    assert report.problems == [
        (str(archive), "a damaged archive (after 5 members): ReadError: unreadable data after the last member read")
    ]


def test_a_markdown_file_without_a_url_beside_a_corpus_deletes_nothing(store, tmp_path):
    """One Markdown file without `url:` took 20,755 documents down to 6 (the import said "1 new")."""
    statements(tmp_path / "corpus", 20)
    import_paths(store, [tmp_path / "corpus"])
    (tmp_path / "one").mkdir()
    (tmp_path / "one" / "no-url.md").write_text("---\ntitle: Joint statement without a URL\n---\n\nThe Sides agree.\n")
    report = import_paths(store, [tmp_path / "one"])
    assert (report.counts["new"], report.counts["merged"]) == (1, 0) and store.stats().documents == 21


def tota_codes(tag: str, codes: list[str]) -> str:
    return (
        f"<{tag}>" + "".join(f'<partyisocode n="{n}">{c}</partyisocode>' for n, c in enumerate(codes, 1)) + f"</{tag}>"
    )


def tota_xml(name: str, original: list[str], now: list[str]) -> bytes:
    """A ToTA treaty of one article, with its parties at signing and today's."""
    meta = f"<name>{name}</name>{tota_codes('parties_original', original)}{tota_codes('parties', now)}"
    return (
        f"<treaty><meta>{meta}<language>en</language></meta><body><chapter><article>The Parties agree.</article>"
        "</chapter></body></treaty>".encode()
    )


def test_tota_parties_are_its_signatories_with_a_bloc_that_signed_as_one_side():
    """ToTA's "parties" are today's members (the EAEU treaty of Belarus, Kazakhstan and Russia listed Armenia and
    Kyrgyzstan, who acceded later), and it lists the EU's member states without the EU (party=EU found none)."""
    (eaeu,) = read_tota(
        "pta_440.xml",
        tota_xml("Eurasian Economic Union (EAEU)", ["BLR", "KAZ", "RUS"], ["ARM", "BLR", "KAZ", "KGZ", "RUS"]),
    )
    assert eaeu.parties == ("BLR", "KAZ", "RUS")
    (korea,) = read_tota("pta_145.xml", tota_xml("EU - Korea, Republic of", ["AUT", "KOR"], ["AUT", "HRV", "KOR"]))
    assert korea.parties == ("AUT", "EU", "KOR")
    (old,) = read_tota("pta_9.xml", tota_xml("EC - Widgetland", ["FRA", "DEU"], []))
    assert old.parties == ("DEU", "EU", "FRA")
    (cefta,) = read_tota("pta_4.xml", tota_xml("CEFTA 2006", [], ["ALB", "RKS"]))  # none at signing given
    assert cefta.parties == ("ALB", "XKX")
