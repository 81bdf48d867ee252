"""The administrator's list of reference entries not yet checked against their source.

``python -m ibic.reference_check`` prints each unverified ICF code of ``resources/reference`` (code, Swedish title,
where it is used, the source it should be checked against), one per line separated by semicolons as Swedish
spreadsheets read them, and the count last. The municipality's administrator corrects the data file and sets
``verified = true`` once an entry is checked; nothing in the app treats an unverified entry differently.
"""

from __future__ import annotations

import sys

from ibic.reference import ReferenceData, load_reference_data, unverified_codes


def unverified_lines(ref: ReferenceData) -> list[str]:
    """The list as text lines: a header, one line per unverified entry, and the count."""
    found = unverified_codes(ref)
    lines = ["kod;benämning;används som;källa att kontrollera mot"]
    lines += [";".join(_cell(v) for v in (c.code, c.label_sv, c.place, c.source)) for c in found]
    lines.append(f"{len(found)} av referensdatans koder är inte kontrollerade mot sin källa.")
    return lines


def _cell(text: str) -> str:
    return text.replace(";", ",").replace("\n", " ")


def main() -> int:
    print("\n".join(unverified_lines(load_reference_data())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
