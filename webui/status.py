"""The status page: corpus counts, the last runs, and how fresh the index is."""

from __future__ import annotations

import dataclasses

from flask import Blueprint, current_app, render_template

from corpus.store import Run

bp = Blueprint("status", __name__)


def run_view(run: Run, details: bool) -> dict:
    """A run as the status page shows it: without its command line and error texts unless details are on."""
    view = {**dataclasses.asdict(run), "started": run.started.isoformat()}
    view["ended"] = run.ended.isoformat() if run.ended else None
    view["error_count"] = len(run.errors)
    if not details:
        view["job"] = run.job.split(" ", 1)[0]  # "import", "crawl", "index": the arguments hold paths
        view["errors"] = []
    return view


def status() -> dict:
    store, index = current_app.extensions["treatysearch"]["store"], current_app.extensions["treatysearch"]["index"]
    stats = store.stats()
    indexed = index.indexed_change()
    behind = store.last_change() - indexed
    return {
        "stats": dataclasses.asdict(stats),
        "runs": [run_view(r, current_app.config["STATUS_DETAILS"]) for r in store.runs(15)],
        "index": {
            "documents": index.count(),
            "last_change": indexed,
            "changes_behind": max(0, behind),
            "fresh": behind <= 0,
            "updated": index.updated_at(),
        },
    }


@bp.route("/status")
def status_page() -> str:
    return render_template("status.html", s=status())


@bp.route("/status.json")
def status_json() -> dict:
    return status()
