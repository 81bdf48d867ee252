"""HTTP to the sync server: certificate checks on (optionally a pinned CA), bounded waits (``sync.timeouts``), retries
with backoff and jitter, and each way the address can fail told apart (docs/sync.md, "How long a sync waits")."""

from __future__ import annotations

import random
import ssl
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

if "httpx" not in sys.modules:
    # httpx's __init__ imports its command line (``httpx.main``: click, rich and pygments when they are installed,
    # ~5 MiB resident) inside a ``try`` that falls back on ImportError; the app never runs it, so that one import is
    # refused while httpx loads (None in sys.modules) and allowed again after it.
    sys.modules["httpx._main"] = None  # type: ignore[assignment]
    try:
        import httpx
    finally:
        del sys.modules["httpx._main"]
import httpx
from pydantic import BaseModel, ValidationError

from sync.errors import (
    CertificateRejected,
    NotASyncServer,
    NothingListening,
    Offline,
    ProtocolMismatch,
    ServerBusy,
    ServerRejected,
    ServerTimedOut,
    ServerUnavailable,
    SyncError,
)
from sync.protocol import RevocationInstruction
from sync.timeouts import Timeouts

ModelT = TypeVar("ModelT", bound=BaseModel)


class Unauthorised(Exception):
    """Internal: HTTP 401, the session refreshes its token and tries once more."""


