"""The region classifier network (PyTorch; used for training and export only).

Design (chosen by measurement, see ``docs/model-card.md``):

* input: one luminance window ``1 x 64 x 64`` at analysis scale, values 0..1.  Blur is achromatic, and
  luminance costs a third of RGB; RGB windows, and 48- or 96-px windows, were measured worse (the model
  card's "Input and window size");
* the window is normalised inside the network (mean removed, divided by ``std + eps``) so that the
  verdict does not depend on exposure or contrast, while ``eps`` (about 5 grey levels) keeps the noise of
  nearly flat windows from being blown up;
* four stride-2 3x3 convolutions (12, 24, 48, 64 channels in the shipped model: ``train.DEFAULTS["widths"]``),
  the first at full resolution (the finest detail is where blur shows first) — about 1.9 M multiply-adds per
  window, so the 100 + 48 windows of a 1024-px photo's two grids cost about 14 ms in ONNX Runtime on one core.  Depthwise-separable blocks (MobileNet, Howard et al. 2017, arXiv:1704.04861)
  need half the multiply-adds but trained 1.8x *slower* per window with torch on this 2-core machine
  (0.91 s vs 0.51 s per 128-window step, measured), and training time is the scarcer budget;
* global average *and* max pooling: the max keeps a few hard edges (or a few bright streaks) from being
  averaged away;
* a linear head over :data:`blurscan.model.spec.REGION_LABELS` (flat, sharp, defocus, motion) or, for the
  blog experiment, over the 4 blur algorithms.
"""
from __future__ import annotations

import torch
from torch import nn

#: Added to the window's standard deviation (values 0..1) before dividing: ~5 grey levels.
NORM_EPS = 0.02


class _Block(nn.Module):
    def __init__(self, cin: int, cout: int, stride: int = 2) -> None:
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(cout)
        self.act = nn.ReLU(inplace=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act(self.bn(self.conv(x)))


class RegionNet(nn.Module):
    """Small CNN classifying one window.

    Parameters
    ----------
    n_classes : int
        Number of outputs (logits).
    in_channels : int
        1 (luminance) or 3 (RGB).
    widths : tuple of int
        Channels after the stem and after each further (stride-2) block.
    stem_stride : int
        Stride of the first convolution: 2 in the shipped model; 1 keeps the first layer at the window's full
        resolution (the blog experiment's network, :mod:`blurscan.model.fourclass`, at about 4x the cost).
    """

    def __init__(self, n_classes: int = 4, in_channels: int = 1, widths: tuple = (8, 16, 32, 64),
                 stem_stride: int = 2) -> None:
        super().__init__()
        self.in_channels = in_channels
        self.widths = tuple(widths)
        self.stem_stride = int(stem_stride)
        self.stem = nn.Sequential(
            nn.Conv2d(in_channels, widths[0], 3, stride=self.stem_stride, padding=1, bias=False),
            nn.BatchNorm2d(widths[0]),
            nn.ReLU(inplace=True),
        )
        blocks = [_Block(a, b) for a, b in zip(widths[:-1], widths[1:])]
        self.blocks = nn.Sequential(*blocks)
        self.head = nn.Linear(2 * widths[-1], n_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``x``: ``N x C x P x P`` float, 0..1. Returns ``N x n_classes`` logits."""
        mean = x.mean(dim=(1, 2, 3), keepdim=True)
        std = (x - mean).pow(2).mean(dim=(1, 2, 3), keepdim=True).sqrt()
        x = (x - mean) / (std + NORM_EPS)
        x = self.blocks(self.stem(x))
        pooled = torch.cat([x.mean(dim=(2, 3)), x.amax(dim=(2, 3))], dim=1)
        return self.head(pooled)


def count_macs(model: RegionNet, patch: int = 64) -> int:
    """Multiply-adds of one window (convolutions and the head), for the model card."""
    macs = 0
    size = patch
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            size = (size + 2 * m.padding[0] - m.kernel_size[0]) // m.stride[0] + 1
            macs += (m.in_channels // m.groups) * m.out_channels * m.kernel_size[0] * m.kernel_size[1] * size * size
        elif isinstance(m, nn.Linear):
            macs += m.in_features * m.out_features
    return int(macs)
