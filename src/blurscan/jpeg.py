"""Fast JPEG decoding with libjpeg-turbo (through OpenCV): full-resolution luma and DCT-scaled decodes.

The JPEG half of :mod:`blurscan.decode` (which reads the file, tells the format, handles EXIF and every other
format, and calls :func:`decode_fast` for an intact baseline or progressive RGB / grayscale JPEG).

The seed script did ``cv2.imread(path)`` (full colour decode) and then the float64 Laplacian of its
grayscale conversion. Measured on this project's 2-core machines (one core, 12-MP JPEGs built from DIV2K
photos at quality 92, 4:2:0, mean of 6-12 images, machine idle; ``bench/throughput.py`` rebuilds them):

=================================================  ==========
step                                               ms / image
=================================================  ==========
``cv2.imread`` colour, full resolution             70
the seed path (colour decode + float64 Laplacian)  142
full-resolution *grayscale* decode (libjpeg ``Y``)  30-32
colour decode DCT-scaled to 1/2 (2000 x 1500)      31
colour decode DCT-scaled to 1/4 (1000 x 750)       24
colour decode DCT-scaled to 1/8 (Huffman floor)    19-21
Pillow ``draft('RGB')`` 1/2 + ``np.asarray``       38 + 11
3x3 Laplacian, float64 + ``ndarray.var``           92
3x3 Laplacian, int16 + ``cv2.meanStdDev``          14 + 12
int16 Laplacian + ``sumElems`` + ``norm``, banded  10
``INTER_AREA`` 2000 x 1500 -> 1024 x 768 (RGB)     19
=================================================  ==========

So a JPEG is decoded twice from the same bytes, each decode as cheap as libjpeg-turbo allows:

1. the full-resolution **grayscale** image (``cv2.IMREAD_GRAYSCALE``: libjpeg returns the luma plane and
   skips chroma IDCT, upsampling and colour conversion) for the seed-compatible baseline
   :func:`blurscan.measures.laplacian_var` (exact int16 Laplacian; the array is dropped right after);
2. a **DCT-scaled** colour decode (``cv2.IMREAD_REDUCED_COLOR_{2,4,8}``: libjpeg-turbo's scaled IDCT, the
   largest reduction that still leaves the long side >= the analysis size), resized with ``INTER_AREA`` to
   the analysis size -- or used as is when its long side is already within 2.5 % below it
   (:data:`DCT_SCALE_TOLERANCE`: 4000 x 3000 -> 1000 x 750; :func:`blurscan.analysis.block_scale`, the rule every
   other format follows too). A 12-MP JPEG is never fully decoded in colour.

About 65-70 ms of CPU instead of the seed's 142 ms (and the work spreads over worker processes);
``full_res_baseline=False`` (fast mode) skips step 1: about 25-30 ms.

A scan whose model reads luminance only (the shipped one) asks for no colour (``decode(..., color=False)``):
then a JPEG large enough for step 2 to be DCT-scaled gets its analysis image from step 1's luma instead,
area-averaged (``INTER_AREA``) to the size step 2 would have given, and step 2 is skipped: 38-41 against
66-73 ms per 12-MP JPEG (measured 2026-12-02, same machine). The analysis image differs from step 2's gray
by 0.1 grey levels on average (libjpeg's scaled IDCT against an area average, luma against ``cvtColor``);
``p_blurry`` moved by 0.002 on average, at most 0.01, over the 40 12-MP benchmark photos and the shared set's
25 large JPEGs. In fast mode such a JPEG is DCT-scaled as luma only (``IMREAD_REDUCED_GRAYSCALE_*``: no
chroma decoded). Smaller JPEGs (no DCT scaling) are decoded as before, so the images the model was trained
and calibrated on (the GoPro frames) are analysed exactly as then. ``rgb`` is None in those two cases.

*How exact is the baseline?* libjpeg's grayscale output is the decoded luma ``Y``; the seed's gray is
``cvtColor(BGR2GRAY)`` of the colour decode, i.e. ``Y`` rebuilt from rounded and clipped R, G, B. The two
differ by rounding and by the clipping of saturated R, G, B only, and the Laplacian variance differs by
about +0.3 to +1 % on photos (measured on the 12-MP set and on ``../shared/data``; ``tests/test_decode.py``
holds it under 3 %); on synthetic images full of saturated colours it can reach ~8 %. For every other
format (and for CMYK or truncated-looking JPEGs) the gray image is ``cvtColor`` of the decoded colour
image, exactly as the seed.

A lossless JPEG (SOF3, :mod:`blurscan.jpegkind`) is decoded once, at full size, as stored (grey, or colour
then ``cvtColor``): libjpeg's lossless mode neither scales nor turns colour into grey (nor grey into colour).
"""
from __future__ import annotations

