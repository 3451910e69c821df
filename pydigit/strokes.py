"""Drawings as strokes, rendered into ink by NumPy: the network's input comes
from the pen's points, never from pixels read back off a screen.

A stroke is a sequence of points (x, y) in 0..1 of the pad's side, x to the
right, y down, as the widget records them (points outside 0..1 are the pen
leaving the pad: their ink is cut off at its edge). A drawing is rendered
onto a ``pen.CANVAS_SIZE`` square with a round pen ``pen.PEN_WIDTH`` wide,
like a canvas 2D context with lineCap = lineJoin = 'round'; a lone point is a
dot. The browser, the evaluation and the figures all render through here, so
they see the very same pixels.
"""

import numpy as np

from . import pen

# Sane bounds for one drawing: a person draws tens of strokes and thousands
# of points; a pointer captured far off the pad is still part of a drawing,
# up to this many pad sides away.
MAX_STROKES = 1_000
MAX_POINTS = 100_000
MAX_COORDINATE = 100.0


def checked_strokes(strokes):
    """strokes: a sequence of (k, 2) point sequences in 0..1 of the pad ->
    a list of (k, 2) float64 arrays. Raises ValueError saying what is wrong."""
    try:
        count = len(strokes)
    except TypeError:
        raise ValueError(f"strokes must be a list of strokes, got {type(strokes).__name__}") from None
    if count > MAX_STROKES:
        raise ValueError(f"{count} strokes: a drawing has at most {MAX_STROKES}")
    checked, points = [], 0
    for i, stroke in enumerate(strokes):
        try:
            array = np.asarray(stroke, np.float64)
        except (TypeError, ValueError):
            raise ValueError(f"stroke {i} is not a sequence of (x, y) numbers") from None
        if array.ndim != 2 or array.shape[1] != 2 or len(array) == 0:
            raise ValueError(f"stroke {i} must be one or more (x, y) points, got shape {array.shape}")
        if not np.isfinite(array).all():
            raise ValueError(f"stroke {i} has a coordinate that is NaN or infinite")
        if np.abs(array).max() > MAX_COORDINATE:
            raise ValueError(f"stroke {i} reaches {np.abs(array).max():.3g} pad sides off the pad "
                             f"(at most {MAX_COORDINATE:g})")
        points += len(array)
        if points > MAX_POINTS:
            raise ValueError(f"more than {MAX_POINTS} points in one drawing")
        checked.append(array)
    return checked


def segments(strokes_px):
    """Strokes (k, 2) in canvas px -> segment ends a, b: (n, 2) float64. A
    one-point stroke is a zero-length segment: a dot."""
    a = np.concatenate([s[:-1] if len(s) > 1 else s for s in strokes_px]).astype(np.float64)
    b = np.concatenate([s[1:] if len(s) > 1 else s for s in strokes_px]).astype(np.float64)
    return a, b


def clip_segments(a, b, low, high):
    """The parts of segments a -> b inside the square [low, high]^2
    (Liang-Barsky): -> (a', b'), segments wholly outside left out."""
    d = b - a
    t0, t1 = np.zeros(len(a)), np.ones(len(a))
    with np.errstate(divide="ignore", invalid="ignore"):
        for p, q in ((-d[:, 0], a[:, 0] - low), (d[:, 0], high - a[:, 0]),
                     (-d[:, 1], a[:, 1] - low), (d[:, 1], high - a[:, 1])):
            t = q / p
            t0 = np.where(p < 0, np.maximum(t0, t), t0)
            t1 = np.where(p > 0, np.minimum(t1, t), t1)
            t1 = np.where((p == 0) & (q < 0), -1.0, t1)  # parallel to the edge, outside it
    keep = t0 <= t1
    return a[keep] + t0[keep, None] * d[keep], a[keep] + t1[keep, None] * d[keep]


def split_segments(a, b, step):
    """Segments a -> b cut into equal pieces at most ``step`` long -> their ends."""
    pieces = np.maximum(np.ceil(np.hypot(*(b - a).T) / step), 1).astype(int)
    segment = np.repeat(np.arange(len(a)), pieces)
    start = np.repeat(np.cumsum(pieces) - pieces, pieces)
    t = ((np.arange(len(segment)) - start) / pieces[segment])[:, None]
    a, d = a[segment], (b - a)[segment]
    return a + t * d, a + (t + 1 / pieces[segment][:, None]) * d


