"""Faults: kill -9 at random points of every long job, and crawls of a site that misbehaves.

    python bench/faults.py [--short] [--kills 4] [--seed 1] [--start 615] [--pages 10] [--database postgresql://…]
                           [--corpus ../shared/corpus] [--work /tmp/treatysearch-faults]

Each job – import, crawl, incremental index, index --rebuild, copy – first runs once uninterrupted (the
reference). Then, for each of several random points in its reference duration, a fresh copy of its
starting state is made, the job is started as a `treatysearch` child process and killed with SIGKILL at
that point, and the same command is run again to its end. The end state is compared with the reference:
the store's documents (ids, hashes, revisions, parties, clause counts, locations), the index's documents
and its size on disk (no orphan files), no run left "running". Crawls walk a few listing pages of the mirror (its pager
lowered to offer them alone, its calendar none: `--pages`); they also run, uninterrupted, against
the kremlin.ru mirror answering 503 and 429 (with Retry-After), closing connections unanswered, and sending
slow bodies for a share of its pages; and onto a full disk (a small tmpfs, root only), then again after
room is made. Prints one row per case and the totals: cases tried and differences found (want 0).
`--short` runs a few cases (CI runs it through tests/test_faults.py).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NO_DAY = "2100-01-01"  # the calendar's first day, after its last: it offers no by-date page
IMPORTED = ("whitehouse_joint_statements", "tota/xml", "kremlin_ru_2025/supplements_data.json")
SHORT_IMPORTED = ("tota/xml", "kremlin_ru_2025/supplements_data.json")

from bench.crawl import crawl_command as bench_crawl_command  # noqa: E402
from bench.crawl import unpack  # noqa: E402 - the mirror unpacked once, as the crawl bench does


@dataclass
class Job:
    """A long job: the state it starts from, its command, and what its end state is compared by."""

    name: str
    prepare: Callable[[Path], None]  # fills a fresh work folder with the job's starting state
    command: Callable[[Path], list[str]]  # the treatysearch arguments, given the work folder
    state: Callable[[Path], object]  # the end state, comparable between runs
    before: Callable[[Path], None] = lambda work: None  # before each run (a database to empty)
    # what a rerun answers when the killed run had finished its work (copy refuses a full target): no difference
    # in itself, since the end state is compared all the same
    finished: str = ""


@dataclass
class Case:
    job: str
    kill_at: float | None  # seconds after the start; None: uninterrupted (a fault case)
    killed: bool = False
    differences: list[str] = field(default_factory=list)


def cli(data: Path, *args: str, database: str = "") -> list[str]:
    where = ["--data-dir", str(data), *(["--database", database] if database else [])]
    return [sys.executable, "-m", "treatysearch", *where, *args]


def run(command: list[str], timeout: float = 900, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=env)


# end states


def store_state(path: Path | str) -> dict:
    """Everything the store holds that a rerun must reproduce (times aside), by document id (crawled
    documents by URL path: each bench run serves the site on its own port)."""
    from corpus.store import open_store

    store = open_store(path)
    try:
        docs = {}
        for doc in store.iter_documents():
            key = doc.id if not doc.url.startswith("http://127.0.0.1") else doc.url.split("/", 3)[-1]
            docs[key] = (
                doc.content_hash,
                doc.revision,
                doc.parties,
                len(doc.clauses),
                sorted(loc.url.split("/", 3)[-1] for loc in store.locations(doc.id)),
                len(store.revisions(doc.id)),
            )
        running = [r.id for r in store.runs(1000) if r.status == "running"]
        return {"documents": docs, "runs left running": running}
    finally:
        store.close()


def index_state(data: Path) -> dict:
    """The index's documents and hashes, and its size on disk in files and bytes (orphans show there)."""
    from whoosh import index as whoosh_index

    folder = data / "index"
    ix = whoosh_index.open_dir(str(folder), indexname="documents")
    with ix.searcher() as searcher:
        indexed = {fields["id"]: fields["content_hash"] for fields in searcher.all_stored_fields()}
    files = [p for p in folder.rglob("*") if p.is_file()]
    return {
        "indexed": indexed,
        "store": store_state(data)["documents"].keys() == indexed.keys(),
        "bytes": sum(p.stat().st_size for p in files),
    }


