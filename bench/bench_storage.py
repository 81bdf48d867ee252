"""Storage benchmark: the encrypted store against its floors, measured in one run (figures only, nothing asserted).

Figures (medians):
- unlock: ``unlock_profile`` with calibrated Argon2id parameters vs Argon2id alone with the same parameters;
  opening SQLCipher with a raw key vs with a passphrase (SQLCipher's own PBKDF2);
- autosave: ``CaseRepository.save`` after one life-area edit of a fully filled case vs a raw SQLCipher upsert of
  the same document bytes (same pragmas), with synchronous=FULL (the choice) and NORMAL; and the same autosave
  with and without the WAL save counter (``storage.save_counter``), alternated;
- load of a full case, listing 5,000 cases with a text filter and a status filter, bulk import of 5,000 cases:
  the same repository code on SQLCipher and on plain ``sqlite3`` (same schema, same pragmas), and the ratio.
Run: python3 -m bench.run storage   (or python3 -m bench.bench_storage [count])
"""

from __future__ import annotations

import gc
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ibic.demo import bulk_cases, fully_filled_case  # noqa: E402
from ibic.vocabulary import CaseStatus  # noqa: E402
from storage import backups  # noqa: E402
from storage.database import PRAGMAS, Database, connect, run_migrations  # noqa: E402
from storage.journal import Author  # noqa: E402
from storage.kdf import KdfParameters, calibrate, derive_key, new_salt  # noqa: E402
from storage.profile import Profile, create_profile, unlock_profile  # noqa: E402
from storage.repositories.cases import CaseRepository  # noqa: E402
from storage.repositories.documents import DocumentCache  # noqa: E402
from storage.repositories.people import PersonRepository  # noqa: E402
from storage.save_counter import write_head_row  # noqa: E402

COUNT = 5_000
TODAY = date(2026, 11, 23)
PASSPHRASE = "korrekt häst batteri häftklammer"
COUNTER = [0]  # makes every autosave and upsert write a new value


def median_time(step: Callable[[], Any], repeats: int) -> float:
    """Median seconds of ``repeats`` runs of ``step`` (collector off while timing, as timeit does)."""
    samples = []
    for _ in range(repeats):
        gc.disable()
        started = time.perf_counter()
        step()
        samples.append(time.perf_counter() - started)
        gc.enable()
    return statistics.median(samples)


def show(label: str, seconds: float, floor: float | None = None, floor_label: str = "") -> None:
    """One figure, with its floor and the ratio when given."""
    text = f"{label:<58} {seconds * 1000:9.3f} ms"
    if floor is not None:
        text += f"   {floor_label or 'floor'} {floor * 1000:9.3f} ms   ratio {seconds / floor:5.2f}x"
    print(text)


class Store:
    """The repositories over one connection: SQLCipher (through a profile) or plain sqlite3 (same schema)."""

    def __init__(self, database: Database) -> None:
        author = Author("bench", "bench-device")
        self.database = database
        self.cases = CaseRepository(database, author, DocumentCache())
        self.people = PersonRepository(database, author, DocumentCache())


class _PlainConnection(sqlite3.Connection):
    """Carries the staged audit head like ``storage.database.ProfileConnection`` (a plain connection has no room)."""

    head_staged: dict[str, Any] | None = None


def plain_store(path: Path, synchronous: str = "FULL") -> Store:
    """The same schema and pragmas on plain SQLite, no encryption."""
    connection = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, factory=_PlainConnection)
    for pragma in PRAGMAS:
        if "cipher" not in pragma:
            connection.execute(pragma.replace("synchronous = FULL", f"synchronous = {synchronous}"))
    database = Database(path, connection, bytearray(32))
    run_migrations(database)
    return Store(database)


def cipher_store(directory: Path, synchronous: str = "FULL") -> tuple[Profile, Store]:
    """A real profile (OWASP-minimum KDF: unlock is measured separately)."""
    profile = create_profile(directory, PASSPHRASE, user_id="bench", device_id="bench-device", kdf=KdfParameters())
    with profile._db.reading() as connection:
        connection.execute(f"PRAGMA synchronous = {synchronous}")
    return profile, Store(profile._db)


