"""Where pydantic and the domain's models enter the unlocked list, at the memory row's steady moment: a diagnostic.

``python3 -m bench.pydantic_in_list [COUNT] [REPETITIONS] [--tree DIR]``: ``bench_start``'s own memory-row child
(the kept lists read at the unlock, the list searched, every worker done) on a profile of COUNT bulk cases, the same
on the day's first unlock (every deadline computed on an earlier day: the upkeep refreshes each open case) and, with
PostgreSQL, on bench_start's enrolled profile once its first sync is done; fresh processes. At the steady moment it
prints whether pydantic is imported, the chain of imports that first brought it in (each module with the one that
imported it), the app's modules whose own names hold something of pydantic's (``from pydantic import ...``, a model
class defined there), how many model classes exist, the model instances alive by class, and the app's modules
loaded beyond the usual unlock's.

Issue 14's memory row: a throwaway stand-in for pydantic (s23-mempyd, bench/README) put the row's child at ~85
against ~95 MiB, so this is the list to empty before the window can leave pydantic to the first opened case.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from bench.bench_start import (
    APP_UNLOCK,
    ENROLLED_CASES,
    SEARCH,
    TYPING_MS,
    _enrolled_server,
    _run_python,
    _tagged,
    child_environment,
)
from bench.bench_start import PASSPHRASE as ENROLLED_PASSPHRASE
from bench.memory_list import STEADY
from bench.memory_split import PASSPHRASE, _make_profile, _make_stale, parse_options

# Before main.py: which module first imported each module (the nearest frame outside the import machinery).
TRACER = """
import sys as _sys
class _Importers:
    found = {}
    def find_spec(self, name, path, target=None):
        if name not in self.found:
            frame = _sys._getframe(1)
            while frame is not None and frame.f_globals.get("__name__", "").startswith(("importlib", "_frozen")):
                frame = frame.f_back
            self.found[name] = frame.f_globals.get("__name__", "?") if frame is not None else "?"
        return None
_sys.meta_path.insert(0, _Importers())
"""
PROBE = """
import gc
from collections import Counter
def _chain(name):
    chain = [name]
    while chain[-1] in _Importers.found and len(chain) < 40:
        importer = _Importers.found[chain[-1]]
        if importer in chain or importer in ("__main__", "?"):
            break
        chain.append(importer)
    return chain
def _holds_pydantic(module):
    for value in list(vars(module).values()):
        owner = value.__name__ if isinstance(value, type(sys)) else getattr(value, "__module__", None)
        if isinstance(owner, str) and owner.split(".")[0] in ("pydantic", "pydantic_core"):
            return True
    return False
_app = sorted(name for name, module in list(sys.modules.items())
              if module is not None and name.split(".")[0] in ("ibic", "storage", "sync", "ui"))
_found = {"pydantic": "pydantic" in sys.modules, "app_modules": _app}
if _found["pydantic"]:
    from pydantic import BaseModel
    def _subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from _subclasses(sub)
    _found["chain"] = _chain("pydantic")
    _found["holding"] = [name for name in _app if _holds_pydantic(sys.modules[name])]
    _found["classes"] = len({cls for cls in _subclasses(BaseModel) if not cls.__module__.startswith("pydantic")})
    gc.unfreeze()  # the window freezes what it holds after the unlock (gc.get_objects does not list it); it quits next
    _found["instances"] = Counter(f"{type(o).__module__}.{type(o).__qualname__}" for o in gc.get_objects()
                                  if isinstance(o, BaseModel)).most_common()
figures["pydantic_in_list"] = _found
"""


def _report(label: str, found: dict[str, object], usual: list[str]) -> None:
    loaded: list[str] = found["app_modules"]  # type: ignore[assignment]
    more = sorted(set(loaded) - set(usual))
    print(f"{label}: pydantic {'imported' if found['pydantic'] else 'not imported'} "
          f"({len(loaded)} of the app's modules loaded; beyond the usual unlock's: {', '.join(more) or 'none'})")
    if not found["pydantic"]:
        return
    print("  first brought in by: " + " <- ".join(found["chain"]))  # type: ignore[arg-type]
    holding: list[str] = found["holding"]  # type: ignore[assignment]
    print(f"  the app's modules holding pydantic's names ({len(holding)}): {', '.join(holding)}")
    instances: list[tuple[str, int]] = found["instances"]  # type: ignore[assignment]
    print(f"  model classes {found['classes']}; instances alive {sum(count for _, count in instances):,}: "
          + ", ".join(f"{name.rsplit('.', 1)[-1]} {count:,}" for name, count in instances))


def main(argv: list[str] | None = None) -> None:
    options = parse_options(argv, __doc__.splitlines()[0], least=1)
    tree = options.tree.resolve()
    probe = "".join(f"        {line}\n" for line in PROBE.strip().splitlines())
    code = TRACER + APP_UNLOCK.replace(STEADY, STEADY + probe)
    if STEADY not in APP_UNLOCK:
        raise SystemExit("bench_start's child no longer has its steady line: update memory_list.STEADY")
    with tempfile.TemporaryDirectory(prefix="hembesok-pydantic-in-list-") as name:
        folder = Path(name)
        env = child_environment(folder / "home", tree)
        _make_profile(folder / "kept", options.count)
        _run_python(APP_UNLOCK, [str(folder / "kept"), PASSPHRASE, SEARCH, str(TYPING_MS)], env)  # keeps its lists
        _make_stale(folder / "kept", folder / "first")
        print(f"tree {tree}; {options.count:,} cases; fresh processes")
        usual: list[str] = []
        for _ in range(options.repetitions):
            for template, label in (("kept", "the row's unlock (kept lists)"), ("first", "the day's first unlock")):
                usual = _probe(code, folder, folder / template, PASSPHRASE, env, label, usual)
        # As on a handläggare's laptop: enrolled, its first sync at the unlock done (bench_start's second figure).
        with _enrolled_server(folder, env) as enrolled_env:
            for _ in range(options.repetitions if enrolled_env is not None else 0):
                assert enrolled_env is not None
                _probe(code, folder, folder / f"enrolled-{ENROLLED_CASES}", ENROLLED_PASSPHRASE, enrolled_env,
                       "enrolled, its first sync done", usual)
            if enrolled_env is None:
                print("enrolled: not measured (no PostgreSQL for the local sync server)")


def _probe(code: str, folder: Path, template: Path, passphrase: str, env: dict[str, str], label: str,
           usual: list[str]) -> list[str]:
    """One fresh child on a copy of ``template``, reported; its app modules (the first run's become ``usual``)."""
    copy = folder / "run"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(template, copy)
    _, output = _run_python(code, [str(copy), passphrase, SEARCH, str(TYPING_MS)], env)
    figures = json.loads(_tagged(output, "FIGURES"))
    found = figures["pydantic_in_list"]
    usual = usual or list(found["app_modules"])
    _report(f"{label}, {figures['cases']:,} cases, VmRSS {figures['rss']:.1f} MiB", found, usual)
    return usual


if __name__ == "__main__":
    main()
