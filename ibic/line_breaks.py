"""What breaks a line or a paragraph in typed text, whatever program wrote it.

Text pasted from a word processor or a web page, or sent by the central system, marks its breaks in several ways.
The product keeps one: ``"\\n"`` ends a line and a blank line ends a paragraph (the printed documents' rule,
docs/printing.md). Each other break becomes one of them, on screen (``ui.common.text_area``) and in print
(``ui.printing.pdf_page.printable``) alike, so the two never disagree.
"""

from __future__ import annotations

import re

LINE = "\n"
PARAGRAPH = "\n\n"
# What each break becomes. Word writes a paragraph as "\r\n", a line break typed with Shift+Enter as "\v" and a page
# break as "\f"; a lone "\r" is an old Mac's line end; U+0085 (NEL) is the line end of EBCDIC text; U+2028 and
# U+2029 are Unicode's own separators (some programs, JSON from other systems). Dropped as control
# characters, "\v", "\f" and U+0085 glued the words either side of them ("tvåRad"), and U+2028 and U+2029 were
# printed as spaces. A page break is no page break in a document the product paginates: a paragraph.
BREAKS = {
    "\r\n": LINE,
    "\r": LINE,
    "\v": LINE,
    "\x85": LINE,
    "\u2028": LINE,
    "\f": PARAGRAPH,
    "\u2029": PARAGRAPH,
}
_BREAK = re.compile("\r\n|[\r\v\x85\u2028\f\u2029]")


def plain_breaks(text: str) -> str:
    """``text`` with every line and paragraph break written as ``"\\n"`` (``BREAKS`` says which becomes what)."""
    if not _BREAK.search(text):  # most text has none: no new string
        return text
    return _BREAK.sub(lambda match: BREAKS[match.group()], text)
