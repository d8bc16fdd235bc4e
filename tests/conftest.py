"""Shared fixtures: the real corpus (skipped when absent), a fresh store, and a guard against the internet."""

from __future__ import annotations

import ipaddress
import os
import socket
import subprocess
import tarfile
from pathlib import Path

import pytest

from corpus.sqlite_store import SQLiteStore

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("TREATYSEARCH_CORPUS", ROOT.parent / "shared" / "corpus"))


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """../shared/corpus (or $TREATYSEARCH_CORPUS); tests that need it skip when it is absent."""
    if not (CORPUS / "README.md").is_file():
        pytest.skip(f"the real corpus is not at {CORPUS}: set TREATYSEARCH_CORPUS to its folder")
    return CORPUS


@pytest.fixture(scope="session")
def mirror(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The kremlin.ru mirror (listing pages and articles), unpacked once for every crawl test."""
    root = tmp_path_factory.mktemp("kremlin")
    with tarfile.open(corpus_dir / "kremlin_en_html" / "en.kremlin.ru_news_mirror_2020-08.tar.xz") as archive:
        archive.extractall(root, filter="data")
    return root


DATABASE_URL = os.environ.get("TREATYSEARCH_TEST_DATABASE_URL", "")


def empty_postgres_store():
    """A PostgreSQL store on an emptied test database (TREATYSEARCH_TEST_DATABASE_URL)."""
    if not DATABASE_URL:
        pytest.skip("no PostgreSQL test database: set TREATYSEARCH_TEST_DATABASE_URL (.ci/run does)")
    import psycopg

    from corpus.postgres_store import PostgresStore

    with psycopg.connect(DATABASE_URL, autocommit=True) as con:
        con.execute("DROP SCHEMA public CASCADE")
        con.execute("CREATE SCHEMA public")
    return PostgresStore(DATABASE_URL)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path):
    """The same tests on both stores, so their behaviour cannot drift."""
    s = SQLiteStore(tmp_path / "corpus.sqlite3") if request.param == "sqlite" else empty_postgres_store()
    yield s
    s.close()


@pytest.fixture
def tiny_disk(tmp_path: Path):
    """A folder on a 600 KB file system of its own, to fill up or make read-only (needs root to mount)."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    if (
        os.geteuid() != 0
        or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(folder)]).returncode
    ):
        pytest.skip("mounting a small tmpfs needs root")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=True)


def _loopback(address: object) -> bool:
    host = address[0] if isinstance(address, tuple) else address
    if not isinstance(host, str):
        return True  # unix sockets and the like
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name other than localhost: never resolved in tests


@pytest.fixture(autouse=True)
def no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests talk to 127.0.0.1 only; any other address is refused before a packet leaves."""
    real_connect = socket.socket.connect

    def guarded_connect(self: socket.socket, address: object) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _loopback(address):
            raise OSError(f"tests must not touch the network: connection to {address!r} refused")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


SCREENSHOTS = Path(os.environ.get("TREATYSEARCH_SCREENSHOTS", ROOT / "screenshots"))


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Where browser tests save what they saw; the path is printed at the end of the run."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if SCREENSHOTS.is_dir() and any(SCREENSHOTS.glob("*.png")):
        terminalreporter.write_line(f"browser screenshots: {SCREENSHOTS}")
