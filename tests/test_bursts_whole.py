"""A group's "never joined" rules hold for the whole group in ``blurscan bursts``, not only for each link. Shots of
two cameras, or of exposures more than half a stop apart, are never linked; but a group is every set of shots
connected by links, and a near-identical photo that names no camera, no serial number or no exposure (an export
without those tags, a phone's copy, a frame whose EXIF was stripped) is linked with any shot: one such photo joined
two bodies' bursts, or a bracket's frames, into one group again, and ``move --from-bursts`` took the other body's
frames, or the bracket's -2 and +2 EV frames (until 2026-12-07). Such a group is split by its cameras (exposures);
the photo that names none goes with the one side it is linked to, and is left out where it is linked to two."""
from __future__ import annotations

import itertools
import json
from fractions import Fraction
from pathlib import Path

import numpy as np
from click.testing import CliRunner
from PIL import Image, ImageFilter
from PIL.TiffImagePlugin import IFDRational

from blurscan.bursts import find_groups, grouping
from blurscan.bursts.apart import Apart
from blurscan.cli import main
from blurscan.records import ScanRecord
from helpers_images import record, scene


def _shot(path: Path, img: np.ndarray, camera: tuple | None, when: str, subsec: str, *, blur: float = 0.0,
          crop: int = 0, ev: float | None = None) -> None:
    """A frame as a camera writes it: make, model and body serial (a serial of None: not written), its time to the
    hundredth of a second, its exposure (1/125 s x 2^ev at f/8, ISO 100) where ``ev`` is given."""
    im = Image.fromarray(img)
    w, h = im.size
    im = im.crop((crop, crop, w - crop, h - crop)).resize((w, h))
    if blur:
        im = im.filter(ImageFilter.GaussianBlur(blur))
    exif = Image.Exif()
    sub = exif.get_ifd(0x8769)
    sub[0x9003], sub[0x9291] = when, subsec  # DateTimeOriginal, SubSecTimeOriginal
    if camera is not None:
        exif[0x010F], exif[0x0110] = camera[0], camera[1]  # Make, Model
        if camera[2] is not None:
            sub[0xA431] = camera[2]  # BodySerialNumber
    if ev is not None:
        t = Fraction(2 ** ev) / 125
        sub[0x829A] = IFDRational(t.numerator, t.denominator)  # ExposureTime
        sub[0x829D], sub[0x8827] = IFDRational(8, 1), 100      # FNumber, ISOSpeedRatings
    path.parent.mkdir(parents=True, exist_ok=True)
    im.save(path, quality=92, exif=exif)


def _scan(lib: Path) -> None:
    res = CliRunner().invoke(main, ["scan", str(lib), "--model", "none", "--workers", "1"])
    assert res.exit_code == 0, res.output


