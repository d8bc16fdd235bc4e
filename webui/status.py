"""The status page: corpus counts, the last runs, and how fresh the index is."""

from __future__ import annotations

import dataclasses

from flask import Blueprint, current_app, render_template

bp = Blueprint("status", __name__)


def status() -> dict:
    store, index = current_app.extensions["treatysearch"]["store"], current_app.extensions["treatysearch"]["index"]
    stats = store.stats()
    indexed = index.indexed_change()
    behind = store.last_change() - indexed
    return {
        "stats": dataclasses.asdict(stats),
        "runs": [
            {
                **dataclasses.asdict(r),
                "started": r.started.isoformat(),
                "ended": r.ended.isoformat() if r.ended else None,
            }
            for r in store.runs(15)
        ],
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
