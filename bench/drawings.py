"""The drawings every figure uses: a fixed, seeded, class-balanced sample of
the recorded pen strokes (train.pendigits), in a seeded shuffled order so
that any prefix (the latency runs, the TF.js inputs) is balanced too.

Each drawing is given three ways: strokes in 0..1 of the pad's side (what the
browser replays), the pen.CANVAS_SIZE square canvas CPython renders from the same strokes,
and the 28x28 network input preprocessing makes of that canvas.
"""

from typing import NamedTuple

import numpy as np

from harness.pad import pendigit_strokes01
from pydigit import preprocess
from train.pendigits import SAMPLE_SEED, balanced_sample, load_pendigits, render_strokes

ORDER_SEED = 1


class Drawing(NamedTuple):
    """label: 0..9; strokes01: list of (k, 2) float32 (x, y) in 0..1 of the
    pad's side; tablet: the original strokes (tablet units)."""

    label: int
    strokes01: list
    tablet: list


def sample_drawings(count, path=None):
    """count (a multiple of 10) drawings, balanced_sample(..., SAMPLE_SEED) in
    a shuffled order (seed ORDER_SEED)."""
    digits = balanced_sample(load_pendigits(path), count, SAMPLE_SEED)
    order = np.random.default_rng(ORDER_SEED).permutation(len(digits))
    return [Drawing(digits[i].label, pendigit_strokes01(digits[i].strokes), digits[i].strokes)
            for i in order]


def canvas_pixels(drawing):
    """What the widget sends the worker for this drawing, as CPython renders
    it: (pen.CANVAS_SIZE, pen.CANVAS_SIZE) uint8 ink (the canvas alpha channel)."""
    ink = render_strokes(drawing.tablet)
    return np.round(ink * 255).astype(np.uint8)


def network_inputs(drawings):
    """-> (N, 28, 28) float32: each drawing preprocessed as pydigit does."""
    return np.stack([preprocess(canvas_pixels(d)) for d in drawings]).astype(np.float32)
