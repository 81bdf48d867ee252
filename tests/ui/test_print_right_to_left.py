"""Hebrew and Arabic typed into a case print the way they are read (the person's own words, a name in any script).

reportlab draws characters in the order they are stored, and each Arabic letter alone: on main "שלום" came out as
"םולש" read from the right, and Arabic both backwards and unjoined. The printed draft is reached as a person does:
type into the situation, Ctrl+P, wait for the preview's PDF.
"""

from __future__ import annotations

import io
import unicodedata

from bidi_support import assert_wrapped_situation_in_reading_order, drawn_lines, wrapped_situation
from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from uihelpers import read_preview, type_text, unlock

from ui.printing.preview import UtredningPreviewDialog

HEBREW = "שלום עולם"
ARABIC = "مرحبا بالعالم"
TYPED = f"Hon hälsar {HEBREW} och {ARABIC} varje morgon."


def _printed_draft(qtbot, window) -> bytes:  # type: ignore[no-untyped-def]
    pdf: list[bytes] = []
    QTimer.singleShot(0, lambda: read_preview(window, pdf.append))
    QTest.keySequence(window.workspace.visit_page.situation, QKeySequence("Ctrl+P"))
    qtbot.waitUntil(lambda: bool(pdf), timeout=30_000)
    return pdf[0]


def _printed_draft_text(qtbot, window) -> str:  # type: ignore[no-untyped-def]
    pdf = _printed_draft(qtbot, window)
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def _typed_at_the_end(qtbot, window, step: str, text: str, area: str = ""):  # type: ignore[no-untyped-def]
    """Open the first case, go to ``step`` (``area``), type ``text`` on a new line at the end of its field."""
    unlock(qtbot, window)
    window.case_list.table.setFocus()
    window.case_list.table.selectRow(0)
    qtbot.keyClick(window.case_list.table, Qt.Key.Key_Return)
    window.workspace.go_to(step, area)
    field = window.workspace.area_form.own if area else window.workspace.visit_page.situation
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    type_text(field, "\n" + text)
    return field


def test_hebrew_and_arabic_in_the_situation_print_in_reading_order_and_arabic_joined(qtbot, demo_window):  # type: ignore[no-untyped-def]
    window = demo_window
    _typed_at_the_end(qtbot, window, "visit", TYPED)

    drawn = _printed_draft_text(qtbot, window)
    text = unicodedata.normalize("NFKC", drawn)  # joined Arabic letters are presentation forms: NFKC reads them back
    # A PDF reader's text extraction reads right-to-left runs it finds drawn in visual order back in reading
    # order; on main the runs were drawn in reading order, so they came back reversed ("םולש").
    assert HEBREW in text, "the Hebrew is drawn in reading order"
    assert ARABIC in text, "the Arabic is drawn in reading order"
    assert HEBREW[::-1] not in text
    # On main each Arabic letter was its plain code point, drawn unjoined; "مرحبا" joined is initial meem, final reh,
    # initial hah, medial beh, final alef.
    assert set("\ufee3\ufeae\ufea3\ufe92\ufe8e") <= set(drawn), "the Arabic letters are joined"


def test_a_wrapped_paragraph_of_swedish_and_hebrew_prints_in_reading_order(qtbot, demo_window):  # type: ignore[no-untyped-def]
    """Two paragraphs typed into the situation, each wrapping where the order of one line depends on the line
    before or after it (``bidi_support.wrapped_situation``); the lines are read as the PDF draws them. Fails on main,
    which turned each line alone: "… ja םלוע םולש," and "12 ןהכ och gick."."""
    window = demo_window
    situation = _typed_at_the_end(qtbot, window, "visit", "")
    for paragraph in wrapped_situation().split("\n"):
        qtbot.keyClick(situation, Qt.Key.Key_Return)  # a paragraph of its own (a typed "\n" is no key press)
        type_text(situation, paragraph)
    assert_wrapped_situation_in_reading_order(drawn_lines(_printed_draft(qtbot, window)))


def test_the_persons_own_words_in_arabic_print_in_a_face_that_has_the_letters(qtbot, demo_window):  # type: ignore[no-untyped-def]
    """The person's own description prints slanted, in DejaVu Sans Oblique, which has no Arabic letter: on main the
    words were drawn in it, as empty boxes. They now print upright, in the face that has them."""
    window = demo_window
    own = _typed_at_the_end(qtbot, window, "areas", ARABIC, "d5")

    faces: dict[str, str] = {}

    def note_face(text, _cm, _tm, font, _size) -> None:  # type: ignore[no-untyped-def]
        if font is not None and any("\u0600" <= char <= "\u06ff" for char in unicodedata.normalize("NFKC", text)):
            faces[text] = str(font["/BaseFont"])

    pdf: list[bytes] = []
    QTimer.singleShot(0, lambda: read_preview(window, pdf.append))
    QTest.keySequence(own, QKeySequence("Ctrl+P"))
    qtbot.waitUntil(lambda: bool(pdf), timeout=30_000)
    for page in PdfReader(io.BytesIO(pdf[0])).pages:
        page.extract_text(visitor_text=note_face)
    # On main the letters were drawn as the oblique's empty glyph, which reads back as no Arabic at all.
    assert faces, "the Arabic words are in the printed draft"
    assert all(face.endswith("+DejaVuSans") for face in faces.values()), faces


def test_the_preview_says_how_many_characters_cannot_be_printed(qtbot, demo_window):  # type: ignore[no-untyped-def]
    """An emoji and a script the typeface lacks (Chinese, Thai) print as "�" (empty boxes before s27): on main the
    preview said nothing, and a letter went out with boxes for a name. Three such characters are typed; the Hebrew
    and the Arabic print, so they are not counted."""
    window = demo_window
    situation = _typed_at_the_end(qtbot, window, "visit", f"Hon heter 漢字 och skickar 😀. {TYPED}")

    said: list[str] = []
    QTimer.singleShot(0, lambda: read_preview(window, lambda _pdf: said.append(
        window.findChild(UtredningPreviewDialog).status_label.text())))
    QTest.keySequence(situation, QKeySequence("Ctrl+P"))
    qtbot.waitUntil(lambda: bool(said), timeout=30_000)
    assert said[0].startswith("3 tecken i dokumentet kan inte skrivas ut"), said


def test_a_pasted_chinese_word_prints_as_a_marker_that_reads_back_and_stays_in_the_case(  # type: ignore[no-untyped-def]
    qtbot, demo_window
) -> None:
    """A life area's text pasted from a text message, with an emoji and a Chinese word: the word was drawn as two
    empty boxes and left out of the PDF's text ("hälsar från (Tokyo)"), so a copy or a search lost it without a trace.
    Now it prints as "��", as the emoji does, on the page and in the text; the case keeps what was typed."""
    window = demo_window
    typed = "Dottern skrev: kommer imorgon 😊 och hälsar från 東京 (Tokyo)."
    _typed_at_the_end(qtbot, window, "areas", typed, "d4")
    text = _printed_draft_text(qtbot, window)
    assert "kommer imorgon � och hälsar från �� (Tokyo)." in text, text
    window.workspace.save_now()
    case = window.session.profile.cases.load(window.workspace.opened.case.id)
    own = next(a.own_description for a in case.investigation.assessments if a.area_id == "d4")
    assert own.endswith(typed)  # as typed: the store holds the emoji and the word, only the print marks them
