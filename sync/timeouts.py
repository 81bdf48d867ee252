"""How long the laptop waits for the sync server: plain numbers, read by the settings (``ui.settings``, before any
HTTP client loads) and by the transport (``sync.client.transport``). Why these values: docs/sync.md, "How long a
sync waits"."""

from __future__ import annotations

from typing import NamedTuple

# A TCP connection (and TLS handshake) on a municipal network or a VPN takes milliseconds; 5 s covers a slow Wi-Fi or
# mobile link, and past it the packets are being dropped (no route, a firewall): "no connection".
CONNECT_SECONDS = 5
# From the request sent to its answer (and between two pieces of an answer or of a request being sent): a push batch
# of 500 changes or a pull page of 1,000 takes 0.1-0.4 s at the server, under 4 s at the p99 of 200 laptops on a
# loaded 2-core server, and a pull's barrier answers "busy" after 5 s; 20 s is several times the slowest of these.
ANSWER_SECONDS = 20
# A failed request (no connection, a 5xx) is tried again, with backoff, for this long after its first attempt: a
# server restarting or a Wi-Fi reconnecting after sleep is back within it; past it the sync stops and says why, and
# the window tries again a minute later. One request is thus silent at most RETRY + CONNECT + ANSWER seconds (40).
RETRY_SECONDS = 15

CONNECT_RANGE = (1, 60)
ANSWER_RANGE = (1, 300)
RETRY_RANGE = (0, 120)


class Timeouts(NamedTuple):
    """Seconds: ``connect`` a connection, ``answer`` an answer (or a piece of one), ``retry`` the attempts of one
    request after its first (0: no second attempt)."""

    connect: float = CONNECT_SECONDS
    answer: float = ANSWER_SECONDS
    retry: float = RETRY_SECONDS
