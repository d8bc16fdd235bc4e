"""Reading one archived response back from the WARC files the crawler writes."""

from __future__ import annotations

from pathlib import Path

from warcio.archiveiterator import ArchiveIterator


class CaptureMissing(LookupError):
    """The document has no archived capture, or its WARC file is gone."""


def read_capture(data_dir: str | Path, capture: str) -> tuple[str, bytes]:
    """(content type, body) of the record a capture reference ("warc/<file>#<offset>") points at."""
    if not capture or "#" not in capture:
        raise CaptureMissing("This document has no archived capture (it was imported, not crawled).")
    name, _, offset = capture.rpartition("#")
    path = (Path(data_dir) / name).resolve()
    if Path(data_dir).resolve() not in path.parents or not offset.isdigit():
        raise CaptureMissing("The capture reference is not valid.")
    try:
        with path.open("rb") as stream:
            stream.seek(int(offset))
            for record in ArchiveIterator(stream):
                content_type = record.http_headers.get_header("Content-Type", "") if record.http_headers else ""
                return content_type or "application/octet-stream", record.content_stream().read()
    except OSError as exc:
        raise CaptureMissing(f"The archive file of this capture cannot be read: {exc.strerror}.") from None
    raise CaptureMissing("The capture was not found in its archive file.")
