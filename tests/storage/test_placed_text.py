"""The autosave writes only the changed parts' text into the document's text (spliced at the places the last save
left, or at markers): byte for byte what serialising the whole document writes, for any JSON values (escapes,
non-ASCII, numbers, empty containers), across saves in a row.

The save itself is covered by test_known_changes.py (stored documents compared with the whole-document save); this
property reaches values no form produces.
"""

from __future__ import annotations

from typing import Any

from hypothesis import event, given, settings
from hypothesis import strategies as st

from ibic.document_paths import diff_parts
from storage.repositories.documents import Spans, placed_text, to_json_text

KEYS = st.text(min_size=1, max_size=6)  # quotes, backslashes, control characters and non-ASCII included
SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
                      max_leaves=12)
ELEMENT_IDS = st.lists(st.text(min_size=1, max_size=4), min_size=1, max_size=5, unique=True)


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    document = draw(st.dictionaries(KEYS.filter(lambda k: k != "items"), VALUES, max_size=4))
    document["items"] = [{"id": key, "body": draw(VALUES), "note": draw(st.text())} for key in draw(ELEMENT_IDS)]
    return document


@st.composite
def parts(draw: st.DrawFn, document: dict[str, Any], last: list[tuple[str, ...]]) -> list[tuple[tuple[str, ...], Any]]:
    """Up to three changed parts, in document order and none inside another: a top-level value, an element, or a
    field of an element."""
    chosen: dict[tuple[str, ...], Any] = {}
    if last and draw(st.booleans()):  # typing on: the same parts again, with new values
        for segments in last:
            chosen[segments] = {**document["items"][_index(document, segments[1])], "body": draw(VALUES)} \
                if len(segments) == 2 else draw(VALUES)
    for _ in range(draw(st.integers(0 if chosen else 1, 3))):
        element = draw(st.sampled_from(document["items"]))
        segments = draw(st.sampled_from([("items", element["id"]), ("items", element["id"], "body"),
                                         *[(key,) for key in document if key != "items"]]))
        if any(s[:len(segments)] == segments or segments[:len(s)] == s for s in chosen):
            continue
        new = draw(VALUES)
        chosen[segments] = {"id": element["id"], "body": new, "note": "ändrad"} if len(segments) == 2 else new
    order = [key for key in document]
    keys = [e["id"] for e in document["items"]]
    return sorted(chosen.items(), key=lambda part: (order.index(part[0][0]),
                                                     keys.index(part[0][1]) if len(part[0]) > 1 else -1))


@settings(max_examples=300, deadline=None)
@given(data=st.data(), document=documents())
def test_the_placed_text_is_the_whole_documents_text(data: st.DataObject, document: dict[str, Any]) -> None:
    text, spans, known = to_json_text(document), Spans(), None
    for _ in range(4):  # saves in a row: the later ones splice into the text the earlier ones wrote
        changed = data.draw(parts(document, list(spans)))
        placed = diff_parts(document, changed, known)  # the parts the last call put in place are not looked up
        assert placed is not None
        assert placed == diff_parts(document, changed)  # ... and the edits, document and places are the same
        document, known = placed[1], placed[2]
        event("spliced" if changed and all(segments in spans for segments, _ in changed) else "marked")
        text, spans = placed_text(document, changed, text, spans)
        assert text == to_json_text(document)
        assert set(spans) == {segments for segments, _ in changed}


def _index(document: dict[str, Any], key: str) -> int:
    return next(i for i, element in enumerate(document["items"]) if element["id"] == key)
