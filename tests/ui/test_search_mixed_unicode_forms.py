"""A name stored mixing both Unicode forms ("Å" one character, "ä" as "a" and a combining diaeresis: some central
exports and pastes hold names so) is found by Nytt ärende's search for known people and by the case list alike, in
a new profile and in one made before migration 0013. On main the stored name key was the name case folded as it
came, and the query was tried in NFC and in NFD: a key mixing both matched neither, so Nytt ärende did not offer the
person (and a second person on the same number could be started). Both tests fail on main."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from uihelpers import PASSPHRASE, type_text, unlock, window_over_new_profile

from ibic.demo import demo_cases
from storage.keyfile import read_key_file, unwrap
from storage.profile import key_file_path, open_with_key

GIVEN = unicodedata.normalize("NFC", "Åsa")
FAMILY = unicodedata.normalize("NFD", "Bäckström")  # "a" + U+0308, "o" + U+0308


def _window(qtbot, settings, profile_dir):  # type: ignore[no-untyped-def]
    people, cases = demo_cases(date.today())
    greta = next(p for p in people if p.given_name == "Greta")
    greta.given_name, greta.family_name = GIVEN, FAMILY
    return window_over_new_profile(qtbot, settings, profile_dir, [(people, cases)])


def _offered(qtbot, main, queries: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
    """What Nytt ärende lists for each query, typed into its search as a person types it."""
    listed: list[str] = []

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        try:
            assert dialog is not None and dialog.objectName() == "newCaseDialog"
            for query in queries:
                dialog.search.clear()
                type_text(dialog.search, query)
                listed.append(" | ".join(unicodedata.normalize("NFC", dialog.matches.item(i).text()).split(" · ")[0]
                                         for i in range(dialog.matches.count())))
        finally:
            dialog.reject()

    QTimer.singleShot(0, act)
    main.action_new.trigger()
    return listed


def _shown_names(main) -> list[str]:  # type: ignore[no-untyped-def]
    shown = main.case_list.shown
    return [unicodedata.normalize("NFC", shown.data(shown.index(row, 0))) for row in range(shown.rowCount())]


QUERIES = ["åsa bäck", "BÄCKSTRÖM", unicodedata.normalize("NFD", "åsa bäckström"), "bäckström"]
FOUND = ["Åsa Bäckström (fiktiv)"] * len(QUERIES)


def test_a_name_mixing_both_forms_is_offered_by_nytt_arende_and_found_in_the_list(
    qtbot, settings, profile_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    main = _window(qtbot, settings, profile_dir)
    unlock(qtbot, main)
    assert _offered(qtbot, main, QUERIES) == FOUND
    type_text(main.case_list.search, "åsa bäck")
    assert _shown_names(main) == ["Åsa Bäckström (fiktiv)"]


def test_a_profile_from_before_migration_0013_finds_the_person_after_it(qtbot, settings, profile_dir: Path) -> None:  # type: ignore[no-untyped-def]
    main = _window(qtbot, settings, profile_dir)
    old = open_with_key(profile_dir, unwrap(read_key_file(key_file_path(profile_dir)), PASSPHRASE))
    with old._db.transaction() as connection:  # the key as main stored it: case folded, forms as they came
        connection.execute("ALTER TABLE cases DROP COLUMN closing")  # before 0018
        connection.execute("ALTER TABLE cases DROP COLUMN hours")  # before 0016 too
        connection.execute("UPDATE people SET name_key = ? WHERE full_name = ?",
                           ((GIVEN + " " + FAMILY).casefold(), GIVEN + " " + FAMILY))
        connection.execute("ALTER TABLE cases DROP COLUMN in_force")  # and before 0014
        connection.execute("ALTER TABLE conflicts DROP COLUMN server_device_id")  # and 0015
        connection.execute("PRAGMA user_version = 12")
    old.lock()
    unlock(qtbot, main)
    assert _offered(qtbot, main, QUERIES) == FOUND
    with main.session.profile._db.reading() as connection:
        keys = [row[0] for row in connection.execute("SELECT name_key FROM people ORDER BY name_key")]
    assert all(unicodedata.is_normalized("NFKC", key) and key == key.casefold() for key in keys)
