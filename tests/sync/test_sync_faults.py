"""Sync under faults: connections cut at many byte offsets, delayed and duplicated requests, a server killed and
restarted mid-sync, a client killed mid-pull. Afterwards every operation is on the server exactly once and the
laptops and the server hold the same records."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from fault_proxy import Fault, FaultProxy
from sync_support import (
    PASSPHRASE,
    REPO,
    Env,
    Laptop,
    ProcessServer,
    assert_exactly_once_and_converged,
    assigned_cases,
    edit_all_cases,
    local_documents,
    make_laptop,
    new_config,
    server_documents,
)

from sync.client.transport import RetryPolicy
from sync.server.dev import DEMO_USER, seed_demo
from sync.timeouts import Timeouts


def test_connections_cut_at_many_byte_offsets_mid_push_and_mid_pull(env: Env, proxy: FaultProxy,
                                                                     tmp_path: Path) -> None:
    a = make_laptop(env, tmp_path / "a", DEMO_USER, base_url=f"http://127.0.0.1:{proxy.port}")
    b = make_laptop(env, tmp_path / "b", DEMO_USER)
    a.sync()
    b.sync()
    # One clean round measures how many bytes a sync conversation carries each way.
    expected = edit_all_cases(a, "origin_note", "A0")
    edit_all_cases(b, "chosen_provider", "B0")
    b.sync()
    proxy.arm(Fault())
    a.sync()
    total_up, total_down = proxy.counted["up"], proxy.counted["down"]
    assert total_up > 1000 and total_down > 1000
    offsets = [("up", total_up * k // 14) for k in range(1, 14)] + [("down", total_down * k // 14) for k in range(14)]
    for round_number, (direction, offset) in enumerate(offsets, start=1):
        expected |= edit_all_cases(a, "origin_note", f"A{round_number}")
        edit_all_cases(b, "chosen_provider", f"B{round_number}")
        b.sync()
        proxy.arm(Fault(direction, offset))  # type: ignore[arg-type]
        a.sync()
    assert proxy.cuts == len(offsets)
    b.sync()
    assert_exactly_once_and_converged(env, a.profile.device_id, expected, a, b)


def test_delayed_and_duplicated_requests_apply_once(env: Env, proxy: FaultProxy, tmp_path: Path) -> None:
    a = make_laptop(env, tmp_path / "a", DEMO_USER, base_url=f"http://127.0.0.1:{proxy.port}")
    a.sync()
    expected: set[str] = set()
    proxy.delay = 0.05
    for round_number in range(6):
        expected |= edit_all_cases(a, "origin_note", f"runda {round_number}")
        a.session.transport.reset_connections()
        proxy.duplicate_next = True
        a.sync()
    assert proxy.duplicates == 6
    assert_exactly_once_and_converged(env, a.profile.device_id, expected, a)


def test_server_killed_and_restarted_mid_sync(database_url: str, tmp_path: Path) -> None:
    codes = seed_demo(database_url)
    config = new_config(database_url)
    server = ProcessServer(config).start()
    env = Env(database_url, config, codes, base_url=f"http://127.0.0.1:{config.port}")
    proxy = FaultProxy(config.port).start()
    try:
        a = make_laptop(env, tmp_path / "a", DEMO_USER, base_url=f"http://127.0.0.1:{proxy.port}")
        a.sync()
        expected: set[str] = set()
        kills: list[int] = []

        def kill_and_restart() -> None:
            kills.append(1)
            server.kill()
            threading.Timer(0.3, server.start).start()

        for round_number in range(3):
            expected |= edit_all_cases(a, "origin_note", f"omstart {round_number}")
            proxy.arm(Fault(on_request=kill_and_restart))
            # Retries span the restart: up to 40 attempts with backoff capped at 0.5 s, for up to a minute (the
            # default 15 s of retries is shorter than a restart on a loaded machine can be).
            a.session.transport._retry = RetryPolicy(attempts=40, base_seconds=0.05, cap_seconds=0.5)
            a.session.transport._timeouts = Timeouts(retry=60)
            a.sync()
        assert len(kills) == 3
        assert_exactly_once_and_converged(env, a.profile.device_id, expected, a)
    finally:
        proxy.stop()
        server.stop()


CHILD = """
import sys, time
from pathlib import Path
from storage.profile import unlock_profile
from sync.client.engine import open_session
from sync.progress import SyncReport
from sync.client.pull import pull_changes
profile = unlock_profile(Path(sys.argv[1]), sys.argv[2])
session = open_session(profile)
def progress(p):
    print("page", p.done, flush=True)
    time.sleep(0.05)
