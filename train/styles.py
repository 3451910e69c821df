"""Writing styles MNIST lacks, drawn onto MNIST digits.

MNIST's writers were American. Much of the world writes '1' with a long flag
up to the top of the stem, and crosses the stem of a '7': a network that never
saw either reads such a '1' as '7' and such a '7' as '2', with full confidence
(most of the CNN's errors on the recorded pen digits were exactly these).
Here copies of a fraction of the training '1's and '7's get one, a straight
stroke as thick as the digit's own, and join the batch (``with_styles``).
Each copy is then normalised again the MNIST way (``pydigit.preprocess``), as
a drawn digit would be.

The shapes follow the recorded pen digits (``train.pendigits``), whose writers
were European: 95% of their '1's have a flag, ending 0.3 to 0.65 of the
digit's height below the top and 0.15 to 0.6 of it to the left (10th to 90th
percentiles), and 87% of their '7's a bar across the stem, 0.5 to 0.7 of the
height down, 0.3 to 0.75 of the height long. Only these ranges are taken from
them; the digits themselves are never trained on.
"""

import numpy as np

from pydigit.preprocess import FIELD, preprocess

INK = 0.5  # a pixel at least this bright is part of the stroke


def segment_ink(start, end, width, size=FIELD):
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


def ink_rows(images):
    """images: (n, 28, 28) -> the top row of the ink, its height and the
    stroke's width in pixels, each (n,)."""
    rows_with_ink = (images >= INK).any(axis=2)                     # (n, 28)
    top = rows_with_ink.argmax(axis=1)
    bottom = FIELD - 1 - rows_with_ink[:, ::-1].argmax(axis=1)
    height = (bottom - top + 1).astype(np.float32)
    # Most rows of a '1' or a '7' cross the stem once: the ink in a typical
    # row is the stroke's width.
    ink_per_row = np.where(rows_with_ink, images.sum(axis=2), np.nan)
    width = np.clip(np.nanmedian(ink_per_row, axis=1), 1.5, 4.0).astype(np.float32)
    return top, height, width


def ink_centre_in_row(images, rows):
    """The mean column of the ink in row ``rows[i]`` of image i: (n,) float."""
    ink = images[np.arange(len(images)), rows] >= INK               # (n, 28)
    return (ink * np.arange(FIELD)).sum(1) / np.maximum(ink.sum(1), 1)


def with_stroke(images, segments):
    """Draw one stroke per image and normalise again: segments = (start, end,
    width) as from ``flag_segments`` -> (n, 28, 28) float32."""
    start, end, width = segments
    drawn = np.maximum(images, segment_ink(start.astype(np.float32), end.astype(np.float32), width))
    return np.stack([preprocess(image) for image in drawn])


def flag_segments(images, rng, drop=(0.3, 0.65), reach=(0.15, 0.6)):
    """Where the flags of '1's go: from the top of the stem down by ``drop``
    and to the left by ``reach``, each a fraction of the digit's height.

    images: (n, 28, 28) float32 in 0..1 -> start, end: (n, 2) (row, column),
    width: (n,), in pixels.
    """
    n = len(images)
    top, height, width = ink_rows(images)
    start = np.stack([top + width / 4, ink_centre_in_row(images, top)], -1)
    end = start + np.stack([rng.uniform(*drop, n), -rng.uniform(*reach, n)], -1) * height[:, None]
    return start, end, width


def crossbar_segments(images, rng, down=(0.5, 0.7), length=(0.3, 0.75), tilt_degrees=10.0):
    """Where the bars across the stems of '7's go: ``down`` x the digit's
    height below its top, ``length`` x the height long, centred on the stem
    and tilted up to ``tilt_degrees``.

    images: (n, 28, 28) float32 in 0..1 -> start, end: (n, 2) (row, column),
    width: (n,), in pixels.
    """
    n = len(images)
    top, height, width = ink_rows(images)
    row = np.round(top + rng.uniform(*down, n) * (height - 1)).astype(int)
    centre = np.stack([row, ink_centre_in_row(images, row)], -1).astype(np.float32)
    half = rng.uniform(*length, n) * height / 2
    tilt = np.deg2rad(rng.uniform(-tilt_degrees, tilt_degrees, n))
    offset = np.stack([half * np.sin(tilt), half * np.cos(tilt)], -1)
    return centre - offset, centre + offset, width


def add_flags(images, rng):
    """images: (n, 28, 28) float32 in 0..1, each a '1' -> the same digits with a
    flag (``flag_segments``), (n, 28, 28) float32, MNIST-normalised again."""
    return with_stroke(images, flag_segments(images, rng)) if len(images) else images


def add_crossbars(images, rng):
    """images: (n, 28, 28) float32 in 0..1, each a '7' -> the same digits with a
    bar across the stem (``crossbar_segments``), (n, 28, 28) float32,
    MNIST-normalised again."""
    return with_stroke(images, crossbar_segments(images, rng)) if len(images) else images


STYLES = {1: add_flags, 7: add_crossbars}


def with_styles(images, labels, rng, fractions):
    """images: (n, 28, 28) float32 batch, labels (n,); fractions: {digit:
    fraction} -> (images, labels): the batch as it was, then styled copies of
    about ``fraction`` of each such digit's images.

    Copies are added, not swapped in: swapping half of the plain '1's for
    flagged ones cost 0.1-0.2 points of MNIST test accuracy, mostly thick,
    slanted '1's then read as '8' (plain '1's had become rarer).
    """
    extra_images, extra_labels = [images], [labels]
    for digit, fraction in sorted(fractions.items()):
        chosen = np.flatnonzero((labels == digit) & (rng.random(len(labels)) < fraction))
        if len(chosen):
            extra_images.append(STYLES[digit](images[chosen], rng))
            extra_labels.append(labels[chosen])
    return np.concatenate(extra_images), np.concatenate(extra_labels)
