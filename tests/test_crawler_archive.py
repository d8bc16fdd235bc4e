import random

from warcio.archiveiterator import ArchiveIterator

from crawler.archive import WarcArchive
from crawler.fetch import Response
from webui.captures import CaptureMissing, read_capture


def test_responses_and_revisits_are_archived_and_files_rotate_by_size(tmp_path):
    page = Response(
        "http://h/a",
        "http://h/a",
        200,
        {"content-type": "text/html", "content-encoding": "gzip", "etag": '"1"'},
        b"<html>" + random.Random(1).randbytes(4000) + b"</html>",
    )
    revisit = Response("http://h/a", "http://h/a", 304, {"etag": '"1"'})
    with WarcArchive(tmp_path, prefix="t", max_bytes=1000) as archive:
        refs = [archive.write(page), archive.write(revisit, refers_to_date="2026-01-01T00:00:00Z"), archive.write(page)]
    files = sorted((tmp_path / "warc").glob("t-*.warc.gz"))
    assert len(files) >= 2  # rotated once the first file passed its size
    content_type, body = read_capture(tmp_path, refs[0])
    assert content_type == "text/html" and body == page.body
    with (tmp_path / refs[1].split("#")[0]).open("rb") as stream:
        stream.seek(int(refs[1].split("#")[1]))
        record = next(iter(ArchiveIterator(stream)))
    assert record.rec_type == "revisit" and record.rec_headers.get_header("WARC-Refers-To-Date")
    assert record.http_headers.get_header("content-encoding") is None


def test_bad_capture_references(tmp_path):
    for ref in ("", "nowhere", "../../etc/passwd#0", "warc/missing.warc.gz#0"):
        try:
            read_capture(tmp_path, ref)
        except CaptureMissing:
            continue
        raise AssertionError(ref)
