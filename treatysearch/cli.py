"""The one command line: treatysearch import | export | stats | runs …"""

from __future__ import annotations

import os
import re
import sys
from contextlib import suppress
from html import unescape
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import click
from tqdm import tqdm

from corpus import Store, StoreError, open_store
from corpus.export import WRITERS
from corpus.importers import READERS, Reader, csv_reader, import_paths, parse_columns
from treatysearch.settings import SETTINGS, Settings, SettingsError, load_settings

if TYPE_CHECKING:
    from crawler.profiles import Profile


class Context:
    """What every command gets: the settings, and the store opened on first use."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._store: Store | None = None

    def close_store(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    @property
    def store(self) -> Store:
        if self._store is None:
            try:
                self._store = open_store(self.settings.store_location)
            except StoreError as exc:
                raise click.ClickException(str(exc)) from None
        return self._store


pass_context = click.make_pass_decorator(Context)
EXIT_BROKEN_PIPE = 141  # the shell's code for a process ended by SIGPIPE, as `head` leaves `yes`


class Commands(click.Group):
    """The command group: a store that cannot be written (a full disk, a read-only folder, a lost server) and
    any file that cannot be, end a command with one line saying so, never a traceback. A reader that stops
    reading (`treatysearch export | head`) ends it quietly, as it ends any Unix tool."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing left to flush at exit
            sys.exit(EXIT_BROKEN_PIPE)
        except StoreError as exc:
            raise click.ClickException(str(exc)) from None
        except OSError as exc:
            where = f": {exc.filename}" if exc.filename else ""
            raise click.ClickException(f"{exc.strerror or exc}{where}") from None


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="TREATYSEARCH_DATA_DIR",
    help="Data folder (store, index, captures). Default ./data.",
)
@click.option(
    "--database",
    "database_url",
    envvar="TREATYSEARCH_DATABASE_URL",
    help="postgresql:// URL of a PostgreSQL store instead of the data folder.",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="A TOML file of settings (see the README's table).",
)
@click.version_option(package_name="treatysearch")
@click.pass_context
def main(ctx: click.Context, data_dir: Path | None, database_url: str | None, config_file: Path | None) -> None:
    """treatysearch: find, read and compare diplomatic texts."""
    try:
        settings = load_settings(
            {"data_dir": str(data_dir) if data_dir else None, "database_url": database_url}, config_file=config_file
        )
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from None
    ctx.obj = Context(settings)
    ctx.call_on_close(ctx.obj.close_store)


def _unread_lines(unread: list[tuple[str, str]], each: int = 3) -> list[str]:
    """The files no importer read, by reason: each one named, or for a common reason the first and a count."""
    by_reason: dict[str, list[str]] = {}
    for name, reason in unread:
        by_reason.setdefault(reason, []).append(name)
    lines = []
    for reason, names in by_reason.items():
        shown = names if len(names) <= each else names[:1]
        lines += [f"not read: {name}: {reason}" for name in shown]
        if len(shown) < len(names):
            lines.append(f"not read: … and {len(names) - 1} more files: {reason}")
    return lines