def _groups(lib: Path) -> list[list[str]]:
    res = CliRunner().invoke(main, ["bursts", str(lib), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    return [sorted(Path(m["path"]).relative_to(lib).as_posix() for m in json.loads(line)["members"])
            for line in res.stdout.splitlines()]


def _would_move(tmp_path: Path, lib: Path) -> str:
    dry = CliRunner().invoke(main, ["move", "--from-bursts", "--to", str(tmp_path / "rejects"), str(lib)])
    assert dry.exit_code == 0, dry.output
    return dry.output


BODY_A = ("Canon", "Canon EOS R5", "031021000111")
BODY_B = ("Canon", "Canon EOS R5", "031021000222")
NO_SERIAL = ("Canon", "Canon EOS R5", None)


def test_two_bodies_joined_by_a_frame_without_serial_are_two_bursts(tmp_path):
    lib, img = tmp_path / "wedding", scene(5)
    for i, (sub, blur) in enumerate((("00", 0), ("10", 3), ("20", 1.5))):
        _shot(lib / f"a/IMG_{i + 1:04d}.JPG", img, BODY_A, "2024:06:01 15:00:00", sub, blur=blur)
    for i, (sub, blur) in enumerate((("50", 0.7), ("60", 2), ("70", 1))):
        _shot(lib / f"b/IMG_{i + 1:04d}.JPG", img, BODY_B, "2024:06:01 15:00:01", sub, blur=blur, crop=4)
    _shot(lib / "c/IMG_0001.JPG", img, NO_SERIAL, "2024:06:01 15:00:00", "40", blur=0.5, crop=2)
    _scan(lib)
    # (was one group of 7: a/IMG_0001.JPG the keeper, b's three frames and c's candidates for removal)
    assert _groups(lib) == [["a/IMG_0001.JPG", "a/IMG_0002.JPG", "a/IMG_0003.JPG"],
                            ["b/IMG_0001.JPG", "b/IMG_0002.JPG", "b/IMG_0003.JPG"]]
    table = CliRunner().invoke(main, ["bursts", str(lib)])
    assert "group 1: 3 shots" in table.output and "group 2: 3 shots" in table.output, table.output
    out = _would_move(tmp_path, lib)
    assert out.count("would move") == 4, out  # (each body's two frames below its keeper)
    assert "b/IMG_0001.JPG" not in out and "c/IMG_0001.JPG" not in out and "a/IMG_0001.JPG" not in out


def test_two_makes_joined_by_a_photo_naming_no_camera_are_two_bursts(tmp_path):
    lib, img = tmp_path / "wedding", scene(5)
    nikon, sony = ("NIKON CORPORATION", "NIKON Z 6_2", None), ("SONY", "ILCE-7M4", None)
    _shot(lib / "nikon/DSC_0001.JPG", img, nikon, "2024:06:01 15:00:00", "00")
    _shot(lib / "nikon/DSC_0002.JPG", img, nikon, "2024:06:01 15:00:00", "20", blur=2)
    _shot(lib / "sony/DSC0001.JPG", img, sony, "2024:06:01 15:00:01", "00", crop=4, blur=0.7)
    _shot(lib / "sony/DSC0002.JPG", img, sony, "2024:06:01 15:00:01", "30", crop=4, blur=2.5)
    _shot(lib / "export/shared.jpg", img, None, "2024:06:01 15:00:00", "60", crop=2, blur=0.3)
    _scan(lib)
    # (was one group of 5: the Sony's sharper frame and the export candidates beside the Nikon's keeper)
    assert _groups(lib) == [["nikon/DSC_0001.JPG", "nikon/DSC_0002.JPG"], ["sony/DSC0001.JPG", "sony/DSC0002.JPG"]]
    out = _would_move(tmp_path, lib)
    assert out.count("would move") == 2 and "DSC_0002.JPG" in out and "DSC0002.JPG" in out, out


def test_a_bracket_and_a_frame_without_exposure_is_no_burst(tmp_path):
    lib, img = tmp_path / "hdr", scene(7)

    def gained(ev: float) -> np.ndarray:
        return np.clip(((img / 255.0) ** 2.2 * 2.0 ** ev) ** (1 / 2.2) * 255, 0, 255).astype(np.uint8)

    for i, ev in enumerate((-2, 0, 2)):
        _shot(lib / f"IMG_{i + 1:04d}.jpg", gained(ev), None, "2024:06:01 10:00:00", str(i), ev=ev)
    _shot(lib / "IMG_0004.jpg", gained(0), None, "2024:06:01 10:00:00", "5")  # (its exposure tags not written)
    _scan(lib)
    assert _groups(lib) == []  # (was one group of 4: the -2 EV, 0 EV and untagged frames candidates)
    assert "would move" not in _would_move(tmp_path, lib)


def _names(groups: list[list[ScanRecord]]) -> list[list[str]]:
    return [[r.path.rsplit("/", 1)[1].removesuffix(".jpg") for r in g] for g in groups]


def test_a_shot_naming_none_goes_with_the_one_side_it_is_linked_to():
    img = scene(3)
    a = [record(img, f"a{i}", float(i)) for i in range(3)]            # body A at 0, 1, 2 s
    x1, x2 = record(img, "x1", 0.5), record(img, "x2", 121.5)         # naming no camera
    b = [record(img, f"b{i}", 200.0 + i) for i in range(2)]           # body B, 200 and 201 s
    for shot in a:
        shot.camera = list(BODY_A)
    for shot in b:
        shot.camera = list(BODY_B)
    # x1 is linked to A's frames alone, x2 to A's last frame (119.5 s) and B's (78.5 s): one chain of 7 until
    # 2026-12-07; now x1 goes with A, x2, linked to both bodies, with neither
    assert _names(find_groups([*a, x1, x2, *b])) == [["a0", "x1", "a1", "a2"], ["b0", "b1"]]
    assert _names(find_groups([*a, x1, x2])) == [["a0", "x1", "a1", "a2", "x2"]]  # (one camera: as before)


def test_an_exposure_drifting_frame_to_frame_stays_one_burst():
    img = scene(4)
    shots = [record(img, f"s{i}", 0.5 * i) for i in range(4)]
    for i, shot in enumerate(shots):  # (a cloud passing: a third of a stop a frame, one stop in all)
        shot.exposure_ev, shot.camera = 12.0 - i / 3, list(BODY_A)
    export = record(img, "export", 0.7)  # (naming no exposure, linked to all: the group is one exposure's chain)
    assert _names(find_groups(shots)) == [["s0", "s1", "s2", "s3"]]
    assert _names(find_groups([*shots, export])) == [["s0", "s1", "export", "s2", "s3"]]


def _apart_pair(group: list[ScanRecord]) -> bool:
    apart = Apart(group)
    pairs = np.asarray(list(itertools.combinations(range(len(group)), 2)), dtype=np.int64).reshape(-1, 2)
    return bool(apart(pairs[:, 0], pairs[:, 1]).any())


def test_groups_without_two_cameras_or_exposures_are_as_before(monkeypatch):
    """On 6,000 stored shots in bursts, each burst's shots of one camera and exposure or naming none, some bursts
    of two cameras or exposures: every group that holds no two shots never linked is found as it was before the
    split (grouping without it); each other group is split into groups of its shots, none of them holding two
    shots never linked."""
    rng = np.random.default_rng(7)
    cameras = [list(BODY_A), list(BODY_B), list(NO_SERIAL), ["NIKON CORPORATION", "NIKON Z 6_2", None], None]
    shots, clock = [], 0.0
    while len(shots) < 6000:
        base, kinds = int(rng.integers(0, 2**63)), rng.integers(0, len(cameras), size=2)
        evs = rng.choice([10.0, 10.3, 12.0, np.nan], size=2)
        for _ in range(int(rng.integers(1, 8))):
            flips = sum(1 << int(b) for b in rng.choice(64, size=int(rng.integers(0, 6)), replace=False))
            k = int(rng.integers(0, 2)) if rng.random() < 0.3 else 0  # (a burst of two cameras now and then)
            ev = float(evs[k]) if rng.random() < 0.9 else float("nan")
            shots.append(ScanRecord(path=f"/lib/{len(shots):05d}.jpg", phash=f"{base ^ flips:016x}",
                                    mtime_ns=int(clock * 1e9), camera=cameras[int(kinds[k])],
                                    exposure_ev=None if ev != ev else ev))
            clock += float(rng.uniform(0.2, 2.0))
        clock += float(rng.exponential(300.0))
    now = find_groups(shots)
    monkeypatch.setattr(grouping, "split", lambda roots, edges, apart: roots, raising=False)  # (as before)
    before = find_groups(shots)
    as_paths = {tuple(r.path for r in g) for g in now}
    whole = [g for g in before if not _apart_pair(g)]
    assert whole and len(whole) < len(before)  # (both kinds present)
    assert all(tuple(r.path for r in g) in as_paths for g in whole)
    assert not any(_apart_pair(g) for g in now)
    owner = {r.path: k for k, g in enumerate(before) for r in g}
    for g in now:
        assert len({owner[r.path] for r in g}) == 1  # (a part of one group found before)


NIKON = ["NIKON CORPORATION", "NIKON Z 6_2", None]


def _at(name: str, seconds: float, camera: list | None = None, ev: float | None = None) -> ScanRecord:
    """A stored shot of one scene (all of one perceptual hash), ``seconds`` into a shoot; each link is then set by
    the 120 s window alone."""
    return ScanRecord(path=f"/lib/{name}.jpg", phash="c3a5f00f0ff05a3c", camera=camera, exposure_ev=ev,
                      captured_at=f"2024-06-01T15:{int(seconds // 60) + 10:02d}:{seconds % 60:06.3f}")


def _parts(shots: list[ScanRecord]) -> list[list[str]]:
    return sorted(sorted(r.path[5:-4] for r in g) for g in find_groups(shots))


def test_two_shots_naming_no_camera_in_a_chain_between_two_bodies_join_neither():
    # A at 0-1 s, x1 (100 s) linked to A's frames and x2, x2 (210 s) to x1 and B's (250-251 s): the two exports
    # are linked to both bodies through each other; until the split held for them both, A and B were one group
    a = [_at(f"a{i}", float(i), list(BODY_A)) for i in range(2)]
    b = [_at(f"b{i}", 250.0 + i, list(BODY_B)) for i in range(2)]
    assert _parts([*a, _at("x1", 100.0), _at("x2", 210.0), *b]) == [["a0", "a1"], ["b0", "b1"]]


def test_shots_naming_another_camera_through_an_export_never_join_a_body():
    # n (a Nikon frame without serial, -215 s) is linked to the export z (-100 s) alone, z to A's frames (0-1 s);
    # w (100 s) links A's and B's (200-201 s) frames: the Nikon frame and the export are never with the Canon's
    n, z, w = _at("n", -215.0, NIKON), _at("z", -100.0), _at("w", 100.0)
    a = [_at(f"a{i}", float(i), list(BODY_A)) for i in range(2)]
    b = [_at(f"b{i}", 200.0 + i, list(BODY_B)) for i in range(2)]
    assert _parts([n, z, *a, w, *b]) == [["a0", "a1"], ["b0", "b1"]]


def test_one_body_s_frames_joined_by_an_export_stay_one_burst_beside_another_body():
    # A's frames at 0-1 s and 200-201 s are linked only through the export x (100 s); w (-100 s) links A's first
    # frames with B's (-200 s): B stays apart, A's four frames and the export are one burst
    b = [_at(f"b{i}", -200.0 + i, list(BODY_B)) for i in range(2)]
    a = [_at(f"a{i}", float(t), list(BODY_A)) for i, t in enumerate((0, 1, 200, 201))]
    assert _parts([*b, _at("w", -100.0), *a, _at("x", 100.0)]) == [["a0", "a1", "a2", "a3", "x"], ["b0", "b1"]]



def test_a_group_whose_every_shot_lacks_a_name_but_names_two_cameras_is_no_burst():
    # a Canon R6 and a Nikon frame naming no exposure, two frames of a bracket (10 and 12 EV) naming no camera and
    # an export naming none: no shot names both what the group disagrees on, and two cameras are in it
    canon = ["Canon", "Canon EOS R6", None]
    shots = [_at("c", 0.0, canon), _at("n", 1.0, NIKON), _at("e1", 2.0, ev=10.0), _at("e2", 3.0, ev=12.0),
             _at("z", 4.0)]
    assert _parts(shots) == []
    # two bodies (one writing its serial alone, no make or model) naming no exposure, the same bracket's frames
    bodies = [_at("s1", 0.0, [None, None, "031021000111"]), _at("s2", 1.0, ["Canon", None, "031021000222"])]
    assert _parts([*bodies, *shots[2:]]) == []


def test_a_shot_naming_none_is_weighed_against_its_side_with_the_shots_joined_to_it_before():
    # A's frames (0-1 s, 10 EV) are joined by e (30 s, 10.5 EV: half a stop, linked) whose body writes no serial;
    # f (31 s, 9.7 EV) is linked to A's frames but not to e (0.8 EV apart): with A and e, it would be one group
    # holding two shots never linked (B's frames, -200 s, are linked to A's through w at -100 s: two bodies)
    b = [_at(f"b{i}", -200.0 + i, list(BODY_B), 10.0) for i in range(2)]
    a = [_at(f"a{i}", float(i), list(BODY_A), 10.0) for i in range(2)]
    e, f = _at("e", 30.0, list(NO_SERIAL), 10.5), _at("f", 31.0, list(NO_SERIAL), 9.7)
    assert _parts([*b, _at("w", -100.0), *a, e, f]) == [["a0", "a1", "e"], ["b0", "b1"]]


def test_a_shot_naming_no_exposure_joins_no_two_levels_of_a_manual_bracket():
    # a manual bracket of 12, 12.33 and 12.67 EV (one group spanning two thirds of a stop: split by exposure level)
    # and an export naming no exposure linked to the 12 and 12.33 EV frames alone (16 bits from the third): it joins
    # neither, nor joins them (until 2026-12-07 one group of 4; it went with both, a group of 3, before its levels)
    shots = [_at("m0", 0.0, ev=12.0), _at("m1", 0.5, ev=12.0 + 1 / 3), _at("m2", 1.0, ev=12.0 + 2 / 3), _at("x", 2.0)]
    for shot in shots[:3]:
        shot.exposure_setting = [1, 0.0]
    shots[2].phash = f"{int(shots[2].phash, 16) ^ 0xFF:016x}"
    shots[3].phash = f"{int(shots[3].phash, 16) ^ 0xFF00:016x}"
    assert _parts(shots) == []
    shots[1].exposure_ev = 12.0  # (the 12 EV frame shot twice: the export goes with that level, linked to it alone)
    assert _parts(shots) == [["m0", "m1", "x"]]