class RevokedAnswer(Exception):
    """Internal: HTTP 410 with the server's revocation instruction."""

    def __init__(self, instruction: RevocationInstruction) -> None:
        super().__init__("device revoked")
        self.instruction = instruction


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter: attempt n waits uniform(0, min(cap, base * 2**n)), attempts going on
    until the transport's ``Timeouts.retry`` seconds from the first are over; ``attempts``: at most so many (tests).

    Bounded by the time alone: six attempts (the bound until s35-rsync) spent 7.75 s waiting on average and 15.5 s at
    most, so a server restarting in 10 s was mostly given up on within the 15 s the retry time promises, and a retry
    time IT raised (up to 120 s, for a network that drops for a while) tried no longer than the default."""

    attempts: int | None = None
    base_seconds: float = 0.25
    cap_seconds: float = 10.0

    def delay(self, attempt: int, rng: random.Random) -> float:
        # The exponent bounded: past the cap it changes nothing, and a float of 2**1100 would overflow.
        return rng.uniform(0, min(self.cap_seconds, self.base_seconds * 2 ** min(attempt, 32)))


class Transport:
    """One server address; ``post``/``get`` return parsed protocol messages or raise typed errors."""

    def __init__(
        self,
        base_url: str,
        *,
        ca_file: Path | None = None,
        verify: bool = True,
        timeouts: Timeouts | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], object] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        # verify=False exists only for tests on plain HTTP loopback; a pinned CA replaces the system store.
        self.base_url = base_url.rstrip("/")
        self._verification: Any = verify
        if ca_file is not None:
            self._verification = ssl.create_default_context(cafile=str(ca_file))
        elif verify and httpx.URL(self.base_url).scheme == "http":
            # Every request goes to this plain-HTTP address (paths under it, no redirect followed): no TLS is ever
            # made, so no store of CA certificates is loaded for it (httpx's default, certifi's bundle, is ~1.1 MiB
            # resident). The context still requires a verified certificate and trusts none: TLS would fail closed.
            self._verification = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        self._timeouts = timeouts or Timeouts()
        # What the errors name for the log: scheme, host and port only (an address may carry a user name or a path).
        url = httpx.URL(self.base_url)
        host = f"[{url.host}]" if ":" in url.host else url.host  # an IPv6 address in brackets, as typed
        self._origin = f"{url.scheme}://{host}:{url.port or (443 if url.scheme == 'https' else 80)}"
        self._lock = threading.Lock()
        self._client = self._new_client()
        # Requests under way on each client (a push has two on the wire at once): a replaced client is closed by
        # the last of them, never under another thread's request (closing it aborted that request, which the
        # server had applied: it went again and came back ``duplicate``).
        self._in_use: dict[httpx.Client, int] = {}
        self._retry = retry or RetryPolicy()
        self._rng = rng or random.Random()
        # Set by ``stop_retrying`` (a lock or quit while a sync waits for a dead network or a slow server): no further
        # attempt is made, a wait between two attempts ends at once, and the calls waiting for an answer stop waiting.
        self._stopping = threading.Event()
        self._waiting: set[threading.Event] = set()  # one a request under way: set when it ends or is given up
        self._sleep = sleep or self._stopping.wait  # a test's clock, else a wait that stopping wakes
        self._closed = False  # ``close``: no new client, and the last request on the current one closes it

    def _new_client(self) -> httpx.Client:
        wait = self._timeouts.answer  # also for a piece of the request to be sent, and for the pool
        return httpx.Client(base_url=self.base_url, verify=self._verification,
                            timeout=httpx.Timeout(wait, connect=self._timeouts.connect))

    def reset_connections(self) -> None:
        """Drop pooled connections (after sleep or a network change they are dead): the next call reconnects."""
        self._replace(self._client)

    def _replace(self, failed: httpx.Client) -> None:
        """A new client instead of ``failed``, unless another thread has replaced it already: a push has two
        requests on the wire at once (sync/client/push.py), and both may fail on one network change. ``failed`` is
        closed now if no request is under way on it, else by the last one (``_give_back``)."""
        with self._lock:
            if self._client is not failed or self._closed:
                return  # closed: ``close`` or the last request on ``failed`` (``_give_back``) closes it
            self._client = self._new_client()
            if failed in self._in_use:
                return
        failed.close()

    def _borrow(self) -> httpx.Client:
        """The current client, counted as in use until ``_give_back``."""
        with self._lock:
            client = self._client
            self._in_use[client] = self._in_use.get(client, 0) + 1
            return client

    def _give_back(self, client: httpx.Client) -> None:
        """A request on ``client`` ended: the last one on a client replaced meanwhile closes it."""
        with self._lock:
            left = self._in_use.pop(client) - 1
            if left:
                self._in_use[client] = left
                return
            if client is self._client and not self._closed:
                return
        client.close()

    def stop_retrying(self) -> None:
        """From any thread: the calls under way end now (``Offline``): none waits for a retry, nor for the answer to
        a request already sent (given up on its own thread: ``_send``)."""
        self._stopping.set()
        with self._lock:
            waiting = list(self._waiting)
        for ended in waiting:
            ended.set()

    def _wait_before(self, attempt: int, started: float, waited: float) -> float | None:
        """The backoff before ``attempt``, cut short by ``stop_retrying`` and by the end of the retry time (the
        ``Timeouts.retry`` seconds after ``started``, the first attempt's start); ``waited``: the backoff waited so far
        in this call, returned with this one's added; None when the retry time is over (no further attempt); raises
        ``Offline`` once stopped."""
        if attempt and not self._stopping.is_set():
            # The waits asked for count as well as the clock: a test's sleep passes no time, and the attempts, bounded
            # by the retry time alone, must still end.
            left = self._timeouts.retry - max(time.monotonic() - started, waited)
            if left <= 0:
                return None
            delay = min(self._retry.delay(attempt, self._rng), left)
            self._sleep(delay)
            waited += delay
        if self._stopping.is_set():
            raise Offline("sync stopped: no further attempt")
        return waited

    def close(self) -> None:
        """For good, from any thread: no further attempt (``stop_retrying``) and the connection pool closed, now if no
        request is under way on it, else by the last one as it ends (``_give_back``: a request given up keeps its
        thread until its timeout, and closing its client's sockets under it frees a descriptor it still reads)."""
        self.stop_retrying()
        with self._lock:
            self._closed = True
            client = self._client
            if client in self._in_use:
                return
        client.close()

    def post(self, path: str, message: BaseModel, answer: type[ModelT], token: str | None = None) -> ModelT:
        """POST ``message``; retried on network errors, 5xx and 429 (pushing twice is harmless by design), but for the
        sync server's own 503 ``server_busy`` with Retry-After (``ServerBusy`` at once)."""
        body = message.model_dump_json().encode("utf-8")
        return self._call("POST", path, body, answer, token)

    def get(self, path: str, answer: type[ModelT], token: str | None = None) -> ModelT:
        """GET ``path`` with the same retry rules."""
        return self._call("GET", path, None, answer, token)

    def _call(self, method: str, path: str, body: bytes | None, answer: type[ModelT], token: str | None) -> ModelT:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        problem: type[SyncError] = Offline  # what the last attempt met: the error raised once none is left
        started, attempts, waited = time.monotonic(), 0, 0.0
        most = self._retry.attempts
        while most is None or attempts < most:
            waited_now = self._wait_before(attempts, started, waited)
            if waited_now is None:
                break
            waited, attempts = waited_now, attempts + 1
            client = self._borrow()
            try:
                response = self._send(client, method, path, body, headers)
            except httpx.ConnectError as exc:
                if _certificate_problem(exc):
                    raise CertificateRejected("the sync server's certificate could not be verified") from None
                if _ssl_reason(exc) in _NOT_TLS:
                    raise self._named(NotASyncServer(0)) from None  # https:// to a plain HTTP server, or no web server
                # Refused: the host is there and said no (a stopped server, a wrong port), not "no network".
                problem = NothingListening if _refused(exc) else Offline
                self._replace(client)
                continue
            except (httpx.ReadTimeout, httpx.WriteTimeout, httpx.PoolTimeout):
                problem = ServerTimedOut  # connected, then silent: a hung server (a connect timeout is no network)
                self._replace(client)
                continue
            except httpx.TransportError:
                problem = Offline
                self._replace(client)
                continue
            except RuntimeError:
                if not client.is_closed:
                    raise
                problem = Offline  # closed by ``close`` meanwhile: no answer
                continue
            if _server_busy(response):
                # The sync server's own "busy" (a pull's barrier behind a long write, sync.server.ordering): the
                # attempts left would each wait at the server as this one did; the sync stops and is tried later.
                # Any other 503 (a proxy's, a load balancer's, with or without Retry-After) is retried as before.
                raise ServerBusy(_seconds(response.headers["retry-after"]))
            if response.status_code >= 500 or response.status_code == 429:
                problem = ServerUnavailable
                continue
            return self._parse(response, answer)
        raise self._named(problem(_FAILURES[problem].format(attempts=attempts, answer=self._timeouts.answer)))

    def _named(self, error: SyncError) -> SyncError:
        """``error`` with this address's origin, for the log (``SyncError.server``)."""
        error.server = self._origin
        return error

    def _send(self, client: httpx.Client, method: str, path: str, body: bytes | None,
              headers: dict[str, str]) -> httpx.Response:
        """``client.request`` on a thread of its own, waited for here until it ends or ``stop_retrying``: a lock or
        quit does not wait for the answer to a request already sent (up to the answer timeout, ``Timeouts.answer``,
        from a server that accepted the connection and answers slowly, or a network that drops packets). A request
        given up keeps its thread until its timeout, which touches nothing but ``client`` (closed by the last request
        on it: it is replaced here) and drops the answer: what the server applied meanwhile stays pending in the
        journal and is answered ``duplicate`` next time. Closing the client's sockets from the stopping thread does
        not end a read another thread waits in (the poll goes on to its timeout) and frees a descriptor that read
        still uses.
        ``client`` is given back (``_give_back``) by the request's thread as it ends."""
        ended = threading.Event()
        outcome: list[tuple[bool, Any]] = []

        def request() -> None:
            try:
                outcome.append((True, client.request(method, path, content=body, headers=headers)))
            except BaseException as error:  # handed to the waiting thread
                outcome.append((False, error))
            finally:
                self._give_back(client)
                ended.set()

        with self._lock:
            self._waiting.add(ended)
        try:
            if self._stopping.is_set():
                self._give_back(client)
                raise Offline("sync stopped: no further attempt")
            threading.Thread(target=request, name="sync-request", daemon=True).start()
            ended.wait()
        finally:
            with self._lock:
                self._waiting.discard(ended)
        if not outcome:  # given up: ``stop_retrying`` woke this wait before the answer came
            self._replace(client)
            raise Offline("sync stopped: the request under way was given up")
        ok, value = outcome[0]
        if not ok:
            raise value
        return cast(httpx.Response, value)

    def _parse(self, response: httpx.Response, answer: type[ModelT]) -> ModelT:
        """The answer as ``answer``, or the error it says. Every answer of the sync server, an error's too, is a JSON
        object carrying ``protocol``; one that is not (a web page, a redirect, another service's JSON) comes from
        something else at the address: ``NotASyncServer``, never taken for a refused code, an old app or a revoked
        device. Only a proxy's 413 (its own body limit, in front of the server) keeps its meaning."""
        status = response.status_code
        if status >= 400 or status < 200:
            # Only an error body is parsed as a whole here: a pull page is up to ~1 MB of JSON (~4 ms to parse again).
            body = _json_object(response)
            if "protocol" not in body and status != 413:
                raise self._named(NotASyncServer(status))
            if status == 401:
                raise Unauthorised()
            if status == 410:
                try:
                    raise RevokedAnswer(RevocationInstruction.model_validate_json(response.content))
                except ValidationError as exc:
                    raise ServerRejected(status, "unreadable_revocation") from exc
            code = str(body.get("error", "unknown"))
            if status == 400 and code == "unsupported_protocol":
                raise ProtocolMismatch(status, code)
            raise ServerRejected(status, code)
        if status >= 300:
            raise self._named(NotASyncServer(status))  # a redirect (never followed): the server sends none
        try:
            return answer.model_validate_json(response.content)
        except ValidationError as exc:
            if "protocol" not in _json_object(response):
                raise self._named(NotASyncServer(status)) from None
            # A newer server may add fields this client does not know: that is a protocol mismatch, not data loss.
            raise ProtocolMismatch(status, "unreadable_answer") from exc


# OpenSSL's reasons for a first answer that is no TLS record (a plain HTTP server or another service at an https://
# address): 3.0 and 3.1 say WRONG_VERSION_NUMBER, later ones may say RECORD_LAYER_FAILURE or PACKET_LENGTH_TOO_LONG.
_NOT_TLS = frozenset({"WRONG_VERSION_NUMBER", "RECORD_LAYER_FAILURE", "PACKET_LENGTH_TOO_LONG"})


def _ssl_reason(exc: BaseException) -> str:
    """OpenSSL's reason of the first TLS error in ``exc``'s chain; "" when none is there."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return str(getattr(seen, "reason", "") or "")
        seen = seen.__cause__ or seen.__context__
    return ""


def _certificate_problem(exc: BaseException) -> bool:
    """True when a connection failed on certificate verification (a wrong server, not a missing network)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


# The English sentence of each error a call ends in once no attempt is left (the UI says each in Swedish).
_FAILURES: dict[type[SyncError], str] = {
    Offline: "no connection to the sync server after {attempts} attempt(s): no network, no such name, or no route",
    NothingListening: "nothing listens at the sync server's address (connection refused, {attempts} attempt(s))",
    ServerTimedOut: "the sync server took the connection but sent no answer within {answer:g} s",
    ServerUnavailable: "the sync server answered with errors (5xx or 429) at each of {attempts} attempt(s)",
}


def _refused(exc: BaseException) -> bool:
    """True when the connection was refused (a TCP reset to the connect: the host is there, nothing listens)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ConnectionRefusedError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _json_object(response: httpx.Response) -> dict[str, Any]:
    """The body as a JSON object; {} when it is none (HTML, empty, a list, not JSON at all)."""
    try:
        body = response.json()
    except ValueError:  # JSONDecodeError and UnicodeDecodeError alike
        return {}
    return body if isinstance(body, dict) else {}


def _error_code(response: httpx.Response) -> str:
    return str(_json_object(response).get("error", "unknown"))


def _server_busy(response: httpx.Response) -> bool:
    """The sync server's own answer that it is busy: 503, Retry-After and its error code ``server_busy``. A proxy in
    front of it answers 503 with Retry-After too (a restart, maintenance): that is no sign a retry would wait at the
    server again, so it is retried like any other 5xx."""
    return (response.status_code == 503 and "retry-after" in response.headers
            and _error_code(response) == "server_busy")


def _seconds(retry_after: str) -> int:
    """Retry-After's delay in seconds; 0 for its other form (an HTTP date) or anything unreadable."""
    text = retry_after.strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else 0
