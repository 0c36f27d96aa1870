"""ICC profiles built by hand for the colour tests (no system profile needed): Display P3 and Adobe RGB (matrix and
curves, ICC v2, as Apple's and Adobe's are) and a CMYK printer profile (a 2-point A2B0 table: ink darkens the paper
by a plain rule that Pillow's naive CMYK to RGB does not follow), which LittleCMS reads as it reads real ones."""
from __future__ import annotations

import struct

import numpy as np

D50 = np.array([0.9642, 1.0, 0.8249])
_BRADFORD = np.array([[0.8951, 0.2664, -0.1614], [-0.7502, 1.7135, 0.0367], [0.0389, -0.0685, 1.0296]])
D65 = (0.3127, 0.3290)


def _xyz(x, y):
    return np.array([x / y, 1.0, (1 - x - y) / y])


def _to_d50(primaries, white=D65):
    cols = np.stack([_xyz(*p) for p in primaries], axis=1)
    w = _xyz(*white)
    m = cols * np.linalg.solve(cols, w)
    adapt = np.linalg.inv(_BRADFORD) @ np.diag((_BRADFORD @ D50) / (_BRADFORD @ w)) @ _BRADFORD
    return adapt @ m


def _s15(v):
    return struct.pack(">i", int(round(v * 65536)))


def _xyz_tag(v):
    return b"XYZ \0\0\0\0" + b"".join(_s15(c) for c in v)


def srgb_curve():
    x = np.linspace(0, 1, 1024)
    y = np.where(x <= 0.04045, x / 12.92, ((x + 0.055) / 1.055) ** 2.4)
    return b"curv\0\0\0\0" + struct.pack(">I", 1024) + b"".join(struct.pack(">H", int(round(v * 65535))) for v in y)


def _gamma_curve(gamma):
    return b"curv\0\0\0\0" + struct.pack(">IH", 1, int(round(gamma * 256))) + b"\0\0"


def _desc(text):
    a = text.encode("ascii") + b"\0"
    return b"desc\0\0\0\0" + struct.pack(">I", len(a)) + a + b"\0" * 8 + b"\0\0\0" + b"\0" * 67


def _assemble(device_class, space, tags):
    offset = 128 + 4 + 12 * len(tags)
    table, data = [], b""
    for sig, body in tags:
        data += b"\0" * (-(offset + len(data)) % 4)
        table.append(struct.pack(">4sII", sig, offset + len(data), len(body)))
        data += body
    data += b"\0" * (-len(data) % 4)
    header = struct.pack(">I4sI4s4s4s", offset + len(data), b"\0" * 4, 0x02100000, device_class, space, b"XYZ ")
    header += b"\0" * 12 + b"acsp" + b"\0" * 28 + b"".join(_s15(c) for c in D50) + b"\0" * 48
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + b"".join(table) + data


def matrix_profile(name, primaries, curve):
    m = _to_d50(primaries)
    return _assemble(b"mntr", b"RGB ", [
        (b"desc", _desc(name)), (b"cprt", b"text\0\0\0\0test\0"), (b"wtpt", _xyz_tag(D50)),
        (b"rXYZ", _xyz_tag(m[:, 0])), (b"gXYZ", _xyz_tag(m[:, 1])), (b"bXYZ", _xyz_tag(m[:, 2])),
        (b"rTRC", curve), (b"gTRC", curve), (b"bTRC", curve)])


def display_p3() -> bytes:
    """Display P3 (an iPhone's photos): P3 primaries, D65, the sRGB curve."""
    return matrix_profile("Display P3 (test)", [(0.680, 0.320), (0.265, 0.690), (0.150, 0.060)], srgb_curve())


def adobe_rgb() -> bytes:
    """Adobe RGB (1998): a camera set to it, gamma 563/256."""
    return matrix_profile("Adobe RGB (test)", [(0.64, 0.33), (0.21, 0.71), (0.15, 0.06)], _gamma_curve(563 / 256))


def cmyk_printer() -> bytes:
    """A CMYK output profile whose A2B0 table (2 grid points, XYZ) takes each ink to absorb 70 % of its colour's
    light and black 80 % of all: a 100 % cyan is a light blue-green, not Pillow's naive pure (0, 255, 255)."""
    srgb_to_xyz = _to_d50([(0.64, 0.33), (0.30, 0.60), (0.15, 0.06)])
    ramp = b"".join(struct.pack(">H", v) for v in (0, 65535))
    clut = b""
    for c in (0, 1):
        for m in (0, 1):
            for y in (0, 1):
                for k in (0, 1):
                    linear = np.array([1 - 0.7 * c, 1 - 0.7 * m, 1 - 0.7 * y]) * (1 - 0.8 * k)
                    xyz = srgb_to_xyz @ linear
                    clut += b"".join(struct.pack(">H", min(65535, int(round(v * 32768)))) for v in xyz)
    lut = (b"mft2\0\0\0\0" + bytes([4, 3, 2, 0]) + b"".join(_s15(v) for v in (1, 0, 0, 0, 1, 0, 0, 0, 1))
           + struct.pack(">HH", 2, 2) + ramp * 4 + clut + ramp * 3)
    return _assemble(b"prtr", b"CMYK", [(b"desc", _desc("CMYK printer (test)")), (b"cprt", b"text\0\0\0\0test\0"),
                                         (b"wtpt", _xyz_tag(D50)), (b"A2B0", lut)])


def grey_profile(gamma: float) -> bytes:
    """A grey display profile of a plain gamma (1.0: linear light, a scientific or HDR export's)."""
    return _assemble(b"mntr", b"GRAY", [(b"desc", _desc(f"Grey gamma {gamma} (test)")),
                                         (b"cprt", b"text\0\0\0\0test\0"), (b"wtpt", _xyz_tag(D50)),
                                         (b"kTRC", _gamma_curve(gamma))])