def rasterize(strokes_px, side, width, region):
    """Strokes (k, 2) in px of a (side x side) pad -> float32 ink in 0..1 of
    its pixels in ``region`` (top, bottom, left, right; bottom and right
    exclusive, within the pad), a pen ``width`` px wide.

    Ink at a pixel is ``clip(width / 2 + 0.5 - distance to the path, 0, 1)``,
    the distance measured from the pixel centre (the edge fades over 1 px,
    like anti-aliasing). Each segment piece only reaches a small square window
    of pixels around it, so all pieces of a drawing are computed in one batch
    of (pieces, window, window); pieces about as long as the pen is wide do
    the least work. Where pieces overlap, a pixel keeps the darkest value.
    """
    top, bottom, left, right = region
    reach = width / 2 + 1
    step = max(float(width), 4.0)
    a, b = segments(strokes_px)
    if min(a.min(initial=0), b.min(initial=0)) < -reach or max(a.max(initial=0), b.max(initial=0)) > side + reach:
        a, b = clip_segments(a, b, -reach, side + reach)  # only when the pen left the pad
    out = np.zeros((bottom - top, right - left), np.float32)
    if len(a) == 0 or out.size == 0:
        return out
    a, b = split_segments(a, b, step)
    # Wide enough for the longest piece and the pen's reach around it: a
    # pointer's points are often closer together than ``step``, and the
    # window's area is most of the work.
    window = int(np.ceil(np.hypot(*(b - a).T).max() + 2 * reach)) + 2
    origin = np.floor(np.minimum(a, b) - reach).astype(int)  # (n, 2): x, y of each window
    offsets = np.arange(window, dtype=np.float32)
    # Pixel centres relative to a: x (n, 1, W), y (n, W, 1); d = b - a: (n, 1, 1) each.
    # float32 from here: a hundredth of a pixel is far below what the ink shows.
    corner = (origin + 0.5 - a).astype(np.float32)
    x = (corner[:, 0, None] + offsets)[:, None, :]
    y = (corner[:, 1, None] + offsets)[:, :, None]
    d = (b - a).astype(np.float32)
    dx, dy = d[:, 0, None, None], d[:, 1, None, None]
    t = (x * dx + y * dy) / np.maximum(dx * dx + dy * dy, np.float32(1e-12))
    np.clip(t, 0, 1, out=t)
    ex, ey = x - t * dx, y - t * dy
    ink = np.float32(width / 2 + 0.5) - np.sqrt(ex * ex + ey * ey)
    np.clip(ink, 0, 1, out=ink)
    cells = np.arange(window)
    rows = origin[:, 1, None, None] + cells[:, None] - top   # (n, W, 1), in the region
    cols = origin[:, 0, None, None] + cells[None, :] - left  # (n, 1, W)
    height, breadth = out.shape
    inside = (ink > 0) & (rows >= 0) & (rows < height) & (cols >= 0) & (cols < breadth)
    np.maximum.at(out.reshape(-1), (rows * breadth + cols)[inside], ink[inside])
    return out


def render(strokes, size=pen.CANVAS_SIZE, width=pen.PEN_WIDTH):
    """strokes in 0..1 of the pad -> (size, size) float32 ink in 0..1: the
    whole pad at ``size`` px a side, the pen ``width`` px wide there."""
    strokes_px = [s * size for s in checked_strokes(strokes)]
    return rasterize(strokes_px, size, width, (0, size, 0, size)) if strokes_px else np.zeros((size, size), np.float32)


def ink_extent(strokes, width):
    """Where ink can land, in 0..1 of the pad: the pen's reach around the
    points, within the pad -> (low, high), each (x, y); empty when low >= high."""
    points = np.concatenate(strokes)
    reach = width / 2
    return np.clip(points.min(axis=0) - reach, 0, 1), np.clip(points.max(axis=0) + reach, 0, 1)


def render_ink(strokes, box=pen.INK_BOX, pen_width=pen.PEN_WIDTH):
    """strokes in 0..1 of the pad -> float32 ink in 0..1 of the drawing's
    inked part, rendered straight at the resolution the network needs: the
    pad scaled so that the ink's longer side is about ``box`` px, the pen as
    wide relative to the pad as on screen (``pen_width`` px on a
    pen.CANVAS_SIZE pad). Preprocessing then crops to the ink and averages it
    down to MNIST's 20 px box. (0, 0) when no ink lands on the pad."""
    strokes = checked_strokes(strokes)
    width01 = pen_width / pen.CANVAS_SIZE
    if not strokes:
        return np.zeros((0, 0), np.float32)
    low, high = ink_extent(strokes, width01)
    if (high <= low).any():
        return np.zeros((0, 0), np.float32)
    side = box / float((high - low).max())  # px per pad side
    left, top = np.floor(low * side).astype(int)
    right, bottom = np.ceil(high * side).astype(int)
    return rasterize([s * side for s in strokes], side, width01 * side, (top, bottom, left, right))
