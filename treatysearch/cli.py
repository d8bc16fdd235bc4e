"""The one command line: treatysearch import | export | stats | runs …"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from tqdm import tqdm

from corpus import Store, StoreError, open_store
from corpus.export import WRITERS
from corpus.importers import READERS, Reader, import_paths
from treatysearch.settings import SETTINGS, Settings, SettingsError, load_settings


class Context:
    """What every command gets: the settings, and the store opened on first use."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._store: Store | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            try:
                self._store = open_store(self.settings.store_location)
            except StoreError as exc:
                raise click.ClickException(str(exc)) from None
        return self._store


pass_context = click.make_pass_decorator(Context)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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
    ctx.call_on_close(lambda: ctx.obj._store.close() if ctx.obj._store else None)


def readers() -> dict[str, Reader]:
    """File readers by suffix: the corpus's own, plus saved HTML pages through the crawler's extraction."""
    from crawler.extract import read_html_file

    return {**READERS, ".html": read_html_file, ".htm": read_html_file}


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--quiet", is_flag=True, help="No progress bar.")
@pass_context
def import_command(obj: Context, paths: tuple[Path, ...], quiet: bool) -> None:
    """Load saved documents: Markdown+YAML, ToTA XML, text, JSON, HTML files, folders or archives."""
    run = obj.store.start_run("import " + " ".join(map(str, paths)))
    bar = tqdm(desc="importing", unit=" files", disable=quiet, file=sys.stderr)
    try:
        report = import_paths(obj.store, paths, readers(), progress=lambda name: bar.update())
    except KeyboardInterrupt:
        obj.store.finish_run(run, "interrupted")
        raise
    finally:
        bar.close()
    run.counts = dict(report.counts)
    run.errors = [f"{name}: {reason}" for name, reason in report.problems]
    obj.store.finish_run(run, "ok" if not report.problems else "partial")
    for name, reason in report.problems:
        click.echo(f"error: {name}: {reason}", err=True)
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
        counts = ", ".join(f"{v} {k}" for k, v in run.counts.items())
        click.echo(f"#{run.id} {run.status:<11} {run.started.isoformat()} → {ended}  {run.job}  {counts}")
        for error in run.errors[:5]:
            click.echo(f"    {error}")


@main.command("settings")
def settings_command() -> None:
    """List every setting with its environment variable and default."""
    for s in SETTINGS:
        click.echo(f"{s.name:<20} {s.env:<34} {s.default!r:<12} {s.help}")


def run(argv: list[str] | None = None) -> Any:
    return main(argv)
