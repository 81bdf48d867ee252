"""Constants and helpers shared by the storage tests (imported by name: pytest puts this folder on sys.path)."""

from __future__ import annotations

from datetime import date
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from storage.kdf import KdfParameters

# Far below OWASP's floor, only so the suite stays fast; production parameters come from kdf.calibrate().
CHEAP_KDF = KdfParameters(memory_kib=256, iterations=1, parallelism=1)
PASSPHRASE = "korrekt häst batteri häftklammer"
OTHER_PASSPHRASE = "ny lång lösenfras för hembesök"
TODAY = date(2026, 11, 23)


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file under ``directory`` with its bytes."""
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def flip_byte(path: Path, offset: int) -> None:
    """Invert one byte of a file in place."""
    data = bytearray(path.read_bytes())
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


class QuietJsonHandler(BaseHTTPRequestHandler):
    """A stand-in HTTP server's handler: ``answer`` sends a JSON body; nothing is logged."""

    def answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        return
