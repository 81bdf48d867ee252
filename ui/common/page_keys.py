"""The keys that work on one page or in one dialog only (a QShortcut there, not a menu item), declared once: the
page binds the key from here and Hjälp › Kortkommandon (``ui.shortcuts_dialog``) lists it from here, beside the
menus' keys, so the list cannot leave out or misname a key the code binds (it listed the menus' only, s30-keys)."""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtGui import QKeySequence

from ui.i18n import tr

NOT_RELEVANT_KEYS = "Alt+N"  # Kartläggning: the life area shown is ej aktuellt (``ui.assessment.life_area_form``)
# A list's column menu (``ui.cases.column_menu``, keys the list takes): the context-menu key, and Shift+F10 as
# Windows has it. A desktop's own context-menu event came from the Menu key only (xcb), and from no key offscreen:
# Shift+F10, which the header's tooltip named, did nothing on Linux (s32-tidy).
COLUMN_MENU_KEYS = ("Menu", "Shift+F10")

# The preview's keys (``ui.printing.preview``): its slot's name and the name of Qt's standard key for it, which is
# the key the platform uses for it (Ctrl+P prints, Ctrl+S saves; PgUp and PgDown turn the page). Names, made keys
# by ``standard_key`` when used: an enum named at import builds its class then (this module is imported in one of
# the first case's turns, ``ui.case_opening``).
PREVIEW_KEYS: tuple[tuple[str, str], ...] = (
    ("previous_page", "MoveToPreviousPage"),
    ("next_page", "MoveToNextPage"),
    ("zoom_in", "ZoomIn"),
    ("zoom_out", "ZoomOut"),
    ("print_document", "Print"),
    ("save_as_pdf", "Save"),
)


def standard_key(name: str) -> QKeySequence:
    """The key sequence of Qt's standard key ``name`` on this platform (its first, as a QShortcut binds it)."""
    return QKeySequence(getattr(QKeySequence.StandardKey, name))


class PageKey(NamedTuple):
    keys: QKeySequence
    what: str  # what it does, as the page's own button or check box says it
    where: str  # the page or dialog it works in


def page_keys() -> tuple[PageKey, ...]:
    """Every page's and dialog's own keys, translated now (the shortcuts dialog is made after the language is set)."""
    preview = tr("Preview of a document")
    what = {
        "previous_page": tr("Previous page"),
        "next_page": tr("Next page"),
        "zoom_in": tr("Zoom in"),
        "zoom_out": tr("Zoom out"),
        "print_document": tr("Print…"),
        "save_as_pdf": tr("Save as PDF…"),
    }
    return (
        PageKey(QKeySequence(NOT_RELEVANT_KEYS), tr("Not relevant"), tr("3. Mapping of life areas")),
        *(PageKey(QKeySequence(key), tr("Show or hide columns"), tr("Case list and To do"))
          for key in COLUMN_MENU_KEYS),
        *(PageKey(standard_key(key), what[slot], preview) for slot, key in PREVIEW_KEYS),
    )
