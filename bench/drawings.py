"""The drawings every figure uses: a fixed, seeded, class-balanced sample of
the recorded pen strokes (train.pendigits), in a seeded shuffled order so
that any prefix (the latency runs, the TF.js inputs) is balanced too.

Each drawing is given as strokes in 0..1 of the pad's side (what the browser
replays), flattened as the widget sends them to its worker (``flat_strokes``),
as the ink CPython renders from them with the worker's own renderer
(``pydigit.strokes.render_ink``), and as the 28x28 network input
preprocessing makes of that ink.
"""

from typing import NamedTuple

import numpy as np

from harness.pad import pendigit_strokes01
from pydigit import preprocess
from pydigit.strokes import render_ink
from train.pendigits import SAMPLE_SEED, balanced_sample, load_pendigits

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


def flat_strokes(strokes):
    """strokes: list of (k, 2) (x, y) -> (points (2 * total k,) float64 of
    x0, y0, x1, y1, ..., lengths (strokes,) uint32 of each one's k): the
    "predict" message's fields (widget/protocol.js)."""
    lengths = np.array([len(s) for s in strokes], np.uint32)
    points = np.concatenate([np.asarray(s, np.float64).reshape(-1) for s in strokes]) if strokes else np.zeros(0)
    return points, lengths


def ink(drawing):
    """The drawing's strokes rendered as the worker renders them:
    (h, w) float32 ink in 0..1 of its inked part (``render_ink``)."""
    return render_ink(drawing.strokes01)


def network_inputs(drawings):
    """-> (N, 28, 28) float32: each drawing's ink preprocessed as pydigit does."""
    return np.stack([preprocess(ink(d)) for d in drawings]).astype(np.float32)
