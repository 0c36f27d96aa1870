"""Decoding bad files: every way a file can be bad gives one DecodeError naming the file and a one-line reason."""
from __future__ import annotations

import io
import os
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from blurscan import decode as decode_mod
from blurscan import decode_reasons
from blurscan import jpeg
from blurscan.config import ScanSettings
from blurscan.decode import decode, thumbnail
from blurscan.errors import BlurscanError, DecodeError

from helpers_images import asym, photo, seed_laplacian
from helpers_os import run_unprivileged


def _jpeg_bytes(img=None) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(photo(None) if img is None else img).save(buf, format="JPEG", quality=90)
    return buf.getvalue()


def _expect(path, reason, **kwargs):
    with pytest.raises(DecodeError) as info:
        decode(path, **kwargs)
    err = info.value
    assert isinstance(err, BlurscanError)
    assert err.path == os.fspath(path)
    assert os.fspath(path) in str(err)
    assert reason in err.reason, err.reason
    assert "\n" not in str(err)
    return err


def test_truncated_jpeg(tmp_path):
    data = _jpeg_bytes()
    path = tmp_path / "cut.jpg"
    path.write_bytes(data[: len(data) // 2])
    _expect(path, "truncated JPEG")


def test_jpeg_with_data_after_eoi_is_fine(tmp_path):
    """Motion photos append a video after the JPEG's end marker."""
    path = tmp_path / "motion.jpg"
    path.write_bytes(_jpeg_bytes() + b"\x00\x00\x00\x18ftypmp42" + os.urandom(2000))
    d = decode(path)
    assert d.rgb.shape == (240, 320, 3) and d.laplacian_var > 0


def test_empty_file(tmp_path):
    path = tmp_path / "zero.jpg"
    path.write_bytes(b"")
    _expect(path, "file is empty")


def test_text_named_jpg(tmp_path):
    path = tmp_path / "notes.jpg"
    path.write_text("These are my holiday notes.\nNot a photo at all. Ünïcödé too.\n" * 20)
    _expect(path, "not an image (text file?)")


def test_unsupported_and_unknown_formats(tmp_path):
    pdf = tmp_path / "doc.jpg"
    pdf.write_bytes(b"%PDF-1.7\n" + os.urandom(500))
    _expect(pdf, "unsupported format")
    video = tmp_path / "clip.heic"
    video.write_bytes(b"\x00\x00\x00\x18ftypisom" + os.urandom(500))
    _expect(video, "unsupported format (video file)")
    junk = tmp_path / "junk.png"
    junk.write_bytes(b"\x00\x01\x02\x03" + os.urandom(500))
    _expect(junk, "not an image")


def test_an_avif_this_pillow_cannot_read_says_so(tmp_path, monkeypatch):
    """A valid AVIF that no installed plugin reads says so: with Pillow before 11.2 (no AVIF plugin) it failed as
    `cannot decode AVIF: 'AVIF'` (a KeyError's text), with 11.2's wheels (the plugin, without libavif) as
    `corrupt AVIF (cannot read header)`, a good file called corrupt."""
    avif = pytest.importorskip("PIL.AvifImagePlugin")
    if not avif.SUPPORTED:
        pytest.skip("this Pillow cannot write an AVIF")
    path = tmp_path / "photo.avif"
    Image.fromarray(photo(None)).save(path, quality=90)
    assert decode(path).format == "AVIF" and thumbnail(path)
    monkeypatch.setattr(avif, "SUPPORTED", False)  # as Pillow 11.2's wheels
    # and a pillow-heif whose libheif reads no AVIF (1.9's wheels: the declared floor 0.16's read it with libaom,
    # and the file was then read, as it should be, where this test looks for the error)
    monkeypatch.setattr(decode_mod.heif, "register_opener", lambda: False)
    for read in (decode, thumbnail):
        with pytest.raises(DecodeError, match=r"no AVIF decoder in this Pillow .* \(needs Pillow >= 11\.3 with "):
            read(path)
    monkeypatch.delitem(Image.OPEN, "AVIF")  # as Pillow before 11.2
    monkeypatch.setattr(decode_reasons, "avif_plugin", lambda: None)
    for read in (decode, thumbnail):
        with pytest.raises(DecodeError, match="no AVIF decoder in this Pillow") as info:
            read(path)
        assert "'AVIF'" not in str(info.value)


def test_corrupt_png(tmp_path):
    png = io.BytesIO()
    Image.fromarray(photo(None)).save(png, format="PNG")
    data = bytearray(png.getvalue())
    n = len(data)
    data[n // 2:n // 2 + 200] = os.urandom(200)  # damaged in the middle of the pixel data
    path = tmp_path / "bad.png"
    path.write_bytes(bytes(data))
    _expect(path, "corrupt PNG")


def test_permission_denied_real():
    """A real mode-000 file refused by the kernel (as root, decoded by ``nobody`` in a forked child)."""
    import shutil
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="blurscan-decode-"))
    try:
        base.chmod(0o755)
        path = base / "secret.jpg"
        path.write_bytes(_jpeg_bytes())
        path.chmod(0)

        def attempt():
            try:
                decode(path)
            except DecodeError as err:
                return [err.path, err.reason, str(err)]
            return None

        got = run_unprivileged(attempt)
        assert got is not None, "an unreadable file decoded"
        assert got[0] == os.fspath(path) and got[1] == "permission denied" and os.fspath(path) in got[2]
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_permission_denied_reported(tmp_path, monkeypatch):
    """The mapping of the OS error, independent of who runs the tests (root reads mode-000 files)."""
    path = tmp_path / "secret.jpg"
    path.write_bytes(_jpeg_bytes())
    real_open = os.open

    def deny(p, *args, **kwargs):
        if os.fspath(p) == os.fspath(path):
            raise PermissionError(13, "Permission denied", os.fspath(p))
        return real_open(p, *args, **kwargs)

    monkeypatch.setattr(decode_mod.os, "open", deny)
    _expect(path, "permission denied")


def _png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
            + chunk(b"IEND", b""))


