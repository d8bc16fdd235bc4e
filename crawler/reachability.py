"""Whether a site can be reached at all: a name lookup and a TCP connection, each bounded in time."""

from __future__ import annotations

import socket
from concurrent.futures import ThreadPoolExecutor, wait
from urllib.parse import urlsplit


def _connects(url: str, timeout: float) -> bool:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname or "", port), timeout=timeout):
            return True
    except (OSError, ValueError):
        return False


def reachable(urls: list[str], timeout: float = 4.0) -> list[str]:
    """The URLs whose host answers within timeout seconds, checked at once.

    The name lookup has no timeout of its own (without a network it can take a minute), so every
    check runs in a thread and a check still waiting after the timeout counts as unreachable.
    """
    pool = ThreadPoolExecutor(max_workers=max(1, len(urls)))
    futures = {pool.submit(_connects, url, timeout): url for url in urls}
    done, _ = wait(futures, timeout=timeout + 0.5)
    pool.shutdown(wait=False, cancel_futures=True)
    return [futures[f] for f in done if f.result()]
