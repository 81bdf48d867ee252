"""Two devices' batches side by side (each resent at once) on cases of their own while a third device pulls with
its cursor: every applied op is logged once, each record's versions follow one another in the change log's order,
each stored field holds its last logged value, and the puller receives every change exactly once, in order.

(A guard for the change log's column arrays and their ORDER BY: it fails with the order reversed. The window the
ordering lock closes, a later seq committing first, is too short for it to catch that lock removed.)

The server here has a request allowance the reader cannot spend (``env`` below): the reader pulls as fast as it can
for as long as the pushers run, so under load it outran the default bucket (50/s, 200 at once) and its pull was 429
(s27-rsrv: ~90 pulls a second on an idle machine; 0.4 s more per push round was enough to end in 429)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from sync_support import Device, Env, ThreadServer, assigned_cases, new_config, version_of

from ibic import document_paths
from sync.server.dev import DEMO_USER, seed_demo

# More requests than the reader can make in any run (each is a round trip of a millisecond or more): the rate
# limiter is not what this test is about, and its default allowance is a matter of time, which load stretches.
UNREACHABLE = {"rate_per_second": 1e6, "rate_burst": 1_000_000}

ROUNDS = 8
# Three fields of the domain model a push may set (the server checks each value against it).
FIELDS = ("origin_note", "chosen_provider", "investigation/situation")


@pytest.fixture()
def env(database_url: str) -> Iterator[Env]:
    """The folder's ``env`` (demo data, a server in a thread) with the allowance above."""
    codes = seed_demo(database_url)
    config = new_config(database_url, **UNREACHABLE)
    server = ThreadServer(config).start()
    try:
        yield Env(database_url, config, codes, base_url=f"http://127.0.0.1:{config.port}", servers=[server])
    finally:
        server.stop()


def _pusher(env: Env, device: Device, cases: list[str], outcome: dict[str, Any]) -> None:
    applied: list[str] = []
    for round_ in range(ROUNDS):
        bases = {case: version_of(env, "case", case) for case in cases}
        batch = [device.change(case, field, f"{device.device_id} {round_} \"{field}\"\\\u2028", bases[case])
                 for case in cases for field in FIELDS]
        answer = device.push(batch)
        assert answer.status_code == 200, answer.text
        applied += [r["op_id"] for r in answer.json()["results"] if r["status"] == "applied"]
        resent = device.push(batch).json()["results"]  # and every batch once more: nothing applies twice
        assert {r["status"] for r in resent} <= {"duplicate", "conflict"}
    outcome[device.device_id] = applied


def test_batches_side_by_side_are_each_applied_once_and_pulled_once(env: Env) -> None:
    devices = [env.enroll(DEMO_USER, name) for name in ("laptop-a", "laptop-b")]
    reader = env.enroll(DEMO_USER, "laptop-reader")
    cases = [c["case_id"] for c in assigned_cases(env, DEMO_USER)[:4]]
    _, cursor = reader.pull_all()
    outcome: dict[str, Any] = {}
    threads = [threading.Thread(target=_pusher, args=(env, device, own, outcome))
               for device, own in zip(devices, (cases[:2], cases[2:]), strict=True)]
    for thread in threads:
        thread.start()
    pulled: list[dict[str, Any]] = []
    while any(thread.is_alive() for thread in threads):
        page, cursor = reader.pull_all(cursor)
        pulled += page
    for thread in threads:
        thread.join()
    page, cursor = reader.pull_all(cursor)
    pulled += page
    assert set(outcome) == {"laptop-a", "laptop-b"}, "a pusher failed"
    applied = outcome["laptop-a"] + outcome["laptop-b"]
    rows = env.sql("SELECT seq, record_id, path, value, version, op_id FROM change_log WHERE device_id IN"
                   " ('laptop-a', 'laptop-b') ORDER BY seq")
    assert sorted(r["op_id"] for r in rows) == sorted(applied) and len(set(applied)) == len(applied)
    assert [c["op_id"] for c in pulled] == [r["op_id"] for r in rows]  # each once, in order, none skipped
    for case in cases:
        own = [r for r in env.sql("SELECT version, path, value FROM change_log WHERE record_id = %s ORDER BY seq",
                                  (case,))]
        versions = [r["version"] for r in own]
        assert versions == list(range(versions[0], versions[0] + len(versions)))
        assert version_of(env, "case", case) == versions[-1]
        document = reader.record("case", case)["document"]
        last = {r["path"]: r["value"] for r in own}
        for path in FIELDS:
            assert document_paths.get(document, path) == last[path]
