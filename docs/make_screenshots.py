"""Render screenshots of the main screens into docs/screenshots/ (offscreen; demo data only).

Run: QT_QPA_PLATFORM=offscreen python3 docs/make_screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def main() -> None:
    app = QApplication(sys.argv[:1])
    from storage.kdf import KdfParameters
    from ui.app import apply_text_size, create_demo_profile
    from ui.i18n import install_language
    from ui.main_window import MainWindow, StartOptions
    from ui.palette import install_accessible_palette
    from ui.settings import AppSettings

    install_language("sv")
    apply_text_size(app, 12)
    install_accessible_palette(app)
    folder = Path(tempfile.mkdtemp(prefix="hembesok-shots-"))
    passphrase = create_demo_profile(folder / "profile", date.today())
    window = MainWindow(AppSettings(str(folder / "settings.ini")),
                        StartOptions(profile_dir=folder / "profile", demo_passphrase=passphrase, kdf=KdfParameters()))
    window.resize(1366, 860)
    window.show()
    OUT.mkdir(parents=True, exist_ok=True)

    def shot(name: str) -> None:
        for _ in range(5):
            app.processEvents()
        window.grab().save(str(OUT / f"{name}.png"))

    shot("01-unlock")
    from storage.profile import unlock_profile

    window._opened(unlock_profile(folder / "profile", passphrase))
    shot("02-case-list")
    window.show_work_list()  # Ctrl+T: the "Att göra" list focused on its most urgent row
    shot("10-work-list")
    session = window.session
    assert session is not None
    case_id = next(s.case_id for s in session.summaries() if s.case_number == "DEMO-2026-0001")
    window.open_case(case_id)
    workspace = window.workspace
    assert workspace is not None
    shot("03-case")
    workspace.go_to("areas", "d4")
    shot("04-life-area")
    _scroll_to(workspace.area_form.sub_areas)
    shot("13-delomraden")
    workspace.go_to("proposal")
    shot("05-proposal")
    workspace.go_to("check")
    shot("06-check")
    follow_up_case = next(s.case_id for s in session.summaries() if s.case_number == "DEMO-2025-0117")
    window.open_case(follow_up_case)
    window.workspace.go_to("follow_up")
    shot("08-follow-up")
    _conflict_shot(window, case_id)
    window.lock()
    shot("07-locked")
    print(f"screenshots written to {OUT}")


def _scroll_to(widget: object) -> None:
    """Scroll the page holding ``widget`` so that it shows (the delområden sit below the scale)."""
    from PySide6.QtWidgets import QScrollArea

    parent = widget.parentWidget()  # type: ignore[attr-defined]
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    if parent is not None:
        parent.ensureWidgetVisible(widget, 0, 0)  # type: ignore[arg-type]


def _conflict_shot(window: object, case_id: str) -> None:
    """The conflict dialog with two made-up conflicts on a demo case (free text merged, a scale value)."""
    from PySide6.QtWidgets import QApplication

    from ibic.field_labels import field_label
    from ibic.reference import load_reference_data
    from storage.sync_state import Conflict
    from ui.sync.conflict_dialog import ConflictDialog

    conflicts = [
        Conflict("c1", "case", case_id, case_id, "investigation/assessments/d5/own_description",
                 "Klarar att duscha med stöd. Vill ha hjälp på morgonen.",
                 "Klarar att duscha med stöd av dotter. Vill ha hjälp på morgonen.",
                 "Klarar att duscha med stöd. Vill ha hjälp på morgonen och kvällen.", 7),
        Conflict("c2", "case", case_id, case_id, "investigation/assessments/d4/need",
                 "Hjälp vid förflyttning morgon och kväll.", "Hjälp vid förflyttning morgon, middag och kväll.",
                 "Hjälp vid förflyttning på kvällen.", 7),
    ]
    ref = load_reference_data()
    dialog = ConflictDialog(conflicts, lambda _id, _value: None, {case_id: "DEMO-2026-0001"}, window,  # type: ignore[arg-type]
                            field_label=lambda path: field_label(path, ref))
    dialog.show()
    for _ in range(5):
        QApplication.processEvents()
    dialog.grab().save(str(OUT / "09-conflicts.png"))
    dialog.reject()


if __name__ == "__main__":
    main()
