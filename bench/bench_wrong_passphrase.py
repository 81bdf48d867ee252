"""A wrong passphrase with å/ä/ö: how long the unlock takes to refuse it, against one key derivation.

The profiles' KDF parameters are calibrated once on this machine (as a new profile's are), the same for every
tree. Each repetition runs, in fresh processes and alternating: one Argon2id derivation with them (the floor),
then the unlock as the window does it (a key helper started beforehand, as while the passphrase is typed;
``unlock_profile`` with ``unwrap_key=unwrap_in_helper``) of a wrong Swedish passphrase, from Enter to the
``WrongPassphrase``. A key file that records its passphrase's form needs one derivation; one that does not (format
1, before s21) tries the NFC and the NFD form: two. The throttle's file is removed before each try, so no wait is
measured. ``--against TREE`` measures a second tree (a clean clone of main) in the same alternation, each tree's
own profile made by its own code.
Run: ``python3 -m bench.run wrong_passphrase`` or
``python3 -m bench.bench_wrong_passphrase [REPETITIONS] [--against TREE]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.rows import ratios

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "bänk-mätning-hembesök-start"
WRONG = "bänk-mätning-hembesök-slut"  # other bytes in NFC and NFD: on a format 1 file, two forms are tried

CHILD = """
import sys, time
from pathlib import Path
directory, mode, passphrase, wrong = Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
if mode == "create":
    from storage.kdf import KdfParameters
    from storage.profile import create_profile
    memory_kib, iterations = (int(value) for value in sys.argv[5:7])
    kdf = KdfParameters(memory_kib=memory_kib, iterations=iterations)
    create_profile(directory, passphrase, user_id="bench", kdf=kdf).lock()
elif mode == "kdf":
    from storage.kdf import derive_key
    from storage.keyfile import read_key_file
    from storage.layout import key_file_path
    key_file = read_key_file(key_file_path(directory))
    started = time.perf_counter()
    derive_key(wrong, key_file.salt, key_file.kdf)
    print(time.perf_counter() - started)
else:
    from storage import key_helper
    from storage.errors import WrongPassphrase
    from storage.profile import unlock_profile
    key_helper.prestart()
    time.sleep(2.0)  # the helper has imported its crypto, as while the passphrase is typed
    started = time.perf_counter()
    try:
        unlock_profile(directory, wrong, unwrap_key=key_helper.unwrap_in_helper)
    except WrongPassphrase:
        print(time.perf_counter() - started)
"""


def _child(tree: Path, directory: Path, mode: str, *extra: str) -> float:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    output = subprocess.run([sys.executable, "-c", CHILD, str(directory), mode, PASSPHRASE, WRONG, *extra],
                            cwd=tree, env=env, capture_output=True, text=True, check=True).stdout
    return float(output) if output.strip() else 0.0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_wrong_passphrase")
    parser.add_argument("repetitions", nargs="?", type=int, default=5)
    parser.add_argument("--against", type=Path, help="a second tree (a clean clone of main), alternated with this")
    args = parser.parse_args(argv)
    from storage.kdf import calibrate

    kdf = calibrate()
    print(f"KDF: {kdf.memory_kib} KiB, {kdf.iterations} iterations")
    trees = {"this tree": ROOT, **({f"{args.against}": args.against} if args.against else {})}
    with tempfile.TemporaryDirectory(prefix="bench-wrong-") as scratch:
        profiles = {name: Path(scratch) / f"profile{index}" for index, name in enumerate(trees)}
        for name, tree in trees.items():
            _child(tree, profiles[name], "create", str(kdf.memory_kib), str(kdf.iterations))
        floors: dict[str, list[float]] = {name: [] for name in trees}
        figures: dict[str, list[float]] = {name: [] for name in trees}
        for _ in range(args.repetitions):
            for name, tree in trees.items():
                (profiles[name] / "unlock-attempts.json").unlink(missing_ok=True)
                floors[name].append(_child(tree, profiles[name], "kdf"))
                figures[name].append(_child(tree, profiles[name], "unlock"))
    for name in trees:
        print(f"{name}: wrong passphrase {', '.join(f'{s:.3f}' for s in figures[name])} s; "
              f"one KDF {', '.join(f'{s:.3f}' for s in floors[name])} s; "
              f"medians {statistics.median(figures[name]):.3f} / {statistics.median(floors[name]):.3f} s")
        ratio, (low, high) = ratios(figures[name], floors[name])  # not a row of quality.md: no goal
        print(f"{name}: refused in {ratio:.2f}x one KDF (per-repetition {low:.2f}-{high:.2f})")


if __name__ == "__main__":
    main()
