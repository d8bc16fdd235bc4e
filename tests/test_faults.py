"""bench/faults.py's short matrix: a few kill -9 cases of import, index, rebuild and copy, with no differences."""

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
            "--short",
            "--only",  # crawls now walk a whole pager and calendar: too long here (test_crawler_* test resuming)
            "import,index,index --rebuild,copy",
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
    assert totals["cases"] >= 4
    assert totals["differences"] == 0, done.stdout
