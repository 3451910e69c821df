"""Recorded pen strokes (UCI "pendigits", 7 494 digits by 30 writers) and a
renderer that draws them the way the site's canvas does.

MNIST test accuracy says little about digits drawn with a mouse or a finger:
these strokes, replayed onto a ``pen.CANVAS_SIZE`` square with a round pen
``pen.PEN_WIDTH`` wide, are the closest offline stand-in for the site's users.
The browser tests replay the very same points (``to_canvas``).
"""

import os
from pathlib import Path
from typing import NamedTuple

import numpy as np

from pydigit import pen

PROJECT = Path(__file__).resolve().parent.parent
FILE_NAME = "pendigits-orig.tra"
TABLET = 500  # the tablet's coordinates lie in 0..500, y pointing up
# Room left free on each side of the digit's longer dimension, as a fraction of
# the canvas: the digit spans 70% of the pad, about what people draw on it. (Preprocessing rescales the digit anyway; what this changes is
# the stroke width relative to the digit.)
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


def split_segments(strokes, step):
    """Strokes (k, 2) -> segment ends a, b: (n, 2) float64, every segment of
    every stroke cut into equal pieces at most ``step`` long. A one-point
    stroke is a zero-length segment: a dot."""
    a = np.concatenate([s[:-1] if len(s) > 1 else s for s in strokes]).astype(np.float64)
    b = np.concatenate([s[1:] if len(s) > 1 else s for s in strokes]).astype(np.float64)
    pieces = np.maximum(np.ceil(np.linalg.norm(b - a, axis=1) / step), 1).astype(int)
    segment = np.repeat(np.arange(len(a)), pieces)
    start = np.repeat(np.cumsum(pieces) - pieces, pieces)
    t = ((np.arange(len(segment)) - start) / pieces[segment])[:, None]
    a, d = a[segment], (b - a)[segment]
    return a + t * d, a + (t + 1 / pieces[segment][:, None]) * d


def rasterize(strokes, size=pen.CANVAS_SIZE, width=pen.PEN_WIDTH):
    """Strokes in canvas pixels -> (size, size) float32 ink in 0..1: polylines
    ``width`` px wide with round caps and joins, like a canvas 2D context with
    lineCap = lineJoin = 'round'; the edge fades over 1 px (anti-aliasing).

    Ink at a pixel is ``clip(width / 2 + 0.5 - distance to the path, 0, 1)``,
    the distance measured from the pixel centre. Each segment piece only
    reaches a small square window of pixels around it, so all pieces of a
    drawing are computed in one batch of (pieces, window, window); pieces
    about as long as the pen is wide do the least work.
    """
    a, b = split_segments(strokes, step=max(float(width), 4.0))
    reach = width / 2 + 1
    window = int(np.ceil(max(float(width), 4.0) + 2 * reach)) + 2
    origin = np.floor(np.minimum(a, b) - reach).astype(int)  # (n, 2): x, y of the window
    offsets = np.arange(window)
    # Pixel centres relative to a: x (n, 1, W), y (n, W, 1); d = b - a: (n, 1, 1) each.
    x = (origin[:, 0, None] + offsets + 0.5 - a[:, 0, None])[:, None, :]
    y = (origin[:, 1, None] + offsets + 0.5 - a[:, 1, None])[:, :, None]
    dx, dy = (b - a)[:, 0, None, None], (b - a)[:, 1, None, None]
    t = np.clip((x * dx + y * dy) / np.maximum(dx ** 2 + dy ** 2, 1e-12), 0, 1)
    ink = np.clip(width / 2 + 0.5 - np.hypot(x - t * dx, y - t * dy), 0, 1).astype(np.float32)

    # Where pieces overlap a pixel keeps the darkest value (the canvas would
    # composite instead: that differs only in the 1 px fringe where two
    # strokes cross). Windows go into a canvas padded by a window's width,
    # so that only the ones wholly off the canvas are clamped (onto padding).
    pad, full = window, size + 2 * window
    rows = np.clip(origin[:, 1, None, None] + offsets[:, None], -pad, size + pad - 1) + pad
    cols = np.clip(origin[:, 0, None, None] + offsets[None, :], -pad, size + pad - 1) + pad
    inked = ink > 0
    canvas = np.zeros(full * full, np.float32)
    np.maximum.at(canvas, (rows * full + cols)[inked], ink[inked])
    return canvas.reshape(full, full)[pad:pad + size, pad:pad + size]


def render_strokes(strokes, size=pen.CANVAS_SIZE, width=pen.PEN_WIDTH, margin=MARGIN):
    """Strokes in tablet units -> (size, size) float32 ink in 0..1: what the
    site's canvas holds after the digit is drawn on it (``to_canvas`` then
    ``rasterize``)."""
    return rasterize(to_canvas(strokes, size, margin), size, width)
