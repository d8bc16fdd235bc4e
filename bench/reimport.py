"""Re-import check: import the whole corpus with an older commit's code, then again with this checkout's
into the same store (through its migrations), then once more; nothing may be lost, unchanged texts get no
new revisions, and the second re-import changes nothing.

    python bench/reimport.py [--base 56259a8] [--corpus ../shared/corpus] [--work /tmp/treatysearch-reimport]

Every folder of the corpus is imported, archives included (the 7,235-page kremlin_en mirror, the 10,952 UN
speeches), each pass by the `treatysearch import` of its code in a child process. After each pass the
store is read with plain SQL (so any version's schema reads the same way) and kept in --work; a pass whose
snapshot is there already is not run again (delete --work to start over). Prints, per source and pass:
documents before and after, new, merged (now a location of another document), changed texts, new
revisions, lost (gone and no location of anything), and not re-read (left over from the earlier pass).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PASSES = ("base", "new", "again")


def base_code(commit: str, work: Path) -> Path:
    """The older commit's files, unpacked once (git archive: no worktree to clean up)."""
    code = work / f"code-{commit}"
    if not (code / "treatysearch").exists():
        code.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", commit], cwd=ROOT, check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(code)], input=archive, check=True)
    return code


def folder_groups(corpus: Path, jobs: int) -> list[list[str]]:
    """Every corpus folder, in `jobs` groups of about equal size (largest first, each to the smallest group)."""
    folders = sorted((p for p in corpus.iterdir() if p.is_dir()), key=_size, reverse=True)
    groups: list[tuple[int, list[str]]] = [(0, []) for _ in range(jobs)]
    for folder in folders:
        size, names = min(groups, key=lambda g: g[0])
        groups.remove((size, names))
        groups.append((size + _size(folder), sorted([*names, str(folder)])))
    return [names for _, names in groups if names]


def _size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def run_import(code: Path, data: Path, corpus: Path, log: Path, jobs: int) -> tuple[str, float]:
    """`treatysearch import` of every corpus folder with the code in `code`, in `jobs` processes at once (each
    its own folders: an import links texts only within a source, and no source spans two groups but kremlin's
    English pages and Russian rows); their summary lines and the seconds the slowest took."""
    started = time.perf_counter()
    cli = [sys.executable, "-m", "treatysearch", "--data-dir", str(data)]
    subprocess.run([*cli, "runs"], cwd=code, capture_output=True, check=True)  # migrate once, not in each child
    children = []
    for number, folders in enumerate(folder_groups(corpus, jobs)):
        command = [*cli, "import", "--quiet", *folders]
        sink = log.with_suffix(f".{number}.log").open("w")
        children.append((subprocess.Popen(command, cwd=code, stdout=sink, stderr=subprocess.STDOUT), sink))
    for child, sink in children:
        child.wait()
        sink.close()
    lines = [_last_line(log.with_suffix(f".{n}.log")) for n in range(len(children))]
    return " + ".join(lines), time.perf_counter() - started


def _last_line(path: Path) -> str:
    lines = path.read_text().strip().splitlines()
    return lines[-1] if lines else ""


def snapshot(store: Path) -> dict[str, object]:
    """What the check compares, read with plain SQL: each document's source, revision and text hash, each
    location's document, and the revisions kept per document."""
    con = sqlite3.connect(store)
    documents = {
        doc_id: [source, revision, hashlib.sha256(text.encode()).hexdigest()[:16], last_seen]
        for doc_id, source, revision, text, last_seen in con.execute(
            "SELECT id, source, revision, text, last_seen FROM documents"
        )
    }
    urls = {doc_id: url for doc_id, url in con.execute("SELECT id, url FROM documents")}
    located = {url: doc_id for doc_id, url in con.execute("SELECT doc_id, url FROM locations")}
    revisions = Counter(doc_id for (doc_id,) in con.execute("SELECT doc_id FROM revisions"))
    con.close()
    return {"documents": documents, "urls": urls, "locations": located, "revisions": revisions}