def test_decompression_bomb(tmp_path):
    path = tmp_path / "bomb.png"
    path.write_bytes(_png_header_only(100_000, 100_000))
    assert path.stat().st_size < 200
    _expect(path, "decompression bomb: 10000000000 pixels > limit 200000000")
    small = tmp_path / "ok.jpg"
    small.write_bytes(_jpeg_bytes())
    _expect(small, "decompression bomb: 76800 pixels > limit 1000", settings=ScanSettings(max_pixels=1000))
    with pytest.raises(DecodeError, match="decompression bomb"):
        thumbnail(path)


def test_vanished_file(tmp_path):
    _expect(tmp_path / "gone.jpg", "file vanished")


def test_directory(tmp_path):
    d = tmp_path / "folder.jpg"
    d.mkdir()
    _expect(d, "directory")


def test_file_changed_while_reading(tmp_path, monkeypatch):
    path = tmp_path / "growing.jpg"
    path.write_bytes(_jpeg_bytes())
    real_read = os.read

    def read_then_append(fd, n):
        out = real_read(fd, n)
        if out:
            with open(path, "ab") as fh:
                fh.write(b"\x00" * 10)
        return out

    monkeypatch.setattr(decode_mod.os, "read", read_then_append)
    _expect(path, "changed while being read")


def test_file_is_read_once(tmp_path, monkeypatch):
    path = tmp_path / "a.jpg"
    path.write_bytes(_jpeg_bytes())
    opened = []
    real_open = os.open
    decode(path)  # first use opens os.devnull once (to silence libjpeg warnings); not counted
    monkeypatch.setattr(decode_mod.os, "open", lambda p, *a, **k: opened.append(p) or real_open(p, *a, **k))
    decode(path)
    assert opened == [path]


def test_progressive_and_grayscale_jpeg(tmp_path):
    src = photo(None)
    prog = tmp_path / "prog.jpg"
    Image.fromarray(src).save(prog, quality=90, progressive=True)
    gray = tmp_path / "gray.jpg"
    Image.fromarray(src).convert("L").save(gray, quality=90)
    d = decode(prog)
    assert d.rgb.shape == src.shape
    assert np.abs(d.rgb.astype(int) - np.asarray(Image.open(prog).convert("RGB"))).max() <= 3
    # saturated synthetic colours clip in the seed's RGB, so luma and the seed's gray differ more here
    # (~7 %) than on real photos (< 1 %, test_baseline_matches_seed_on_real_jpegs)
    assert d.laplacian_var == pytest.approx(seed_laplacian(prog), rel=0.10)
    g = decode(gray)
    assert np.array_equal(g.rgb[..., 0], g.rgb[..., 1]) and np.array_equal(g.gray, g.rgb[..., 0])
    assert g.laplacian_var == pytest.approx(seed_laplacian(gray), rel=1e-9)  # gray JPEG: exactly the seed


def test_tiny_images(tmp_path):
    for w, h in ((1, 1), (3, 2), (1, 50)):
        path = tmp_path / f"t{w}x{h}.png"
        Image.fromarray(np.full((h, w, 3), 77, np.uint8)).save(path)
        d = decode(path)
        assert (d.width, d.height) == (w, h) and d.rgb.shape == (h, w, 3)
        assert d.laplacian_var == 0.0


