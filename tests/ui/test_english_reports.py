"""Issue 12, point 9, the Rapporter menu: started in English, every report dialog shows its tables — titles, column
headers, row labels, numbers and notes — in English, while the CSV and the PDF it makes stay Swedish (documents for
the nämnd). Started in Swedish, the same dialogs show Swedish.

The Swedish detector and the English start are the English walk's (tests/ui/test_english_walk.py); the caseload
with a known answer is the Rapporter menu's (tests/ui/test_reports_menu.py)."""

from __future__ import annotations

import io

import test_english_walk as walk
import test_reports_menu as menu
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu, QTableWidget, QWidget
from uihelpers import type_text

from ui.printing.preview import UtredningPreviewDialog

_screen_texts, _swedish = walk._screen_texts, walk._swedish
# The fixtures reused, by name: English as chosen in Inställningar; the caseload with a known answer, unlocked.
english, caseload_dir, reports_window = walk.english, menu.caseload_dir, menu.reports_window

# The tables' Swedish titles as the CSV and the PDF carry them, per report (the menu's order).
SWEDISH_TITLES = {
    "internkontroll": ["Internkontroll: beviljad tid minst 100 timmar per månad"],
    "kon": ["Personer med beviljad insats per insats, kvinnor och män",
            "Måluppfyllelse vid uppföljning, kvinnor och män",
            "Ärenden aktualiserade i perioden efter hur ärendet aktualiserades, kvinnor och män"],
    "kontinuitet": ["Personalkontinuitet: antal personal under 14 dagar (KKiK)"],
    "handlaggningstider": ["Handläggningstider: aktualisering, beslut och beslutsmeddelande"],
    # Seven in the period, sixteen asked for: "16 slumpvis valda" stood above the seven (s20-probesrv).
    "checklista": ["Granskning med checklista: alla 7 hemtjänstutredningar beslutade i perioden (16 begärda)"],
}


def _open(window, key: str):  # type: ignore[no-untyped-def]
    """The report's action in the menu bar's Reports menu, triggered as a click on it does."""
    action = window.reports.actions[key]
    assert action in window.reports.menu.actions() and action.isEnabled()
    action.trigger()
    dialog = window.reports.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def _next_tab(dialog) -> None:  # type: ignore[no-untyped-def]
    QTest.keyClick(dialog.tabs, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)


def _table(dialog) -> QTableWidget:  # type: ignore[no-untyped-def]
    table = dialog.tabs.currentWidget().findChild(QTableWidget)
    assert isinstance(table, QTableWidget)
    return table


def _headers(dialog) -> list[str]:  # type: ignore[no-untyped-def]
    table = _table(dialog)
    # A long header is wrapped in lines (s26-tail); its tooltip holds it on one line.
    items = [table.horizontalHeaderItem(c) for c in range(table.columnCount())]
    assert all(" ".join(item.text().split()) == item.toolTip() for item in items)
    return [item.toolTip() for item in items]


def _column(dialog, column: int) -> list[str]:  # type: ignore[no-untyped-def]
    table = _table(dialog)
    return [table.item(r, column).text() for r in range(table.rowCount())]


def _tab_titles(dialog) -> list[str]:  # type: ignore[no-untyped-def]
    return [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]


def _every_tab_texts(qtbot, dialog) -> dict[int, list[str]]:  # type: ignore[no-untyped-def]
    """Each tab in turn by Ctrl+Tab: what the dialog shows with it open, tab titles included."""
    seen: dict[int, list[str]] = {}
    for _ in range(dialog.tabs.count()):
        index = dialog.tabs.currentIndex()
        qtbot.waitUntil(lambda i=index: dialog.tabs.widget(i).isVisible())
        seen[index] = [*_screen_texts(dialog), *_tab_titles(dialog)]
        _next_tab(dialog)
    assert sorted(seen) == list(range(dialog.tabs.count())), "Ctrl+Tab reached every table"
    return seen


def test_started_in_english_no_swedish_reaches_any_report_dialog(qtbot, english, reports_window) -> None:  # type: ignore[no-untyped-def]
    assert reports_window.reports.menu.title() == "&Reports"
    found: dict[str, list[str]] = {}
    for key, action in reports_window.reports.actions.items():
        assert not _swedish([action.text()]), key
        dialog = _open(reports_window, key)
        assert dialog.tabs.count() == len(SWEDISH_TITLES[key])
        for index, texts in _every_tab_texts(qtbot, dialog).items():
            found[f"{key}, table {index + 1}"] = _swedish(texts)
        dialog.reject()
    assert {where: texts for where, texts in found.items() if texts} == {}


