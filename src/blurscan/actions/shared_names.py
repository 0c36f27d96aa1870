"""Files a photo shares by name with the other images of its folder.

``IMG_1.xmp`` (Lightroom's sidecar), ``IMG_1.AAE``, a RAW twin ``IMG_1.CR2`` and a Live Photo's ``IMG_1.MOV``
are named by the stem alone: beside ``IMG_1.JPG`` and ``IMG_1.HEIC`` they are each image's as much as the
other's. So an action takes them with a photo only when every other image of that stem in the folder is
taken by the same action: ``move`` and ``trash`` leave them otherwise (:func:`blurscan.actions.photo_group.files_of`),
and ``tag`` tags the photo's own ``NAME.EXT.xmp`` instead of the ``NAME.xmp`` that holds the other image's
rating and label too (:mod:`.xmp`). This module is that one rule, for both.
"""
from __future__ import annotations

import os
from collections.abc import Container, Iterable

from ..config import IMAGE_SUFFIXES
from ..name_forms import name_key


def images_staying(folder: str, name: str, names: Iterable[str], taken: Container[str]) -> list[str]:
    """The other images of the stem of ``name`` that stay in ``folder``, in name order.

    Parameters
    ----------
    folder, name : str
        The photo: its folder and its name in it.
    names : iterable of str
        Names in ``folder`` (all of them, or only those with the photo's stem, in any case).
    taken : container of str
        Paths the same action takes (a move's photos planned before this one, the photos a tag run tags).

    Returns
    -------
    list of str
        The names in ``names``, other than ``name``, with the photo's stem (in any case and Unicode form,
        :func:`blurscan.name_forms.name_key`) and an
        image suffix (:data:`blurscan.config.IMAGE_SUFFIXES`: a RAW twin is not one) whose path is not in
        ``taken``. While one is listed, the files named by the stem stay with it.
    """
    stem = name_key(os.path.splitext(name)[0])
    out = []
    for e in names:
        e_stem, suffix = os.path.splitext(e)
        if (e != name and name_key(e_stem) == stem and suffix.casefold() in IMAGE_SUFFIXES
                and os.path.join(folder, e) not in taken):
            out.append(e)
    return sorted(out)