import atexit
import contextlib
import os
import sys
import tempfile
import threading

import cv2
import numpy as np

from . import analysis as _analysis, forking, jpegdamage, jpegkind, ownstderr
from .analysis import block_scale
from .errors import DecodeError
from .measures import laplacian_var  # measures imports nothing from here
from .scaled import resize as _resize  # a block-scaled size an exact block average, as for every format

#: A JPEG whose DCT-scaled size (1/2, 1/4, 1/8) has a long side within this fraction below the analysis
#: size is analysed at that size rather than resized (:data:`blurscan.analysis.DCT_SCALE_TOLERANCE`, where it
#: lives): 4000 x 3000 -> 1000 x 750, 4032 x 3024 (12-MP phones) and 8064 x 6048 (48-MP phones) -> 1008 x 756.
#: It saves the ``INTER_AREA`` resize (~20 ms of ~100 ms per 12-MP photo; measured in bench/throughput.py), but
#: it is not a neutral choice: an exact 2 x 2 average keeps more fine detail than a resize by 1.992, and the
#: same pixels scored ``p_blurry`` 0.674 at 1020 px against 0.771 at 1024 px (a 2040-px DIV2K photo with motion
#: blur). The model was trained on JPEGs analysed so, so every other format is analysed at the same size since
#: 2026-12-05 (:func:`blurscan.analysis.block_scale`).
DCT_SCALE_TOLERANCE = _analysis.DCT_SCALE_TOLERANCE


_STDERR_LOCK = threading.Lock()
_DEVNULL: dict[str, int] = {}  # one descriptor on os.devnull per process, opened on first use

#: How long a fork waits for another thread's decode to put file descriptor 2 back (:func:`_before_fork`).
FORK_WAIT_SECONDS = 30.0
_FORK_HELD: list[bool] = []


def _before_fork() -> None:
    """A fork waits until no thread of this process is inside a decode that moved file descriptor 2.

    A child forked meanwhile (a PyTorch DataLoader's workers, ``multiprocessing`` with ``fork``) inherited the
    lock held by that thread, which does not exist in the child, and hung for ever at its first JPEG; or its fd 2
    still pointed at the parent's capture file, and what it wrote there was lost (until 2026-12-05). The wait is
    a decode's (tens of milliseconds); it is bounded, and the child makes a new lock if it ran out."""
    _FORK_HELD.append(_STDERR_LOCK.acquire(timeout=FORK_WAIT_SECONDS))


def _after_fork_in_parent() -> None:
    if _FORK_HELD.pop():
        _STDERR_LOCK.release()


def _after_fork_in_child() -> None:
    global _STDERR_LOCK
    if _FORK_HELD.pop():
        _STDERR_LOCK.release()
    else:  # (held by a thread this child has not got: nobody would ever release it)
        _STDERR_LOCK = threading.Lock()


forking.at_fork(before=_before_fork, after_in_parent=_after_fork_in_parent, after_in_child=_after_fork_in_child)


