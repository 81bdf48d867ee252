"""What the listed cases hold at the memory row's steady moment, and what freeing them would give back: a diagnostic.

``python3 -m bench.memory_list [COUNT] [REPETITIONS] [--tree DIR]``: ``bench_start``'s own memory-row child (the
kept lists read at the unlock, the list searched, every worker done) on a profile of COUNT bulk cases, with a few
lines run at its steady moment, in fresh processes:

1. Python's small-object allocator there (arenas, the bytes in allocated blocks, in free blocks, in empty pools);
2. the listed cases' objects let go one group at a time, each followed by ``gc.collect()`` and ``malloc_trim``: the
   work list's rows (their what-is-due and case-row index), the case list's rows (the packed ids, case numbers and
   names, the deadline and state references: ``ui.cases.packed``; until session 20 a ``ListRow`` and three strings
   a case), the search texts, the column orders. VmRSS, allocated blocks, arenas and empty pools after each.

If the RSS does not fall while the blocks do, the freed objects leave empty pools in arenas that other live objects
keep: a more compact list lowers the steady memory only if its per-row objects are never made (the unlock reading
packed columns), not if they are made and dropped. The model is broken afterwards: the child quits at once.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from bench.bench_start import APP_UNLOCK, SEARCH, TYPING_MS, _run_python, _tagged, child_environment
from bench.memory_split import PASSPHRASE, PYMALLOC, _make_profile, parse_options

STEADY = '        figures["rss"] = vmrss()\n'
PROBE = PYMALLOC + """
import array, ctypes, gc
_libc = ctypes.CDLL(None)
def _after(label):
    gc.collect()
    _libc.malloc_trim(0)
    figures.setdefault("steps", []).append({"step": label, "rss": vmrss(), "blocks": sys.getallocatedblocks(),
                                            **pymalloc_stats()})
_cases, _work = window.case_list.model, window.case_list.work.model.rows
_after("steady")
_work.whats[:] = _work.whats[:1] * len(_work.whats)  # the rows' own: shared tuples and a case-row index each
_work.cases[:] = array.array("I", bytes(4 * len(_work.cases)))
_after("the work list's references dropped")
from ui.cases.packed import CaseColumns
_cases._columns = _work.columns = CaseColumns()  # the packed ids, case numbers and names
_cases._dues[:] = _cases._dues[:1] * len(_cases._dues)
_cases._states[:] = _cases._states[:1] * len(_cases._states)
_cases._rendered.clear()
_after("the case list's rows dropped")
_cases._search[:] = [""] * len(_cases._search)
_after("the search texts dropped")
_cases._orders.clear()
_cases._picker = None
_after("the column orders dropped")
"""


def main(argv: list[str] | None = None) -> None:
    # At least one case: the rows are let go by putting the first in every place.
    options = parse_options(argv, __doc__.splitlines()[0], least=1)
    tree = options.tree.resolve()
    probe = "".join(f"        {line}\n" for line in PROBE.strip().splitlines())
    code = APP_UNLOCK.replace(STEADY, STEADY + probe)
    if code == APP_UNLOCK:
        raise SystemExit("bench_start's child no longer has its steady line: update STEADY")
    with tempfile.TemporaryDirectory(prefix="hembesok-memory-list-") as name:
        folder = Path(name)
        env = child_environment(folder / "home", tree)
        template = folder / "kept"
        _make_profile(template, options.count)
        _run_python(APP_UNLOCK, [str(template), PASSPHRASE, SEARCH, str(TYPING_MS)], env)  # keeps its lists
        print(f"tree {tree}; {options.count:,} cases, the kept lists read; fresh processes")
        for repetition in range(options.repetitions):
            copy = folder / "run"
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(template, copy)
            _, output = _run_python(code, [str(copy), PASSPHRASE, SEARCH, str(TYPING_MS)], env)
            figures = json.loads(_tagged(output, "FIGURES"))
            print(f"run {repetition + 1}")
            for step in figures["steps"]:
                print(f"  {step['step']:<40} VmRSS {step['rss']:6.1f} MiB, {step['blocks']:>7,} blocks; "
                      f"Python's arenas {step['arenas']} ({step['allocated_mib']:.1f} MiB allocated, "
                      f"{step['free_mib']:.1f} free in pools, {step['empty_pools_mib']:.1f} in empty pools)")


if __name__ == "__main__":
    main()