def readers(columns: str = "") -> dict[str, Reader]:
    """File readers by suffix: the corpus's own, plus saved HTML pages through the crawler's extraction;
    CSV files read with a `--columns` mapping when one is given."""
    from crawler.extract import read_html_file

    found = {**READERS, ".html": read_html_file, ".htm": read_html_file}
    if columns:
        try:
            found[".csv"] = csv_reader(parse_columns(columns))
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--columns") from None
    return found


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option(
    "--columns", default="", help="CSV columns of the fields, e.g. title=Headline,text=Body,date=Published,url=Link."
)
@pass_context
def import_command(obj: Context, paths: tuple[Path, ...], quiet: bool, columns: str) -> None:
    """Load saved documents: Markdown+YAML, ToTA XML, text, JSON, HTML files, folders or archives."""
    run = obj.store.start_run("import " + " ".join(map(str, paths)))
    bar = tqdm(desc="importing", unit=" files", disable=quiet, file=sys.stderr)
    try:
        report = import_paths(obj.store, paths, readers(columns), progress=lambda name: bar.update())
    except KeyboardInterrupt:
        obj.store.finish_run(run, "interrupted")
        raise
    except StoreError:
        with suppress(StoreError):  # a full disk may refuse this too; then the next run marks it interrupted
            obj.store.finish_run(run, "failed")
        raise
    finally:
        bar.close()
    run.counts = dict(report.counts)
    run.errors = [f"{name}: {reason}" for name, reason in report.problems]
    obj.store.finish_run(run, "ok" if not report.problems else "partial")
    for name, reason in report.problems:
        click.echo(f"error: {name}: {reason}", err=True)
    for line in _unread_lines(report.unread):
        click.echo(line, err=True)
    click.echo(", ".join(f"{v} {k}" for k, v in report.counts.items()))
    if report.counts["files"] == 0:
        raise click.ClickException("no importable files found under " + ", ".join(map(str, paths)))
    if report.problems and report.counts["failed"] == report.counts["files"]:
        sys.exit(1)


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(sorted(WRITERS)), default="jsonl", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="File to write; default stdout.")
@pass_context
def export_command(obj: Context, fmt: str, output: Path | None) -> None:
    """Write every document as JSON Lines (with clauses) or CSV (one row per document)."""
    write = WRITERS[fmt]
    if output is None:
        write(obj.store.iter_documents(), sys.stdout)
        return
    tmp = output.with_name(output.name + ".part")
    with tmp.open("w", encoding="utf-8", newline="") as out:
        count = write(obj.store.iter_documents(), out)
    tmp.replace(output)
    click.echo(f"{count} documents written to {output}", err=True)


@main.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@pass_context
def stats_command(obj: Context, as_json: bool) -> None:
    """Counts of documents by source, language, year, type and party."""
    stats = obj.store.stats()
    if as_json:
        import dataclasses
        import json

        click.echo(json.dumps(dataclasses.asdict(stats), ensure_ascii=False, indent=2))
        return
    click.echo(f"{stats.documents} documents, {stats.clauses} clauses, {stats.revisions} earlier revisions")
    for title, counts in (
        ("source", stats.by_source),
        ("language", stats.by_language),
        ("year", stats.by_year),
        ("type", stats.by_type),
        ("party", stats.by_party),
    ):
        click.echo(f"\nby {title}:")
        for key, value in counts.items():
            click.echo(f"  {key:<14} {value:>7}")


@main.command("runs")
@click.option("--limit", default=20, show_default=True)
@pass_context
def runs_command(obj: Context, limit: int) -> None:
    """The last recorded runs (imports, crawls, index updates) with their results."""
    for run in obj.store.runs(limit):
        ended = run.ended.isoformat() if run.ended else "-"
        counts = ", ".join(f"{v} {k}" for k, v in _run_counts(run).items())
        click.echo(f"#{run.id} {run.status:<11} {run.started.isoformat()} → {ended}  {run.job}  {counts}")
        for error in run.errors[:5]:
            click.echo(f"    {error}")


def _run_counts(run: Any) -> dict[str, int]:
    """A run's counts, a crawl's waiting and failed URLs first."""
    first = {k: run.counts[k] for k in ("waiting", "failed") if k in run.counts}
    return {**first, **{k: v for k, v in run.counts.items() if k not in first}}


def index_path(obj: Context) -> Path:
    return obj.settings.data_path / "index"


