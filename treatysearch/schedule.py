"""Scheduled crawl jobs: cron expressions from a TOML file, run by APScheduler, never two at once."""

from __future__ import annotations

import fcntl
import logging
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

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


def load_jobs(path: Path) -> list[Job]:
    """Jobs from a TOML file of [[job]] tables (name, source, cron; optional lang, max_pages, all, base_url)."""
    from apscheduler.triggers.cron import CronTrigger

    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise ScheduleError(f"no jobs file at {path}; see the README for its format") from None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ScheduleError(f"cannot read jobs from {path}: {exc}") from None
    jobs = []
    for n, table in enumerate(data.get("job", []), start=1):
        missing = [k for k in ("name", "source", "cron") if k not in table]
        if missing:
            raise ScheduleError(f"{path}: job {n} has no {', '.join(missing)}")
        try:
            CronTrigger.from_crontab(table["cron"])
        except ValueError as exc:
            raise ScheduleError(f"{path}: job {table['name']!r} has a bad cron expression: {exc}") from None
        jobs.append(
            Job(
                table["name"],
                table["source"],
                table["cron"],
                table.get("lang"),
                table.get("max_pages"),
                bool(table.get("all", False)),
                table.get("base_url"),
            )
        )
    if not jobs:
        raise ScheduleError(f"{path} defines no [[job]]")
    if len({j.name for j in jobs}) != len(jobs):
        raise ScheduleError(f"{path}: job names must be unique")
    return jobs


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
