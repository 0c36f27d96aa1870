"""``settings`` as scripts pass it: ``settings=None`` (the usual "defaults" of a Python API), a dict of options, or
the class itself. ``scan()`` and ``score_image()`` failed deep inside with ``AttributeError: 'NoneType' object has no
attribute 'model'`` (and for a dict the same), or took the class for its defaults in ``score_image`` and failed in
``scan()`` with a ``TypeError`` about ``cache_hash`` (2026-12-05). None means the defaults now; anything else that
is no ``ScanSettings`` is a ``TypeError`` naming the parameter."""
from __future__ import annotations

import pytest

import blurscan
from blurscan.config import ScanSettings
from helpers_images import save_jpeg, textured


def test_none_means_the_defaults(tmp_path):
    photo = save_jpeg(tmp_path / "a.jpg", textured(3))
    assert blurscan.score_image(photo, None).to_json() == blurscan.score_image(photo).to_json()
    by_none = [r.to_json() for r in blurscan.scan([photo], settings=None)]
    assert by_none == [r.to_json() for r in blurscan.scan([photo])]


@pytest.mark.parametrize("wrong", [{"workers": 1}, ScanSettings, "none"])
def test_anything_else_is_a_type_error_naming_the_parameter(tmp_path, wrong):
    photo = save_jpeg(tmp_path / "a.jpg", textured(3))
    with pytest.raises(TypeError, match="parameter `settings` must be a blurscan.ScanSettings or None"):
        blurscan.score_image(photo, wrong)
    with pytest.raises(TypeError, match="parameter `settings` must be a blurscan.ScanSettings or None"):
        list(blurscan.scan([photo], wrong))
