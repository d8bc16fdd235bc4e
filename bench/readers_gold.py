"""Convert the readers' query set into tests/golden/readers_gold.json: queries, filters and target ids only.

    python bench/readers_gold.py /work/gold/search_gold.jsonl [--corpus ../shared/corpus] [--out PATH]

The readers, who had not seen the code, wrote one JSON line per query: kind, q, optional filters (party,
year_from, year_to) and the documents that must be in the top 10, as paths relative to the corpus folder
or as the page's URL (with, for pages of the kremlin.ru mirror, their path in it). This script imports the
known-item documents (bench/queryset.py's SOURCES, plus the mirror's pages the readers named that are not
unpacked beside it) and writes each target as the id the importer gives it. A target the test corpus does
not hold (a second copy in a folder it does not import) is left out, and printed; every query keeps at
least one. A query whose target, once read, plainly does not answer it is marked "invalid" with the reason
(the test leaves it out). The readers' notes are kept only where they are their own short words, not what a text says.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from queryset import SOURCES  # noqa: E402  (bench/ is on the path when run as a script)

MIRROR = "kremlin_en_html/en.kremlin.ru_news_mirror_2020-08.tar.xz"
PAGES = "kremlin_en_html/pages"
# Queries whose expectation reading the target shows to be wrong: kept in the file, left out of the recall.
INVALID = {
    q: "the target (en.kremlin.ru news 37953) is a meeting on Lake Baikal's environment; it holds no uranium, "
    "no enrichment and no Angarsk (the Angarsk* prefix query on it stays valid)"
    for q in ("uranium enrichment centre Angarsk", "enriched uranium Angarsk")
}
# A note that reports what a target holds ("text has …", quoted words) would carry the corpus into the repository.
QUOTES_CORPUS = re.compile(r"[«»\"“”]|\b(text|texts|target|targets|has|says|spells|glued|only|absent|never)\b", re.I)


def mirror_members(lines: list[dict], corpus: Path) -> list[str]:
    """The mirror's pages the readers named that the unpacked pages folder does not hold."""
    named = {path for line in lines for path in line.get("paths", {}).values()}
    return sorted(p for p in named if not (corpus / PAGES / p).is_file())


def load(corpus: Path, members: list[str]):
    """A store of the known-item documents and the named mirror pages, imported as the test imports them."""
    from corpus.importers import import_paths
    from corpus.sqlite_store import SQLiteStore
    from treatysearch.cli import readers

    work = Path(tempfile.mkdtemp())
    with tarfile.open(corpus / MIRROR) as archive:
        for member in members:
            archive.extract(member, work / "mirror", filter="data")
    store = SQLiteStore(work / "corpus.sqlite3")
    import_paths(store, [corpus / s for s in SOURCES] + [work / "mirror"], readers())
    return store


def path_ids(store, corpus: Path) -> dict[str, str]:
    """Each imported document's id by the path of its file under the corpus folder (`source/…/file`)."""
    from corpus.importers import SourceFile, iter_files, read_source
    from treatysearch.cli import readers

    found = {}
    for source in SOURCES:
        for file in iter_files([corpus / source], readers()):
            try:
                docs = read_source(SourceFile(file.name, file.key, file.load), readers())
            except Exception:  # listing pages and the like: no document to point at
                continue
            present = store.existing({d.id for d in docs})
            for doc in docs:
                if doc.id in present:
                    found[f"{source}/{file.key}"] = doc.id
    return found


def target_id(target: str, by_path: dict[str, str], by_url: dict[str, str]) -> str | None:
    return by_url.get(target) if target.startswith("http") else by_path.get(target)


def convert(line: dict, by_path: dict[str, str], by_url: dict[str, str]) -> dict:
    """One reader's line as a golden query: its request fields and the ids of the targets the corpus holds."""
    filters = line.get("filters", {})
    query = {"kind": line["kind"], "q": line["q"]}
    if filters.get("party"):
        query["parties"] = filters["party"]
    query.update({k: filters[k] for k in ("year_from", "year_to") if k in filters})
    ids = [target_id(t, by_path, by_url) for t in line["targets"]]
    for target, found in zip(line["targets"], ids, strict=True):
        if found is None:
            print(f"not in the test corpus, left out: {target} ({line['q']})", file=sys.stderr)
    query["targets"] = list(dict.fromkeys(i for i in ids if i))
    if not query["targets"]:
        raise SystemExit(f"no target of {line['q']!r} is in the test corpus")
    if line["q"] in INVALID:
        query["invalid"] = INVALID[line["q"]]
    note = line.get("note", "")
    if note and len(note) <= 80 and not QUOTES_CORPUS.search(note):
        query["note"] = note
    return query


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("lines", type=Path)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--out", type=Path, default=ROOT / "tests" / "golden" / "readers_gold.json")
    args = parser.parse_args()
    lines = [json.loads(line) for line in args.lines.read_text("utf-8").splitlines() if line.strip()]
    members = mirror_members(lines, args.corpus)
    store = load(args.corpus, members)
    by_url = {d.url: d.id for d in store.iter_documents()}
    by_path = path_ids(store, args.corpus)
    queries = [convert(line, by_path, by_url) for line in lines]
    data = {"sources": SOURCES, "mirror": MIRROR, "mirror_pages": members, "queries": queries}
    args.out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")


if __name__ == "__main__":
    main()
