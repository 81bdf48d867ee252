"""Server configuration: a TOML file, overridden by environment variables (HEMBESOK_SYNC_*)."""

from __future__ import annotations

import os
import secrets
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from sync.protocol import MAX_BODY_BYTES

ENV_PREFIX = "HEMBESOK_SYNC_"


@dataclass(frozen=True)
class ServerConfig:
    """Everything the server reads at start; the token secret signs access tokens (keep it stable across restarts)."""

    database_url: str = "postgresql:///hembesok_sync"
    host: str = "127.0.0.1"
    port: int = 8443
    tls_cert: str = ""
    tls_key: str = ""
    token_secret: str = field(default_factory=lambda: secrets.token_hex(32))
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
    pool_size: int = 8
    log_level: str = "INFO"


def load_config(path: Path | None = None, environ: dict[str, str] | None = None) -> ServerConfig:
    """Read ``path`` (if given) then apply ``HEMBESOK_SYNC_<FIELD>`` environment variables."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    config_path = path or (Path(env[ENV_PREFIX + "CONFIG"]) if ENV_PREFIX + "CONFIG" in env else None)
    if config_path is not None:
        with config_path.open("rb") as handle:
            raw = tomllib.load(handle)
        values.update(raw.get("server", raw))
    known = {f.name: f for f in fields(ServerConfig)}
    unknown = set(values) - set(known)
    if unknown:
        raise ValueError(f"unknown configuration keys: {sorted(unknown)}")
    for name in known:
        env_value = env.get(ENV_PREFIX + name.upper())
        if env_value is not None:
            values[name] = env_value
    config = ServerConfig()
    converted: dict[str, Any] = {}
    for name, value in values.items():
        default = getattr(config, name)
        converted[name] = type(default)(value)
    return replace(config, **converted)
