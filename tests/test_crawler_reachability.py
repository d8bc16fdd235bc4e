"""The reachability check before `up` crawls: a listening port answers, a closed one does not."""

import socket

from crawler.reachability import reachable


def test_only_sites_that_accept_a_connection_are_reachable():
    with socket.socket() as listening, socket.socket() as closed:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        closed.bind(("127.0.0.1", 0))
        up, down = (f"http://127.0.0.1:{s.getsockname()[1]}/" for s in (listening, closed))
        assert reachable([down, up], timeout=2) == [up]
        assert reachable(["http:///no-host"], timeout=1) == []
