"""WARC capture of every response (and of 304 revisits), in files rotated by size."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import BinaryIO

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.fetch import Response

NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 304: "Not Modified", 404: "Not Found"}


class WarcArchive:
    """Appends records to data/warc/<prefix>-<n>.warc.gz; a capture reference is "warc/<file>#<offset>"."""

    def __init__(self, data_dir: Path, prefix: str = "treatysearch", max_bytes: int = 1_000_000_000) -> None:
        self.data_dir = data_dir
        self.folder = data_dir / "warc"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.prefix = prefix
        self.max_bytes = max_bytes
        self._file: BinaryIO | None = None
        self._path: Path | None = None

    def _current(self) -> tuple[BinaryIO, Path]:
        if self._file is None or self._path is None or self._path.stat().st_size >= self.max_bytes:
            self.close()
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S%f")
            self._path = self.folder / f"{self.prefix}-{stamp}.warc.gz"
            self._file = self._path.open("ab")
        return self._file, self._path

    def write(self, response: Response, refers_to_date: str = "") -> str:
        """Archive one response (a 304 as a revisit record); the reference of its record."""
        stream, path = self._current()
        offset = stream.tell()
        writer = WARCWriter(stream, gzip=True)
        status_line = f"{response.status} {REASONS.get(response.status, '')}".strip()
        http_headers = StatusAndHeaders(status_line, self._headers(response), protocol="HTTP/1.1")
        uri = response.final_url or response.url
        if response.not_modified:
            warc_headers = {"WARC-Profile": NOT_MODIFIED, "WARC-Refers-To-Target-URI": response.url}
            if refers_to_date:
                warc_headers["WARC-Refers-To-Date"] = refers_to_date
            record = writer.create_warc_record(
                uri,
                "revisit",
                payload=io.BytesIO(b""),
                length=0,
                http_headers=http_headers,
                warc_headers_dict=warc_headers,
            )
        else:
            record = writer.create_warc_record(
                uri, "response", payload=io.BytesIO(response.body), length=len(response.body), http_headers=http_headers
            )
        writer.write_record(record)
        stream.flush()
        return f"{path.relative_to(self.data_dir)}#{offset}"

    @staticmethod
    def _headers(response: Response) -> list[tuple[str, str]]:
        """The body is stored decoded, so headers describing an encoding or a length are made true again."""
        headers = [
            (k, v)
            for k, v in response.headers.items()
            if k not in ("content-encoding", "transfer-encoding", "content-length")
        ]
        return [*headers, ("content-length", str(len(response.body)))]

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self) -> WarcArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
