"""Whether a site can be reached at all: a name lookup and a TCP connection, bounded in time."""

from __future__ import annotations

import socket
import threading
import time
from urllib.parse import urlsplit


def connects(url: str, timeout: float) -> bool:
    """Whether the URL's host accepts a TCP connection on its port."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname or "", port), timeout=timeout):
            return True
    except (OSError, ValueError):
        return False


def reachable(urls: list[str], timeout: float = 4.0) -> list[str]:
    """The URLs whose host answers within timeout seconds, all checked at once.

    The name lookup has no timeout of its own (without a network it can take a minute), so each
    check runs in a daemon thread, which the process does not wait for when it exits; a check
    still running after the timeout counts as unreachable.
    """
    answered: list[str] = []

    def check(url: str) -> None:
        if connects(url, timeout):
            answered.append(url)

    threads = [threading.Thread(target=check, args=(url,), daemon=True) for url in urls]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout + 0.5
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return [url for url in urls if url in answered]
