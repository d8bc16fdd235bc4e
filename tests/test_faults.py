"""bench/faults.py's short matrix: kill -9 cases of import, crawl, index, rebuild and copy, and crawls under
injected faults (5xx, 429, dropped connections, slow bodies, a full disk), with no differences."""

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.corpus
def test_the_short_fault_matrix_finds_no_differences(corpus_dir, tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "faults.py"),
            "--short",  # crawls of two listing pages (40 articles and what they announce)
            "--corpus",
            str(corpus_dir),
            "--work",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    totals = json.loads(done.stdout.strip().splitlines()[-1])
    assert totals["cases"] >= 6
    assert {"import", "crawl", "crawl: 503, 429, dropped connections, slow answers", "copy"} <= set(totals["jobs"])
    assert totals["differences"] == 0, done.stdout
