"""The one settings registry: every setting with its default, environment variable and help."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class SettingsError(Exception):
    """A setting is unknown or has a value of the wrong kind."""


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str

    @property
    def env(self) -> str:
        return "TREATYSEARCH_" + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("data_dir", "./data", "Folder for the SQLite store, the Whoosh index and WARC captures."),
    Setting("database_url", "", "A postgresql:// URL to store the corpus in PostgreSQL instead of the data folder."),
    Setting(
        "crawl_delay", 1.0, "Seconds between two requests to the same host (robots.txt Crawl-delay wins if longer)."
    ),
    Setting("crawl_timeout", 30.0, "Seconds to wait for a server before a request counts as failed."),
    Setting(
        "crawl_lease",
        300.0,
        "Seconds a crawler worker holds a URL; if the worker dies, another takes the URL after this.",
    ),
    Setting("crawl_tries", 4, "How many times a failing URL is tried (with backoff) in one run."),
    Setting(
        "crawl_retry_delay",
        600.0,
        "Seconds before a URL that failed transiently (5xx, 429, timeout) is tried in a later run; doubles each run.",
    ),
    Setting("crawl_retry_runs", 8, "How many runs try a transiently failing URL before it is given up."),
    Setting("max_page_bytes", 10_000_000, "Responses larger than this are cut off and reported."),
    Setting(
        "user_agent",
        "treatysearch/0.1 (+https://github.com/treatysearch; research crawler)",
        "The User-Agent the crawler sends and matches robots.txt rules against.",
    ),
    Setting("warc_max_bytes", 1_000_000_000, "A WARC file is closed and a new one started past this size."),
    Setting("host", "127.0.0.1", "Address the web UI listens on."),
    Setting("port", 8000, "Port the web UI listens on."),
    Setting("threads", 8, "Worker threads of each web server process."),
    Setting("workers", 1, "Web server processes sharing the port (use the machine's cores)."),
    Setting("index_lock_timeout", 10.0, "Seconds an index update waits for another writer before it gives up."),
    Setting("search_cache", 256, "Search results the web server keeps for repeated requests (0: none)."),
    Setting(
        "base_url",
        "",
        "The public address of the web UI (https://treaties.example.org); links in feeds, CSV and JSON start "
        "with it. Default: http://<host>:<port>.",
    ),
    Setting("status_details", False, "Show run commands (with their paths) and error texts on /status to anyone."),
)
BY_NAME = {s.name: s for s in SETTINGS}
BOOLEANS = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False, "off": False}


@dataclass(frozen=True)
class Settings:
    values: Mapping[str, Any]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def data_path(self) -> Path:
        return Path(self.values["data_dir"])

    @property
    def store_location(self) -> str:
        return self.values["database_url"] or str(self.data_path)


def _convert(setting: Setting, value: Any) -> Any:
    kind = type(setting.default)
    if isinstance(value, kind):
        return value
    if kind is bool:
        if str(value).lower() in BOOLEANS:
            return BOOLEANS[str(value).lower()]
        raise SettingsError(f"setting {setting.name} wants true or false, got {value!r}")
    try:
        return kind(value)
    except (TypeError, ValueError):
        raise SettingsError(f"setting {setting.name} wants a {kind.__name__}, got {value!r}") from None


def load_settings(
    overrides: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None, config_file: Path | None = None
) -> Settings:
    """Defaults, then a TOML config file, then TREATYSEARCH_* variables, then explicit overrides."""
    env = os.environ if env is None else env
    values = {s.name: s.default for s in SETTINGS}
    layers: list[Mapping[str, Any]] = []
    if config_file is not None:
        try:
            layers.append(tomllib.loads(config_file.read_text("utf-8")))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise SettingsError(f"cannot read settings from {config_file}: {exc}") from None
    layers.append({s.name: env[s.env] for s in SETTINGS if s.env in env})
    layers.append({k: v for k, v in (overrides or {}).items() if v is not None})
    for layer in layers:
        unknown = set(layer) - set(BY_NAME)
        if unknown:
            raise SettingsError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        values.update({k: _convert(BY_NAME[k], v) for k, v in layer.items()})
    return Settings(values)
