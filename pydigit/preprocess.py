"""From a drawing on a canvas to the 28x28 image the network was trained on.

MNIST's own normalisation (LeCun et al.): the digit's bounding box is scaled,
keeping its aspect ratio and with anti-aliasing, so that the longer side is
20 px; the result is placed in a 28x28 field with its centre of mass at the
centre. A drawing that does not go through the same steps does not look like
MNIST to the network, whatever its size or place on the canvas.
"""

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

FIELD = 28
BOX = 20
# The mean centre of mass of MNIST's digits, in pixel-index
# coordinates (row, column); tests/pydigit/test_preprocess.py checks it
# against the test set.
MNIST_CENTRE_OF_MASS = (14.0, 14.0)
# Pixels below this fraction of the brightest one do not stretch the bounding
# box: canvas anti-aliasing leaves faint fringes around every stroke.
INK_THRESHOLD = 0.1


class EmptyDrawing(ValueError):
    """The image has no ink: there is nothing to recognise."""


@dataclass
class Stages:
    """What preprocessing did, stage by stage, for the site to show.

    cropped: (h, w) float32, the ink's bounding box at the drawing's resolution;
    scaled: (h', w') float32, longer side 20 px;
    centred: (28, 28) float32, the network's input.
    """

    cropped: np.ndarray
    scaled: np.ndarray
    centred: np.ndarray


def ink_levels(image):
    """image: (H, W) numbers, ink high, 0..255 (integers) or 0..1 -> (levels,
    full): the image as uint8 0..255 (full = 255) or float32 0..1 (full = 1).

    A canvas's bytes stay uint8: only the digit's crop is converted to float
    (``as_ink``), a tenth of the canvas or less.
    """
    image = np.asarray(image)
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    if image.ndim != 2 or image.size == 0:
        raise ValueError(f"expected a 2-D image (H, W), got shape {image.shape}")
    if image.dtype == np.uint8:
        return image, 255
    if image.dtype.kind in "iub":
        return np.clip(image, 0, 255).astype(np.uint8), 255
    levels = image.astype(np.float32)
    if not np.isfinite(levels).all():
        raise ValueError("the image contains NaN or infinity")
    return np.clip(levels, 0.0, 1.0), 1


def as_ink(levels, full):
    """levels from ``ink_levels`` -> float32 in 0..1."""
    return levels.astype(np.float32) / np.float32(full) if full != 1 else levels


def bounding_box(levels, full=1):
    """levels: (H, W) from ``ink_levels`` -> (top, bottom, left, right),
    bottom/right exclusive: the pixels with at least INK_THRESHOLD of the
    brightest one's ink. Raises EmptyDrawing when there is no ink."""
    row_peaks = levels.max(axis=1)
    peak = row_peaks.max()
    if peak <= 1e-3 * full:
        raise EmptyDrawing("the drawing is empty: draw a digit first")
    # For integer levels, "at least a tenth of the peak" without float rounding.
    threshold = -(-int(peak) // 10) if full == 255 else INK_THRESHOLD * peak
    rows = np.flatnonzero(row_peaks >= threshold)
    top, bottom = rows[0], rows[-1] + 1
    cols = np.flatnonzero(levels[top:bottom].max(axis=0) >= threshold)
    return top, bottom, cols[0], cols[-1] + 1


@lru_cache(maxsize=256)
def area_resample_matrix(n_in, n_out):
    """(n_out, n_in) float32 matrix that resamples a line of n_in pixels to
    n_out by area averaging: each output pixel is the mean of the input it
    covers, partial pixels weighted by overlap. Rows sum to 1. Cached (read
    only): a drawing's crop sizes repeat while it is being drawn."""
    step = n_in / n_out
    lo = (np.arange(n_out) * step)[:, None]
    hi = lo + step
    left = np.arange(n_in)[None, :]
    overlap = np.clip(np.minimum(hi, left + 1) - np.maximum(lo, left), 0.0, None)
    matrix = (overlap / step).astype(np.float32)
    matrix.setflags(write=False)
    return matrix


def scale_to_box(cropped, box=BOX):
    """cropped: (h, w) float32 -> (h', w') float32 with max(h', w') == box and
    the aspect ratio kept, brightest pixel 1 (so that a faint, thin line and a
    bold one give the same contrast)."""
    h, w = cropped.shape
    factor = box / max(h, w)
    out_h, out_w = max(1, round(h * factor)), max(1, round(w * factor))
    rows, cols = area_resample_matrix(h, out_h), area_resample_matrix(w, out_w)
    # rows @ cropped @ cols.T, multiplied in the cheaper order (no BLAS in Pyodide).
    if out_h * w * (h + out_w) <= out_w * h * (w + out_h):
        scaled = (rows @ cropped) @ cols.T
    else:
        scaled = rows @ (cropped @ cols.T)
    return scaled / scaled.max()


def centre_of_mass(image):
    """image: (h, w) float32 -> (row, column) in pixel-index coordinates."""
    total = image.sum()
    rows = np.arange(image.shape[0], dtype=np.float32)
    cols = np.arange(image.shape[1], dtype=np.float32)
    return (float(image.sum(axis=1) @ rows / total), float(image.sum(axis=0) @ cols / total))


def round_half_up(x, tolerance=1e-3):
    """x rounded to the nearest whole number, halves up. A symmetric drawing
    puts its centre of mass exactly on a half pixel; the last bits of a float
    (BLAS in CPython, none in Pyodide) must not decide which way it goes."""
    return int(np.floor(x + 0.5 + tolerance))


def place_by_centre_of_mass(scaled, field=FIELD, target=MNIST_CENTRE_OF_MASS):
    """scaled: (h, w) float32, h, w <= field -> (field, field) float32 with the
    centre of mass moved to ``target`` by a whole-pixel shift (sub-pixel shifts
    would blur), clipped so that no ink leaves the field."""
    h, w = scaled.shape
    row, col = centre_of_mass(scaled)
    top = int(np.clip(round_half_up(target[0] - row), 0, field - h))
    left = int(np.clip(round_half_up(target[1] - col), 0, field - w))
    centred = np.zeros((field, field), np.float32)
    centred[top:top + h, left:left + w] = scaled
    return centred


def preprocess_stages(image):
    """image: (H, W) drawing, ink high, 0..255 or 0..1 -> ``Stages``: the crop,
    the 20 px box and the centred 28x28 input.

    Raises EmptyDrawing for an image without ink, ValueError for one that is
    not a 2-D image.
    """
    levels, full = ink_levels(image)
    top, bottom, left, right = bounding_box(levels, full)
    cropped = as_ink(levels[top:bottom, left:right], full)
    scaled = scale_to_box(cropped)
    return Stages(cropped=cropped, scaled=scaled, centred=place_by_centre_of_mass(scaled))


def preprocess(image):
    """image: (H, W) drawing, ink high, 0..255 or 0..1 -> (28, 28) float32 in
    0..1, the network's input. See ``preprocess_stages`` for the steps."""
    return preprocess_stages(image).centred
