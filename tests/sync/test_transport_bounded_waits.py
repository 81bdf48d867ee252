"""One request of the sync client is silent at most its retry time plus a connect and an answer timeout
(``sync.timeouts``): a server that takes connections and never answers was waited for six times 30 s (s35-net)."""

from __future__ import annotations

import re
import time

import pytest
from wrong_addresses import SilentServer, nothing_listening

from sync.client.transport import RetryPolicy, Transport
from sync.errors import NothingListening, ServerTimedOut
from sync.protocol import TokenRequest, TokenResponse
from sync.timeouts import Timeouts

REQUEST = TokenRequest(device_id="device1", device_credential="x" * 32)


def test_a_server_that_never_answers_is_given_up_after_the_retry_time_and_one_answer_timeout() -> None:
    timeouts = Timeouts(connect=1, answer=0.4, retry=0.6)
    with SilentServer() as silent:
        transport = Transport(silent.address, timeouts=timeouts)
        started = time.monotonic()
        with pytest.raises(ServerTimedOut) as caught:
            transport.post("/v1/token", REQUEST, TokenResponse)
        took = time.monotonic() - started
        transport.close()
    # Tried again on a new connection within the retry time, then no attempt after it: at most retry + answer (the
    # connect is at once here), with room for a loaded machine's scheduling.
    assert 2 * timeouts.answer <= took < timeouts.retry + timeouts.answer + 1.0, took
    assert caught.value.server == silent.address


def test_a_refused_connection_is_tried_again_only_within_the_retry_time() -> None:
    transport = Transport(nothing_listening(), timeouts=Timeouts(retry=0.3))
    started = time.monotonic()
    with pytest.raises(NothingListening):
        transport.post("/v1/token", REQUEST, TokenResponse)
    assert time.monotonic() - started < 0.3 + 1.0
    transport.close()


def test_a_refused_connection_is_tried_again_until_the_retry_time_is_over() -> None:
    """The retry time is how long a failed request is tried again (a server restarting is back within it). Six
    attempts were the bound besides: their backoff (full jitter) waited 7.75 s on average and 15.5 s at most, so the
    default 15 s mostly ended early and a retry time IT raised (up to 120 s) tried no longer. Here the backoff is
    short, so six attempts end within 0.3 s of a retry time of 1 s."""
    retry = RetryPolicy(base_seconds=0.01, cap_seconds=0.05)
    transport = Transport(nothing_listening(), timeouts=Timeouts(retry=1.0), retry=retry)
    started = time.monotonic()
    with pytest.raises(NothingListening) as caught:
        transport.post("/v1/token", REQUEST, TokenResponse)
    took = time.monotonic() - started
    transport.close()
    assert 1.0 - retry.cap_seconds <= took < 1.0 + 1.0, took
    assert int(re.search(r"(\d+) attempt", str(caught.value)).group(1)) > 6  # type: ignore[union-attr]