def test_in_english_each_report_opens_from_the_menu_bar_by_its_keys(qtbot, english, reports_window) -> None:  # type: ignore[no-untyped-def]
    """Alt+R opens Reports; Down to the report, Enter: the dialog, its title in English."""
    for position, (key, action) in enumerate(reports_window.reports.actions.items()):
        QTest.keyClick(reports_window, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
        menu = QApplication.activePopupWidget()
        assert menu is reports_window.reports.menu
        for _ in range(position + 1 if menu.activeAction() is None else position):
            QTest.keyClick(menu, Qt.Key.Key_Down)
        assert menu.activeAction() is action
        QTest.keyClick(menu, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda k=key: reports_window.reports.dialog is not None
                        and reports_window.reports.dialog.objectName() == f"reportDialog_{k}"
                        and reports_window.reports.dialog.isVisible())
        dialog = reports_window.reports.dialog
        assert dialog.windowTitle() == f"Report: {action.text().replace('&', '').removesuffix('…')}"
        assert not _swedish([dialog.windowTitle(), *_tab_titles(dialog)])
        dialog.reject()


def test_the_english_dialog_shows_english_labels_and_numbers(qtbot, english, reports_window) -> None:  # type: ignore[no-untyped-def]
    dialog = _open(reports_window, "internkontroll")
    assert _tab_titles(dialog) == ["Internal control: granted time of at least 100 hours a month"]
    assert _headers(dialog)[:3] == ["Case number", "Granted time (hours a month)", "Number of decisions"]
    assert sorted(_column(dialog, 1)) == ["104.0", "104.0", "105.0", "120.0"], "a decimal point in English"
    assert set(_column(dialog, 5)) <= {"Yes", "No"}
    dialog.reject()
    dialog = _open(reports_window, "kon")
    assert _headers(dialog) == ["Service", "Women", "Men", "Total"]
    assert any(label.startswith("Home help") for label in _column(dialog, 0)), "the insats's English name"
    _next_tab(dialog)
    assert _column(dialog, 0) == ["Achieved", "Partly achieved", "Not achieved"]
    dialog.reject()
    dialog = _open(reports_window, "kontinuitet")
    assert _column(dialog, 0) == ["All", "Women", "Men"]
    dialog.reject()
    dialog = _open(reports_window, "handlaggningstider")
    assert _column(dialog, 0)[-1] == "Median"
    dialog.reject()


def test_in_english_the_csv_and_the_pdf_stay_swedish(qtbot, english, reports_window, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    dialog = _open(reports_window, "internkontroll")
    target = tmp_path / "internkontroll.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), "CSV (*.csv)"))
    with qtbot.waitSignal(dialog.csv_saved, timeout=5_000):
        qtbot.keyClick(dialog.csv_button, Qt.Key.Key_Space)
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Ärendenummer;Beviljad tid (timmar per månad);Antal beslut;")
    assert sorted(line.split(";")[1] for line in lines[1:]) == ["104,0", "104,0", "105,0", "120,0"]
    qtbot.keyClick(dialog.pdf_button, Qt.Key.Key_Space)
    preview = dialog.findChild(UtredningPreviewDialog)
    assert preview is not None
    if not preview._pdf:
        with qtbot.waitSignal(preview.document_loaded, timeout=menu.LOAD_TIMEOUT_MS):
            pass
    assert _swedish(_screen_texts(preview)) == [], "the preview's controls are English (the page: the Swedish PDF)"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(preview._pdf)).pages).replace("\n", "")
    assert SWEDISH_TITLES["internkontroll"][0] in text and "120,0" in text
    assert "Egen ärendelista – " in text, "whose caseload, in Swedish"
    assert "Own caseload" not in text and "Case number" not in text


def test_started_in_swedish_the_report_dialogs_show_swedish(qtbot, reports_window) -> None:  # type: ignore[no-untyped-def]
    for key, titles in SWEDISH_TITLES.items():
        dialog = _open(reports_window, key)
        assert _tab_titles(dialog) == titles, key
        dialog.reject()
    dialog = _open(reports_window, "internkontroll")
    assert _headers(dialog)[:3] == ["Ärendenummer", "Beviljad tid (timmar per månad)", "Antal beslut"]
    assert sorted(_column(dialog, 1)) == ["104,0", "104,0", "105,0", "120,0"]
    assert set(_column(dialog, 5)) <= {"Ja", "Nej"}
    dialog.reject()
    dialog = _open(reports_window, "kontinuitet")
    assert _column(dialog, 0) == ["Alla", "Kvinnor", "Män"]
    assert dialog.findChild(QWidget, "reportNote").text().startswith("Senaste uppföljningen i perioden per person.")
    dialog.reject()


def test_a_bad_period_in_english_is_told_in_english_and_the_text_kept(qtbot, english, reports_window) -> None:  # type: ignore[no-untyped-def]
    dialog = _open(reports_window, "kontinuitet")
    dialog.period_end.edit.clear()
    type_text(dialog.period_end.edit, "2000-01-01")
    assert dialog.period_error.text() == "The period ends before it starts."
    assert dialog.period_end.edit.text() == "2000-01-01"
    assert _column(dialog, 0) == ["All", "Women", "Men"]
