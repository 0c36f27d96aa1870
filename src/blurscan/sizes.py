"""Byte counts in words, as file managers show them (decimal units): the one wording of a size in every message,
the library's (``move --yes`` refusing for want of free space) and the command line's alike."""
from __future__ import annotations


def human_size(n: int) -> str:
    """Bytes as a short text with decimal units (as file managers show them): ``1.5 MB``. A size that its one
    decimal rounds up to 1000 of a unit is said in the next (999,960 bytes: ``1.0 MB``; it was ``1000.0 kB``
    until 2026-12-06)."""
    value = float(n)
    for unit in ("bytes", "kB", "MB", "GB", "TB"):
        if float(f"{value:.1f}") < 1000 or unit == "TB":
            return f"{int(value)} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{n} bytes"  # pragma: no cover
