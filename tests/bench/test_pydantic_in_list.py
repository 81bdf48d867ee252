"""pydantic_in_list's probe names the chain that brought pydantic in, who holds its names, and the live models."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bench.pydantic_in_list import PROBE, TRACER

REPO_ROOT = Path(__file__).resolve().parents[2]


def _probe_after(imports: str) -> dict[str, object]:
    # The tracer first, as in the app's child; the probe where the child's steady step runs it (``figures``, ``sys``).
    code = TRACER + "import json, sys\nfigures = {}\n" + imports + PROBE + "print(json.dumps(figures))\n"
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True,
                            env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})
    found: dict[str, object] = json.loads(result.stdout)["pydantic_in_list"]
    return found


def test_the_chain_the_holders_and_the_frozen_models_are_found() -> None:
    # The store's audit log brings no pydantic (s24-memstore); the reference data does, through a module that imports
    # it, as the session's at the unlock; it is loaded and frozen as the window freezes what it holds
    # (gc.get_objects would not list it).
    found = _probe_after("import storage.audit\nimport ibic.deadlines\nfrom ibic.reference import load_reference_data\n"
                         "reference = load_reference_data()\nimport gc\ngc.freeze()\n")
    assert found["pydantic"] is True
    assert found["chain"][0] == "pydantic" and found["chain"][-1] == "ibic.deadlines"  # type: ignore[index]
    assert "ibic.cases" in found["holding"] and "ibic.reference" in found["holding"]  # type: ignore[operator]
    assert "storage.audit" not in found["holding"]  # type: ignore[operator]
    assert dict(found["instances"])["ibic.reference.ReferenceData"] == 1  # type: ignore[call-overload]
    assert found["classes"] >= 20  # type: ignore[operator]


def test_a_process_without_pydantic_says_so() -> None:
    found = _probe_after("import storage.database\n")
    assert found["pydantic"] is False and set(found) == {"pydantic", "app_modules"}  # nothing else asked
    assert "storage.database" in found["app_modules"]  # type: ignore[operator]

