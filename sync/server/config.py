"""Server configuration: a TOML file, overridden by environment variables (HEMBESOK_SYNC_*)."""

from __future__ import annotations

import ipaddress
import logging
import math
import os
import socket
import ssl
import tomllib
import unicodedata
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from sync.protocol import MAX_BODY_BYTES

ENV_PREFIX = "HEMBESOK_SYNC_"
MIN_SECRET_LENGTH = 32
MAX_WORKERS = 64
# An access token must outlive one sync (a minute at most) and should not outlive a working day (a stolen one).
MIN_TOKEN_SECONDS = 60
MAX_TOKEN_SECONDS = 24 * 3600
MAX_CODE_HOURS = 24 * 365  # an enrollment code, by the configuration or the admin command's --hours
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# Every name logging itself takes (WARN, FATAL and NOTSET besides): a configuration saying "WARN" always served.
LOG_LEVEL_NAMES = frozenset(logging.getLevelNamesMapping())
SECRET_HINT = "e.g. the output of: openssl rand -hex 32"
# The slowest rate limit a setting may ask for (per second, or per minute for enrollment): below it, the bucket's
# refill time (1 / rate) overflows PostgreSQL's float8 and every request ended in a 500 (5e-324 per minute even
# failed every worker at start); one request in ~17 minutes is already slower than any use.
MIN_RATE = 0.001
# The largest burst: a bucket's size is a float in the limiter and PostgreSQL; 10**400 (a variable's digits) ended
# every worker's start in an OverflowError traceback. A billion requests at once is no limit already.
MAX_BURST = 10**9


class ConfigError(ValueError):
    """The configuration cannot be used; the message is one English line saying what to fix."""


@dataclass(frozen=True)
class ServerConfig:
    """Everything the server reads at start; the token secret signs access tokens (keep it stable across restarts).

    ``database_url`` and ``token_secret`` have no default: a service must name its database, and a secret made up
    at each start would invalidate every laptop's token on restart and split several workers (see ``require``).
    """

    database_url: str = ""
    host: str = "127.0.0.1"
    port: int = 8443
    tls_cert: str = ""
    tls_key: str = ""
    token_secret: str = ""
    token_lifetime_seconds: int = 600
    enrollment_code_hours: int = 72
    max_body_bytes: int = MAX_BODY_BYTES
    rate_per_second: float = 50.0
    rate_burst: int = 200
    # Enrollment is the one door without a credential: a few tries per minute per connecting address.
    enroll_per_minute: float = 10.0
    enroll_burst: int = 5
    # Addresses (or CIDR networks, comma-separated) of reverse proxies whose X-Forwarded-For names the real
    # laptop; without it every laptop behind the proxy shares one enrollment bucket. "" trusts no proxy.
    forwarded_allow_ips: str = ""
    # Server processes on one socket (uvicorn workers). Every process has its own pool of pool_size connections;
    # all state they share is in PostgreSQL (docs/sync.md, "Several server processes").
    workers: int = 1
    pool_size: int = 8
    log_level: str = "INFO"


def load_config(path: Path | None = None, environ: dict[str, str] | None = None) -> ServerConfig:
    """Read ``path`` (if given, else ``$HEMBESOK_SYNC_CONFIG``) then apply ``HEMBESOK_SYNC_<FIELD>`` variables.

    Raises ConfigError (one line) for a missing or unreadable file, unknown keys and values of the wrong type.
    """
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    config_path = path or (Path(env[ENV_PREFIX + "CONFIG"]) if ENV_PREFIX + "CONFIG" in env else None)
    if config_path is not None:
        values.update(_read_toml(config_path))
    known = {f.name for f in fields(ServerConfig)}
    unknown = set(values) - known
    if unknown:
        raise ConfigError(f"unknown configuration keys: {sorted(unknown)} in {config_path}")
    for name in known:
        env_value = env.get(env_name(name))
        if env_value is not None:
            values[name] = env_value
    config = ServerConfig()
    converted = {name: _converted(name, type(getattr(config, name)), value) for name, value in values.items()}
    return replace(config, **converted)


