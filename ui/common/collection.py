"""Python's cycle collector kept out of a whole listing: paused while it is built, its objects frozen afterwards.

A listing of 10,000 cases makes about 60,000 container objects (rows, tuples, dates) on the unlock worker. Every 700
of them the collector walked the young objects, every tenth walk the middle generation, and now and then every
object of the process (~25 ms with the domain imported): ~40 ms of the unlock's listing went to walks that found
nothing, since the rows hold no cycles. Once built, everything alive is frozen (``gc.freeze``): no later collection
walks it again, and what dies is still freed by reference counting. The lock unfreezes, so whatever cycles the
session leaves behind are collected once it is gone.

The start is the same story: importing Qt and the unlock page's modules makes ~30,000 container objects (classes,
functions, enums) that live as long as the process, and the collector walked them again and again before the page
was shown (~20 M instructions, ~3 % of the cold start; a collection at that point finds ~230 unreachable objects, a
few KB). It is paused from ``main.py`` until the page is up, then everything alive is frozen as after a listing.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No collection while the block runs (it builds many objects and no cycles); then everything alive is frozen.

    Run on a worker: the pause is the whole process's, and the UI thread only waits for that worker meanwhile."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


_paused_for_start = [False]


def pause_for_start() -> None:
    """No collection until ``resume_after_start`` (main.py, before Qt is imported)."""
    if gc.isenabled():
        gc.disable()
        _paused_for_start[0] = True


def resume_after_start() -> None:
    """Once the unlock page is up: what the start made is frozen (no later collection walks it; the lock
    unfreezes it), and the collector runs again."""
    if _paused_for_start[0]:
        _paused_for_start[0] = False
        gc.freeze()
        gc.enable()


def unfreeze() -> None:
    """At the lock: the frozen objects are the collector's again, so the cycles among them that the locked session
    left (its profile, its repositories) are collected rather than kept for good."""
    gc.unfreeze()
