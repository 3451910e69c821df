"""Ink components in NumPy: the 8-connected runs of ink of an image, labelled
without SciPy, and what segmentation needs of each (``Pieces``).

An image's ink is first cut into horizontal runs (``ink_runs``); runs on
neighbouring rows that touch, diagonals included, belong to one component
(``label_runs``: union-find over all runs at once); ``components`` puts the
labels back on the pixels and measures every component's box.
"""

from dataclasses import dataclass

import numpy as np

from .preprocess import INK_THRESHOLD, EmptyDrawing


class TooManyMarks(ValueError):
    """More separate marks or digits than a number has: a scribble, not a
    number. A live pad says so and keeps going (``browser.predict_number_strokes``)."""


# Past this many components (specks included) an image is refused: it is not
# a number, and grouping loops over the components' boxes.
MAX_MARKS = 1_000


@dataclass
class Pieces:
    """Ink pieces (strokes or components), one entry each: x0, x1: (n,)
    float, the core's x-extent (points, or ink less half the pen each side);
    boxes: (n, 4) (top, bottom, left, right) of the piece's ink."""

    x0: np.ndarray
    x1: np.ndarray
    boxes: np.ndarray


def ink_runs(binary):
    """binary: (H, W) bool -> rows, starts, ends (each (n,) int64, ends
    exclusive) of the horizontal runs of ink, in reading order."""
    h, w = binary.shape
    padded = np.zeros((h, w + 2), np.int8)
    padded[:, 1:-1] = binary
    step = np.diff(padded, axis=1)
    rows, starts = np.nonzero(step == 1)
    _, ends = np.nonzero(step == -1)
    return rows, starts, ends


def label_runs(rows, starts, ends, width):
    """Runs from ``ink_runs`` -> (labels (n,) int64 in 0..count-1, count): runs
    that touch, 8-connected, share a label. Union-find with hooking and pointer
    jumping, each step over all runs at once."""
    n = len(rows)
    if n == 0:
        return np.zeros(0, np.int64), 0
    # Keys that order runs by (row, column) across rows: the runs of row r - 1
    # touching run b are those that start by (r - 1, end_b) and end from (r - 1, start_b).
    stride = width + 2
    start_keys, end_keys = rows * stride + starts, rows * stride + ends
    above = (rows - 1) * stride
    first = np.searchsorted(end_keys, above + starts, "left")
    last = np.searchsorted(start_keys, above + ends, "right")
    counts = np.maximum(last - first, 0)
    below = np.repeat(np.arange(n), counts)
    upper = np.repeat(first, counts) + (np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts))
    parent = np.arange(n)
    while True:
        a, b = parent[upper], parent[below]
        if (a == b).all():
            break
        np.minimum.at(parent, np.maximum(a, b), np.minimum(a, b))
        while True:  # every run straight to its root: roots only ever point lower
            grand = parent[parent]
            if (grand == parent).all():
                break
            parent = grand
    roots, labels = np.unique(parent, return_inverse=True)
    return labels, len(roots)


def components(levels, full):
    """levels: (H, W) from ``ink_levels`` -> (Pieces, labels (H, W) int32 of
    the component each inked pixel belongs to, -1 for none, pen width px).
    Ink is what preprocessing counts as ink: INK_THRESHOLD of the peak.
    Raises EmptyDrawing for no ink, ValueError past MAX_MARKS components."""
    peak = levels.max()
    if peak <= 1e-3 * full:
        raise EmptyDrawing("the drawing is empty: draw a number first")
    binary = levels >= (-(-int(peak) // 10) if full == 255 else INK_THRESHOLD * peak)
    rows, starts, ends = ink_runs(binary)
    labels, count = label_runs(rows, starts, ends, levels.shape[1])
    if count > MAX_MARKS:
        raise TooManyMarks(f"{count} separate marks: a number has at most {MAX_MARKS}")
    # Horizontal runs across the upright strokes of digits are a pen wide.
    pen_px = float(np.median(ends - starts))
    boxes = np.empty((count, 4), np.int64)
    boxes[:, 0], boxes[:, 2] = levels.shape
    boxes[:, 1] = boxes[:, 3] = 0
    np.minimum.at(boxes[:, 0], labels, rows)
    np.maximum.at(boxes[:, 1], labels, rows + 1)
    np.minimum.at(boxes[:, 2], labels, starts)
    np.maximum.at(boxes[:, 3], labels, ends)
    label_image = np.full(levels.shape, -1, np.int32)
    lengths = ends - starts
    pixel = np.repeat(rows * levels.shape[1] + starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
    label_image.reshape(-1)[pixel] = np.repeat(labels, lengths)
    core = np.minimum(pen_px / 2, (boxes[:, 3] - boxes[:, 2]) / 2)
    return Pieces(boxes[:, 2] + core, boxes[:, 3] - core, boxes), label_image, pen_px
