"""The store and the case list's modules import no pydantic (nor pydantic-core, nor a domain model): a fresh
interpreter imports them, reads the list's labels and builds a listed row, and neither is in ``sys.modules``
(docs/architecture.md, "Steady memory after unlock", plan step 2 (a) and (b)). The first fails on main (281bc10):
storage.audit imported pydantic through ibic.changes, the list's modules through ibic.deadlines and ibic.reference."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STORE = ("storage.profile", "storage.audit", "storage.journal", "storage.sync_state", "storage.repositories.cases",
         "storage.repositories.people")
LIST = ("ui.cases.case_list", "ui.cases.kept_listing", "ui.cases.work_list", "ui.cases.table_model",
        "ui.window_listing")
IMPORTS = """
import importlib, json, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
"""
LOADED = """
loaded = sorted(name for name in sys.modules
                if name.split(".")[0] in ("pydantic", "pydantic_core")
                or name in ("ibic.cases", "ibic.reference", "ibic.deadlines", "ibic.changes", "ibic.base"))
"""
LISTED = """
from datetime import date, datetime
from PySide6.QtWidgets import QApplication
app = QApplication([])
from ibic.reference_files import load_list_reference
from ibic.vocabulary import CaseStatus
from storage.repositories.cases import CaseSummary
from ui.cases.case_list import CaseListPage, prepared_listing
ref = load_list_reference()
summary = CaseSummary("c1", "2026-0001", "p1", "Tolvan Tolvansson", "19121212-1212", CaseStatus.INVESTIGATION,
                      date(2026, 12, 1), "", 2, datetime(2026, 11, 23), 0, False, True, "reassessment_due",
                      ("serviceinsatser", "egen text"), '[["reassessment_due","2026-12-01",2,"",null,false]]')
page = CaseListPage(ref, today=lambda: date(2026, 11, 23))
page.set_rows(prepared_listing([summary], ref, date(2026, 11, 23)))
row = page.model.rowCount()
texts = [str(page.model.data(page.model.index(0, column))) for column in range(page.model.columnCount())]
"""


def _child(body: str, *modules: str) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    out = 'print(json.dumps({"loaded": loaded, **{k: v for k, v in globals().items() if k in ("row", "texts")}}))'
    done = subprocess.run([sys.executable, "-c", IMPORTS + body + LOADED + out, *modules], capture_output=True,
                          text=True, env=env, cwd=ROOT, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_importing_the_store_and_the_list_imports_no_pydantic_nor_a_model() -> None:
    assert _child("", *STORE, *LIST)["loaded"] == []


def test_the_list_shows_a_case_with_no_pydantic_nor_a_model_loaded() -> None:
    found = _child(LISTED, *STORE, *LIST)
    assert found["row"] == 1
    texts = found["texts"]
    assert isinstance(texts, list) and "Tolvan Tolvansson (fictitious)" in texts  # the row, shown as the list does
    # The labels read from the reference files (no catalogue installed: the labels' Swedish, as ReferenceData gives)
    assert "Utredning" in texts and "Hemtjänst – serviceinsatser, egen text" in texts
    assert found["loaded"] == []
