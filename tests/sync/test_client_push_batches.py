"""A push of many batches: the laptop reads the next batch and records the last answer while the server applies
the batch on the wire (sync/client/push.py). Every entry reaches the server once, in journal order, and a connection cut
anywhere in the conversation loses nothing and applies nothing twice."""

from __future__ import annotations

from pathlib import Path

from fault_proxy import Fault, FaultProxy
from sync_support import (
    Env,
    Laptop,
    assert_exactly_once_and_converged,
    edit_case,
    make_laptop,
)

from sync.client.progress import SyncReport
from sync.client.push import push_pending
from sync.server.dev import DEMO_USER

BATCH = 1  # one entry a batch: with the edits below, both the overlapped and the re-read step are taken


def _push(laptop: Laptop) -> SyncReport:
    report = SyncReport()
    push_pending(laptop.session, laptop.profile, report, batch_size=BATCH)
    return report


def _edit(laptop: Laptop, round_number: int) -> set[str]:
    """Two cases, two edits each: a batch follows one of the same case (re-read) and one of the other (overlapped)."""
    first, second = (s.case_id for s in laptop.profile.cases.list_summaries()[:2])
    edit_case(laptop.profile, first, origin_note=f"Anteckning {round_number}")
    edit_case(laptop.profile, first, chosen_provider=f"Utförare {round_number}")
    edit_case(laptop.profile, second, origin_note=f"Anteckning {round_number}")
    edit_case(laptop.profile, second, chosen_provider=f"Utförare {round_number}")
    return {change.op_id for change in laptop.profile.journal.pending(limit=10_000)}


def test_many_batches_reach_the_server_once_in_journal_order(env: Env, tmp_path: Path) -> None:
    a = make_laptop(env, tmp_path / "a", DEMO_USER)
    a.sync()
    expected = _edit(a, 1)
    journal_order = [change.op_id for change in a.profile.journal.pending(limit=10_000)]
    assert len(journal_order) == 4
    report = _push(a)
    logged = [r["op_id"] for r in env.sql(
        "SELECT op_id FROM change_log WHERE device_id = %s ORDER BY seq", (a.profile.device_id,))]
    assert logged == journal_order
    assert (report.pushed, report.applied, report.conflicts, report.rejected) == (len(journal_order),) * 2 + (0, 0)
    assert_exactly_once_and_converged(env, a.profile.device_id, expected, a)
    for summary in a.profile.cases.list_summaries()[:2]:
        case = a.profile.cases.load(summary.case_id)
        assert (case.origin_note, case.chosen_provider) == ("Anteckning 1", "Utförare 1")


def test_a_batched_push_cut_at_any_point_applies_every_entry_once(env: Env, tmp_path: Path) -> None:
    proxy = FaultProxy(env.config.port).start()
    try:
        a = make_laptop(env, tmp_path / "a", DEMO_USER, base_url=f"http://127.0.0.1:{proxy.port}")
        a.sync()
        expected = _edit(a, 0)
        proxy.arm(Fault())
        _push(a)  # one clean batched push measures how many bytes it carries each way
        total_up, total_down = proxy.counted["up"], proxy.counted["down"]
        offsets = [("up", total_up * k // 7) for k in range(1, 7)] + [("down", total_down * k // 7) for k in range(7)]
        for round_number, (direction, offset) in enumerate(offsets, start=1):
            expected |= _edit(a, round_number)
            proxy.arm(Fault(direction, offset))  # type: ignore[arg-type]
            _push(a)
        assert proxy.cuts == len(offsets)
        a.sync()
        assert_exactly_once_and_converged(env, a.profile.device_id, expected, a)
    finally:
        proxy.stop()
