"""One request of the sync client is silent at most its retry time plus a connect and an answer timeout
(``sync.timeouts``): a server that takes connections and never answers was waited for six times 30 s (s35-net)."""

from __future__ import annotations

import time

import pytest
from wrong_addresses import SilentServer, nothing_listening

from sync.client.transport import Transport
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