def same(reference: object, got: object, job: str) -> list[str]:
    """What differs between two end states (the index's size: more than a third larger counts)."""
    if not isinstance(reference, dict) or not isinstance(got, dict):
        return [] if reference == got else [f"{job}: end state differs"]
    differences = []
    for key, value in reference.items():
        other = got.get(key)
        if key == "bytes":
            if other > value * 4 / 3:
                differences.append(f"index on disk {other} bytes, {value} uninterrupted (orphan files?)")
        elif key == "documents" or key == "indexed":
            missing, extra = value.keys() - other.keys(), other.keys() - value.keys()
            changed = [k for k in value.keys() & other.keys() if value[k] != other[k]]
            for label, keys in (("missing", missing), ("extra", extra), ("different", changed)):
                if keys:
                    differences.append(f"{len(keys)} {label} {key} (e.g. {sorted(keys)[0]})")
        elif value != other:
            differences.append(f"{key}: {other!r}, uninterrupted {value!r}")
    return differences


# the jobs


def import_job(corpus: Path, folders: tuple[str, ...]) -> Job:
    return Job(
        "import",
        lambda work: None,
        lambda work: cli(work / "data", "import", "--quiet", *(str(corpus / f) for f in folders)),
        lambda work: store_state(work / "data"),
    )


