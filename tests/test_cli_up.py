"""`treatysearch up` without a folder on a machine where no source answers: one line, at once, exit 1."""

import re
import socket
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path

from corpus.documents import build_document
from corpus.sqlite_store import SQLiteStore

ROOT = Path(__file__).resolve().parents[1]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens here once the socket is closed


def unreachable_sources(data: Path) -> None:
    """The default sources' profiles, pointed at a port on this machine where nothing answers."""
    (data / "profiles").mkdir(parents=True)
    port = closed_port()
    for name in ("mid", "kremlin"):
        text = resources.files("crawler").joinpath("profiles", f"{name}.toml").read_text("utf-8")
        text = re.sub(r'base_url = "[^"]+"', f'base_url = "http://127.0.0.1:{port}"', text)
        (data / "profiles" / f"{name}.toml").write_text(text, "utf-8")


def up(data: Path) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    command = [sys.executable, "-m", "treatysearch", "--data-dir", str(data), "up", "--port", str(closed_port())]
    # The timeout only guards against a hang; how fast it fails is measured by hand, not asserted.
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    return done, time.monotonic() - started


def test_up_without_a_reachable_source_fails_at_once_with_one_line(tmp_path):
    unreachable_sources(tmp_path)
    done, seconds = up(tmp_path)
    print(f"up with no source reachable: exit {done.returncode} after {seconds:.1f} s")
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1 and len(lines) == 1, done.stderr
    assert "no source could be reached" in lines[0] and "treatysearch up PATH" in lines[0]
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_up_without_a_source_but_with_stored_documents_says_so_and_goes_on(tmp_path):
    unreachable_sources(tmp_path)
    store = SQLiteStore(tmp_path / "corpus.sqlite3")
    store.save(
        build_document(
            "Joint statement of Russia and Kyrgyzstan", "The Sides agree.", url="https://x.example/1", source="mid"
        )
    )
    store.close()
    command = [sys.executable, "-m", "treatysearch", "--data-dir", str(tmp_path), "up", "--port", str(closed_port())]
    server = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    try:
        first = server.stderr.readline()
        assert first.startswith("Warning: no source could be reached") and "serving the documents" in first
    finally:
        server.kill()
        server.wait(timeout=30)
        server.stderr.close()
