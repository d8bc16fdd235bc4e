"""Scheduled crawl jobs: cron expressions from a TOML file, run by APScheduler, never two at once."""

from __future__ import annotations

import datetime as dt
import difflib
import fcntl
import logging
import tomllib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger("treatysearch.schedule")


class ScheduleError(Exception):
    """The jobs file is missing or wrong; the message says where."""


class JobRunning(Exception):
    """Another run of the same job still holds its lock."""


@dataclass(frozen=True)
class Job:
    name: str
    source: str
    cron: str
    language: str | None = None
    max_pages: int | None = None
    take_all: bool = False
    base_url: str | None = None
    delay: float | None = None  # seconds between requests to a host, for this job
    since: dt.date | None = None  # only documents dated on or after this day


# key in the file → (field of Job, the types it takes, what to say it must be)
KEYS: dict[str, tuple[str, tuple[type, ...], str]] = {
    "name": ("name", (str,), "a string"),
    "source": ("source", (str,), "a string"),
    "cron": ("cron", (str,), "a string"),
    "lang": ("language", (str,), "a string"),
    "max_pages": ("max_pages", (int,), "a whole number"),
    "all": ("take_all", (bool,), "true or false"),
    "base_url": ("base_url", (str,), "a string"),
    "delay": ("delay", (int, float), "a number of seconds"),
    "since": ("since", (dt.date, str), "a date (2024-01-31)"),
}


def load_jobs(path: Path, sources: Iterable[str] | None = None) -> list[Job]:
    """Jobs from a TOML file of [[job]] tables (name, source, cron; optional lang, max_pages, all, base_url, delay,
    since). Unknown keys, unknown sources (when `sources` are given) and wrong values are errors, never ignored."""
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise ScheduleError(f"no jobs file at {path}; see the README for its format") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ScheduleError(f"cannot read jobs from {path}: {exc}") from None
    unknown = sorted(set(data) - {"job"})
    if unknown:
        raise ScheduleError(f"{path}: unknown table or key {unknown[0]!r}; a jobs file holds [[job]] tables")
    known = set(sources) if sources is not None else None
    jobs = [_job(path, n, table, known) for n, table in enumerate(data.get("job", []), start=1)]
    if not jobs:
        raise ScheduleError(f"{path} defines no [[job]]")
    if len({j.name for j in jobs}) != len(jobs):
        raise ScheduleError(f"{path}: job names must be unique")
    return jobs


def _job(path: Path, n: int, table: dict[str, Any], sources: set[str] | None) -> Job:
    from apscheduler.triggers.cron import CronTrigger

    where = f"{path}: job {table.get('name', n)!r}" if isinstance(table.get("name"), str) else f"{path}: job {n}"
    missing = [k for k in ("name", "source", "cron") if k not in table]
    if missing:
        raise ScheduleError(f"{path}: job {n} has no {', '.join(missing)}")
    for key, value in table.items():
        if key not in KEYS:
            close = difflib.get_close_matches(key, KEYS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f"; known: {', '.join(KEYS)}"
            raise ScheduleError(f"{where} has an unknown key {key!r}{hint}")
        _, types, what = KEYS[key]
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            raise ScheduleError(f"{where}: {key} must be {what}, not {value!r}")
    if sources is not None and table["source"] not in sources:
        raise ScheduleError(f"{where} has an unknown source {table['source']!r}; known: {', '.join(sorted(sources))}")
    try:
        CronTrigger.from_crontab(table["cron"])
    except ValueError as exc:
        raise ScheduleError(f"{where} has a bad cron expression: {exc}") from None
    values = {KEYS[k][0]: v for k, v in table.items()}
    values["since"] = _date(where, values.get("since"))
    if values.get("delay") is not None and values["delay"] < 0:
        raise ScheduleError(f"{where}: delay must not be negative")
    return Job(**values)


def _date(where: str, value: object) -> dt.date | None:
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value  # type: ignore[return-value]
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ScheduleError(f"{where}: since must be a date (2024-01-31), not {value!r}") from None


@contextmanager
def job_lock(data_dir: Path, name: str) -> Iterator[None]:
    """Held for the whole run of a job, across processes; JobRunning when another run holds it."""
    folder = data_dir / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f"{name}.lock").open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise JobRunning(f"job {name!r} is still running; this run is skipped") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def run_job(job: Job, data_dir: Path, crawl: Callable[[], None]) -> bool:
    """Run a job unless its previous run is still going; whether it ran."""
    try:
        with job_lock(data_dir, job.name):
            log.info("job %s: crawl %s", job.name, job.source)
            crawl()
            return True
    except JobRunning as exc:
        log.warning("%s", exc)
        return False
    except Exception:  # a failed run is recorded by the crawl itself; the schedule goes on
        log.exception("job %s failed", job.name)
        return True


def run_forever(jobs: list[Job], run: Callable[[Job], None]) -> None:
    from apscheduler.schedulers.blocking import BlockingScheduler
    from apscheduler.triggers.cron import CronTrigger

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    scheduler = BlockingScheduler()
    for job in jobs:
        scheduler.add_job(
            run,
            CronTrigger.from_crontab(job.cron),
            args=[job],
            id=job.name,
            name=job.name,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=3600,
        )
        log.info("job %s: %s on %r", job.name, job.source, job.cron)
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        scheduler.shutdown(wait=False)
