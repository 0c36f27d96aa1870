"""Perceptual hashes as :mod:`.grouping` compares them: a stored hex hash read as 64-bit words, and the bits two of
them differ in (XOR and popcount, vectorised)."""
from __future__ import annotations

import numpy as np


def _hash_ints(hex_hash: str | None) -> tuple[int, ...] | None:
    """A hex perceptual hash as 64-bit words, most significant first (None when absent or unreadable)."""
    if not hex_hash:
        return None
    text = hex_hash.strip()
    try:
        if len(text) <= 16:
            return (int(text, 16),)
        text = text.rjust(-(-len(text) // 16) * 16, "0")
        return tuple(int(text[i:i + 16], 16) for i in range(0, len(text), 16))
    except ValueError:
        return None


def hash_words(hex_hash: str | None) -> np.ndarray | None:
    """A hex perceptual hash as an array of 64-bit words (None when absent or unreadable)."""
    words = _hash_ints(hex_hash)
    return None if words is None else np.asarray(words, dtype=np.uint64)


if hasattr(np, "bitwise_count"):  # numpy >= 2.0
    def _popcount(words: np.ndarray) -> np.ndarray:
        return np.bitwise_count(words).sum(axis=-1, dtype=np.int64)
else:  # pragma: no cover - numpy 1.x
    def _popcount(words: np.ndarray) -> np.ndarray:
        as_bytes = np.ascontiguousarray(words).view(np.uint8)
        return np.unpackbits(as_bytes, axis=-1).sum(axis=-1, dtype=np.int64)


def hamming(a: str, b: str) -> int:
    """Bits that differ between two hex hashes (of equal length)."""
    wa, wb = hash_words(a), hash_words(b)
    if wa is None or wb is None or wa.shape != wb.shape:
        raise ValueError(f"cannot compare hashes {a!r} and {b!r}")
    return int(_popcount(wa ^ wb))
