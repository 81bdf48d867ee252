"""What a figure field held before the text now typed began: a text refused puts that back (s28-probe).

A field read at every key stores each figure its keys pass through: "1e9" stored 1 on the way, "20000" 2 000, and
refused at the last key they left that figure in the record beside a message saying the text was not taken. The
values accepted are kept with the texts they were read from; a text refused gives back the latest one it was not
typed on the way to (a value read from a non-empty prefix of it is such a step; an emptied field is no step).
A field left with a text taken (``settled``) starts a new run: a key refused after it keeps that figure, never one
from before it ("12" left, "12e" went back to the 12,5 held before the 12 was typed: s28-rprobe).
"""

from __future__ import annotations

from typing import Generic, TypeVar

T = TypeVar("T")
_KEPT = 16  # values kept: a text refused goes back past its own steps only, which each acceptance replaces


def _step(entry: tuple[str, ...], now: tuple[str, ...]) -> bool:
    """Whether ``entry``'s texts are on the way to ``now``'s: each the same or a non-empty prefix, one not equal."""
    return entry != now and all(e == n or (e != "" and n.startswith(e)) for e, n in zip(entry, now, strict=True))


class TypedRun(Generic[T]):
    """The values a field (or a pair of fields) was read as, by the texts they were read from."""

    def __init__(self, texts: tuple[str, ...], value: T) -> None:
        self._entries: list[tuple[tuple[str, ...], T]] = [(texts, value)]

    def accepted(self, texts: tuple[str, ...], value: T) -> None:
        """``texts`` were read as ``value``: the steps toward them are superseded."""
        kept = [(t, v) for t, v in self._entries if not _step(t, texts) and t != texts]
        self._entries = [*kept, (texts, value)][-_KEPT:]

    def settled(self, texts: tuple[str, ...], value: T) -> None:
        """The field was left with ``texts`` taken as ``value``: what is typed next begins from it."""
        self._entries = [(texts, value)]

    def before(self, texts: tuple[str, ...]) -> T:
        """The value held before ``texts`` (refused) began to be typed; its steps are forgotten, never taken."""
        first, *rest = self._entries
        self._entries = [first, *(entry for entry in rest if not _step(entry[0], texts))]
        return self._entries[-1][1]
