"""The audit log: who viewed or changed which case and when, hash-chained so removal or editing is detectable."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ibic.audit_chain import GENESIS_HASH, audit_entry_hash
from ibic.stamps import new_id
from storage.database import Database
from storage.save_counter import HEAD_ROW, write_head_row

if TYPE_CHECKING:
    from storage.journal import Author

_ACTION = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
MAX_DETAIL_LENGTH = 200
# Ten digits or more in a row look like a personnummer: `detail` is for "utredning v3, 4 pages", never for data.
_LOOKS_PERSONAL = re.compile(r"\d{6}[-+]?\d{4}")


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    entry_id: str
    at: datetime
    user_id: str
    device_id: str
    action: str
    case_id: str | None
    detail: str
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class AuditVerification:
    ok: bool
    first_broken_seq: int | None
    checked: int = 0


def entry_hash(
    prev_hash: str,
    seq: int,
    entry_id: str,
    at: str,
    user_id: str,
    device_id: str,
    action: str,
    case_id: str | None,
    detail: str,
) -> str:
    """sha256 over the previous hash and the canonical JSON of the entry (the rule lives in ``ibic.audit_chain``)."""
    return audit_entry_hash(
        prev_hash,
        seq=seq,
        entry_id=entry_id,
        at=at,
        user_id=user_id,
        device_id=device_id,
        action=action,
        case_id=case_id,
        detail=detail,
    )


def _check(action: str, detail: str) -> None:
    if not _ACTION.match(action):
        raise ValueError("audit action must be a short lower-case identifier")
    if len(detail) > MAX_DETAIL_LENGTH or _LOOKS_PERSONAL.search(detail):
        raise ValueError("audit detail must be short and hold no personal data")


# The stored head (the audit table's head row, ``storage.save_counter.HEAD_ROW``) as one scalar subquery, for a
# statement the caller runs anyway inside its transaction (the autosave's stamp check returns it: one statement less a
# save); ``head_of`` reads the value it returns. The head row also holds the save count, and the first entry of a
# transaction takes that row's place, so the count is read with the head and raised at COMMIT
# (``storage.save_counter.SaveCounter.bump``). The three columns come packed in one text (one search of the table's
# end instead of one a column: a subquery each cost ~8,700 instructions a save more, callgrind).
_HEAD_PACKED = "head_seq || ' ' || coalesce(save_count, 0) || ' ' || coalesce(hash, '')"
HEAD_SUBQUERY = f"(SELECT {_HEAD_PACKED} FROM audit WHERE {HEAD_ROW})"

# An entry takes the head row's place (seq = head + 1): the head row becomes the entry, and the transaction appends
# the next head row after it (``storage.save_counter.write_head_row``). Only a head row is ever overwritten: a seq
# held by an entry (the head row gone) leaves the statement without effect, and the plain insert then fails.
_COLUMNS = "seq, entry_id, at, user_id, device_id, action, case_id, detail, prev_hash, hash"
_INSERT = f"INSERT INTO audit ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
_TAKE_HEAD_PLACE = (
    f"{_INSERT} ON CONFLICT (seq) DO UPDATE SET entry_id = excluded.entry_id, at = excluded.at,"
    " user_id = excluded.user_id, device_id = excluded.device_id, action = excluded.action,"
    " case_id = excluded.case_id, detail = excluded.detail, prev_hash = excluded.prev_hash, hash = excluded.hash,"
    " head_seq = NULL, save_count = NULL WHERE audit.head_seq IS NOT NULL"
)


def head_of(packed: str | None) -> tuple[int, str, int]:
    """The head (seq and hash; 0 and no hash before the first entry) and the save count its row holds, from the
    value ``HEAD_SUBQUERY`` returned."""
    seq, count, digest = (packed or "0 0 ").split(" ", 2)
    return int(seq), digest or GENESIS_HASH, int(count)


def _head(connection: Any) -> tuple[int, str, int]:
    staged = _known_head(connection)
    if staged is not None:
        return staged
    row = connection.execute(f"SELECT {_HEAD_PACKED} FROM audit WHERE {HEAD_ROW}").fetchone()
    return head_of(row[0] if row else None)


def _known_head(connection: Any) -> tuple[int, str, int] | None:
    """The head staged by this transaction (``storage.database``), if any: written to the head row at its COMMIT,
    with the save count the head row held before this transaction's first entry took its place. Nothing older is
    trusted: another connection (another copy of the program) may have written since this one last committed."""
    staged: dict[str, Any] | None = getattr(connection, "head_staged", None)
    return (int(staged["seq"]), str(staged["hash"]), int(staged["count"])) if staged else None


def append(connection: Any, *, user_id: str, device_id: str, action: str, case_id: str | None, detail: str,
           head: tuple[int, str, int] | None = None, at: str | None = None) -> int:
    """Append one entry inside the caller's transaction; returns its sequence number. Its time is read here, with
    the write lock held, so the entries' times follow their sequence numbers.

    ``head`` is the stored head when the caller read it in this transaction, before any entry of its own
    (``HEAD_SUBQUERY``); ``at`` a time the caller read with the write lock held (the row's stamp of a save).
    """
    _check(action, detail)
    seq, prev_hash, count = _head(connection) if head is None or _known_head(connection) is not None else head
    seq += 1
    entry_id = new_id()
    if at is None:
        at = datetime.now(UTC).isoformat(timespec="microseconds")
    digest = entry_hash(prev_hash, seq, entry_id, at, user_id, device_id, action, case_id, detail)
    staged = getattr(connection, "head_staged", None)
    values = (seq, entry_id, at, user_id, device_id, action, case_id, detail, prev_hash, digest)
    if connection.execute(_TAKE_HEAD_PLACE, values).rowcount != 1:
        connection.execute(_INSERT, values)  # the seq is an entry's: fails as a duplicate, nothing is overwritten
    # The head is kept beside the chain so that cutting entries off the end is detected too. Inside a profile's
    # transaction the new head row is written with the save count, in one statement before COMMIT.
    if staged is None:
        write_head_row(connection, count=count, head=(seq, digest))
    else:
        staged.update(seq=seq, hash=digest, count=count)
    return seq


# The entry a restored profile writes when it continues its chain on the server's (``continue_after_restore``): the
# one gap ``verify`` accepts is the one such an entry names (its own hash covers the two numbers).
CONTINUED = "audit_continued"
_CONTINUED_DETAIL = "restored at {after}; the entries after it continue the server's chain from {first}"
_CONTINUED_PARSE = re.compile(r"^restored at (\d+); the entries after it continue the server's chain from (\d+)$")


def _continuations(rows: list[Any]) -> set[tuple[int, int]]:
    """The gaps (last seq before, first seq after) that continuation entries in ``rows`` name."""
    found = set()
    for row in rows:
        if row[5] == CONTINUED and (match := _CONTINUED_PARSE.match(row[7])):
            found.add((int(match.group(1)), int(match.group(2))))
    return found


class AuditLog:
    """Records views and changes of cases; ``verify`` walks the chain."""

    def __init__(self, database: Database, author: Author) -> None:
        self._db = database
        self._author = author  # read at each entry: the profile may take the server's spelling of its user

    def record(self, action: str, *, case_id: str | None = None, detail: str = "") -> None:
        """Append an entry in its own transaction (``detail`` must never hold personal data)."""
        with self._db.transaction() as connection:
            append(
                connection,
                user_id=self._author.user_id,
                device_id=self._author.device_id,
                action=action,
                case_id=case_id,
                detail=detail,
            )

    def entries(self, since_seq: int = 0) -> list[AuditEntry]:
        """Entries after ``since_seq``, oldest first."""
        with self._db.reading() as connection:
            rows = connection.execute(
                "SELECT seq, entry_id, at, user_id, device_id, action, case_id, detail, prev_hash, hash"
                " FROM audit WHERE seq > ? AND head_seq IS NULL ORDER BY seq",
                (since_seq,),
            ).fetchall()
        return [AuditEntry(r[0], r[1], datetime.fromisoformat(r[2]), *r[3:]) for r in rows]

    def head(self) -> tuple[int, str]:
        """The chain's last seq and hash (0 and the genesis hash before the first entry)."""
        with self._db.reading() as connection:
            seq, digest, _ = _head(connection)
        return seq, digest

    def entry(self, seq: int) -> AuditEntry | None:
        """The entry numbered ``seq``, if this profile holds it."""
        with self._db.reading() as connection:
            row = connection.execute(
                "SELECT seq, entry_id, at, user_id, device_id, action, case_id, detail, prev_hash, hash"
                " FROM audit WHERE seq = ? AND head_seq IS NULL", (seq,),
            ).fetchone()
        return None if row is None else AuditEntry(row[0], row[1], datetime.fromisoformat(row[2]), *row[3:])

    def continue_after_restore(self, after_seq: int, server_seq: int, server_hash: str) -> int:
        """Renumber the entries after ``after_seq`` (the last the server shares: the restored backup's head after one
        restore, asked of the server, ``sync.client.audit``) to follow the server's head
        (``server_seq``, ``server_hash``): each keeps its content, takes the next number and is hashed again over
        the new previous hash; then an entry saying so. One transaction; returns how many entries moved.

        The server holds this device's chain to ``server_seq``; the backup held it to ``after_seq`` only (what came
        after went with the damaged file), so the entries written since the restore would otherwise reuse numbers the
        server holds and never be uploaded, and the first past them would be refused for good."""
        with self._db.transaction() as connection:
            _, _, count = _head(connection)
            moved = connection.execute(
                "SELECT seq, entry_id, at, user_id, device_id, action, case_id, detail"
                " FROM audit WHERE seq > ? AND head_seq IS NULL ORDER BY seq", (after_seq,),
            ).fetchall()
            connection.execute("DELETE FROM audit WHERE seq > ?", (after_seq,))  # the moved entries, the head row
            seq, prev_hash = server_seq, server_hash
            for _, entry_id, at, user_id, device_id, action, case_id, detail in moved:
                seq += 1
                digest = entry_hash(prev_hash, seq, entry_id, at, user_id, device_id, action, case_id, detail)
                connection.execute(_INSERT, (seq, entry_id, at, user_id, device_id, action, case_id, detail,
                                             prev_hash, digest))
                prev_hash = digest
            append(connection, user_id=self._author.user_id, device_id=self._author.device_id, action=CONTINUED,
                   case_id=None, detail=_CONTINUED_DETAIL.format(after=after_seq, first=server_seq + 1),
                   head=(seq, prev_hash, count))
        return len(moved)

    def verify(self) -> AuditVerification:
        """Recompute the chain; ``first_broken_seq`` is the first entry whose link or content does not match."""
        with self._db.reading() as connection:
            head_seq, head_hash, _ = _head(connection)
            rows = connection.execute(
                "SELECT seq, entry_id, at, user_id, device_id, action, case_id, detail, prev_hash, hash"
                " FROM audit WHERE head_seq IS NULL ORDER BY seq"
            ).fetchall()
        expected_seq, prev_hash = 1, GENESIS_HASH
        continued = _continuations(rows)
        for seq, entry_id, at, user_id, device_id, action, case_id, detail, stored_prev, stored_hash in rows:
            if (expected_seq - 1, seq) in continued:
                # Continued on the server's chain after a restore: the link before it is the server's head, whose
                # entries this profile never held; from here on the chain is checked as ever.
                expected_seq, prev_hash = seq, stored_prev
            recomputed = entry_hash(prev_hash, seq, entry_id, at, user_id, device_id, action, case_id, detail)
            if seq != expected_seq or stored_prev != prev_hash or stored_hash != recomputed:
                return AuditVerification(False, expected_seq if seq > expected_seq else seq, expected_seq - 1)
            expected_seq, prev_hash = seq + 1, stored_hash
        if head_seq != expected_seq - 1 or head_hash != prev_hash:
            # Entries were cut off the end (or the head was edited): the first missing one is broken.
            return AuditVerification(False, expected_seq, expected_seq - 1)
        return AuditVerification(True, None, expected_seq - 1)
