"""Hjälp › Om Hembesök: version, build date and the licences of Qt/PySide6 and every runtime dependency."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtWidgets import QApplication

from ibic import __version__
from ui import licences


def _open_about(qtbot, window):  # type: ignore[no-untyped-def]
    from ui.about import AboutDialog

    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Hjälp")
    assert window.action_about in help_menu.actions() and window.action_about.text() == "&Om Hembesök"
    window.action_about.trigger()
    qtbot.waitUntil(lambda: any(isinstance(w, AboutDialog) and w.isVisible() for w in QApplication.topLevelWidgets()))
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, AboutDialog) and w.isVisible())


def test_the_menu_action_shows_version_and_every_dependencys_licence(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    dialog = _open_about(qtbot, window)
    assert __version__ in dialog.version.text()
    assert dialog.built.text() == "Körs från källkod"  # from source: no build date
    text = dialog.licences.toPlainText()
    assert "LGPL-3.0" in text and "GNU LESSER GENERAL PUBLIC LICENSE" in text
    assert "_internal/PySide6/Qt/lib" in text  # how to replace the Qt libraries in the bundle
    expected = licences.installed_closure(licences.runtime_requirements())
    names = {d.metadata["Name"] for d in expected}
    assert {"PySide6_Essentials", "sqlcipher3", "reportlab", "cryptography", "pydantic"} <= names
    for distribution in expected:
        assert f"{distribution.metadata['Name']} {distribution.version}: {licences.licence_of(distribution)}" in text
    assert "pytest" not in names and "fastapi" not in names  # dev and server extras are not the app's
    dialog.close()


def test_a_bundle_shows_its_build_date_and_the_list_made_at_build_time(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from ui.about import AboutDialog

    manifest = licences.write_manifest(tmp_path / "bundle.json")
    data = json.loads(manifest.read_text(encoding="utf-8"))
    assert data["built"] and {"pyside6_essentials", "sqlcipher3"} <= {c["name"].lower() for c in data["components"]}
    inventory = licences.current(manifest)
    assert [(c.name, c.version, c.licence, list(c.texts)) for c in inventory.components] == [
        (c["name"], c["version"], c["licence"], c["texts"]) for c in data["components"]
    ]
    dialog = AboutDialog(inventory=inventory)
    qtbot.addWidget(dialog)
    assert dialog.built.text() == f"Byggd {data['built']}"
