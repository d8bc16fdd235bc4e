"""Metadata over the whole corpus: parties, types, dates and unresolved names, before and after a change.

    python bench/metadata.py read [--code DIR] [--corpus DIR | --store FILE.sqlite3] -o FILE.jsonl
    python bench/metadata.py report BEFORE.jsonl AFTER.jsonl [--gold]
    python bench/metadata.py long STORE.sqlite3

`read` imports every file of every folder of the corpus (archives included) with the code in DIR (default:
this checkout; give a scratch `git worktree` of an older commit for "before") and writes what it found, one
line per document; with --store it reads the documents an import left in a SQLite store instead (grouped by
source rather than folder), which is how the re-import check reuses its two imports.
`report` prints, per source folder, the documents without parties and the type counts before and after,
the 30 most frequent country-like names the gazetteer does not resolve, and with --gold the confusion table
of types against tests/golden/metadata_gold.json (read with this checkout's code).
`long` counts the clauses of over 1,000 words in a store by source folder and kind (the source's own unit, a
paragraph the source wrote on one line, lines the segmentation joined), naming one document of each.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Country-like names: "Republic of X", "Government of X", "President of X", «Республика X», «Президент X»…
NAME_CUES = [
    re.compile(
        r"\b(?:Republic|Kingdom|Government|President|Prime Minister|State|Emirate|Principality|Sultanate|"
        r"Federation|Minister of Foreign Affairs|People) of (?:the )?"
        r"((?:[A-Z][\w'’.-]+)(?: (?:and )?[A-Z][\w'’.-]+){0,3})"
    ),
    re.compile(r"\b((?:[A-Z][a-z]+ ){1,2}(?:Republic|Kingdom|Federation|Union|Emirates|Islands|Group))\b"),
    re.compile(r"\b(G\d{1,2}|[A-Z]{2,6})\b(?= (?:summit|leaders|countries|member states|partners))"),
    re.compile(
        r"(?:Республик[аиеуой]{0,2}|Королевств[оау]|Президент[аеу]?|Правительств[оау]|Государств[оау]) "
        r"((?:[А-Я][а-я-]+)(?: [А-Я][а-я-]+){0,2})"
    ),
    re.compile(r"((?:[А-Я][а-я]+(?:ая|ой|ую|ское|ского|ском|ская|ской|ские|ских) ){1,2}Республик[аиеуой]{0,2})"),
]
SKIP_NAMES = re.compile(r"^(?:The|This|That|These|Our|Their|Mr|Ms|Mrs|Dr|Foreign|Affairs|Parties|Sides)\b")
# Words of a name's form ("Democratic Republic"), not of a name: a candidate made of these alone is a fragment.
GENERIC = frozenset(
    "Republic Kingdom Federation Union Emirates Islands Group Democratic Federal Federative Islamic Socialist United "
    "People's People’s Arab Soviet Former Yugoslav Eastern South North General Assembly Council State States "
    "National Economic Monetary Customs Working Support Contact Open Community Commonwealth Member International "
    "Conference Commission Government For Hoc Ad Security Presidium Organization Parliamentary Unity Monitoring "
    "Military Observer Transition Assistance Consultative Eminent Persons Countries Non- Non-Aligned Aligned "
    "African Asian Pacific European Latin American Caribbean Central World Bank Court Presidents Leaders".split()
)


def candidate_names(text: str) -> list[str]:
    """Country-like names written in a text."""
    return [m.group(1).strip(" .,") for cue in NAME_CUES for m in cue.finditer(text)]


def unresolved(text: str, find_parties) -> list[str]:  # type: ignore[no-untyped-def]
    """The country-like names of a text that the gazetteer does not resolve."""
    names = {n for n in candidate_names(text) if not SKIP_NAMES.match(n) and not set(n.split()) <= GENERIC}
    return sorted(n for n in names if not find_parties(n))


def relative(name: str, corpus: Path) -> str:
    path, sep, member = name.partition(":")
    if Path(path).resolve().is_relative_to(corpus.resolve()):
        path = str(Path(path).resolve().relative_to(corpus.resolve()))
    return f"{path}{sep}{member}"


def read_corpus(corpus: Path, out: Path, shard: tuple[int, int] = (0, 1)) -> None:
    """Import every file of the corpus with the code on sys.path and write one metadata line per document;
    with a shard (i, n), only every n-th file from the i-th, so that n processes share the work."""
    from corpus.importers import READERS, iter_files, read_file
    from corpus.metadata import find_parties
    from crawler.extract import read_html_file

    readers = {**READERS, ".html": read_html_file, ".htm": read_html_file}
    if ".csv" not in readers:
        readers[".csv"] = lambda name, data: []  # the code before had no CSV importer: nothing read
    folders = sorted(p for p in corpus.iterdir() if p.is_dir())
    with out.open("w", encoding="utf-8") as sink:
        for folder in folders:
            for number, (name, load) in enumerate(iter_files([folder], readers)):
                if number % shard[1] != shard[0]:
                    continue
                try:
                    docs = read_file(name, load(), readers)
                except Exception as exc:  # a file that fails is counted, as import counts it
                    docs, error = [], str(exc)[:200]
                else:
                    error = ""
                record = {"folder": folder.name, "name": relative(name, corpus), "error": error, "documents": 0}
                if not docs:
                    sink.write(json.dumps(record, ensure_ascii=False) + "\n")
                for doc in docs:
                    sink.write(json.dumps(_summary(folder.name, relative(name, corpus), doc, find_parties)) + "\n")


def read_store(path: Path, out: Path) -> None:
    """One metadata line per document of a SQLite store, grouped by source."""
    from corpus.metadata import find_parties
    from corpus.sqlite_store import SQLiteStore

    store = SQLiteStore(path)
    with out.open("w", encoding="utf-8") as sink:
        for doc in store.iter_documents():
            sink.write(json.dumps(_summary(doc.source, doc.source_id, doc, find_parties), ensure_ascii=False) + "\n")


def _summary(folder: str, name: str, doc, find_parties) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {
        "folder": folder,
        "name": name,
        "documents": 1,
        "id": doc.id,
        "url": doc.url,
        "source": doc.source,
        "language": doc.language,
        "title": doc.title,
        "type": doc.doc_type,
        "date": doc.date.isoformat() if doc.date else None,
        "precision": getattr(doc, "date_precision", doc.extra.get("date_precision", "day")),
        "parties": list(doc.parties),
        "mentions": [list(m) for m in getattr(doc, "mentions", ())],
        "clauses": len(doc.clauses),
        "clause_faults": clause_faults(doc.clauses),
        "unresolved": unresolved(f"{doc.title}\n{doc.text}", find_parties),
    }


MARKDOWN_LEFT = re.compile(r"\*\*|(?<!\w)\*\w|\w\*(?!\w)|\]\(https?://")
CUT = re.compile(r"^\s*[‹<]\s*(?:…|\.\.\.)\s*[›>]\s*$")
HEADING_LIKE = re.compile(r"^[A-ZА-ЯЁ][^.;!?,»”\"]{1,90}[^.;!?,»”\"\s:]$")


def clause_faults(clauses) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """What issue 12 found wrong in clause text, counted for one document."""
    content = [c for c in clauses if getattr(c, "kind", "content") == "content"]
    return {
        "markdown left": sum(bool(MARKDOWN_LEFT.search(c.text)) for c in content),
        "cut marker as clause": sum(bool(CUT.match(c.text)) for c in content),
        "over 1,000 words": sum(len(c.text.split()) > 1000 for c in content),
        "heading-like clause": sum(len(c.text.split()) <= 12 and bool(HEADING_LIKE.match(c.text)) for c in content),
        "formal clauses": len(clauses) - len(content),
    }


def report_clauses(before: list[dict], after: list[dict]) -> None:
    if not any("clause_faults" in r for r in before + after):
        return
    total_b, total_a = Counter(), Counter()
    for r in before:
        total_b.update(r.get("clause_faults", {}))
    for r in after:
        total_a.update(r.get("clause_faults", {}))
    rows = [[name, total_b[name], total_a[name]] for name in sorted(total_b | total_a)]
    rows.append(["clauses", sum(r.get("clauses", 0) for r in before), sum(r.get("clauses", 0) for r in after)])
    table(["clause text", "before", "after"], rows)


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]


def table(header: list[str], rows: list[list[object]]) -> None:
    print("\n| " + " | ".join(header) + " |")
    print("| " + " | ".join(["---"] + ["---:"] * (len(header) - 1)) + " |")
    for row in rows:
        print("| " + " | ".join(str(c) for c in row) + " |")


def by_folder(records: list[dict], test) -> Counter:  # type: ignore[no-untyped-def]
    return Counter(r["folder"] for r in records if r["documents"] and test(r))


def report_parties(before: list[dict], after: list[dict]) -> None:
    docs_b, docs_a = by_folder(before, lambda r: True), by_folder(after, lambda r: True)
    none_b, none_a = by_folder(before, lambda r: not r["parties"]), by_folder(after, lambda r: not r["parties"])
    undated_b, undated_a = by_folder(before, lambda r: not r["date"]), by_folder(after, lambda r: not r["date"])
    columns = (docs_b, docs_a, none_b, none_a, undated_b, undated_a)
    rows = [[f, *(c[f] for c in columns)] for f in sorted(docs_b | docs_a)]
    rows.append(["all", *(sum(c.values()) for c in columns)])
    header = ["folder", "documents before", "after", "without parties before", "after", "undated before", "after"]
    table(header, rows)
    unread_b = sorted({r["name"] for r in before if not r["documents"]})
    unread_a = sorted({r["name"] for r in after if not r["documents"]})
    table(["files no importer read", "before", "after"], [["count", len(unread_b), len(unread_a)]])


def report_types(before: list[dict], after: list[dict]) -> None:
    types = sorted({r["type"] for r in before + after if r["documents"]})
    for label, records in (("before", before), ("after", after)):
        counts = Counter((r["folder"], r["type"]) for r in records if r["documents"])
        folders = sorted({f for f, _ in counts})
        table([f"types {label}", *types], [[f] + [counts[f, t] for t in types] for f in folders])


def report_unresolved(before: list[dict], after: list[dict]) -> None:
    def names(records: list[dict]) -> Counter:  # the same filter on both sides, whichever bench wrote them
        return Counter(n for r in records if r["documents"] for n in r["unresolved"] if not set(n.split()) <= GENERIC)

    count_b, count_a = names(before), names(after)
    top = [n for n, _ in (count_b + count_a).most_common(30)]
    table(["name not resolved (top 30)", "documents before", "after"], [[n, count_b[n], count_a[n]] for n in top])


def report_gold() -> None:
    """The confusion table of types against the gold, and its scores, with this checkout's code."""
    sys.path.insert(0, str(ROOT))
    from tests.test_metadata_gold import date_accuracy, load_gold_documents, party_scores

    pairs = load_gold_documents(ROOT.parent / "shared" / "corpus")
    types = sorted({g["type"] for g, _ in pairs} | {d.doc_type for _, d in pairs})
    confusion = Counter((g["type"], d.doc_type) for g, d in pairs)
    table(["gold \\ found", *types], [[t] + [confusion[t, u] for u in types] for t in types])
    precision, recall = party_scores(pairs)
    table(
        ["gold documents", "party precision", "party recall", "date accuracy"],
        [[len(pairs), f"{precision:.3f}", f"{recall:.3f}", f"{date_accuracy(pairs):.3f}"]],
    )


LONG_CLAUSE = 1000  # words


def source_folder(source: str, source_id: str, url: str) -> str:
    """The corpus folder a stored document came from."""
    if source == "kremlin":
        return "kremlin_ru_2025" if url.startswith(("http://kremlin.ru", "https://kremlin.ru")) else "kremlin_en_html"
    if source == "file":
        return "ungdc" if source_id.startswith("Session") else "manytreaties"
    return {"whitehouse": "whitehouse_joint_statements", "aggregator": "seed"}.get(source, source)


def long_clause_kind(source: str, clause: str, text: str) -> str:
    """Why a clause is over 1,000 words: the source's own unit, a paragraph the source wrote on one line, or
    lines the segmentation joined."""
    if source == "tota":
        return "a ToTA article (the XML's own unit)"
    start = clause[:60]
    if any(start in line and len(line.split()) > LONG_CLAUSE for line in text.splitlines()):
        return "one line of the source"
    return "lines joined by segmentation"


def report_long_clauses(path: Path) -> None:
    """Clauses of over 1,000 words in a SQLite store, by source folder and kind, with a sample of each."""
    import sqlite3

    con = sqlite3.connect(path)
    rows = con.execute(
        "SELECT d.source, d.source_id, d.url, d.text, c.text FROM clauses c JOIN documents d ON d.id = c.doc_id "
        "WHERE c.kind = 'content' AND length(c.text) > 5000"
    ).fetchall()
    counts: Counter = Counter()
    samples: dict[tuple[str, str], str] = {}
    for source, source_id, url, text, clause in rows:
        if len(clause.split()) > LONG_CLAUSE:
            key = (source_folder(source, source_id, url), long_clause_kind(source, clause, text))
            counts[key] += 1
            samples.setdefault(key, source_id)
    table(
        ["folder", "kind", "clauses over 1,000 words", "e.g."],
        [[f, k, n, samples[f, k]] for (f, k), n in sorted(counts.items())] + [["all", "", sum(counts.values()), ""]],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    read = commands.add_parser("read")
    read.add_argument("--code", type=Path, default=ROOT)
    read.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    read.add_argument("--store", type=Path, help="read a SQLite store's documents instead of the corpus files")
    read.add_argument("--shard", default="0/1", help="I/N: read every N-th file from the I-th (N processes at once)")
    read.add_argument("-o", "--out", type=Path, required=True)
    report = commands.add_parser("report")
    report.add_argument("before", type=Path)
    report.add_argument("after", type=Path)
    report.add_argument("--gold", action="store_true", help="the confusion table of types against the gold")
    long = commands.add_parser("long", help="clauses of over 1,000 words in a SQLite store, by folder and kind")
    long.add_argument("store", type=Path)
    args = parser.parse_args()
    if args.command == "long":
        report_long_clauses(args.store)
        return
    if args.command == "read":
        sys.path.insert(0, str(args.code.resolve()))
        if args.store:
            read_store(args.store, args.out)
        else:
            index, count = (int(n) for n in args.shard.split("/"))
            read_corpus(args.corpus, args.out, (index, count))
        return
    before, after = load(args.before), load(args.after)
    report_parties(before, after)
    report_types(before, after)
    report_unresolved(before, after)
    report_clauses(before, after)
    if args.gold:
        report_gold()


if __name__ == "__main__":
    main()