def bench_unlock(work: Path, count: int) -> None:
    print("-- unlock")
    started = time.perf_counter()
    parameters = calibrate()
    print(f"calibration took {time.perf_counter() - started:.2f} s -> memory {parameters.memory_kib // 1024} MiB,"
          f" iterations {parameters.iterations}, parallelism {parameters.parallelism}")
    directory = work / "unlock"
    profile = create_profile(directory, PASSPHRASE, user_id="bench", kdf=parameters)
    people, cases = bulk_cases(count, TODAY)
    profile.people.save_many(people)
    profile.cases.save_many(cases)
    profile.backup_now()  # unlock makes a backup only when the last is older than 12 h
    profile.lock()
    salt = new_salt()
    kdf_alone = median_time(lambda: derive_key(PASSPHRASE, salt, parameters), 5)

    def unlock() -> None:
        unlock_profile(directory, PASSPHRASE).lock()

    show(f"unlock_profile ({count} cases in the profile)", median_time(unlock, 5), kdf_alone, "Argon2id alone")

    def unlock_and_list() -> None:
        opened = unlock_profile(directory, PASSPHRASE)
        opened.cases.list_summaries(today=TODAY)
        opened.lock()

    unlock_and_list()  # the first list of a day refreshes deadlines once; measured below
    show(f"unlock_profile + list all {count} summaries", median_time(unlock_and_list, 5), kdf_alone,
         "Argon2id alone")
    key = bytearray(b"\x11" * 32)
    raw_path = work / "raw.db"
    connect(raw_path, key).execute("CREATE TABLE t (x)")

    def open_raw() -> None:
        connection = connect(raw_path, key)
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        connection.close()

    import sqlcipher3.dbapi2 as sqlcipher

    passphrase_path = work / "passphrase.db"
    seed = sqlcipher.connect(str(passphrase_path))
    seed.execute(f"PRAGMA key = '{PASSPHRASE}'")
    seed.execute("CREATE TABLE t (x)")
    seed.close()

    def open_with_passphrase() -> None:
        connection = sqlcipher.connect(str(passphrase_path))
        connection.execute(f"PRAGMA key = '{PASSPHRASE}'")
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        connection.close()

    show("SQLCipher open, own PBKDF2 (passphrase)", median_time(open_with_passphrase, 5),
         median_time(open_raw, 20), "raw key")


def bench_autosave(work: Path) -> None:
    print("-- autosave of one life-area edit (fully filled case, as synced from the server: nothing pending)")
    for synchronous in ("FULL", "NORMAL"):
        profile, store = cipher_store(work / f"autosave-{synchronous}", synchronous)
        person, case = fully_filled_case(TODAY)
        store.people.save_many([person])
        store.cases.save_many([case])
        text = case.model_dump_json()
        with store.database.reading() as connection:
            connection.execute("CREATE TABLE raw_upsert (id TEXT PRIMARY KEY, document TEXT NOT NULL)")
            connection.execute("CREATE TABLE raw_journal (seq INTEGER PRIMARY KEY, op_id TEXT, value TEXT)")
            connection.execute("CREATE TABLE raw_audit (seq INTEGER PRIMARY KEY, entry TEXT)")
        area = case.investigation.assessments[3]

        def autosave(store: Store = store, area: Any = area, case: Any = case, counter: list[int] = COUNTER) -> None:
            counter[0] += 1
            area.need = f"Behov av stöd, version {counter[0]}."
            store.cases.save(case)

        def raw_upsert(store: Store = store, case: Any = case, text: str = text, with_rows: bool = False,
                       counter: list[int] = COUNTER) -> None:
            counter[0] += 1
            with uncounted(store.database), store.database.transaction() as connection:
                connection.execute(
                    "INSERT INTO raw_upsert (id, document) VALUES (?, ?)"
                    " ON CONFLICT (id) DO UPDATE SET document = excluded.document",
                    (case.id, text + str(counter[0])),
                )
                if with_rows:
                    connection.execute("INSERT INTO raw_journal (op_id, value) VALUES (?, ?)",
                                       (f"{counter[0]:032d}", '"Behov av stöd."'))
                    connection.execute("INSERT INTO raw_audit (entry) VALUES (?)", ("x" * 200,))

        def raw_with_rows(raw_upsert: Callable[..., None] = raw_upsert) -> None:
            raw_upsert(with_rows=True)

        for _ in range(5):
            autosave()
            raw_upsert()
            raw_with_rows()
        for label, floor in ((f"({len(text) // 1024} KiB document)", raw_upsert), ("", raw_with_rows)):
            saved, raw, ratio = paired(autosave, floor, 60)
            floor_label = "raw upsert" if floor is raw_upsert else "raw upsert+journal+audit row"
            print(f"{f'save, synchronous={synchronous} {label}':<58} {saved * 1000:9.3f} ms   {floor_label}"
                  f" {raw * 1000:9.3f} ms   ratio {ratio:5.2f}x")

        def autosave_uncounted(autosave: Callable[[], None] = autosave, store: Store = store) -> None:
            with uncounted(store.database):
                autosave()

        saved, bare, ratio = paired(autosave, autosave_uncounted, 100)
        print(f"{f'save, synchronous={synchronous}, WAL save counter':<58} {saved * 1000:9.3f} ms   without it"
              f" {bare * 1000:9.3f} ms   ratio {ratio:5.2f}x   ({(saved - bare) * 1000:+.3f} ms)")
        profile.lock()


