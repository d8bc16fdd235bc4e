import re
import threading

import pytest

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