def index_jobs(corpus: Path, folders: tuple[str, ...]) -> list[Job]:
    paths = [str(corpus / f) for f in folders]

    def indexed_then_more(work: Path) -> None:  # an index behind its store by a second import
        run(cli(work / "data", "import", "--quiet", *paths[: max(1, len(paths) // 2)]))
        run(cli(work / "data", "index", "--quiet"))
        run(cli(work / "data", "import", "--quiet", *paths))

    return [
        Job(
            "index",
            indexed_then_more,
            lambda work: cli(work / "data", "index", "--quiet"),
            lambda w: index_state(w / "data"),
        ),
        Job(
            "index --rebuild",
            indexed_then_more,
            lambda work: cli(work / "data", "index", "--rebuild", "--quiet"),
            lambda w: index_state(w / "data"),
        ),
    ]


def postgres_index_job(corpus: Path, folders: tuple[str, ...], database: str) -> Job:
    """The incremental index on PostgreSQL: its starting state is a database (copied for each run)."""
    template = with_name(database, database.rsplit("/", 1)[1] + "_start")
    paths = [str(corpus / f) for f in folders]

    def prepare(work: Path) -> None:
        recreate(template)
        run(cli(work, "import", "--quiet", *paths[: max(1, len(paths) // 2)], database=template))
        run(cli(work, "index", "--quiet", database=template))
        run(cli(work, "import", "--quiet", *paths, database=template))

    return Job(
        "index on PostgreSQL",
        prepare,
        lambda work: cli(work, "index", "--quiet", database=database),
        lambda work: postgres_index_state(database),
        before=lambda work: recreate(database, template),
    )


def with_name(url: str, name: str) -> str:
    return url.rsplit("/", 1)[0] + "/" + name


def recreate(url: str, template: str = "") -> None:
    """The database of a URL dropped and created again: empty, or a copy of the template URL's."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(with_name(url, "postgres"), autocommit=True) as con:
        for attempt in range(20):  # a killed job's connection may linger a moment; autovacuum yields to DROP
            con.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND usename = current_user "
                "AND pid <> pg_backend_pid()",
                (name,),
            )
            try:
                con.execute(f'DROP DATABASE IF EXISTS "{name}"')
                break
            except psycopg.errors.ObjectInUse:
                if attempt == 19:
                    raise
                time.sleep(0.5)
        copy = f' TEMPLATE "{template.rsplit("/", 1)[1]}"' if template else ""
        con.execute(f'CREATE DATABASE "{name}"{copy}')


def postgres_index_state(url: str) -> dict:
    """The PostgreSQL index's documents (each with a digest of its tsvector), and whether they are the store's."""
    import psycopg

    with psycopg.connect(url) as con:
        indexed = dict(con.execute("SELECT id, md5(tsv::text) FROM search_documents").fetchall())
        stored = {r[0] for r in con.execute("SELECT id FROM documents")}
    return {"indexed": indexed, "store": stored == indexed.keys()}


def copy_job(corpus: Path, folders: tuple[str, ...], database: str) -> Job:
    def target(work: Path) -> str:
        return database or str(work / "copy")

    def prepare(work: Path) -> None:
        run(cli(work / "data", "import", "--quiet", *(str(corpus / f) for f in folders)))

    return Job(
        "copy" + (" to PostgreSQL" if database else ""),
        prepare,
        lambda work: cli(work / "data", "copy", "--to", target(work)),
        lambda work: store_state(target(work)),
        before=lambda work: empty_database(database) if database else None,
        finished="already holds documents",  # killed after its one transaction committed
    )


def empty_database(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as con:
        con.execute("DROP SCHEMA public CASCADE")
        con.execute("CREATE SCHEMA public")


def crawl_job(site_url: str, start: str) -> Job:
    return Job(
        "crawl",
        lambda work: None,
        lambda work: crawl_command(work / "data", site_url, start),
        lambda work: store_state(work / "data"),
    )


def crawl_command(data: Path, site_url: str, start: str) -> list[str]:
    return bench_crawl_command(data, site_url, "--start", start)


# the local site: the kremlin.ru mirror, clean or misbehaving


def serve(root: Path, faulty: bool, last_page: int, port: multiprocessing.Value, stop: multiprocessing.Event) -> None:
    from tests.site import Reply, Site, kremlin_routes

    routes = kremlin_routes(root, last_page=last_page, first_day=NO_DAY)
    tries: dict[str, int] = {}

    def misbehaving(path: str, site: Site) -> Reply | None:
        tries[path] = tries.get(path, 0) + 1
        kind = int(hashlib.sha1(path.encode()).hexdigest(), 16) % 10 if "/news/" in path else 9
        if tries[path] == 1 and kind < 4:  # four pages in ten misbehave the first time they are asked for
            if kind == 0:
                return Reply(503, b"busy", headers={"Retry-After": "1"})
            if kind == 1:
                return Reply(429, b"slow down", headers={"Retry-After": "1"})
            if kind == 2:
                raise ConnectionResetError("closed without an answer")  # the handler drops the connection
            reply = routes(path, site)
            return (
                Reply(reply.status, reply.body, reply.content_type, reply.headers, delay=1.5) if reply else None
            )  # slow
        return routes(path, site)

    with Site(misbehaving if faulty else routes) as site:
        site.server.handle_error = lambda request, address: None  # a dropped connection is the point
        port.value = int(site.url.rsplit(":", 1)[1])
        stop.wait()


class LocalSite:
    """The mirror served from a process of its own (so that it does not share the crawler's interpreter), its
    pager offering pages up to `last_page` and its calendar no day, so a crawl walks a few listing pages."""

    def __init__(self, root: Path, last_page: int, faulty: bool = False) -> None:
        self.port, self.stop = multiprocessing.Value("i", 0), multiprocessing.Event()
        args = (root, faulty, last_page, self.port, self.stop)
        self.process = multiprocessing.Process(target=serve, args=args, daemon=True)

    def __enter__(self) -> str:
        self.process.start()
        while not self.port.value:
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port.value}"

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.process.join(5)


# running cases


def fresh(work: Path, template: Path) -> Path:
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(template, work)
    return work


def reference(job: Job, work: Path) -> tuple[Path, object, float]:
    """The job's starting state (kept as a template), and its end state and duration uninterrupted."""
    template = work / f"{job.name.replace(' ', '_')}-start"
    shutil.rmtree(template, ignore_errors=True)
    template.mkdir(parents=True)
    job.prepare(template)
    case = fresh(work / "case", template)
    job.before(case)
    started = time.monotonic()
    done = run(job.command(case))
    seconds = time.monotonic() - started
    if done.returncode:
        raise SystemExit(f"{job.name} failed uninterrupted: {done.stderr.strip()[-500:]}")
    return template, job.state(case), seconds


def killed_case(job: Job, template: Path, work: Path, expected: object, kill_at: float) -> Case:
    case = Case(job.name, kill_at)
    folder = fresh(work / "case", template)
    job.before(folder)
    child = subprocess.Popen(job.command(folder), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        child.wait(kill_at)
    except subprocess.TimeoutExpired:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        case.killed = True
    again = run(job.command(folder))
    if again.returncode and not (job.finished and job.finished in again.stderr):
        case.differences.append(f"rerun failed: {(again.stderr.strip().splitlines() or ['?'])[-1]}")
    case.differences += same(expected, job.state(folder), job.name)
    return case


def kill_matrix(jobs: list[Job], work: Path, kills: int, rng: random.Random) -> tuple[list[Case], dict]:
    """Every job killed at `kills` random points; the cases, and each job's uninterrupted end state."""
    cases, expected = [], {}
    for job in jobs:
        template, expected[job.name], seconds = reference(job, work)
        if job.name == "crawl":  # what a crawl writes: the full-disk case gets room for half of it
            shutil.rmtree(work / "crawl-written", ignore_errors=True)
            shutil.copytree(work / "case", work / "crawl-written")
        print(f"  {job.name}: uninterrupted in {seconds:.1f} s", file=sys.stderr, flush=True)
        for point in sorted(rng.uniform(0.1, 0.9) * seconds for _ in range(kills)):
            cases.append(killed_case(job, template, work, expected[job.name], point))
    return cases, expected


def fault_crawls(root: Path, work: Path, start: str, last_page: int, expected: object) -> list[Case]:
    """The mirror misbehaving on four pages in ten; and a disk that fills up half-way, then has room."""
    cases = []
    with LocalSite(root, last_page, faulty=True) as url:
        folder = fresh(work / "case", work / "empty")
        done = run(crawl_command(folder / "data", url, start))
        case = Case("crawl: 503, 429, dropped connections, slow answers", None)
        case.differences = same(expected, store_state(folder / "data"), "crawl") + (
            [f"exit {done.returncode}"] if done.returncode not in (0,) else []
        )
        cases.append(case)
    if os.geteuid() == 0:
        cases.append(full_disk_crawl(root, work, start, last_page, expected))
    return cases


def full_disk_crawl(root: Path, work: Path, start: str, last_page: int, expected: object) -> Case:
    """The crawl onto a disk with room for half of what it writes; then, with room made, run again."""
    case = Case("crawl: disk full, then room", None)
    disk = work / "tiny"
    shutil.rmtree(disk, ignore_errors=True)
    disk.mkdir(parents=True)
    written = sum(p.stat().st_size for p in (work / "crawl-written").rglob("*") if p.is_file())
    size = f"size={max(256, written // 2048)}k"
    subprocess.run(["mount", "-t", "tmpfs", "-o", size, "tmpfs", str(disk)], check=True)
    try:
        with LocalSite(root, last_page) as url:
            full = run(crawl_command(disk / "data", url, start))
            message = (full.stderr.strip().splitlines() or [""])[-1]
            if full.returncode != 1 or "Traceback" in full.stderr or not ("full" in message or "space" in message):
                case.differences.append(f"on a full disk: exit {full.returncode}, {message[:80]!r}")
            subprocess.run(["mount", "-o", "remount,size=512m", str(disk)], check=True)
            again = run(crawl_command(disk / "data", url, start))
            if again.returncode:
                case.differences.append(f"rerun failed: {(again.stderr.strip().splitlines() or ['?'])[-1]}")
            case.differences += same(expected, store_state(disk / "data"), "crawl")
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=True)
    return case


def import_beside_index(corpus: Path, folders: tuple[str, ...], database: str, work: Path) -> Case:
    """Two imports into PostgreSQL at once while index updates run beside them, one after another; then one
    more: every stored document must be searchable (34 of 10,957 were not: the change log's numbers were
    committed out of order)."""
    case = Case(f"{len(folders)} imports beside index updates (PostgreSQL)", None)
    empty_database(database)
    run(cli(work, "migrate", database=database))
    imports = [
        subprocess.Popen(
            cli(work, "import", "--quiet", str(corpus / folder), database=database),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for folder in folders
    ]
    import psycopg

    from corpus.store import open_store
    from indexer import postgres

    store, updates = open_store(database), 0
    while any(i.poll() is None for i in imports):  # updates back to back, each as `treatysearch index` does
        postgres.update_index(store, database)
        updates += 1
    postgres.update_index(store, database)
    store.close()

    with psycopg.connect(database) as con:
        stored = {r[0] for r in con.execute("SELECT id FROM documents")}
        indexed = {r[0] for r in con.execute("SELECT id FROM search_documents")}
    if stored != indexed or any(i.returncode for i in imports):
        case.differences.append(
            f"{len(stored - indexed)} stored, not searchable; {len(indexed - stored)} the other way"
        )
    case.job += f", {updates} updates"
    return case


def table(cases: list[Case]) -> str:
    lines = ["| case | killed at | killed | differences |", "| --- | ---: | --- | --- |"]
    for c in cases:
        at = f"{c.kill_at:.2f} s" if c.kill_at is not None else "-"
        killed = "yes" if c.killed else ("finished first" if c.kill_at is not None else "-")
        lines.append(f"| {c.job} | {at} | {killed} | {'; '.join(c.differences) or 0} |")
    differing = sum(bool(c.differences) for c in cases)
    lines.append(f"\n{len(cases)} cases tried, {differing} with differences")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--short", action="store_true", help="a few cases, for CI")
    parser.add_argument("--kills", type=int, help="kill points per job (default 4; 1 with --short)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", default="", help="copy into this (emptied!) PostgreSQL database")
    parser.add_argument(
        "--corpus", type=Path, default=Path(os.environ.get("TREATYSEARCH_CORPUS", ROOT.parent / "shared" / "corpus"))
    )
    parser.add_argument("--work", type=Path, default=Path("/tmp/treatysearch-faults"))
    parser.add_argument("--only", help="these jobs alone, comma-separated (import,crawl,index,index --rebuild,copy)")
    parser.add_argument("--start", type=int, help="the listing page crawls start from (default 615; 355 with --short)")
    parser.add_argument("--pages", type=int, help="listing pages a crawl walks from there (default 10; 2 with --short)")
    args = parser.parse_args(argv)
    kills = args.kills or (1 if args.short else 4)
    folders = SHORT_IMPORTED if args.short else IMPORTED
    first = args.start or (355 if args.short else 615)
    start, last_page = f"/events/president/news/page/{first}", first + (args.pages or (2 if args.short else 10)) - 1
    rng = random.Random(args.seed)
    args.work.mkdir(parents=True, exist_ok=True)
    (args.work / "empty").mkdir(exist_ok=True)
    root = unpack(args.corpus, args.work)
    with LocalSite(root, last_page) as url:
        jobs = [
            import_job(args.corpus, folders),
            crawl_job(url, start),
            *index_jobs(args.corpus, folders),
            copy_job(args.corpus, folders, args.database),
            *([postgres_index_job(args.corpus, folders, args.database)] if args.database else []),
        ]
        if args.only:
            jobs = [job for job in jobs if job.name.split(" to ")[0].split(" on ")[0] in args.only.split(",")]
        cases, expected = kill_matrix(jobs, args.work, kills, rng)
    if "crawl" in expected:
        cases += fault_crawls(root, args.work, start, last_page, expected["crawl"])
    if args.database and not args.only:
        cases.append(import_beside_index(args.corpus, folders, args.database, args.work))
    print(table(cases))
    totals = {"cases": len(cases), "differences": sum(bool(c.differences) for c in cases)}
    print(json.dumps({**totals, "jobs": sorted({c.job for c in cases})}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
