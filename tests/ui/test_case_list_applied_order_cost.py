"""The "Ansökt om" column's order makes each text's Swedish sort key once, not once a row. The catalogue's labels hold
an en dash ("Hemtjänst – serviceinsatser"), which takes ``list_rows.sort_key``'s slow path; made for each of 50,000
rows it cost an idle turn of ~120 ms after every listing (bench caselist: a key typed just after the unlock waited
8-12 frames; s23-rprobe, figures in bench/README.md). Counted here, not timed. Fails on s23-probe."""

from __future__ import annotations

from collections import Counter
from datetime import date

from test_case_list_at_scale import _click_header
from uihelpers import unlock, window_over_new_profile

import ui.cases.table_model as table_model
from ibic.demo import bulk_cases

ROWS = 60


def test_a_click_on_ansokt_om_makes_each_texts_sort_key_once(qtbot, settings, profile_dir, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    made: Counter[str] = Counter()
    sort_key = table_model.sort_key

    def counted(text: str) -> str:
        made[text] += 1
        return sort_key(text)

    monkeypatch.setattr(table_model, "sort_key", counted)
    monkeypatch.setattr(table_model, "_LABEL_KEYS", {}, raising=False)
    main = window_over_new_profile(qtbot, settings, profile_dir, [bulk_cases(ROWS, date.today())])
    unlock(qtbot, main)
    case_list = main.case_list
    _click_header(qtbot, case_list, "applied_for")
    shown = case_list.shown
    column = table_model.COLUMNS.index("applied_for")
    labels = {str(shown.data(shown.index(row, column))) for row in range(shown.rowCount())}
    assert shown.rowCount() == ROWS and len(labels) < ROWS, "many rows share what they applied for"
    assert {label: made[label] for label in labels} == dict.fromkeys(labels, 1)
