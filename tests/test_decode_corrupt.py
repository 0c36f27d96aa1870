"""A JPEG damaged in the middle of its data is a damaged file, not a blurry photo (blurscan.jpegdamage).

libjpeg decodes such a file without failing: the picture after the damage comes out grey or garbled, smooth
where the photo was not, and the scan scored it like a blurry photo, which ``move --all-blurry`` could take.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import threading

import numpy as np
import pytest
from PIL import Image

from blurscan import jpeg, ownstderr
from blurscan.config import ScanSettings
from blurscan.decode import decode
from blurscan.errors import DecodeError

from helpers_cli import cli
from helpers_images import blurred, photo
from helpers_raw import write_dng

SIZE = (1200, 1600)  # large enough for the DCT-scaled decodes (fast mode, colour) to be used too


def _jpeg_bytes(rgb=None) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(photo(None, SIZE) if rgb is None else rgb).save(buf, format="JPEG", quality=90)
    return buf.getvalue()


def _damaged(kind: str, data: bytes | None = None) -> bytes:
    """``data`` (default: a 1600 x 1200 photo) with 2000 bytes half-way overwritten: random bytes, zeros (a
    blanked block of a memory card) or random bytes without 0xFF (no stray marker for a parser to see)."""
    data = bytearray(_jpeg_bytes() if data is None else data)
    rng = np.random.default_rng(3)
    junk = {"random": rng.integers(0, 256, 2000, dtype=np.uint8).tobytes(),
            "zeros": bytes(2000),
            "no-0xff": rng.integers(0, 255, 2000, dtype=np.uint8).tobytes()}[kind]
    half = len(data) // 2
    data[half:half + len(junk)] = junk
    return bytes(data)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["random", "zeros", "no-0xff"])
@pytest.mark.parametrize("baseline,color", [(True, False), (True, True), (False, False), (False, True)])
def test_a_jpeg_overwritten_half_way_is_a_decode_error_naming_the_damage(tmp_path, monkeypatch, kind, baseline,
                                                                           color):
    monkeypatch.setattr(jpeg, "SILENCE_DECODER_STDERR", True)
    path = tmp_path / "IMG_0001.jpg"
    path.write_bytes(_damaged(kind))
    with pytest.raises(DecodeError) as info:
        decode(path, baseline=baseline, color=color)
    err = info.value
    assert err.path == str(path) and str(err).startswith(f"{path}: corrupt JPEG data: ")
    assert err.reason in ("corrupt JPEG data: premature end of data segment",
                          ) or err.reason.endswith("extraneous bytes before marker 0xd9"), err.reason
    assert "\n" not in str(err)


def _whole(data: bytes, tmp_path, name: str, **kw) -> np.ndarray:
    path = tmp_path / name
    path.write_bytes(data)
    return decode(path, **kw).gray


@pytest.mark.parametrize("change", ["video after the end marker", "zero padding before the end marker",
                                    "stuffed 0xFF padding before the end marker", "stray byte in the header"])
def test_harmless_warnings_still_decode_to_the_same_picture(tmp_path, capfd, monkeypatch, change):
    """What libjpeg warns about but does not touch the picture is decoded as before (and, in a process of the
    library's own that did not ask for silence, libjpeg's warning still reaches its stderr)."""
    monkeypatch.setattr(jpeg, "SILENCE_DECODER_STDERR", False)
    data = _jpeg_bytes()
    dqt = data.find(b"\xff\xdb")
    changed = {"video after the end marker": data + b"\x00\x00\x00\x18ftypmp42" + os.urandom(4000),
               "zero padding before the end marker": data[:-2] + bytes(16) + data[-2:],
               "stuffed 0xFF padding before the end marker": data[:-2] + b"\xff\x00" * 8 + data[-2:],
               "stray byte in the header": data[:dqt] + b"\x00" + data[dqt:]}[change]
    want = _whole(data, tmp_path, "clean.jpg")
    got = _whole(changed, tmp_path, "changed.jpg")
    assert np.array_equal(got, want)
    err = capfd.readouterr().err
    if change != "video after the end marker":  # libjpeg did warn: blurscan judged the warning harmless
        assert "Corrupt JPEG data:" in err and "extraneous bytes" in err, err


@pytest.mark.parametrize("asked", [True, False])
def test_a_command_that_quiets_the_decoders_before_importing_them_keeps_libjpeg_off_its_stderr(tmp_path, capfd,
                                                                                               monkeypatch, asked):
    """:func:`blurscan.cli.quiet_native_decoders` says so without importing :mod:`blurscan.jpeg` (``review`` starts
    without OpenCV: :data:`blurscan.ownstderr.COMMAND_SILENCES`), and a decode in its process later is silenced as
    when it set ``jpeg.SILENCE_DECODER_STDERR`` (until 2026-12-07); a process that did not ask hears libjpeg."""
    from blurscan.cli import quiet_native_decoders

    monkeypatch.setattr(jpeg, "SILENCE_DECODER_STDERR", None)
    monkeypatch.setattr(ownstderr, "COMMAND_SILENCES", False)
    if asked:
        quiet_native_decoders()
    data = _jpeg_bytes()
    got = _whole(data[:-2] + bytes(16) + data[-2:], tmp_path, "padded.jpg")  # (zeros before the end: a warning)
    assert np.array_equal(got, _whole(data, tmp_path, "clean.jpg"))
    err = capfd.readouterr().err
    assert ("Corrupt JPEG data:" in err) is not asked, err


def test_scan_gives_a_damaged_jpeg_an_error_record_and_one_line_naming_it(tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    sharp = photo(None, SIZE)
    (folder / "sharp.jpg").write_bytes(_jpeg_bytes(sharp))
    (folder / "soft.jpg").write_bytes(_jpeg_bytes(blurred(sharp, 4.0)))
    (folder / "damaged.jpg").write_bytes(_damaged("random", _jpeg_bytes(sharp)))
    done = cli("scan", folder, "--db", tmp_path / "lib.db", "--format", "jsonl", "--model", "none", "--workers", "1")
    assert done.returncode == 0, done.stderr
    records = {os.path.basename(r["path"]): r for r in map(json.loads, done.stdout.decode().splitlines())}
    assert records["sharp.jpg"]["status"] == records["soft.jpg"]["status"] == "ok"
    bad = records["damaged.jpg"]
    assert bad["status"] == "error" and bad["verdict"] is None
    assert bad["error"] == "corrupt JPEG data: premature end of data segment"
    err = done.stderr.decode()
    assert f"{folder / 'damaged.jpg'}: corrupt JPEG data: premature end of data segment" in err
    assert not any(line.startswith("Corrupt JPEG data") for line in err.splitlines()), err  # not unattributed


def test_a_pair_whose_jpeg_is_damaged_half_way_is_judged_from_its_raw(tmp_path, monkeypatch):
    import blurscan

    monkeypatch.setattr(jpeg, "SILENCE_DECODER_STDERR", True)
    rgb = photo(None, (768, 1152))
    (tmp_path / "IMG_1.JPG").write_bytes(_damaged("zeros", _jpeg_bytes(rgb)))
    write_dng(tmp_path / "IMG_1.DNG", rgb)
    (record,) = blurscan.scan([str(tmp_path / "IMG_1.JPG")], ScanSettings(workers=1, model="none"))
    assert record.status == "ok" and record.format == "DNG"
    assert record.note.startswith("judged from the RAW twin IMG_1.DNG: this file could not be read (corrupt JPEG "
                                  "data: "), record.note


def test_without_a_temporary_file_photos_still_decode_and_no_descriptor_is_left_open(tmp_path, monkeypatch):
    """A temporary folder that cannot be written (full, read-only): libjpeg's words cannot be read, so damage goes
    unseen, but every photo still decodes, and no file descriptor is left behind per photo (before, a copy of fd 2
    was made first and never closed: a scan of a large library then ran out of descriptors)."""
    import tempfile

    def refuse(*args, **kwargs):
        raise OSError(28, "No space left on device")

    path = tmp_path / "ok.jpg"
    path.write_bytes(_jpeg_bytes())
    monkeypatch.setattr(jpeg, "_CAPTURE", {})
    monkeypatch.setattr(ownstderr, "_REFUSED", [True])  # (fd 2 moved for the decode: blurscan.ownstderr refused)
    monkeypatch.setattr(tempfile, "TemporaryFile", refuse)
    open_before = len(os.listdir("/proc/self/fd"))
    for _ in range(30):
        assert decode(path, color=False).gray is not None
    assert len(os.listdir("/proc/self/fd")) <= open_before + 1


def test_where_the_system_refuses_a_decoder_thread_its_own_descriptors_damage_is_still_seen(tmp_path, capfd,
                                                                                            monkeypatch):
    """Outside Linux, or where unshare is forbidden (a container's seccomp profile), libjpeg's line is read from the
    process's fd 2, moved to a file for the decode, as before 2026-12-06 (blurscan.ownstderr); and in both ways it
    still reaches stderr when silence was not asked for."""
    monkeypatch.setattr(jpeg, "SILENCE_DECODER_STDERR", False)
    path = tmp_path / "IMG_0001.jpg"
    path.write_bytes(_damaged("random"))
    for refused in ([], [True]):
        monkeypatch.setattr(ownstderr, "_REFUSED", refused)
        with _another_thread(), pytest.raises(DecodeError, match="corrupt JPEG data: "):
            decode(path, color=False)
        assert "Corrupt JPEG data: " in capfd.readouterr().err
        with _another_thread():
            assert decode(_clean(tmp_path), color=False).gray is not None


@contextlib.contextmanager
def _another_thread():
    """A second thread alive meanwhile (as in a program scoring from threads)."""
    done = threading.Event()
    other = threading.Thread(target=done.wait, daemon=True)
    other.start()
    try:
        yield
    finally:
        done.set()
        other.join()


def test_a_decode_alone_in_its_process_moves_fd2_as_before_and_with_other_threads_gets_its_own(tmp_path,
                                                                                             monkeypatch):
    """A scan's worker decodes alone in its process: no other thread can print meanwhile, so the decode moves fd 2
    for its call as before 2026-12-06, without a thread of its own (which cost a worker ~14 MB of peak memory, the
    memory its allocator kept, and a few ms a colour decode); with another thread alive it gets its own fd 2
    (blurscan.ownstderr). Either way a damaged JPEG is refused."""
    calls = []
    real = ownstderr.call
    monkeypatch.setattr(ownstderr, "call", lambda *a: calls.append(a) or real(*a))
    path = tmp_path / "IMG_0001.jpg"
    path.write_bytes(_damaged("random"))
    assert threading.active_count() == 1
    with pytest.raises(DecodeError, match="corrupt JPEG data: "):
        decode(path, color=False)
    assert calls == []
    with _another_thread(), pytest.raises(DecodeError, match="corrupt JPEG data: "):
        decode(path, color=False)
    assert len(calls) == 1


def _clean(tmp_path):
    path = tmp_path / "clean.jpg"
    if not path.exists():
        path.write_bytes(_jpeg_bytes())
    return path


@pytest.mark.parametrize("fmt", ["JPEG", "GIF"])
def test_data_pillow_gives_up_on_half_way_is_corrupt_not_truncated(tmp_path, fmt):
    """A CMYK JPEG (decoded by Pillow, whose libjpeg keeps its warnings) or a GIF overwritten half-way: Pillow's
    "broken data stream" was reported `truncated`, though the file is whole (the same damage in an RGB JPEG says
    `corrupt JPEG data: ...`). A file really cut short is still `truncated`."""
    buf = io.BytesIO()
    Image.fromarray(photo(None, SIZE)).convert("CMYK" if fmt == "JPEG" else "RGB").save(buf, format=fmt)
    data = buf.getvalue()
    reasons = []
    for seed in range(6):
        damaged, half = bytearray(data), len(data) // 2
        damaged[half:half + 3000] = np.random.default_rng(seed).integers(0, 256, 3000, np.uint8).tobytes()
        path = tmp_path / f"damaged_{seed}.{fmt.lower()}"
        path.write_bytes(bytes(damaged))
        try:
            decode(path)
        except DecodeError as err:
            reasons.append(err.reason)
    assert reasons and set(reasons) == {f"corrupt {fmt} data"}, reasons  # (some damage Pillow decodes through)
    cut = tmp_path / f"cut.{fmt.lower()}"
    cut.write_bytes(data[:len(data) // 2])
    with pytest.raises(DecodeError, match=f"truncated {fmt}$"):
        decode(cut)


def test_the_decoders_capture_file_is_closed_at_exit(tmp_path):
    """The file libjpeg's messages are captured in lives as long as the process: it was left to the interpreter's
    shut-down, and `python -X dev` (or warnings as errors) printed "ResourceWarning: unclosed file" after every
    scan of a JPEG. A scan in a fresh process, development mode on."""
    import subprocess
    import sys

    (tmp_path / "photo.jpg").write_bytes(_jpeg_bytes())
    run = subprocess.run([sys.executable, "-X", "dev", "-W", "always", "-m", "blurscan", "scan", str(tmp_path),
                          "--model", "none", "--format", "jsonl"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["status"] == "ok"
    assert "Warning" not in run.stderr, run.stderr


def test_the_watcher_thread_the_decoder_passes_over_is_the_one_a_worker_starts():
    """jpeg keeps the name of a scan worker's parent watcher as text (it does not import blurscan.processes): the
    two must agree, or every worker's decode takes the costlier way (a thread of its own); so is a command's watch
    of the paths it waits on (blurscan.cli.hung_paths), or a command's own decode does."""
    import threading

    from blurscan import processes
    from blurscan.cli import hung_paths

    before = set(threading.enumerate())
    hung_paths.watch([], patience=30)
    try:
        names = {t.name for t in set(threading.enumerate()) - before}
    finally:
        hung_paths.stop()
    assert jpeg._WATCHERS == (processes.WATCHER_NAME, *names)
