"""Which sidecars tagging a photo touches, found in its folder's names (the rules: :mod:`.xmp`'s docstring).

A tag run passes its :class:`.listing.Listing`, so that each folder is listed once for the run, not once per
photo (3000 photos in one folder: a dry run took minutes); called without one, a function lists the folder now.
"""
from __future__ import annotations

import os
from collections.abc import Collection

from .listing import Listing
from ..errors import printable_path
from ..name_room import name_bytes, name_max, path_too_long, temp_too_long
from ..name_forms import name_key
from ..pair_names import twin_stems
from .shared_names import images_staying


def sidecars_of(photo: str, listing: Listing | None = None) -> list[str]:
    """The existing sidecars of ``photo`` (``NAME.EXT.xmp`` and ``NAME.xmp``, any case of the names), less one
    named after another file whose name differs from the photo's in case alone (``IMG_1.jpg.xmp`` beside
    ``IMG_1.jpg``, for ``IMG_1.JPG``: that photo's own). ``listing``: the run's listings (:mod:`.listing`; default:
    the folder listed now), as for every function here that takes one."""
    folder, name = os.path.split(photo)
    stem = os.path.splitext(name)[0]
    wanted = {name_key(name + ".xmp"), name_key(stem + ".xmp")}
    index = _names(folder, listing)
    entries = sorted({e for key in (name, stem) for e in index.get(name_key(key), ())})  # NAME.EXT.*, NAME.*
    return [os.path.join(folder, e) for e in entries
            if name_key(e) in wanted and os.path.isfile(os.path.join(folder, e))
            and (os.path.splitext(e)[0] in (name, stem) or not _listed(index, os.path.splitext(e)[0]))]


def images_not_tagged(photo: str, taken: Collection[str] = (), listing: Listing | None = None) -> list[str]:
    """The names of the other images of ``photo``'s stem in its folder (``IMG_1.HEIC`` beside ``IMG_1.JPG``) whose
    paths are not in ``taken``, the photos a tag run tags (:func:`.shared_names.images_staying`, the rule a
    move leaves the files shared by stem by): while there is one, ``NAME.xmp`` is its sidecar too."""
    folder, name = os.path.split(photo)
    return images_staying(folder, name, _names(folder, listing).get(name_key(os.path.splitext(name)[0]), ()), taken)


def _names(folder: str, listing: Listing | None) -> dict[str, list[str]]:
    """``folder``'s names by stem in any case and Unicode form (:meth:`.listing.Listing.by_stem`): from
    ``listing``, listed once per run, or listed now."""
    return (listing if listing is not None else Listing()).by_stem(folder or ".")


def _listed(index: dict[str, list[str]], name: str) -> bool:
    """Whether ``name`` is one of the names in ``index`` (:func:`_names`)."""
    return name in index.get(name_key(os.path.splitext(name)[0]), ())


def shared_note(photo: str, first: str, others: list[str], *, stem_names: bool,
                listing: Listing | None = None) -> tuple[str, str] | None:
    """``(sidecar, reason)`` saying which ``NAME.xmp`` tagging ``photo`` leaves to ``others`` (the images of its
    stem not tagged), its tags being in ``first`` instead; None when there is nothing to say (no ``NAME.xmp``,
    and none asked for with ``stem_names``)."""
    stem_named = [p for p in sidecars_of(photo, listing) if _stem_named(p, photo)]
    if not others or not (stem_named or stem_names):
        return None
    folder, name = os.path.split(photo)
    sidecar = stem_named[0] if stem_named else os.path.join(folder, os.path.splitext(name)[0] + ".xmp")
    whose = " and ".join(others)
    verb = "it is" if stem_named else "it would be"
    return sidecar, (f"{verb} the sidecar of {whose} too, which {'is' if len(others) == 1 else 'are'} not tagged; "
                     f"{name} is tagged in {os.path.basename(first)} instead")