def _converted(name: str, kind: type, value: Any) -> Any:
    """A value as its key's type: text (a variable, a quoted TOML value) is parsed; a TOML value of another type is
    refused, but for a whole number written as a float. Converted by force, ``port = 8443.9`` served on 8443,
    ``workers = true`` ran one worker and ``host = 127`` listened on "127", each without a word."""
    if type(value) is kind or (kind is float and type(value) is int):
        return value
    if kind is int and type(value) is float and value.is_integer():
        return int(value)  # 600.0 or 8e6 (TOML's floats) always served as meant: only a fraction is refused
    if isinstance(value, str):
        if kind in (int, float) and not _plain_number(value):
            # Python's int() and float() read "1_0_0_0_0" as 10000 and "８４４３" (full-width digits) as 8443: a
            # variable that served on a port nobody wrote. A variable's number is ASCII digits, as in the sample.
            raise ConfigError(f"{name} must be {kind.__name__} written with the digits 0-9, not {value!r}")
        try:
            return kind(value.strip() if kind is not str else value)
        except ValueError:
            pass
    raise ConfigError(f"{name} must be {kind.__name__}, not {value!r}")


def _plain_number(text: str) -> bool:
    return text.isascii() and "_" not in text


def env_name(key: str) -> str:
    """The environment variable that overrides configuration key ``key``."""
    return ENV_PREFIX + key.upper()


def require(config: ServerConfig, *, token_secret: bool = True) -> ServerConfig:
    """Refuse (ConfigError) a configuration a service cannot run with: no database URL, no or a short token secret."""
    problems = []
    if not config.database_url.strip():
        problems.append(f"database URL ({env_name('database_url')} or database_url)")
    if token_secret and not config.token_secret.strip():
        problems.append(f"token secret ({env_name('token_secret')} or token_secret; {SECRET_HINT})")
    if problems:
        raise ConfigError(
            "missing configuration: " + " and ".join(problems) + "; set the variables or the keys under [server]"
            f" in the TOML file given by --config or {env_name('config')}"
        )
    if token_secret and len(config.token_secret.strip()) < MIN_SECRET_LENGTH:
        raise ConfigError(f"token secret is too short: at least {MIN_SECRET_LENGTH} characters ({SECRET_HINT})")
    if not 1 <= config.workers <= MAX_WORKERS:
        raise ConfigError(f"workers must be 1..{MAX_WORKERS}, not {config.workers}")
    problem = _range_problem(config)
    if problem:
        raise ConfigError(problem)
    if bool(config.tls_cert) != bool(config.tls_key):
        raise ConfigError("tls_cert and tls_key must be set together (or neither, behind a TLS reverse proxy)")
    for name in ("tls_cert", "tls_key"):
        value = getattr(config, name)
        if value and not os.access(value, os.R_OK):
            raise ConfigError(f"{name} {value} does not exist or is not readable by this user")
    return config


def _range_problem(config: ServerConfig) -> str:
    """The first value no server can run with, or "". Before, each was taken: a port of 0 or 70,000 failed in
    uvicorn's traceback, ``rate_per_second = nan`` (TOML has nan) or a burst of 0 answered every request 429, a token
    lifetime of 0 issued tokens already expired (401 at every sync), a pool of 0 connections or a body limit of 0
    refused every request (a body limit under a laptop's largest request refused those pushes at every sync), and
    a log level such as "chatty" ended each worker in a ValueError."""
    if not 1 <= config.port <= 65535:
        return f"port must be 1..65535, not {config.port}"
    for name in ("rate_per_second", "enroll_per_minute"):
        value = getattr(config, name)
        if not (math.isfinite(value) and value > 0):
            return f"{name} must be a positive number, not {value!r}"
        if value < MIN_RATE:
            return f"{name} must be at least {MIN_RATE}, not {value!r}"
    for name in ("rate_burst", "enroll_burst", "pool_size"):
        if getattr(config, name) < 1:
            return f"{name} must be at least 1, not {getattr(config, name)}"
    if config.max_body_bytes < MAX_BODY_BYTES:
        # A laptop sends requests of up to this size (a journal entry is bounded just below it): under it, the 413
        # for the largest pushes came back every sync and those changes could never reach the server.
        return (f"max_body_bytes must be at least {MAX_BODY_BYTES} (the largest request a laptop sends),"
                f" not {config.max_body_bytes}")
    for name in ("rate_burst", "enroll_burst"):
        if getattr(config, name) > MAX_BURST:
            return f"{name} must be at most {MAX_BURST}"
    if not 1 <= config.enrollment_code_hours <= MAX_CODE_HOURS:
        return f"enrollment_code_hours must be 1..{MAX_CODE_HOURS}, not {config.enrollment_code_hours}"
    if not MIN_TOKEN_SECONDS <= config.token_lifetime_seconds <= MAX_TOKEN_SECONDS:
        return (f"token_lifetime_seconds must be {MIN_TOKEN_SECONDS}..{MAX_TOKEN_SECONDS}, not"
                f" {config.token_lifetime_seconds}")
    return _text_problem(config)


