"""Columns of strings packed into one ``str`` each: the listed cases' ids, case numbers and names.

A string a row is an object of ~84 bytes (49 of header and hash for a short ASCII text, rounded up by the
allocator) beside its list's reference; 10,000 cases' three columns were ~2.5 MiB of them, and once made at the
unlock they cost the process's memory for good (freed, they leave empty pools in arenas other objects keep:
bench/README "s19-mem"). Packed, a column is its text and two ``array('I')`` of where each row's text starts and
ends (8 bytes a row); a row's string is cut out only when it is asked for (a visible cell, a case opened), and
dropped again.

A changed row's text is appended and its bounds point there (a saved case, a case added): the old text stays as a
gap until the next listing, or until the gaps are as long as the rest, when the column is packed again. One
character outside Latin-1 anywhere in a column makes its whole text two or four bytes a character (Python's
``str``): still a fraction of a string a row.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator
from itertools import accumulate

_CHUNK = 512  # rows gathered before they are joined: a listing never holds a column's strings all at once


class Packed:
    """A column of strings: one text, each row's start and end in it."""

    __slots__ = ("ends", "gaps", "starts", "text")

    def __init__(self, text: str = "", starts: array[int] | None = None, ends: array[int] | None = None) -> None:
        self.text = text
        self.starts = array("I") if starts is None else starts
        self.ends = array("I") if ends is None else ends
        self.gaps = 0  # characters of the text no row points at any more (changed rows' old texts)

    @classmethod
    def of(cls, strings: Iterable[str]) -> Packed:
        writer = PackedWriter()
        for text in strings:
            writer.add(text)
        return writer.packed()

    @classmethod
    def from_ends(cls, text: str, ends: array[int]) -> Packed:
        """A column written one row after the other (``dense``): each row starts where the one before ends."""
        starts = array("I", [0])
        starts.extend(ends)
        del starts[len(ends):]
        if ends and (ends[-1] != len(text) or any(map(int.__gt__, starts, ends))):
            raise ValueError("bounds outside the text")
        return cls(text, starts, ends)

    def dense(self) -> tuple[str, array[int]]:
        """The text and each row's end, rows one after the other (what ``from_ends`` reads); gaps left out."""
        if not self.gaps and self.ends and self.ends[-1] == len(self.text) and self.starts[1:] == self.ends[:-1]:
            return self.text, self.ends
        packed = Packed.of(self)
        return packed.text, packed.ends

    def __len__(self) -> int:
        return len(self.ends)

    def __getitem__(self, index: int) -> str:
        return self.text[self.starts[index]:self.ends[index]]

    def __iter__(self) -> Iterator[str]:
        # Each row's string made in C as the iteration reaches it (a sort's keys, the id hashes).
        return map(self.text.__getitem__, map(slice, self.starts, self.ends))

    def __setitem__(self, index: int, value: str) -> None:
        if self[index] != value:
            self.gaps += self.ends[index] - self.starts[index]
            self.starts[index], self.ends[index] = self._appended(value)
            if self.gaps * 2 > len(self.text) + 4096:
                self.text, self.starts, self.ends = Packed.of(self).parts()
                self.gaps = 0

    def append(self, value: str) -> None:
        start, end = self._appended(value)
        self.starts.append(start)
        self.ends.append(end)

    def parts(self) -> tuple[str, array[int], array[int]]:
        return self.text, self.starts, self.ends

    def _appended(self, value: str) -> tuple[int, int]:
        start = len(self.text)
        self.text += value  # one copy of the text (a save, not a listing)
        return start, len(self.text)


class PackedWriter:
    """A column written row by row (a listing): the strings are joined every few hundred rows."""

    __slots__ = ("_chunks", "_ends", "_length", "_pending", "_starts")

    def __init__(self) -> None:
        self._pending: list[str] = []
        self._chunks: list[str] = []
        self._starts = array("I")
        self._ends = array("I")
        self._length = 0

    def add(self, text: str) -> None:
        self._pending.append(text)
        if len(self._pending) >= _CHUNK:
            self.flush()

    def flush(self) -> None:
        pending = self._pending
        if not pending:
            return
        bounds = array("I", accumulate(map(len, pending), initial=self._length))
        self._starts.extend(bounds[:-1])
        self._ends.extend(bounds[1:])
        self._length = bounds[-1]
        self._chunks.append("".join(pending))
        pending.clear()

    def packed(self) -> Packed:
        self.flush()
        return Packed("".join(self._chunks), self._starts, self._ends)


class CaseColumns:
    """The listed cases' ids, case numbers and names, row for row: the case list's, which the work list's rows
    point at by row index (``ui.cases.work_list.WorkColumns``)."""

    __slots__ = ("case_ids", "case_numbers", "names")

    def __init__(self, case_ids: Packed | None = None, case_numbers: Packed | None = None,
                 names: Packed | None = None) -> None:
        self.case_ids = Packed() if case_ids is None else case_ids
        self.case_numbers = Packed() if case_numbers is None else case_numbers
        self.names = Packed() if names is None else names

    def __len__(self) -> int:
        return len(self.case_ids)

    def append(self, case_id: str, case_number: str, name: str) -> None:
        self.case_ids.append(case_id)
        self.case_numbers.append(case_number)
        self.names.append(name)

    def set(self, index: int, case_number: str, name: str) -> None:
        """A saved case's number and name (its id stays)."""
        self.case_numbers[index] = case_number
        self.names[index] = name