def _stem_named(sidecar: str, photo: str) -> bool:
    """Whether ``sidecar`` (one of :func:`sidecars_of`) is ``NAME.xmp``, named by ``photo``'s stem alone."""
    return name_key(os.path.splitext(os.path.basename(sidecar))[0]) == \
        name_key(os.path.splitext(os.path.basename(photo))[0])


def sidecar_targets(photo: str, *, stem_names: bool = False, taken: Collection[str] = (),
                    listing: Listing | None = None) -> list[tuple[str, bool]]:
    """``(path, exists)`` of each sidecar tagging ``photo`` writes (see the module docstring): the photo's own and
    its darktable duplicates', then its RAW twin's when it is the JPEG of a RAW + JPEG pair. ``taken``: the other photos the same run tags;
    while another image of the photo's stem in its folder is not among them, ``NAME.xmp`` and the RAW twin are
    that image's too, and left out (:func:`images_not_tagged`)."""
    from ..twins import raw_twin

    listing = listing if listing is not None else Listing()  # (one listing of the folder for all below)
    folder, name = os.path.split(photo)
    stem_xmp = os.path.join(folder, os.path.splitext(name)[0] + ".xmp")
    shared_ok = not images_not_tagged(photo, taken, listing)
    existing = [p for p in sidecars_of(photo, listing) if shared_ok or not _stem_named(p, photo)]
    targets = [(p, True) for p in existing] or [(stem_xmp if stem_names and shared_ok else photo + ".xmp", False)]
    targets += [(p, True) for p in _copies(photo, listing)]  # NAME_01.EXT.xmp ...: darktable's duplicates
    stem = name_key(os.path.splitext(name)[0])
    names = _names(folder, listing)
    twin = raw_twin(photo, [e for k in twin_stems(stem) for e in names.get(k, ())]) if shared_ok else None
    if twin is not None:
        own = sidecars_of(twin, listing)  # NAME.RAW.xmp, NAME.xmp
        targets += [(p, True) for p in own if (p, True) not in targets]
        if not own and (stem_xmp, False) not in targets:
            targets.append((stem_xmp if stem_names else twin + ".xmp", False))
        targets += [(p, True) for p in _copies(twin, listing)]
    return targets


def name_too_long(path: str, stem_names: bool) -> str | None:
    """Why a sidecar to create at ``path`` cannot be: its name longer than its folder takes (``NAME.EXT.xmp`` of a
    photo named 252 to 255 bytes), with the shorter ``NAME.xmp`` of ``--stem-names`` where that fits, or its path
    longer than the system takes (:func:`~blurscan.name_room.path_too_long`); else None.
    Until 2026-12-06 the dry run said it would write it, and the run failed, "file name too long"."""
    folder, name = os.path.split(path)
    size, room = name_bytes(name), name_max(folder)
    if size <= room:  # (a photo whose path fills the system's limit: its NAME.EXT.xmp's path is 4 bytes longer)
        return no_temp_room(path) if (too_long := path_too_long(path)) is None else f"cannot be created: {too_long}"
    stem = os.path.splitext(os.path.splitext(name)[0])[0] + ".xmp"
    hint = f" (--stem-names names it {printable_path(stem)})" if not stem_names and name_bytes(stem) <= room else ""
    return f"cannot be created: its name is {size} bytes, longer than the folder takes ({room}){hint}"


def no_temp_room(path: str) -> str | None:
    """Why the sidecar at ``path`` (whose path fits) cannot be written: the temporary file written first beside it
    would have a path longer than the system takes (:func:`~blurscan.name_room.temp_too_long`); else None. Until
    2026-12-06 the dry run said it would write it, and the run failed, "file name too long"."""
    too_long = temp_too_long(path, "tag")
    return None if too_long is None else f"cannot be written: its temporary file's {too_long}"


def _copies(photo: str, listing: Listing) -> list[str]:
    """The sidecars of darktable's duplicates of ``photo`` (:mod:`.darktable_copies`), found in ``listing``."""
    folder, name = os.path.split(photo)
    return [os.path.join(folder, e) for e in listing.copies.of(folder or ".", name)]
