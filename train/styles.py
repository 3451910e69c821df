"""Writing styles MNIST lacks, drawn onto MNIST digits.

MNIST's writers were American: its '1' is a plain bar. Much of the world
writes '1' with a long flag up to the top of the stem, which a network that
never saw one reads as '7' with full confidence (most of the CNN's errors on
the recorded pen digits were exactly that). ``add_flags`` gives a fraction of
the training '1's such a flag: a straight stroke, as thick as the digit's own,
from the top of the stem down and to the left. The digit is then normalised
again the MNIST way (``pydigit.preprocess``), as a drawn one would be.
"""

import numpy as np

from pydigit.preprocess import preprocess

ONE = 1
INK = 0.5  # a pixel at least this bright is part of the stroke


def segment_ink(start, end, width, size=28):
    """Anti-aliased straight strokes, one per row of ``start``/``end``/``width``.

    start, end: (n, 2) float (row, column); width: (n,) float, in pixels
    -> (n, size, size) float32 in 0..1.
    """
    grid = np.stack(np.meshgrid(np.arange(size), np.arange(size), indexing="ij"), -1)
    grid = grid.astype(np.float32)[None]                           # (1, size, size, 2)
    a, b = start[:, None, None, :], end[:, None, None, :]          # (n, 1, 1, 2)
    ab = b - a
    t = np.clip(((grid - a) * ab).sum(-1) / np.maximum((ab * ab).sum(-1), 1e-6), 0, 1)
    distance = np.linalg.norm(grid - (a + t[..., None] * ab), axis=-1)
    # Ink falls off over one pixel at the edge, like a rendered pen stroke.
    return np.clip(width[:, None, None] / 2 + 0.5 - distance, 0, 1).astype(np.float32)


def add_flags(images, rng, angle_degrees=(15.0, 55.0), length=(0.3, 0.65)):
    """images: (n, 28, 28) float32 in 0..1, each a '1' -> the same digits with a
    flag, (n, 28, 28) float32, MNIST-normalised again.

    The flag starts at the top of the stem and ends ``length`` x the digit's
    height away, ``angle_degrees`` below the horizontal, to the left.
    """
    n = len(images)
    if n == 0:
        return images
    ink = images >= INK
    rows_with_ink = ink.any(axis=2)                                 # (n, 28)
    top = rows_with_ink.argmax(axis=1)
    bottom = 27 - rows_with_ink[:, ::-1].argmax(axis=1)
    height = (bottom - top + 1).astype(np.float32)
    top_row_ink = ink[np.arange(n), top]                            # (n, 28)
    top_col = (top_row_ink * np.arange(28)).sum(1) / np.maximum(top_row_ink.sum(1), 1)
    # A bar's area over its length is its width.
    width = np.clip(images.sum(axis=(1, 2)) / height, 1.5, 4.0)

    angle = np.deg2rad(rng.uniform(*angle_degrees, n))
    reach = rng.uniform(*length, n) * height
    start = np.stack([top + width / 4, top_col], -1).astype(np.float32)
    end = start + np.stack([reach * np.sin(angle), -reach * np.cos(angle)], -1)
    flagged = np.maximum(images, segment_ink(start, end.astype(np.float32), width))
    return np.stack([preprocess(image) for image in flagged])


def with_flagged_ones(images, labels, rng, fraction):
    """images: (n, 28, 28) float32 batch, labels (n,) -> the batch with about
    ``fraction`` of its '1's flagged (a copy; the input is not changed)."""
    chosen = np.flatnonzero((labels == ONE) & (rng.random(len(labels)) < fraction))
    if len(chosen) == 0:
        return images
    images = images.copy()
    images[chosen] = add_flags(images[chosen], rng)
    return images
