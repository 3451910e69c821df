"""Recorded pen strokes (UCI "pendigits", 7 494 digits by 30 writers), laid
out on the pad and rendered the way the site renders a drawing.

MNIST test accuracy says little about digits drawn with a mouse or a finger:
these strokes, laid out on the pad (``to_pad``) and rendered with the pad's
pen by the very function the browser uses (``pydigit.strokes``), are the
closest offline stand-in for the site's users. The browser tests replay the
very same points.
"""

import os
from pathlib import Path
from typing import NamedTuple

import numpy as np

from pydigit import pen
from pydigit.strokes import render_ink

PROJECT = Path(__file__).resolve().parent.parent
FILE_NAME = "pendigits-orig.tra"
TABLET = 500  # the tablet's coordinates lie in 0..500, y pointing up
# Room left free on each side of the digit's longer dimension, as a fraction of
# the pad: the digit spans 70% of it, about what people draw on it.
# (Preprocessing rescales the digit anyway; what this changes is the stroke
# width relative to the digit.)
MARGIN = 0.15
SAMPLE_SEED = 0


class Digit(NamedTuple):
    """label: 0..9; strokes: list of (k, 2) float32 arrays of (x, y) in tablet
    units with y pointing down, as on a screen; writer: 1..30 (-1 if unknown)."""

    label: int
    strokes: list
    writer: int


def find_pendigits(path=None):
    """The strokes file: ``path``, ``$PYDIGIT_PENDIGITS``, ``data/pendigits/``
    in the project or ``../shared/data/pendigits/`` beside it."""
    candidates = [path, os.environ.get("PYDIGIT_PENDIGITS"),
                  PROJECT / "data" / "pendigits" / FILE_NAME,
                  PROJECT.parent / "shared" / "data" / "pendigits" / FILE_NAME]
    for candidate in filter(None, candidates):
        candidate = Path(candidate)
        if candidate.is_dir():
            candidate = candidate / FILE_NAME
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"{FILE_NAME} not found; tried: "
                            + ", ".join(str(c) for c in candidates if c))


def load_pendigits(path=None):
    """Parse the file -> list of ``Digit``, in file order."""
    digits, strokes, stroke = [], None, None
    for line in find_pendigits(path).read_text().splitlines():
        word = line.split(maxsplit=1)[0] if line.strip() else ""
        if word == ".SEGMENT":  # .SEGMENT DIGIT 0 ? "8"
            strokes = []
            digits.append(Digit(int(line.rsplit('"', 2)[1]), strokes, -1))
        elif word == ".COMMENT" and strokes is not None:  # .COMMENT label writer sample
            fields = line.split()
            digits[-1] = digits[-1]._replace(writer=int(fields[2]))
        elif word == ".PEN_DOWN":
            stroke = []
        elif word == ".PEN_UP":
            xy = np.array(stroke, np.float32).reshape(-1, 2)
            xy[:, 1] = TABLET - xy[:, 1]  # y up on the tablet, down on a screen
            strokes.append(xy)
            stroke = None
        elif stroke is not None:
            stroke.append(line.split())
    return digits


def balanced_sample(digits, n, seed=SAMPLE_SEED):
    """A fixed sample of ``n`` digits (a multiple of 10), ``n // 10`` of each
    class drawn at random with ``seed``; ordered by label, then file order."""
    if n % 10:
        raise ValueError(f"n must be a multiple of 10 to balance the classes, got {n}")
    rng = np.random.default_rng(seed)
    labels = np.array([d.label for d in digits])
    chosen = [np.sort(rng.choice(np.flatnonzero(labels == k), n // 10, replace=False))
              for k in range(10)]
    return [digits[i] for i in np.concatenate(chosen)]


def to_canvas(strokes, size=pen.CANVAS_SIZE, margin=MARGIN):
    """Strokes in tablet units -> the same strokes in canvas pixels, (k, 2)
    float32 (x, y): the digit's bounding box scaled, aspect ratio kept, so that
    its longer side spans ``1 - 2 * margin`` of the canvas, and centred.

    The 100 ms points are kept as they are, joined by straight segments as the
    canvas joins pointer events: smoothing them (Catmull-Rom, 4 points per
    segment) changed the CNN's pen accuracy by 0.02 points at most.
    """
    points = np.concatenate(strokes)
    low, high = points.min(axis=0), points.max(axis=0)
    scale = (1 - 2 * margin) * size / max(float((high - low).max()), 1e-6)
    offset = size / 2 - scale * (low + high) / 2
    return [(s * scale + offset).astype(np.float32) for s in strokes]


def to_pad(strokes, margin=MARGIN):
    """Strokes in tablet units -> the same strokes in 0..1 of the pad's side,
    laid out as ``to_canvas`` does: what a person drawing them on the pad
    would give the widget."""
    return [s / pen.CANVAS_SIZE for s in to_canvas(strokes, pen.CANVAS_SIZE, margin)]


def render_strokes(strokes, width=pen.PEN_WIDTH, margin=MARGIN):
    """Strokes in tablet units -> the drawing's ink as the browser renders it
    for the network (``pydigit.strokes.render_ink``): float32 in 0..1."""
    return render_ink(to_pad(strokes, margin), pen_width=width)