def compare(before: dict, after: dict, started: str) -> list[list[object]]:
    """Per source: before, after, new, merged, changed, new revisions, lost, not re-read."""
    old, new = before["documents"], after["documents"]
    rows: dict[str, Counter] = {}
    for doc_id, (source, _, text, _) in old.items():
        row = rows.setdefault(source, Counter())
        row["before"] += 1
        if doc_id not in new:
            merged = after["locations"].get(before["urls"][doc_id]) in new
            row["merged" if merged else "lost"] += 1
        elif new[doc_id][2] != text:
            row["changed"] += 1
    for doc_id, (source, _, _, last_seen) in new.items():
        row = rows.setdefault(source, Counter())
        row["after"] += 1
        row["new"] += doc_id not in old
        row["not re-read"] += last_seen < started
        row["new revisions"] += after["revisions"].get(doc_id, 0) - before["revisions"].get(doc_id, 0)
    columns = ("before", "after", "new", "merged", "changed", "new revisions", "lost", "not re-read")
    table = [[source, *(rows[source][c] for c in columns)] for source in sorted(rows)]
    return [*table, ["all", *(sum(r[i] for r in table) for i in range(1, len(columns) + 1))]]


def print_table(title: str, rows: list[list[object]]) -> None:
    header = ["source", "before", "after", "new", "merged", "changed", "new revisions", "lost", "not re-read"]
    print(f"\n{title}\n\n| " + " | ".join(header) + " |")
    print("| " + " | ".join(["---"] + ["---:"] * (len(header) - 1)) + " |")
    for row in rows:
        print("| " + " | ".join(str(c) for c in row) + " |")


def run_pass(name: str, code: Path, corpus: Path, work: Path, jobs: int) -> dict:
    """One import pass into the shared store, its snapshot kept (and reused when there already)."""
    saved = work / f"{name}.json"
    if saved.exists():
        return json.loads(saved.read_text())
    started = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())  # the store's last_seen is UTC ISO
    summary, seconds = run_import(code, work / "data", corpus, work / f"{name}.log", jobs)
    result = {
        "summary": summary,
        "seconds": round(seconds),
        "started": started,
        **snapshot(work / "data" / "corpus.sqlite3"),
    }
    saved.write_text(json.dumps(result))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", default="56259a8", help="the commit whose code makes the first store")
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--work", type=Path, default=Path("/tmp/treatysearch-reimport"))
    parser.add_argument("--only", choices=PASSES, help="run the passes up to this one and stop")
    parser.add_argument("--jobs", type=int, default=1, help="import processes at once, each its own folders")
    parser.add_argument(
        "--base-store",
        type=Path,
        help="start from a copy of this store, made by --base's code, instead of the base pass",
    )
    parser.add_argument(
        "--record",
        nargs=2,
        metavar=("PASS", "STARTED"),
        help="keep the store as it is now as PASS's snapshot (a pass run by hand, begun at STARTED, UTC ISO)",
    )
    args = parser.parse_args()
    (args.work / "data").mkdir(parents=True, exist_ok=True)
    if args.record:
        name, started = args.record
        result = {
            "summary": "run by hand",
            "seconds": 0,
            "started": started,
            **snapshot(args.work / "data" / "corpus.sqlite3"),
        }
        (args.work / f"{name}.json").write_text(json.dumps(result))
    if args.base_store and not (args.work / "base.json").exists():
        shutil.copyfile(args.base_store, args.work / "data" / "corpus.sqlite3")
        base = {"summary": f"copy of {args.base_store}", "seconds": 0, "started": "", **snapshot(args.base_store)}
        (args.work / "base.json").write_text(json.dumps(base))
    codes = {"base": base_code(args.base, args.work), "new": ROOT, "again": ROOT}
    results = {}
    for name in PASSES:
        results[name] = run_pass(name, codes[name], args.corpus.resolve(), args.work, args.jobs)
        print(f"{name}: {results[name]['summary']} ({results[name]['seconds']} s)", flush=True)
        if name == args.only:
            return
    print_table(
        f"Re-import with this checkout over {args.base}'s store",
        compare(results["base"], results["new"], results["new"]["started"]),
    )
    print_table(
        "Second re-import with this checkout", compare(results["new"], results["again"], results["again"]["started"])
    )


if __name__ == "__main__":
    main()
