"""Realistic synthetic blur: kernels, the camera pipeline, partial focus and datasets.

Every function that draws random values takes a ``numpy.random.Generator`` and returns
the parameters it used, so every sample can be reproduced and described.

>>> from blurscan import synth
>>> out, params = synth.synthesize(image, rng, blur="shake", severity="moderate")  # doctest: +SKIP
"""

from .camera import (
    add_sensor_noise,
    apply_kernel,
    apply_kernel_grid,
    extend_highlights,
    jpeg_roundtrip,
    linear_to_srgb,
    sample_noise,
    sharpen,
    srgb_to_linear,
)
from .kernels import (
    box_kernel,
    disk_kernel,
    gaussian_kernel,
    linear_motion_kernel,
    normalise_kernel,
    splat_path,
)
from .shake import shake_kernel, shake_kernel_grid
from .partial import blend_by_mask, depth_weight, focus_mask
from .recipes import (
    MANIFEST_COLUMNS,
    RECIPES,
    Recipe,
    Source,
    collect_sources,
    group_key,
    load_source,
    read_manifest,
    split_of,
    write_dataset,
)
from .pipeline import (
    ANALYSIS_LONG_SIDE,
    BLUR_KINDS,
    CATEGORY,
    LABEL,
    MIN_KERNEL_PX,
    SEVERITY_LEVELS,
    SEVERITY_PX,
    SEVERITY_PX_MOTION,
    severity_range,
    synthesize,
    synthesize_encoded,
)

__all__ = [
    "ANALYSIS_LONG_SIDE",
    "MANIFEST_COLUMNS",
    "RECIPES",
    "Recipe",
    "Source",
    "collect_sources",
    "group_key",
    "load_source",
    "read_manifest",
    "split_of",
    "write_dataset",
    "BLUR_KINDS",
    "CATEGORY",
    "LABEL",
    "MIN_KERNEL_PX",
    "SEVERITY_LEVELS",
    "SEVERITY_PX",
    "SEVERITY_PX_MOTION",
    "add_sensor_noise",
    "apply_kernel",
    "apply_kernel_grid",
    "blend_by_mask",
    "box_kernel",
    "depth_weight",
    "disk_kernel",
    "extend_highlights",
    "focus_mask",
    "gaussian_kernel",
    "jpeg_roundtrip",
    "linear_motion_kernel",
    "linear_to_srgb",
    "normalise_kernel",
    "sample_noise",
    "severity_range",
    "shake_kernel",
    "shake_kernel_grid",
    "sharpen",
    "splat_path",
    "srgb_to_linear",
    "synthesize",
    "synthesize_encoded",
]
