"""Serving the web UI: waitress with threads, in one process or several sharing one listening socket."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
from collections.abc import Callable
from typing import Any

import waitress


def serve(make_app: Callable[[], Any], host: str, port: int, threads: int, workers: int = 1) -> None:
    """Serve until interrupted. With several workers each process has its own store and index readers,
    and the kernel hands each new connection to one of them: Python runs one search at a time per process."""
    options = {"threads": threads, "ident": "treatysearch", "clear_untrusted_proxy_headers": True}
    if workers <= 1:
        waitress.serve(make_app(), host=host, port=port, **options)
        return
    listener = socket.create_server((host, port), backlog=1024)
    children = []
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:  # a worker: its own app, store connections and index readers, on the shared socket
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            try:
                waitress.serve(make_app(), sockets=[listener], **options)
            finally:
                os._exit(0)
        children.append(pid)

    def stop(signum: int, frame: object) -> None:
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for child in children:
        os.waitpid(child, 0)
    listener.close()
