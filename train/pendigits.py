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
# the canvas: the digit spans 70% of the pad, about what people draw on a
# 280 px pad. (Preprocessing rescales the digit anyway; what this changes is
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
    its longer side spans ``1 - 2 * margin`` of the canvas, and centred."""
    points = np.concatenate(strokes)
    low, high = points.min(axis=0), points.max(axis=0)
    scale = (1 - 2 * margin) * size / max(float((high - low).max()), 1e-6)
    offset = size / 2 - scale * (low + high) / 2
    return [(s * scale + offset).astype(np.float32) for s in strokes]


def rasterize(strokes, size=pen.CANVAS_SIZE, width=pen.PEN_WIDTH):
    """Strokes in canvas pixels -> (size, size) float32 ink in 0..1: polylines
    ``width`` px wide with round caps and joins, like a canvas 2D context with
    lineCap = lineJoin = 'round'; the edge fades over 1 px (anti-aliasing).

    Ink at a pixel is ``clip(width / 2 + 0.5 - distance to the path, 0, 1)``,
    the distance measured from the pixel centre. Segments are cut into pieces
    at most ``step`` px long so that each piece only needs a small fixed
    window of pixels around it, all pieces of the drawing in one batch; a
    step near the pen width does the least work.
    """
    step = max(float(width), 4.0)
    a = np.concatenate([s[:max(len(s) - 1, 1)] for s in strokes]).astype(np.float64)
    b = np.concatenate([s[1:] if len(s) > 1 else s for s in strokes]).astype(np.float64)
    pieces = np.maximum(np.ceil(np.linalg.norm(b - a, axis=1) / step), 1).astype(int)
    seg = np.repeat(np.arange(len(a)), pieces)
    first = np.repeat(np.cumsum(pieces) - pieces, pieces)
    t0 = ((np.arange(len(seg)) - first) / pieces[seg])[:, None]
    t1 = t0 + 1 / pieces[seg][:, None]
    a, b = a[seg] + t0 * (b[seg] - a[seg]), a[seg] + t1 * (b[seg] - a[seg])

    reach = width / 2 + 1
    window = int(np.ceil(step + 2 * reach)) + 2
    origin = np.floor(np.minimum(a, b) - reach).astype(int)  # (n, 2) x, y
    offsets = np.arange(window)
    # Pixel centres of each piece's window: px (n, 1, W), py (n, W, 1).
    px = (origin[:, 0, None] + offsets + 0.5)[:, None, :]
    py = (origin[:, 1, None] + offsets + 0.5)[:, :, None]
    d = b - a
    length2 = np.maximum((d ** 2).sum(axis=1), 1e-12)[:, None, None]
    t = np.clip(((px - a[:, 0, None, None]) * d[:, 0, None, None]
                 + (py - a[:, 1, None, None]) * d[:, 1, None, None]) / length2, 0, 1)
    distance = np.hypot(px - a[:, 0, None, None] - t * d[:, 0, None, None],
                        py - a[:, 1, None, None] - t * d[:, 1, None, None])
    ink = np.clip(width / 2 + 0.5 - distance, 0, 1).astype(np.float32)

    # Pixels covered by several pieces keep the darkest value. The canvas is
    # padded so that windows reaching past its edges need no clipping.
    pad, full = window, size + 2 * window
    rows = np.clip(origin[:, 1, None, None] + offsets[None, :, None], -pad, size + pad - 1) + pad
    cols = np.clip(origin[:, 0, None, None] + offsets[None, None, :], -pad, size + pad - 1) + pad
    inked = ink > 0
    canvas = np.zeros(full * full, np.float32)
    np.maximum.at(canvas, (rows * full + cols)[inked], ink[inked])
    canvas = canvas.reshape(full, full)
    return canvas[pad:pad + size, pad:pad + size]


def render_strokes(strokes, size=pen.CANVAS_SIZE, width=pen.PEN_WIDTH, margin=MARGIN):
    """Strokes in tablet units -> (size, size) float32 ink in 0..1: what the
    site's canvas holds after the digit is drawn on it (``to_canvas`` then
    ``rasterize``)."""
    return rasterize(to_canvas(strokes, size, margin), size, width)