def test_jpeg_header_bomb(tmp_path):
    """A JPEG whose frame header claims 60000 x 60000 pixels is refused before any decoding."""
    data = bytearray(_jpeg_bytes(asym()))
    sof = data.find(b"\xff\xc0")
    assert sof > 0
    data[sof + 5:sof + 9] = struct.pack(">HH", 60000, 60000)  # height, width
    path = tmp_path / "huge.jpg"
    path.write_bytes(bytes(data))
    _expect(path, "decompression bomb: 3600000000 pixels > limit")


def test_undecodable_file_name(tmp_path):
    """A name that is not valid UTF-8 (bytes from an old camera card) decodes, and errors print it."""
    name = os.fsencode(tmp_path) + b"/caf\xe9.jpg"
    with open(name, "wb") as fh:
        fh.write(_jpeg_bytes())
    d = decode(name)
    assert d.path == os.fsdecode(name) and d.rgb.shape == (240, 320, 3)
    with open(name, "wb") as fh:
        fh.write(b"")
    with pytest.raises(DecodeError) as info:
        decode(os.fsdecode(name))
    assert "caf\\xe9.jpg: file is empty" in str(info.value)


def test_damaged_jpeg_decodes_silently(tmp_path, capfd, monkeypatch):
    """libjpeg's "Corrupt JPEG data" warnings must not reach the terminal (library code never prints).

    Silencing is automatic in scan worker processes; here (the main process) it is switched on."""
    monkeypatch.setattr(jpeg, "SILENCE_DECODER_STDERR", True)
    data = bytearray(_jpeg_bytes())
    n = len(data)
    data[n // 2:n // 2 + 40] = np.random.default_rng(0).integers(0, 256, 40, dtype=np.uint8).tobytes()
    path = tmp_path / "damaged.jpg"
    path.write_bytes(bytes(data))
    try:
        d = decode(path)
        assert d.rgb.shape == (240, 320, 3)
    except DecodeError as exc:  # some damage is fatal: then it is reported, not printed
        assert "damaged.jpg" in str(exc)
    out, err = capfd.readouterr()
    assert out == "" and err == ""


@pytest.mark.parametrize("make", ["decode", "thumbnail", "pair"])
def test_a_fifo_put_in_place_of_a_photo_after_the_walk_is_an_error_not_a_hang(tmp_path, make):
    """The walk takes regular files only, but a photo replaced by a named pipe before it is decoded (or before
    the review page asks for its thumbnail) was opened for reading, which waits for a writer: the scan (it has no
    per-file timeout) or the review request hung forever."""
    import threading

    fifo = tmp_path / "IMG_1.jpg"
    os.mkfifo(fifo)
    outcome = []

    twin = tmp_path / "IMG_1.dng"
    twin.write_bytes(b"II*\x00 not really a RAW")

    def attempt():
        from blurscan.pairs import decode_pair
        from blurscan.records import ImageRef

        try:
            if make == "pair":  # a RAW + JPEG pair: the JPEG's header is read first
                decode_pair(ImageRef(str(fifo), 1, 1, str(twin)))
            else:
                decode(fifo) if make == "decode" else thumbnail(fifo)
        except DecodeError as exc:
            outcome.append(exc.reason.split(";")[0])

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(60)  # (a hang guard: a loaded machine may take seconds)
    hung = worker.is_alive()
    if hung:  # let the old code's open() return, so the thread ends
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(10)
    assert not hung, "opening a FIFO waited for a writer"
    assert outcome == ["not a regular file"]


def test_a_file_too_large_for_the_pixel_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    """The whole file is read into memory before its header is looked at: a 30 GB file named .jpg took as much
    memory (in a small scan, in the command's own process). A file larger than any image of max_pixels pixels
    could be is now refused from its size, without reading it (a sparse file here: no disk is used)."""
    from blurscan import fileread

    big = tmp_path / "huge.jpg"
    with open(big, "wb") as fh:
        fh.truncate(fileread.max_file_bytes(1000) + 1)
    reads = []
    real_read = os.read
    monkeypatch.setattr(fileread.os, "read", lambda fd, n: reads.append(n) or real_read(fd, n))
    with pytest.raises(DecodeError, match=r"huge\.jpg: file too large: 0\.3 GB, more than an image of 1,000 pixels "
                                          r"\(--max-pixels\) can take"):
        decode(big, ScanSettings(max_pixels=1000))
    with pytest.raises(DecodeError, match="file too large"):
        thumbnail(big, max_pixels=1000)
    assert reads == []
    assert fileread.max_file_bytes(ScanSettings().max_pixels) > 1.5e9  # 200 MP: 1.9 GB, any real photo passes