def parse_years(text: str | None) -> tuple[int | None, int | None]:
    """ "2015-2022", "2015-", "-2022" or "2020" as a (from, to) pair."""
    if not text:
        return None, None
    match = re.fullmatch(r"\s*(\d{4})?\s*(-)?\s*(\d{4})?\s*", text)
    if not match or not (match.group(1) or match.group(3)):
        raise click.BadParameter(f"{text!r} is not a year or a range such as 2015-2022", param_hint="--year")
    first = int(match.group(1)) if match.group(1) else None
    last = int(match.group(3)) if match.group(3) else (None if match.group(2) else first)
    return first, last


@main.command("index")
@click.option("--rebuild", is_flag=True, help="Start over instead of applying only what changed.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@pass_context
def index_command(obj: Context, rebuild: bool, quiet: bool) -> None:
    """Bring the search index up to date with the store (only new, changed and deleted documents)."""
    from indexer.backends import update_search
    from indexer.results import IndexBusy

    run = obj.store.start_run("index --rebuild" if rebuild else "index")
    bar = tqdm(desc="indexing", unit=" docs", disable=quiet, file=sys.stderr)
    try:
        report = update_search(
            obj.store,
            index_path(obj),
            rebuild=rebuild,
            lock_timeout=obj.settings.index_lock_timeout,
            progress=bar.update,
        )
    except IndexBusy as exc:
        obj.store.finish_run(run, "failed")
        raise click.ClickException(str(exc)) from None
    except KeyboardInterrupt:
        obj.store.finish_run(run, "interrupted")
        raise
    finally:
        bar.close()
    run.counts = {"updated": report.updated, "deleted": report.deleted}
    obj.store.finish_run(run, "ok")
    click.echo(f"{report.updated} documents indexed, {report.deleted} removed" + (" (rebuilt)" if rebuild else ""))


@main.command("search")
@click.argument("query", nargs=-1)
@click.option("--party", "parties", multiple=True, help="ISO code of a party; repeat for several.")
@click.option("--any-party", is_flag=True, help="Match any of the parties instead of all of them.")
@click.option("--year", "years", help="A year or a range: 2020, 2015-2022, 2015-, -2022.")
@click.option("--type", "types", multiple=True, help="Document type (joint_statement, treaty …).")
@click.option("--lang", "languages", multiple=True, help="Language code (ru, en …).")
@click.option("--source", "sources", multiple=True, help="Source name (mid, kremlin, whitehouse …).")
@click.option("--sort", type=click.Choice(["relevance", "newest", "oldest"]), default="relevance", show_default=True)
@click.option("--page", default=1, show_default=True)
@click.option("--limit", default=10, show_default=True, help="Hits per page.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pass_context
def search_command(
    obj: Context,
    query: tuple[str, ...],
    parties: tuple[str, ...],
    any_party: bool,
    years: str | None,
    types: tuple[str, ...],
    languages: tuple[str, ...],
    sources: tuple[str, ...],
    sort: str,
    page: int,
    limit: int,
    as_json: bool,
) -> None:
    """Search the index: words, "phrases", AND/OR/NOT, field:value, prefix*, year:[2015 TO 2022]."""
    from indexer.backends import open_search
    from indexer.results import QueryError, SearchRequest

    year_from, year_to = parse_years(years)
    request = SearchRequest(
        q=" ".join(query),
        parties=tuple(p.upper() for p in parties),
        party_mode="any" if any_party else "all",
        year_from=year_from,
        year_to=year_to,
        types=types,
        languages=languages,
        sources=sources,
        sort=sort,
        page=page,
        page_size=limit,
    )
    index = open_search(obj.store, index_path(obj))
    try:
        result = index.search(request)
    except QueryError as exc:
        raise click.UsageError(str(exc)) from None
    finally:
        index.close()
    if as_json:
        import dataclasses
        import json

        data = dataclasses.asdict(result)
        data["pages"] = result.pages
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    _print_result(result)


def _print_result(result: Any) -> None:
    if result.suggestion:
        click.echo(f"Did you mean: {result.suggestion}")
    first = (result.request.page - 1) * result.request.page_size
    click.echo(
        f"{result.total} documents" + (f" (page {result.request.page} of {result.pages})" if result.total else "")
    )
    for n, hit in enumerate(result.hits, start=first + 1):
        click.echo(f"\n{n}. {hit.title}")
        click.echo(
            f"   {hit.date or 'undated'} · {', '.join(hit.parties) or '—'} · {hit.doc_type} · {hit.language}"
            f" · {hit.source} · {hit.id}" + (f" · clause {hit.clause}" if hit.clause else "")
        )
        for snippet in hit.snippets:
            click.echo("   … " + _plain(snippet) + " …")


def _plain(html: str) -> str:
    text = re.sub(r"<mark[^>]*>(.*?)</mark>", lambda m: click.style(m.group(1), bold=True), html)
    return " ".join(unescape(text).split())


def make_app(obj: Context, host: str | None = None, port: int | None = None):
    """The web app on the context's store; its links start with base_url, else the address it is served on."""
    from webui import create_app

    served_at = f"http://{host or obj.settings.host}:{port or obj.settings.port}"

    return create_app(
        {
            "STORE": obj.store,
            "INDEX_PATH": str(index_path(obj)),
            "DATA_DIR": str(obj.settings.data_path),
            "SEARCH_CACHE": obj.settings.search_cache,
            "BASE_URL": obj.settings.base_url or served_at,
            "STATUS_DETAILS": obj.settings.status_details,
        }
    )


@main.command("serve")
@click.option("--host", help="Address to listen on (default 127.0.0.1).")
@click.option("--port", type=int, help="Port to listen on (default 8000).")
@click.option("--threads", type=int, help="Worker threads per process (default 8).")
@click.option("--workers", type=click.IntRange(min=1), help="Server processes sharing the port (default 1).")
@pass_context
def serve_command(
    obj: Context, host: str | None, port: int | None, threads: int | None, workers: int | None = None
) -> None:
    """Serve the web UI with a production WSGI server (waitress), in one or several processes."""
    from treatysearch.serving import serve

    host = host or obj.settings.host
    port = port or obj.settings.port
    workers = workers or obj.settings.workers
    click.echo(
        f"treatysearch on http://{host}:{port}/ ({obj.store.stats().documents} documents, "
        f"{workers} process{'es' if workers > 1 else ''})",
        err=True,
    )
    obj.close_store()  # each process opens its own connections

    serve(lambda: make_app(obj, host, port), host, port, threads or obj.settings.threads, workers)


@main.command("up")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--host", help="Address to listen on (default 127.0.0.1).")
@click.option("--port", type=int, help="Port to listen on (default 8000).")
@click.pass_context
def up_command(ctx: click.Context, paths: tuple[Path, ...], host: str | None, port: int | None) -> None:
    """The main job: import the given folders (or crawl the default sources), index, and serve."""
    if paths:
        ctx.invoke(import_command, paths=paths, quiet=False)
    else:
        ctx.invoke(crawl_defaults)
    ctx.invoke(index_command, rebuild=False, quiet=False)
    ctx.invoke(serve_command, host=host, port=port, threads=None, workers=None)


DEFAULT_SOURCES = ("mid", "kremlin")


@click.pass_context
def crawl_defaults(ctx: click.Context) -> None:
    """Crawl the default sources, each in every language its profile knows; fail at once when none answers."""
    from crawler.reachability import reachable

    profiles = [load_source(ctx.obj, source, None, ()) for source in DEFAULT_SOURCES]
    sites = sorted({lang.base_url for profile in profiles for lang in profile.languages.values()})
    if not reachable(sites):
        hosts = ", ".join(urlsplit(url).netloc for url in sites)
        message = f"no source could be reached ({hosts}: no network?); to import a folder instead: treatysearch up PATH"
        if not ctx.obj.store.stats().documents:
            raise click.ClickException(message)
        click.echo(f"Warning: {message}; serving the documents already stored.", err=True)
        return
    for source in DEFAULT_SOURCES:
        ctx.invoke(crawl_command, source=source)


def load_source(obj: Context, source: str, base_url: str | None, start: tuple[str, ...]) -> Profile:
    from crawler.profiles import ProfileError, load_profiles

    try:
        profiles = load_profiles(obj.settings.data_path / "profiles")
    except ProfileError as exc:
        raise click.ClickException(str(exc)) from None
    if source not in profiles:
        raise click.BadParameter(
            f"unknown source {source!r}; known: {', '.join(sorted(profiles))}", param_hint="SOURCE"
        )
    profile = profiles[source]
    if base_url:
        profile = profile.with_base_url(base_url)
    if start:
        profile = profile.with_start(start)
    return profile


@main.command("crawl")
@click.argument("source")
@click.option("--base-url", help="Point the profile at another host (a mirror, or a local test site).")
@click.option("--lang", "language", help="Only this language of the source (ru, en …).")
@click.option("--max-pages", type=click.IntRange(min=1), help="Fetch at most this many pages in this run.")
@click.option("--delay", type=click.FloatRange(min=0), help="Seconds between requests to one host (default 1).")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Only documents dated on or after this day.")
@click.option("--all", "take_all", is_flag=True, help="Every article, not only the document types the profile takes.")
@click.option("--revisit", is_flag=True, help="Fetch known articles again (conditionally) to find changed texts.")
@click.option("--start", multiple=True, help="Start from this listing path instead of the profile's.")
@click.option("--index/--no-index", "update", default=False, help="Update the search index afterwards.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@pass_context
def crawl_command(
    obj: Context,
    source: str,
    base_url: str | None = None,
    language: str | None = None,
    max_pages: int | None = None,
    delay: float | None = None,
    since: Any = None,
    take_all: bool = False,
    revisit: bool = False,
    start: tuple[str, ...] = (),
    update: bool = False,
    quiet: bool = False,
) -> None:
    """Crawl a source politely and incrementally; a killed crawl resumes where it stopped.

    Exits 0 when done, 3 when URLs that failed transiently wait for a later run ("incomplete")."""
    from crawler.archive import WarcArchive
    from crawler.crawl import Crawler, CrawlOptions
    from crawler.fetch import Fetcher

    profile = load_source(obj, source, base_url, start)
    if language and language not in profile.languages:
        raise click.BadParameter(
            f"{source} has no language {language!r}; it has {', '.join(profile.languages)}", param_hint="--lang"
        )
    # Requests to a host are paced through the store, so that workers sharing it share each host's rate.
    overrides = {"delay": delay} if delay is not None else {}
    fetcher = Fetcher.from_settings(obj.settings, pace=obj.store.reserve_host, **overrides)
    options = CrawlOptions(
        language=language,
        max_pages=max_pages,
        since=since.date() if since else None,
        take_all=take_all,
        revisit=revisit,
        **_crawl_settings(obj.settings),
    )
    run = obj.store.start_run(f"crawl {source}" + (f" --lang {language}" if language else ""))
    bar = tqdm(desc=f"crawling {source}", unit=" pages", disable=quiet, file=sys.stderr)
    browser = _browser(obj, profile)
    with WarcArchive(obj.settings.data_path, prefix=source, max_bytes=obj.settings.warc_max_bytes) as archive:
        crawler = Crawler(
            profile, obj.store, fetcher, archive, options, progress=lambda url: bar.update(), browser=browser
        )
        try:
            report = crawler.run()
        except KeyboardInterrupt:
            _finish_crawl(obj, run, crawler.report, "interrupted")
            raise
        finally:
            bar.close()
            if browser is not None:
                browser.close()
    _finish_crawl(obj, run, report, report.status)
    _echo_crawl_report(report)
    if update:
        click.get_current_context().invoke(index_command, rebuild=False, quiet=quiet)
    if report.status == "incomplete":
        sys.exit(INCOMPLETE)


def _crawl_settings(settings: Settings) -> dict[str, float | int]:
    """The crawl options that come from settings rather than from the command line."""
    return {
        "lease": settings.crawl_lease,
        "retry_delay": settings.crawl_retry_delay,
        "retry_runs": settings.crawl_retry_runs,
    }


def _echo_crawl_report(report: Any) -> None:
    """The run's summary line, then its first 20 errors on stderr."""
    click.echo(_crawl_summary(report))
    for error in report.errors[:20]:
        click.echo(f"error: {error}", err=True)
    if len(report.errors) > 20:
        click.echo(f"… and {len(report.errors) - 20} more errors (treatysearch runs)", err=True)


def _browser(obj: Context, profile: Profile):
    """Chromium for a profile that fetches through it or falls back to it after a bot check (started on first use)."""
    if profile.fetch != "browser" and not profile.browser_fallback:
        return None
    from crawler.browser import BrowserFetcher

    return BrowserFetcher(obj.settings.user_agent, obj.settings.crawl_timeout)


def _finish_crawl(obj: Context, run: Any, report: Any, status: str) -> None:
    run.counts = dict(report.counts)
    run.errors = report.errors[:500]
    obj.store.finish_run(run, status)


INCOMPLETE = 3  # the exit status of a crawl that left URLs waiting for a retry


def _crawl_summary(report: Any) -> str:
    c = report.counts
    parts = [f"{c.get(k, 0)} {k}" for k in ("fetched", "new", "changed", "unchanged", "failed")]
    extra = [
        f"{c[k]} {k.replace('_', ' ')}"
        for k in (
            "duplicate",
            "not_modified",
            "known",
            "skipped",
            "deferred",
            "followed",
            "disallowed",
            "anti_bot",
            "listing_missing",
            "resumed",
            "released",
            "backfill",
        )
        if c.get(k)
    ]
    if report.waiting:
        done = f"; incomplete: {report.waiting} URLs wait for a retry in a later run"
    elif report.stopped:
        done = " (stopped at --max-pages; run again to go on)"
    else:
        done = ""
    return ", ".join(parts + extra) + done


@main.command("schedule")
@click.option(
    "--jobs",
    "jobs_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="TOML file of jobs (default: <data dir>/schedule.toml).",
)
@click.option("--once", is_flag=True, help="Run every job once now, then exit (for system schedulers).")
@pass_context
def schedule_command(obj: Context, jobs_file: Path | None, once: bool) -> None:
    """Run configured crawls on cron expressions, each followed by an index update."""
    import datetime as dt

    from crawler.profiles import ProfileError, load_profiles
    from treatysearch.schedule import ScheduleError, load_jobs, run_forever, run_job

    path = jobs_file or obj.settings.data_path / "schedule.toml"
    try:
        jobs = load_jobs(path, sources=load_profiles(obj.settings.data_path / "profiles"))
    except (ScheduleError, ProfileError) as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)
    obj.store.mark_interrupted()  # a killed run stays "running" no longer
    ctx = click.get_current_context()
    incomplete = []

    def run(job: Any) -> None:
        def crawl() -> None:
            try:
                ctx.invoke(
                    crawl_command,
                    source=job.source,
                    language=job.language,
                    max_pages=job.max_pages,
                    delay=job.delay,
                    since=dt.datetime.combine(job.since, dt.time()) if job.since else None,
                    take_all=job.take_all,
                    base_url=job.base_url,
                    update=True,
                    quiet=True,
                )
            except SystemExit as exc:  # a crawl that left URLs waiting ends the job, not the schedule
                if exc.code != INCOMPLETE:
                    raise
                incomplete.append(job.name)

        run_job(job, obj.settings.data_path, crawl)

    if once:
        for job in jobs:
            run(job)
        if incomplete:
            sys.exit(INCOMPLETE)
        return
    run_forever(jobs, run)


@main.command("compare")
@click.argument("id_a")
@click.argument("id_b")
@click.option("--json", "as_json", is_flag=True, help="Print the alignment as JSON.")
@click.option("--changes", is_flag=True, help="Print only the clauses that changed.")
@click.option("--given-order", is_flag=True, help="Keep the order given (else the older document is A, as on the web).")
@pass_context
def compare_command(obj: Context, id_a: str, id_b: str, as_json: bool, changes: bool, given_order: bool) -> None:
    """Align two documents clause by clause (the older as A) and print the pairs and a summary."""
    import dataclasses
    import json

    from compare.align import AlignmentError, align, older_first

    docs = [obj.store.get(i) for i in (id_a, id_b)]
    for doc_id, doc in zip((id_a, id_b), docs, strict=True):
        if doc is None:
            raise click.ClickException(f"no document {doc_id!r} (see `treatysearch search … --json` for ids)")
    if not given_order:
        docs = list(older_first(*docs))
    try:
        alignment = align(docs[0], docs[1])
    except AlignmentError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        data = {
            "a": docs[0].id,
            "b": docs[1].id,
            "summary": dataclasses.asdict(alignment.summary),
            "pairs": [dataclasses.asdict(p) for p in alignment.pairs],
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    summary = alignment.summary
    counts = ", ".join(f"{n} {k}" for k, n in summary.counts.items() if n)
    click.echo(f"A: {docs[0].title} ({docs[0].date or 'undated'})\nB: {docs[1].title} ({docs[1].date or 'undated'})")
    weak = f" ({summary.weak} weak: a guess, marked ?)" if summary.weak else ""
    click.echo(f"{summary.kept:.0%} of A's words kept; {counts}{weak}\n")
    for pair in alignment.pairs:
        if changes and pair.kind == "identical":
            continue
        left = "+".join(map(str, pair.a)) or "-"
        right = "+".join(map(str, pair.b)) or "-"
        kind = f"{pair.kind}?" if pair.confidence == "weak" else pair.kind
        click.echo(f"{left:>7} → {right:<7} {kind:<9} {pair.score:5.1f}  " + _diff_text(pair)[:160])


def _diff_text(pair: Any) -> str:
    marks = {"equal": "{}", "delete": "[-{}-]", "insert": "{{+{}+}}"}
    return " ".join(marks[op].format(b or a) for op, a, b in pair.diff) if pair.diff else "(identical)"


@main.command("migrate")
@pass_context
def migrate_command(obj: Context) -> None:
    """Create or upgrade the store's schema (SQLite in the data folder, or PostgreSQL with --database)."""
    from indexer.backends import open_search

    store = obj.store  # opening a store applies its migrations
    open_search(store, index_path(obj)).close()  # and opening its index, the index's (PostgreSQL: the search_ tables)
    where = re.sub(r"://([^:/@]+):[^@]*@", r"://\1:…@", obj.settings.store_location)  # no password in the output
    click.echo(f"schema version {store.schema_version} at {where}")


@main.command("copy")
@click.option("--to", "target", required=True, help="A postgresql:// URL, or a data folder for SQLite.")
@pass_context
def copy_command(obj: Context, target: str) -> None:
    """Copy the whole corpus (documents, revisions, locations, runs, crawl state) into another, empty store."""
    from corpus.transfer import CopyError, copy_store

    try:
        destination = open_store(target)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        counts = copy_store(obj.store, destination)
    except CopyError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        destination.close()
    click.echo(", ".join(f"{n} {table}" for table, n in counts.items()) + " copied; run `treatysearch index` there")


@main.command("settings")
def settings_command() -> None:
    """List every setting with its environment variable and default."""
    for s in SETTINGS:
        click.echo(f"{s.name:<20} {s.env:<34} {s.default!r:<12} {s.help}")
