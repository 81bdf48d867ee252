"""The sync server's address as a person types it in Settings: checked before it is stored or used.

Plain Python (no HTTP client): the settings dialog checks an address on the UI thread. Before, any text was stored;
"sync.kommun.se" (no https://), "https://sync kommun.se" or a port of 99999 then ended each "Anslut" in six
attempts and "the server cannot be reached", and "http://[::1" in "could not be connected" with nothing to correct."""

from __future__ import annotations

from enum import StrEnum
from urllib.parse import urlsplit


class AddressProblem(StrEnum):
    SPACE = "space"  # a space or another white-space character inside the address
    SCHEME = "scheme"  # not https:// or http://
    HOST = "host"  # no server named, or a name no network can look up
    PORT = "port"  # a port that is not a number from 1 to 65535


def address_problem(address: str) -> AddressProblem | None:
    """What is wrong with ``address`` (its ends stripped, as Settings stores it); None when it can be used.

    An empty address is none: the laptop is then not connected. A path is allowed (a server behind a proxy's path)."""
    text = address.strip()
    if not text:
        return None
    if any(ch.isspace() for ch in text):
        return AddressProblem.SPACE
    try:
        parts = urlsplit(text)
    except ValueError:  # "http://[::1": a bracket left open
        return AddressProblem.HOST
    if parts.scheme.lower() not in ("https", "http"):
        return AddressProblem.SCHEME
    if not parts.hostname or not _host_name_usable(parts.hostname):
        return AddressProblem.HOST
    try:
        port = parts.port
    except ValueError:  # not a number, or past 65535
        return AddressProblem.PORT
    if port == 0:
        return AddressProblem.PORT
    return None


def _host_name_usable(host: str) -> bool:
    """A name the network can look up: ASCII, or an international name IDNA encodes (as the HTTP client does).
    Full-width letters ("ｓｙｎｃ.se") or a zero-width space are no such name."""
    if host.isascii():
        return True
    import idna  # here: only a name beyond ASCII needs it

    try:
        idna.encode(host.lower())
    except idna.IDNAError:
        return False
    return True
