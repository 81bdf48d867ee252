"""Argon2id key derivation for the passphrase, with parameters tuned by a short benchmark on first run."""

from __future__ import annotations

import secrets
import sys
import time
from dataclasses import dataclass

KEY_BYTES = 32
SALT_BYTES = 16
# OWASP's minimum for Argon2id (m=19 MiB, t=2, p=1): calibration never goes below it.
OWASP_MINIMUM_MEMORY_KIB = 19 * 1024
OWASP_MINIMUM_ITERATIONS = 2
TARGET_SECONDS = 0.5
# Memory is capped so a laptop with little RAM does not swap during unlock; time then grows through iterations.
MAX_MEMORY_KIB = 256 * 1024
MAX_ITERATIONS = 20
# What a key file may ask for, checked before any derivation: an edited file must not make unlock hang (t = 10^6),
# allocate gigabytes, or reach argon2 with values it rejects (p = 0, negative or huge ints). The upper bounds are
# what calibrate() can choose; the lower ones what Argon2 itself needs (the tests' cheap parameters sit there).
MAX_PARALLELISM = 8
MIN_MEMORY_KIB_PER_LANE = 8


@dataclass(frozen=True)
class KdfParameters:
    """Argon2id cost parameters; stored (with the salt) in the key file."""

    memory_kib: int = OWASP_MINIMUM_MEMORY_KIB
    iterations: int = OWASP_MINIMUM_ITERATIONS
    parallelism: int = 1

    def __post_init__(self) -> None:
        problem = _out_of_bounds(self.memory_kib, self.iterations, self.parallelism)
        if problem:
            raise ValueError(f"Argon2id {problem} out of bounds")

    def as_dict(self) -> dict[str, int]:
        """The parameters as stored in the key file."""
        return {"memory_kib": self.memory_kib, "iterations": self.iterations, "parallelism": self.parallelism}

    @classmethod
    def from_dict(cls, data: dict[str, int]) -> KdfParameters:
        """Parameters read back from the key file."""
        values = [data["memory_kib"], data["iterations"], data["parallelism"]]
        if any(type(value) is not int for value in values):  # not a float, bool, string or infinity
            raise ValueError("Argon2id parameters must be integers")
        return cls(*values)


def _out_of_bounds(memory_kib: int, iterations: int, parallelism: int) -> str | None:
    """Which parameter lies outside what this program accepts (None when all are inside)."""
    if not 1 <= parallelism <= MAX_PARALLELISM:
        return "parallelism"
    if not MIN_MEMORY_KIB_PER_LANE * parallelism <= memory_kib <= MAX_MEMORY_KIB:
        return "memory"
    if not 1 <= iterations <= MAX_ITERATIONS:
        return "iterations"
    return None


def new_salt() -> bytes:
    """A fresh random salt for one wrap of the data key."""
    return secrets.token_bytes(SALT_BYTES)


def derive_key(passphrase: str, salt: bytes, parameters: KdfParameters) -> bytearray:
    """The 256-bit key-encryption key for ``passphrase`` (a bytearray, so the caller can overwrite it)."""
    # Imported here: the app's process imports this module for the parameters only, and derives in a helper
    # process (storage.key_helper) that exits afterwards.
    from argon2.low_level import Type, hash_secret_raw

    raw = hash_secret_raw(
        secret=passphrase.encode("utf-8"),
        salt=salt,
        time_cost=parameters.iterations,
        memory_cost=parameters.memory_kib,
        parallelism=parameters.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )
    return_freed_memory()
    return bytearray(raw)


def return_freed_memory() -> None:
    """Give the C heap's freed memory back to the system (after the derivation: its block; see also
    ``storage.profile.Profile.release_memory``).

    glibc serves a block above its mmap threshold from mmap and unmaps it when freed, but the threshold rises to the
    size of the last such block freed (up to 32 MiB): from the second unlock on, a block of 19–32 MiB comes from the
    heap and stays resident after it is freed. ``malloc_trim`` returns it. Elsewhere (or without glibc) nothing to do.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    trim = getattr(ctypes.CDLL(None), "malloc_trim", None)  # absent with musl
    if trim is not None:
        trim(0)


def time_derivation(parameters: KdfParameters) -> float:
    """Seconds one derivation with ``parameters`` takes here."""
    started = time.perf_counter()
    derive_key("calibration", b"\0" * SALT_BYTES, parameters)
    return time.perf_counter() - started


def calibrate(target_seconds: float = TARGET_SECONDS) -> KdfParameters:
    """Parameters that take about ``target_seconds`` on this machine, never below OWASP's minimum.

    Memory is raised first (it is what makes guessing on GPUs expensive), then iterations.
    """
    parameters = KdfParameters()
    elapsed = time_derivation(parameters)
    while elapsed < target_seconds / 2 and parameters.memory_kib * 2 <= MAX_MEMORY_KIB:
        parameters = KdfParameters(parameters.memory_kib * 2, parameters.iterations, parameters.parallelism)
        elapsed = time_derivation(parameters)
    if elapsed < target_seconds:
        per_iteration = elapsed / parameters.iterations
        wanted = round(target_seconds / per_iteration) if per_iteration > 0 else MAX_ITERATIONS
        iterations = max(parameters.iterations, min(MAX_ITERATIONS, wanted))
        parameters = KdfParameters(parameters.memory_kib, iterations, parameters.parallelism)
    return parameters
