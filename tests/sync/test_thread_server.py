"""The sync tests' server in a thread (``ThreadServer`` in ``sync_support.py``)."""

from __future__ import annotations

import time

from sync_support import ThreadServer, new_config


def test_the_thread_server_runs_and_is_woken_by_its_own_main_loop(database_url: str) -> None:
    """``_PromptServer`` replaces uvicorn's ``Server.main_loop`` (uvicorn looks at ``should_exit`` every 0.1 s) to stop
    at once. Should uvicorn rename that method or stop calling it, the override would go unused and every stop would
    silently wait again: this fails instead (its ``_loop`` is never set, its stop event never set)."""
    server = ThreadServer(new_config(database_url)).start()
    prompt = server._server
    deadline = time.monotonic() + 30
    while prompt._loop is None:
        assert server._thread.is_alive() and time.monotonic() < deadline, "uvicorn never ran _PromptServer.main_loop"
        time.sleep(0.01)
    server.stop()
    assert not server._thread.is_alive()
    assert prompt._stopping.is_set()