def _text_problem(config: ServerConfig) -> str:
    """The first text setting no server can use, or "". An empty ``host`` made uvicorn listen on every interface
    (a server meant for the proxy's loopback reachable from the network); a variable's bytes that are not UTF-8
    (read as lone surrogates) let the server start and ended every enrollment in a 500 when the secret was encoded;
    a proxy entry that is no address or network was kept by uvicorn as a name no connection ever has, so the proxy
    was silently not trusted and every laptop behind it shared one enrollment bucket."""
    if not config.host.strip():
        return 'host must name an address to listen on ("0.0.0.0" for every interface), not empty'
    for item in fields(ServerConfig):
        value = getattr(config, item.name)
        if isinstance(value, str) and _control_or_undecodable(value):
            return f"{item.name} holds a control character or bytes that are not UTF-8"
    proxies = config.forwarded_allow_ips.strip()
    for entry in (e.strip() for e in proxies.split(",")) if proxies != "*" else ():
        if entry and not _address_or_network(entry):
            return ("forwarded_allow_ips must be \"*\" or list addresses or networks (such as 10.0.0.5 or"
                    f" 10.0.0.0/24), not {entry!r}")
    if config.log_level not in LOG_LEVEL_NAMES:  # as logging takes it: "info" failed in each worker too
        return f"log_level must be one of {', '.join(LOG_LEVELS)}, not {config.log_level!r}"
    return ""


def _control_or_undecodable(text: str) -> bool:
    """Whether ``text`` holds a control character (U+0000, a newline) or a lone surrogate (a variable's bytes that
    are not UTF-8). Not ``isprintable``: that refused a secret or a password holding a no-break space or a soft
    hyphen (pasted from a document), which serve as written, as "a control character"."""
    return any(unicodedata.category(char) in ("Cc", "Cs") for char in text)


def _address_or_network(entry: str) -> bool:
    try:
        ipaddress.ip_network(entry)  # strict, as uvicorn reads it: 10.0.0.5/24 is no network to uvicorn
    except ValueError:
        return False
    return True


def serving_problem(config: ServerConfig) -> str:
    """What stops this machine serving ``config`` (the server's own check, not the admin commands'), or "".

    Found by uvicorn instead, an unresolvable ``host`` was "[Errno -2] Name or service not known" with exit status 3,
    and a certificate or key that is not PEM (or a folder) a traceback from each worker."""
    try:
        socket.getaddrinfo(config.host, config.port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return f"host {config.host!r} is not an address of this machine's network (it cannot be resolved)"
    if config.tls_cert:
        try:
            ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(config.tls_cert, config.tls_key)
        except (OSError, ssl.SSLError) as exc:
            reason = getattr(exc, "reason", None) or getattr(exc, "strerror", None) or type(exc).__name__
            return (f"tls_cert {config.tls_cert} and tls_key {config.tls_key} cannot be loaded as a PEM certificate"
                    f" chain and its private key ({reason})")
    return ""


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        # A byte order mark is let be (Notepad writes one; tomllib read it as "Invalid statement" at line 1). Text in
        # another encoding (UTF-16, Latin-1) ended in a UnicodeDecodeError traceback: now one line saying so.
        raw = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        raise ConfigError(f"cannot read configuration file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"configuration file {path} is not UTF-8 text: save it as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"configuration file {path} is not valid TOML: {exc}") from None
    section = raw.get("server", raw)
    if not isinstance(section, dict):
        raise ConfigError(f"configuration file {path}: [server] must be a table")
    return section
