"""Locks and unlocks while a sync a lock stopped is still ending on its worker: no sync starts in a locked session,
and each session's store is closed once its workers let go."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QThreadPool
from uihelpers import unlock


def test_a_lock_an_unlock_and_a_lock_while_the_first_sync_ends_start_no_sync_after_the_lock(  # type: ignore[no-untyped-def]
    qtbot, demo_window, held_sync
):
    """The second session's first sync waits for the first session's stopped run; locked again before the UI
    thread hears that run ended, that wait must not start a sync for the locked session (its store is closing)."""
    main = demo_window
    unlock(qtbot, main)
    first: Any = main.session.profile
    qtbot.waitUntil(held_sync.entered.is_set, timeout=20_000)
    main.action_lock.trigger()
    assert not first.is_locked  # the stopped sync still uses it
    first_upkeep = main._upkeep_job
    unlock(qtbot, main)
    second: Any = main.session.profile
    # The day's upkeep starts right after the first sync is asked for (once the list is painted): that sync waits.
    qtbot.waitUntil(lambda: main._upkeep_job is not first_upkeep, timeout=20_000)
    assert main.sync is not None and not main.sync.controller.running

    held_sync.release.set()
    assert QThreadPool.globalInstance().waitForDone(30_000)  # the first run ended; the UI thread has not heard yet
    main.action_lock.trigger()
    qtbot.waitUntil(lambda: first.is_locked and second.is_locked, timeout=20_000)
    assert QThreadPool.globalInstance().waitForDone(30_000)
    assert held_sync.runs == [first]  # no run on the second store, locked and closed


def test_a_store_whose_close_fails_still_lets_the_next_session_sync(  # type: ignore[no-untyped-def]
    qtbot, demo_window, held_sync, expect_unexpected_error
):
    """What waits for a worker runs whatever the one before it met: the first session's close raising (reported as
    an unexpected error) must not leave the second session's first sync waiting for good."""
    from storage.profile import Profile

    main = demo_window
    unlock(qtbot, main)
    first: Any = main.session.profile
    qtbot.waitUntil(held_sync.entered.is_set, timeout=20_000)
    main.action_lock.trigger()

    def failing_close() -> None:
        raise RuntimeError("the close failed")

    first.lock = failing_close
    first_upkeep = main._upkeep_job
    unlock(qtbot, main)
    second: Any = main.session.profile
    qtbot.waitUntil(lambda: main._upkeep_job is not first_upkeep, timeout=20_000)
    held_sync.entered.clear()
    held_sync.release.set()
    qtbot.waitUntil(lambda: held_sync.runs == [first, second], timeout=20_000)
    qtbot.waitUntil(lambda: main.sync is not None and main.sync.controller.status.last_synced_at is not None,
                    timeout=20_000)
    # The close comes after the lists kept for the next unlock, which may end after the second session's sync.
    qtbot.waitUntil(lambda: len(expect_unexpected_error) > 0, timeout=20_000)
    assert [error.error_type for error in expect_unexpected_error] == ["RuntimeError"]
    Profile.lock(first)


def test_nothing_of_a_locked_session_stays_in_memory_after_its_workers_ended(qtbot, demo_window):  # type: ignore[no-untyped-def]
    """A job's callbacks (the day's upkeep's capture the session) are let go once it reported: the window, which
    lives as long as the app, does not keep every past session, and the people it loaded, alive until quit."""
    import gc
    import weakref

    main = demo_window
    unlock(qtbot, main)
    session = weakref.ref(main.session)
    qtbot.waitUntil(lambda: main._upkeep_job is not None and not main._upkeep_job.running, timeout=20_000)
    main.open_case(main.session.summaries()[0].case_id)
    gone: list[str] = []
    main.sync.destroyed.connect(lambda: gone.append("sync"))
    main.workspace.destroyed.connect(lambda: gone.append("workspace"))
    main.action_lock.trigger()
    qtbot.waitUntil(lambda: len(gone) == 2)  # what the lock deleted later is deleted
    # and the store closed: the lists kept for the next unlock are written first, on a worker that needs the session
    qtbot.waitUntil(lambda: not main._closing, timeout=20_000)
    gc.collect()
    assert session() is None