@contextlib.contextmanager
def _quiet_stderr():
    """Silence file descriptor 2 (LibRaw prints its complaints about damaged files there; library code never
    prints)."""
    with _STDERR_LOCK:
        try:
            sys.stderr.flush()
            saved = os.dup(2)
        except (OSError, ValueError, AttributeError):  # no usable fd 2 (embedded interpreter...)
            yield
            return
        try:
            if "fd" not in _DEVNULL:
                _DEVNULL["fd"] = os.open(os.devnull, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
            os.dup2(_DEVNULL["fd"], 2)
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


#: Silence fd 2 around OpenCV's JPEG decoding: None (default) = only in child processes (scan workers),
#: where nothing else writes to the terminal, and where a command asked for it (:data:`ownstderr.COMMAND_SILENCES`);
#: in the main process another thread (a progress display) may be writing to it at the same moment, so it is left
#: alone. True / False force it.
SILENCE_DECODER_STDERR: bool | None = None


@contextlib.contextmanager
def decoder_stderr_silenced():
    """Around a native decoder's call (libjpeg here, LibRaw in :mod:`blurscan.raw`): fd 2 silenced as
    :data:`SILENCE_DECODER_STDERR` says."""
    if not _silencing():
        yield
        return
    with _quiet_stderr():
        yield


_CAPTURE: dict[str, object] = {}  # this process's file that fd 2 points at while libjpeg decodes


def _capture_file() -> int:
    """A descriptor on an unnamed temporary file of this process's own (a child started by ``fork`` makes its
    own: the parent's would share its offset)."""
    if _CAPTURE.get("pid") != os.getpid():
        _CAPTURE.update(pid=os.getpid(), file=tempfile.TemporaryFile(buffering=0))
        # closed at exit, not left to the interpreter's shut-down (a ResourceWarning under `python -X dev`)
        atexit.register(_CAPTURE["file"].close)
    return _CAPTURE["file"].fileno()


@contextlib.contextmanager
def _stderr_captured():
    """What is written on file descriptor 2 meanwhile, in the yielded list (one ``str``, after the block).

    libjpeg, inside OpenCV, says what is wrong with a damaged JPEG only there (:mod:`blurscan.jpegdamage`). What
    was captured is then written out as before when :data:`SILENCE_DECODER_STDERR` says not to silence it (so
    another thread's writes meanwhile come out a moment late, never lost), and dropped when it says to."""
    said: list[str] = []
    with _STDERR_LOCK:
        try:
            sys.stderr.flush()
            fd = _capture_file()
            os.lseek(fd, 0, os.SEEK_SET)
            os.ftruncate(fd, 0)
            saved = os.dup(2)  # last: nothing to close when an earlier step fails (a temporary folder not writable)
        except (OSError, ValueError, AttributeError):  # no usable fd 2 (embedded interpreter...), no temporary file
            yield said
            said.append("")
            return
        try:
            os.dup2(fd, 2)
            yield said
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            text = b""
            try:
                size = os.lseek(fd, 0, os.SEEK_END)
                os.lseek(fd, 0, os.SEEK_SET)
                text = os.read(fd, size) if size else b""
                if text and not _silencing():
                    _write_all(2, text)
            except OSError:
                pass
            said.append(text.decode("utf-8", "replace"))


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _silencing() -> bool:
    silence = SILENCE_DECODER_STDERR
    if silence is None and ownstderr.COMMAND_SILENCES:  # (a command asked: blurscan.cli.quiet_native_decoders)
        silence = True
    if silence is None:
        import multiprocessing

        silence = multiprocessing.parent_process() is not None
    return bool(silence)


def _alone() -> bool:
    """Whether no other thread of this process can print while this one decodes: none runs but blurscan's own
    watcher of a scan worker's parent (:data:`blurscan.processes.WATCHER_NAME`), which never prints, and a command's
    watch of the paths it waits on (:mod:`blurscan.cli.hung_paths`), which prints only while this thread has waited on
    a file for seconds (as before 2026-12-08, when nothing was printed then)."""
    me = threading.current_thread()
    return all(t is me or t.name in _WATCHERS for t in threading.enumerate())


_WATCHERS = ("blurscan-exit-with-parent", "blurscan-paths-given")  # (processes.WATCHER_NAME, hung_paths' thread:
# those modules are not imported here)


def _imdecode(buf: np.ndarray, flags: int, data: bytes, path):
    """``cv2.imdecode`` of ``buf`` (``data``'s bytes), raising :class:`~blurscan.errors.DecodeError` when
    libjpeg says the picture is damaged (:func:`blurscan.jpegdamage.damage`)."""
    done = None
    if not _alone():  # another thread may print meanwhile: the decode gets an fd 2 of its own
        with _STDERR_LOCK:  # one decode at a time per process, which a fork waits for (_before_fork)
            done = ownstderr.call(cv2.imdecode, buf, flags)  # (not another thread's lines: ownstderr)
    # (alone in its process, as a scan's worker is, or where the system refuses a thread its own descriptors: fd 2
    # moved for the decode, as before 2026-12-06; the decoding thread costs a worker ~14 MB of peak memory, the
    # memory its own allocator keeps, and a few ms a colour decode: measured with bench/throughput.py)
    if done is None:
        with _stderr_captured() as said:
            img = cv2.imdecode(buf, flags)
        text = said[0]
    else:
        img, printed = done
        if printed and not _silencing():
            _write_all(2, printed)
        text = printed.decode("utf-8", "replace")
    reason = jpegdamage.damage(text, data) if text else None
    if reason:
        raise DecodeError(path, reason)
    return img


_REDUCED_COLOR = {8: cv2.IMREAD_REDUCED_COLOR_8, 4: cv2.IMREAD_REDUCED_COLOR_4, 2: cv2.IMREAD_REDUCED_COLOR_2}
_REDUCED_GRAY = {cv2.IMREAD_REDUCED_COLOR_2: cv2.IMREAD_REDUCED_GRAYSCALE_2,
                 cv2.IMREAD_REDUCED_COLOR_4: cv2.IMREAD_REDUCED_GRAYSCALE_4,
                 cv2.IMREAD_REDUCED_COLOR_8: cv2.IMREAD_REDUCED_GRAYSCALE_8}


def decode_fast(data: bytes, path, size: tuple[int, int], target: tuple[int, int], baseline: bool,
                color: bool = True):
    """Decode a JPEG's bytes (``size``: its ``(w, h)``) for analysis at about ``target`` ``(w, h)``.

    Full-res gray (the baseline, when ``baseline``) + DCT-scaled colour decode from the same bytes, both by
    OpenCV; without ``color``, when a DCT-scaled decode would be used, the analysis gray comes from the
    full-res gray instead (or, without ``baseline``, from the DCT-scaled luma). Returns
    ``(rgb or None, gray or None, laplacian_var or None)``, unrotated: one of rgb / gray is set. Raises
    :class:`~blurscan.errors.DecodeError` when libjpeg gives up or says the data is damaged.
    """
    w0, h0 = size
    buf = np.frombuffer(data, np.uint8)
    kind = jpegkind.frame(data)
    if kind is not None and kind.lossless:
        return _decode_lossless(buf, data, path, size, target, baseline, color)
    lap = gray_full = None
    if baseline:
        gray_full = _imdecode(buf, cv2.IMREAD_GRAYSCALE | cv2.IMREAD_IGNORE_ORIENTATION, data, path)
        if gray_full is None or gray_full.shape != (h0, w0):
            raise DecodeError(path, _failed(data))
        lap = laplacian_var(gray_full)
    # the largest DCT scale that reaches the target, and the size analysed (the scaled size itself when within
    # the tolerance below the target), as for every other format (blurscan.analysis.block_scale)
    factor, (tw, th) = block_scale(w0, h0, target)
    flag = _REDUCED_COLOR.get(factor, cv2.IMREAD_COLOR)
    if not color and flag != cv2.IMREAD_COLOR:  # luminance only, from a large JPEG
        if gray_full is None:  # fast mode: the DCT-scaled luma (no chroma decoded)
            gray_full = _imdecode(buf, _REDUCED_GRAY[flag] | cv2.IMREAD_IGNORE_ORIENTATION, data, path)
            if gray_full is None:
                raise DecodeError(path, _failed(data))
        return None, _resize(gray_full, tw, th), lap  # the size the colour decode would give
    del gray_full
    bgr = _imdecode(buf, flag | cv2.IMREAD_IGNORE_ORIENTATION, data, path)
    if bgr is None:
        raise DecodeError(path, _failed(data))
    rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
    return _resize(rgb, tw, th), None, lap


def _decode_lossless(buf: np.ndarray, data: bytes, path, size: tuple[int, int], target: tuple[int, int],
                     baseline: bool, color: bool):
    """A lossless JPEG (SOF3), as :func:`decode_fast` returns it: decoded once, at full size, as stored (grey,
    or colour then turned grey): libjpeg's lossless mode neither scales nor turns colour into grey. Analysed at
    the size every other picture is (:func:`blurscan.analysis.block_scale`: 2040 px at 1020, not 1024): until
    2026-12-05 it was resized to ``target`` itself, and the same pixels scored otherwise as a lossless JPEG and
    as a PNG (``p_blurry`` 0.278 and 0.246 for a 2040-px DIV2K photo with motion blur)."""
    target = block_scale(size[0], size[1], target)[1]
    stored = _imdecode(buf, cv2.IMREAD_ANYCOLOR | cv2.IMREAD_IGNORE_ORIENTATION, data, path)
    if stored is None or stored.shape[:2] != (size[1], size[0]) or stored.dtype != np.uint8:
        raise DecodeError(path, _failed(data))
    if stored.ndim == 2:
        gray_full, rgb_full = stored, None
    else:
        rgb_full = cv2.cvtColor(stored, cv2.COLOR_BGR2RGB)
        gray_full = cv2.cvtColor(rgb_full, cv2.COLOR_RGB2GRAY)
    lap = laplacian_var(gray_full) if baseline else None
    if not color:
        return None, _resize(gray_full, *target), lap
    if rgb_full is None:
        rgb_full = cv2.cvtColor(gray_full, cv2.COLOR_GRAY2RGB)
    return _resize(rgb_full, *target), None, lap


def _failed(data: bytes) -> str:
    """Why libjpeg gave nothing: the JPEG's kind when it is one libjpeg-turbo may not decode, else damage."""
    return jpegkind.unsupported(data) or "corrupt JPEG (decoder failed)"




def ends_with_eoi(data: bytes) -> bool:
    """Whether the data ends with the EOI marker (after padding): OpenCV fills a truncated JPEG with gray."""
    return data.rstrip(b"\x00\r\n\t ").endswith(b"\xff\xd9")
