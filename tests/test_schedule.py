import datetime as dt
import re
import subprocess
import sys
import threading

import pytest
from click.testing import CliRunner

from corpus.sqlite_store import SQLiteStore
from tests.site import Reply, Site
from treatysearch.cli import main
from treatysearch.schedule import JobRunning, ScheduleError, job_lock, load_jobs, run_job

JOBS = """
[[job]]
name = "mid-ru"
source = "mid"
cron = "0 */6 * * *"
lang = "ru"
max_pages = 200

[[job]]
name = "kremlin"
source = "kremlin"
cron = "30 3 * * *"
all = true
"""


def test_jobs_are_read_from_toml(tmp_path):
    path = tmp_path / "schedule.toml"
    path.write_text(JOBS)
    mid, kremlin = load_jobs(path)
    assert (mid.name, mid.source, mid.cron, mid.language, mid.max_pages) == ("mid-ru", "mid", "0 */6 * * *", "ru", 200)
    assert kremlin.take_all and kremlin.language is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[job]]\nname = "x"\nsource = "mid"\n', "has no cron"),
        ('[[job]]\nname = "x"\nsource = "mid"\ncron = "every day"\n', "bad cron expression"),
        ("", "defines no [[job]]"),
        (
            '[[job]]\nname = "x"\nsource = "a"\ncron = "* * * * *"\n'
            '[[job]]\nname = "x"\nsource = "b"\ncron = "* * * * *"',
            "must be unique",
        ),
        ("[[job]\n", "cannot read jobs"),
    ],
)
def test_bad_jobs_files_say_what_is_wrong(tmp_path, text, message):
    path = tmp_path / "schedule.toml"
    path.write_text(text)
    with pytest.raises(ScheduleError, match=re.escape(message)):
        load_jobs(path)


def test_missing_jobs_file(tmp_path):
    with pytest.raises(ScheduleError, match="no jobs file"):
        load_jobs(tmp_path / "none.toml")


def test_two_runs_of_the_same_job_never_overlap(tmp_path):
    path = tmp_path / "schedule.toml"
    path.write_text(JOBS)
    job = load_jobs(path)[0]
    started, release, ran = threading.Event(), threading.Event(), []

    def slow_crawl():
        started.set()
        release.wait(5)
        ran.append("first")

    first = threading.Thread(target=run_job, args=(job, tmp_path, slow_crawl))
    first.start()
    started.wait(5)
    assert run_job(job, tmp_path, lambda: ran.append("second")) is False  # skipped: the first still runs
    release.set()
    first.join(5)
    assert ran == ["first"]
    assert run_job(job, tmp_path, lambda: ran.append("third")) is True
    with job_lock(tmp_path, "other"), pytest.raises(JobRunning), job_lock(tmp_path, "other"):
        pass


SOURCES = {"mid", "kremlin"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[[job]]\nname = "k"\nsource = "kremlin"\ncron = "* * * * *"\nbase_ulr = "http://mirror"\n',
            "job 'k' has an unknown key 'base_ulr' (did you mean 'base_url'?)",
        ),
        ('[[job]]\nname = "k"\nsource = "kremlim"\ncron = "* * * * *"\n', "job 'k' has an unknown source 'kremlim'"),
        ('[[job]]\nname = "k"\nsource = "mid"\ncron = "* * * * *"\nmax_pages = "ten"\n', "max_pages must be a whole"),
        ('[[job]]\nname = "k"\nsource = "mid"\ncron = "* * * * *"\ndelay = -1\n', "delay must not be negative"),
        ('[[job]]\nname = "k"\nsource = "mid"\ncron = "* * * * *"\nsince = "May"\n', "since must be a date"),
        ('[jobs]\nname = "k"\n', "unknown table or key 'jobs'"),
    ],
)
def test_unknown_keys_and_sources_and_wrong_values_are_errors(tmp_path, text, message):
    path = tmp_path / "schedule.toml"
    path.write_text(text)
    with pytest.raises(ScheduleError, match=re.escape(message)):
        load_jobs(path, sources=SOURCES)


def test_a_job_has_its_own_delay_and_since(tmp_path):
    path = tmp_path / "schedule.toml"
    path.write_text(
        '[[job]]\nname = "k"\nsource = "kremlin"\ncron = "* * * * *"\ndelay = 2.5\nsince = 2024-01-31\n'
        '[[job]]\nname = "m"\nsource = "mid"\ncron = "* * * * *"\ndelay = 3\nsince = "2023-06-01"\n'
    )
    kremlin, mid = load_jobs(path, sources=SOURCES)
    assert (kremlin.delay, kremlin.since) == (2.5, dt.date(2024, 1, 31))
    assert (mid.delay, mid.since) == (3, dt.date(2023, 6, 1))


def test_the_schedule_command_refuses_a_bad_file_with_one_line_and_exit_2(tmp_path):
    path = tmp_path / "schedule.toml"
    path.write_text('[[job]]\nname = "k"\nsource = "nosuchsite"\ncron = "* * * * *"\n')
    result = CliRunner().invoke(main, ["--data-dir", str(tmp_path / "d"), "schedule", "--jobs", str(path), "--once"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"Error: {path}: job 'k' has an unknown source 'nosuchsite'; known: aggregator, generic, kremlin, mid"
    ]


def test_an_incomplete_crawl_exits_3_and_the_next_run_marks_a_killed_one_interrupted(tmp_path):
    listing = (
        b'<ul><li class="announce__item"><a class="announce__link" href="/ru/foreign_policy/news/2000002/">'
        b"Joint statement of Russia and Kyrgyzstan</a></li></ul>"
    )
    pages = {"/ru/foreign_policy/news/": Reply(body=listing), "/ru/foreign_policy/news/2000002/": Reply(503, b"busy")}
    data = tmp_path / "d"
    store = SQLiteStore(data / "corpus.sqlite3")
    killed = store.start_run("crawl mid")
    with store._write() as con:  # a run whose process was killed
        con.execute("UPDATE runs SET pid = ? WHERE id = ?", (dead_pid(), killed.id))
    path = tmp_path / "schedule.toml"
    with Site(lambda p, site: pages.get(p)) as site:
        path.write_text(
            f'[[job]]\nname = "m"\nsource = "mid"\nlang = "ru"\ncron = "* * * * *"\ndelay = 0\n'
            f'base_url = "{site.url}"\n'
        )
        env = {"TREATYSEARCH_CRAWL_TRIES": "1"}
        result = CliRunner(env=env).invoke(main, ["--data-dir", str(data), "schedule", "--jobs", str(path), "--once"])
    assert result.exit_code == 3, result.output
    runs = {r.id: r for r in store.runs()}
    assert runs[killed.id].status == "interrupted"
    crawl_run = next(r for r in runs.values() if r.job == "crawl mid --lang ru" and r.id != killed.id)
    assert crawl_run.status == "incomplete" and crawl_run.counts["waiting"] >= 1
    shown = CliRunner().invoke(main, ["--data-dir", str(data), "runs"]).output
    assert f"#{crawl_run.id} incomplete" in shown and "1 waiting" in shown


def dead_pid():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid
