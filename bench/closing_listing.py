"""A/B of the listing the unlock worker builds (storage's summaries into the case list's rows, ``built_rows``) over
10,000 bulk cases, a third of them closed (half of those "Annat" with words of its own), or none closed: what the
closing's reason beside the status costs (s33-close2). Process CPU, the least and the median of five listings after
one to warm up; each tree builds its own profile (a newer schema is not opened by an older program).

Run, alternating the trees, fresh processes:
  python bench/closing_listing.py TREE DIR build [open]
  python bench/closing_listing.py TREE DIR measure
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

TREE, DIRECTORY, MODE = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
sys.path.insert(0, TREE)
PASSPHRASE = "korrekt häst batteri häftklammer"


def build(closed: bool) -> None:
    from ibic.cases import change_status
    from ibic.demo import bulk_cases
    from ibic.vocabulary import CaseStatus, ClosingReason
    from storage.kdf import KdfParameters
    from storage.profile import create_profile

    today = date.today()
    profile = create_profile(DIRECTORY, PASSPHRASE, user_id="Bench",
                             kdf=KdfParameters(memory_kib=256, iterations=1, parallelism=1))
    people, cases = bulk_cases(10_000, today)
    for index, case in enumerate(cases):
        if closed and index % 3 == 0:
            other = index % 2 == 0
            change_status(case, CaseStatus.CLOSED, today, "Bench",
                          reason=ClosingReason.OTHER if other else ClosingReason.DIED,
                          note=f"Flyttade till sonen {index}" if other else "")
    profile.people.save_many(people)
    profile.cases.save_many(cases)
    profile.cases.list_summaries(today=today)
    profile.lock()


def measure() -> None:
    from ibic.reference_files import load_list_reference
    from storage.profile import unlock_profile
    from ui.cases.list_rows import built_rows

    today = date.today()
    profile = unlock_profile(DIRECTORY, PASSPHRASE, backup=False)
    ref = load_list_reference()
    try:
        times = []
        for _ in range(6):
            started = time.process_time()
            profile.cases.read_summaries(lambda rows: built_rows(rows, ref), today=today, refresh=False)
            times.append((time.process_time() - started) * 1000)
        kept = sorted(times[1:])
        print(f"least {kept[0]:.1f} ms, median {kept[2]:.1f} ms")
    finally:
        profile.lock()


if __name__ == "__main__":
    build("open" not in sys.argv[4:]) if MODE == "build" else measure()
