"""Swedish is the default: every tr() string has a translation, and the main screens show no English."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from source_strings import counted_source_strings, message_keys, source_strings
from uihelpers import unlock, walk_texts

TRANSLATIONS = Path(__file__).resolve().parents[2] / "resources" / "translations"
CATALOGUE = TRANSLATIONS / "sv.toml"
BRACKETED_PLURAL = re.compile(r"\w\((s|n|ar|er|or|na)\)")


def _catalogue(path: Path = CATALOGUE) -> dict[str, str | list[str]]:
    with path.open("rb") as handle:
        return tomllib.load(handle)["strings"]


def _forms(text: str | list[str]) -> list[str]:
    return text if isinstance(text, list) else [text]


def test_every_source_string_in_ui_has_a_swedish_translation() -> None:
    catalogue = _catalogue()
    missing = {text: where for text, where in source_strings().items() if text not in catalogue}
    assert missing == {}


def test_every_domain_message_key_has_a_swedish_translation() -> None:
    catalogue = _catalogue()
    keys = message_keys()
    assert len(keys) > 40, "the domain's messages were found"
    assert {key: where for key, where in keys.items() if key not in catalogue} == {}


def test_catalogue_has_no_empty_translations() -> None:
    assert [source for source, swedish in _catalogue().items() if not all(f.strip() for f in _forms(swedish))] == []


def test_counted_strings_have_two_forms_and_no_bracketed_plural_in_either_language() -> None:
    swedish, english = _catalogue(), _catalogue(TRANSLATIONS / "en.toml")
    counted = {text for text in source_strings() if "%n" in text and BRACKETED_PLURAL.search(text)}
    assert counted, "the source strings still hold counted texts"
    for text in counted:
        for catalogue in (swedish, english):
            forms = catalogue.get(text)
            assert isinstance(forms, list) and len(forms) == 2, text
            assert not any(BRACKETED_PLURAL.search(form) for form in forms), forms
    assert [s for s, t in swedish.items() if any(BRACKETED_PLURAL.search(f) for f in _forms(t))] == []


def test_a_string_is_counted_where_it_has_two_forms_and_only_there() -> None:
    # By the call, not by a "(s)" in the text: a counted call to a single-form entry shows one form for every n
    # ("1 ärenden"), and a two-form entry translated without n always shows its second ("1 ärenden" again).
    counted = counted_source_strings()
    assert counted, "the counted calls were found"
    for catalogue in (_catalogue(), _catalogue(TRANSLATIONS / "en.toml")):
        two_forms = {text for text, forms in catalogue.items() if isinstance(forms, list)}
        assert {text for text in counted if text not in two_forms} == set()
        assert {text for text in two_forms if text not in counted} == set()
        assert [text for text in two_forms if len(catalogue[text]) != 2] == []


def test_tr_with_a_count_picks_the_form_in_swedish_and_in_english(qapp) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QCoreApplication

    from ui.i18n import install_language

    def counted(n: int) -> str:
        return QCoreApplication.translate("StatusWidget", "%n change(s) waiting", "", n)

    assert (counted(1), counted(3)) == ("1 ändring väntar", "3 ändringar väntar")
    install_language("en")
    try:
        assert (counted(1), counted(0)) == ("1 change waiting", "0 changes waiting")
    finally:
        install_language("sv")


def _english_only(texts: list[str]) -> list[str]:
    """Visible texts that are English source strings whose Swedish translation differs."""
    catalogue = _catalogue()
    return sorted({t for t in texts if t in catalogue and catalogue[t] != t})


def test_unlock_and_case_list_show_only_swedish(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    assert _english_only(walk_texts(demo_window)) == []
    unlock(qtbot, demo_window)
    assert _english_only(walk_texts(demo_window)) == []
    header = demo_window.case_list.model.headerData(0, __import__("PySide6.QtCore").QtCore.Qt.Orientation.Horizontal)
    assert header == "Namn"


def test_every_workspace_step_shows_only_swedish(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    summaries = demo_window.session.summaries()
    demo_window.open_case(next(s.case_id for s in summaries if s.case_number == "DEMO-2026-0001"))
    workspace = demo_window.workspace
    for step, area in (
        ("case", ""),
        ("visit", ""),
        ("areas", "d4"),
        ("areas", "b1528A"),
        ("proposal", ""),
        ("check", ""),
    ):
        workspace.go_to(step, area)
        assert _english_only(walk_texts(demo_window)) == [], step


def test_menus_are_translated(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    titles = [action.text() for action in demo_window.menuBar().actions()]
    assert titles == ["&Arkiv", "Ä&rende", "&Gå", "S&ynk", "Ra&pporter", "&Hjälp"]


def test_a_string_missing_from_the_catalogue_shows_in_english_not_blank(qapp) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QCoreApplication

    assert QCoreApplication.translate("Hembesok", "A sentence nobody translated") == "A sentence nobody translated"
    assert QCoreApplication.translate("Hembesok", "Cases") == "Ärenden"


def test_english_mode_shows_reference_data_in_english(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    from ui.i18n import install_language

    install_language("en")
    try:
        unlock(qtbot, demo_window)
        demo_window.open_case(demo_window.session.summaries()[0].case_id)
        demo_window.workspace.go_to("areas", "d5")
        form = demo_window.workspace.area_form
        assert form.heading.text() == "Self-care"
        assert "Personlig vård" not in " ".join(walk_texts(demo_window))
        status = demo_window.case_list.model.data(demo_window.case_list.model.index(0, 2))
        assert status in {"Investigation", "Implementation/follow-up", "Actualised"}
    finally:
        install_language("sv")


def test_the_catalogue_holds_no_strings_the_code_no_longer_uses() -> None:
    used = set(source_strings()) | set(message_keys())
    assert sorted(source for source in _catalogue() if source not in used) == []