pull_changes(session, profile, SyncReport(), progress, page_size=3)
print("finished", flush=True)
"""


def test_client_killed_mid_pull_repeats_work_but_never_skips_or_duplicates(env: Env, tmp_path: Path) -> None:
    a = make_laptop(env, tmp_path / "a", DEMO_USER)
    b = make_laptop(env, tmp_path / "b", DEMO_USER)
    b.sync()
    for round_number in range(4):
        edit_all_cases(b, "origin_note", f"B{round_number}")
        edit_all_cases(b, "chosen_provider", f"P{round_number}")
        b.sync()
    a.profile.lock()
    for kill_after in (2, 5, 9):
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(a.directory), PASSPHRASE], cwd=REPO,
                                 stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
        assert child.stdout is not None
        pages = 0
        for line in child.stdout:
            if line.startswith("page"):
                pages += 1
                if pages == kill_after:
                    child.send_signal(signal.SIGKILL)
                    break
        child.wait()
        assert child.returncode == -signal.SIGKILL
    from storage.profile import unlock_profile

    profile = unlock_profile(a.directory, PASSPHRASE)
    resumed = Laptop(profile, a.session, a.directory)
    resumed.sync()
    assert profile.sync.cursor() > 0
    server = server_documents(env, DEMO_USER)
    assert local_documents(profile, server) == server
    assert len(assigned_cases(env, DEMO_USER)) == profile.cases.count()


CHILD_KILLED_IN_BULK = """
import os, signal, sys
from pathlib import Path
from storage import sync_state
from storage.profile import unlock_profile
from sync.client.engine import open_session
from sync.progress import SyncReport
from sync.client.pull import pull_changes
written = [0]
bulk_write = sync_state.write_entry_rows
def write_then_die(*args):  # the bulk path's rows written, the page's transaction still open
    bulk_write(*args)
    written[0] += 1
    if written[0] == int(sys.argv[3]):
        print("killed", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
sync_state.write_entry_rows = write_then_die
profile = unlock_profile(Path(sys.argv[1]), sys.argv[2])
pull_changes(open_session(profile), profile, SyncReport(), lambda _p: None, page_size=3, pages_per_commit=1)
print("finished", flush=True)
"""


def test_client_killed_inside_a_page_the_bulk_path_wrote_keeps_none_of_it_and_the_next_pull_converges(
        env: Env, tmp_path: Path) -> None:
    """Laptop A holds every case; B's edits of whole entries outside the summary are the bulk path's records. A is
    killed (SIGKILL) inside a page's transaction, right after the bulk path wrote its rows: none of that page is
    kept (cursor, entries, remote_applied), and the next pull applies each change once and converges."""
    a = make_laptop(env, tmp_path / "a", DEMO_USER)
    b = make_laptop(env, tmp_path / "b", DEMO_USER)
    a.sync()
    b.sync()
    for round_number in range(2):
        edit_all_cases(b, "origin_note", f"B{round_number}")
        edit_all_cases(b, "chosen_provider", f"P{round_number}")
        b.sync()
    cursor = a.profile.sync.cursor()
    a.profile.lock()
    for kill_at in (1, 3):
        child = subprocess.Popen([sys.executable, "-c", CHILD_KILLED_IN_BULK, str(a.directory), PASSPHRASE,
                                  str(kill_at)], cwd=REPO, stdout=subprocess.PIPE, text=True,
                                 env={**os.environ, "PYTHONPATH": str(REPO)})
        out, _ = child.communicate()
        assert child.returncode == -signal.SIGKILL and "killed" in out
    from storage.profile import unlock_profile

    profile = unlock_profile(a.directory, PASSPHRASE)
    killed_at = profile.sync.cursor()
    assert killed_at > cursor  # the pages before the killed one were kept
    resumed = Laptop(profile, a.session, a.directory)
    resumed.sync()
    server = server_documents(env, DEMO_USER)
    assert local_documents(profile, server) == server
    pulled = env.sql("SELECT seq, op_id FROM change_log WHERE seq > %s", (cursor,))
    with profile._db.reading() as connection:
        rows = connection.execute("SELECT seq, op_id FROM remote_applied WHERE seq > ?", (cursor,)).fetchall()
    assert pulled and sorted(rows) == sorted((r["seq"], r["op_id"]) for r in pulled)  # each change recorded once
