"""The shipped model's name, ``VERSION+SHA8``, as a scan with it writes the JSONL's ``model_version``, read from the
model file's bytes without ONNX Runtime (so that ``blurscan --version`` stays fast): what ``--version``
(:mod:`blurscan.cli.bugreport`) names, and what ``report`` and the review page compare stored verdicts with
(:mod:`blurscan.judged_by`)."""
from __future__ import annotations


def shipped_model_version() -> str:
    """``VERSION+SHA8`` of the shipped model, as a scan with it writes ``model_version``: the version in the
    model's blurscan metadata (an ONNX ``metadata_props`` entry, read from the file's bytes) and the first 8 hex
    digits of the file's SHA-256; ``unreadable (...)`` when it cannot be read."""
    import hashlib
    from importlib import resources

    try:
        data = (resources.files("blurscan") / "models" / "default.onnx").read_bytes()
    except OSError as exc:
        return f"unreadable ({exc.strerror or exc})"
    digest = hashlib.sha256(data).hexdigest()[:8]
    return f"{_metadata_version(data) or '?'}+{digest}"


def _metadata_version(data: bytes) -> str | None:
    """The ``version`` of the model's ``blurscan`` metadata entry: a StringStringEntryProto, key (field 1) then
    value (field 2, length-delimited), found by its key's bytes; None when it is not there as expected."""
    import json

    key = b"\x0a\x08blurscan\x12"
    at = data.find(key)
    if at < 0:
        return None
    at += len(key)
    length = shift = 0
    while at < len(data) and shift < 35:
        byte = data[at]
        at += 1
        length |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            break
    try:
        version = json.loads(data[at:at + length].decode("utf-8")).get("version")
    except (ValueError, AttributeError):
        return None
    return version if isinstance(version, str) else None