class _Uncounted:
    """A save counter that counts nothing: the store without its WAL check (storage.save_counter)."""

    count = 0

    def bump(self, connection: Any, head: tuple[int, str, int] | None = None) -> None:
        if head is not None:  # the audit head staged by the save is still written, as without the counter
            write_head_row(connection, count=head[2], head=head[:2])

    def committed(self, *, beside: bool = True) -> None:
        return

    def close(self) -> None:
        return


@contextmanager
def uncounted(database: Database) -> Iterator[None]:
    """Floors and the uncounted autosave: the same transaction without the save counter's row and file write."""
    counted, database._saves = database._saves, _Uncounted()  # type: ignore[assignment]
    try:
        yield
    finally:
        database._saves = counted


def paired(cipher_step: Callable[[], Any], plain_step: Callable[[], Any], repeats: int) -> tuple[float, float, float]:
    """Medians of both steps and the median of per-pair ratios, alternating them so drift hits both alike."""
    cipher_times, plain_times, ratios = [], [], []
    for _ in range(repeats):
        a = median_time(cipher_step, 1)
        b = median_time(plain_step, 1)
        cipher_times.append(a)
        plain_times.append(b)
        ratios.append(a / b)
    return statistics.median(cipher_times), statistics.median(plain_times), statistics.median(ratios)


def bench_workload(work: Path, count: int) -> None:
    print(f"-- the same workload on SQLCipher and on plain sqlite3 ({count} cases; alternating, median of ratios)")
    people, cases = bulk_cases(count, TODAY)
    person, full = fully_filled_case(TODAY)
    profile, cipher = cipher_store(work / "workload")
    plain = plain_store(work / "plain.db")
    stores = (cipher, plain)

    def report(label: str, step: Callable[[Store], Any], repeats: int) -> None:
        a, b, ratio = paired(lambda: step(cipher), lambda: step(plain), repeats)
        print(f"{label:<58} {a * 1000:9.3f} ms   sqlite3 {b * 1000:9.3f} ms   ratio {ratio:5.2f}x")

    def bulk(store: Store) -> None:
        store.people.save_many(people)
        store.cases.save_many(cases)

    report("bulk import (save_many) of people and cases", bulk, 1)
    for store in stores:
        store.people.save_many([person])
        store.cases.save_many([full])
    # save_many computed deadlines for the real today; the first list for another day recomputes them all.
    next_day = TODAY + timedelta(days=1)
    report("first list of a day (deadline refresh of every case)",
           lambda store: store.cases.list_summaries(today=next_day), 1)
    bench_backup(profile, work)
    report("load a fully filled case", lambda store: store.cases.load(full.id), 200)
    report(f"list all {count} summaries", lambda store: store.cases.list_summaries(today=next_day), 15)
    report(f"list all {count} summaries + the Att göra rows",
           lambda store: _work_rows(store.cases.list_summaries(today=next_day)), 15)
    report("list with text filter 'testperson 004'",
           lambda store: store.cases.list_summaries(text="testperson 004", today=next_day), 15)
    report("list with personnummer digits '1212'",
           lambda store: store.cases.list_summaries(text="1212", today=next_day), 15)
    report("list status=investigation, limit 200",
           lambda store: store.cases.list_summaries(statuses={CaseStatus.INVESTIGATION}, today=next_day, limit=200),
           15)
    profile.lock()
    plain.database.close()


def _work_rows(summaries: list[Any]) -> list[Any]:
    """The work list's rows as the case list page builds them (ui.cases.work_list.work_rows, without Qt)."""
    from ibic.work_list import ordered
    from storage.repositories.cases import work_items_of

    return ordered(item for summary in summaries for item in work_items_of(summary))


def bench_backup(profile: Profile, work: Path) -> None:
    """A backup (made at unlock every 12 h) with its check of the copy vs the copy alone."""
    copies = work / "copies"
    copies.mkdir()

    def copy_only() -> None:
        target = copies / "copy.db"
        backups._copy(profile._db, target)
        target.unlink()

    def checked_backup() -> None:
        for old in backups.list_backups(profile.directory):
            old.unlink()
        backups.make_backup(profile._db, profile.directory)

    size = profile._db.path.stat().st_size // (1024 * 1024)
    checked, copied, ratio = paired(checked_backup, copy_only, 5)
    print(f"{f'backup of the {size} MiB file, copy checked before it is kept':<58} {checked * 1000:9.3f} ms"
          f"   copy alone {copied * 1000:9.3f} ms   ratio {ratio:5.2f}x")


def main() -> None:
    """Print every figure."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else COUNT
    print(f"Python {sys.version.split()[0]}, {time.strftime('%Y-%m-%d %H:%M')}")
    work = Path(tempfile.mkdtemp(prefix="bench-storage-"))
    try:
        bench_unlock(work, count)
        bench_autosave(work)
        bench_workload(work, count)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
