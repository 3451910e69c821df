"""``recognize_number``: a number written on one line, read digit by digit.

The drawing is cut into digits (segmentation), each digit goes through the
very MNIST preprocessing a single digit goes through (``preprocess_stages``)
and the network reads all of them in one batch.

Segmentation, from pixels (``recognize_number``):
1. ink components: 8-connected runs of ink (``pydigit.components``);
2. components are grouped into digits (``pydigit.grouping``): overlapping
   pieces are one digit, specks join their neighbour, and neighbours that
   nearly meet or hang above one another may be one digit: both readings
   are scored;
3. a group wider than one digit (touching digits) is cut (``pydigit.cuts``):
   candidate cuts down the columns with the least ink and along the seams
   through the least ink, the ink between two cuts a candidate digit;
4. every candidate is read by the network in one batch, and the reading of
   the line kept is the one whose digits the network is surest of, cuts
   through strokes and digits wider than one or shorter than the line
   counting against it, by dynamic programming (``pydigit.reading``).

From strokes (``recognize_number_strokes``, what the widget sends), the
strokes are grouped the same way instead of ink components, and each group is
rendered on its own (``strokes.rasterize``, as ``recognize_strokes`` renders
a drawing): digits that touch but were drawn with different strokes come
apart for free; only a group wider than a digit (digits joined in one stroke)
needs the cut search. And the strokes say how each digit was written: the
trajectory network (``pydigit.trajectory``) reads that, and its vote is
multiplied into the image network's. A number's digits must all be right,
and the two networks err on different digits: the image network on a '1'
with a long flag or a crossed '7', which look like a '7' and a '2', the
trajectory network on what was written in an unusual order. A
``DigitMemo`` the caller keeps between calls spares the digits already read
while the next one is being drawn.
"""

import time
from dataclasses import dataclass

import numpy as np

from . import pen
from .components import Pieces, components
from .grouping import group_pieces
from .model import INPUT_SHAPE
from .preprocess import EmptyDrawing, as_ink, ink_levels
from .reading import DigitMemo, read_number  # DigitMemo: what callers keep between calls
from .recognize import Prediction, network_reading
from .strokes import checked_strokes, rasterize
from .trajectory import FEATURES
from .weights_file import TRAJECTORY

# Hard limits: past them a drawing is refused with a ValueError rather than
# read slowly (the number's digits and pieces: pydigit.grouping).
MAX_PIXELS = 4_000_000
MAX_ASPECT = 16.0        # pad width / height for strokes
# A group wider than this many line heights may hold touching digits and is
# searched for cuts. From strokes, only digits joined in one stroke need it
# (the widest recorded single digits, '0' and '2', are ~1.6 times as wide as
# tall); from pixels, any two touching digits do.
WIDE_STROKES = 1.8
WIDE_IMAGE = 0.55


@dataclass
class NumberPrediction:
    """text: the digits read, left to right ("" never: an empty drawing
    raises); digits: one ``Prediction`` per digit; boxes: each digit's
    (top, bottom, left, right), bottom and right exclusive, in pixels of the
    image (``recognize_number``) or in pad heights (``recognize_number_strokes``);
    timings: milliseconds spent in ``segment`` (from strokes
    ``segment+render``), ``preprocess`` and ``forward`` (one pass, a second
    for a cut search; 0 when every digit came from a ``DigitMemo``)."""

    text: str
    digits: list
    boxes: list
    timings: dict


def number_prediction(digits, boxes, timings):
    """Digits from ``read_number``, their boxes, timings -> ``NumberPrediction``;
    each digit's timings are its share of the batch's."""
    share = {"preprocess": timings["preprocess"] / len(digits), "forward": timings["forward"] / len(digits)}
    predictions = []
    for _, _, stages, probabilities in digits:
        digit = int(probabilities.argmax())
        predictions.append(Prediction(digit=digit, probabilities=probabilities,
                                      confidence=float(probabilities[digit]), input28=stages.centred,
                                      stages=stages, timings=dict(share)))
    return NumberPrediction(text="".join(str(p.digit) for p in predictions), digits=predictions,
                            boxes=boxes, timings=timings)


def as_model(model):
    return network_reading(model, INPUT_SHAPE, "a 28x28 image")


# --- the image path ---------------------------------------------------------

def recognize_number(image, model="cnn"):
    """image: (H, W) drawing of one or more digits on one line, left to
    right, ink high, 0..255 or 0..1 (as ``recognize`` takes it); model: a
    bundled name or a loaded ``Model`` -> ``NumberPrediction``, boxes in
    pixels of ``image``.

    Raises ``EmptyDrawing`` when there is no ink, ValueError for what is not
    a 2-D image or not a number of at most ``grouping.MAX_DIGITS`` digits.
    """
    model = as_model(model)
    started = time.perf_counter()
    levels, full = ink_levels(image)
    if levels.size > MAX_PIXELS:
        raise ValueError(f"a {levels.shape[0]}x{levels.shape[1]} image: at most {MAX_PIXELS:,} pixels")
    pieces, label_image, pen_px = components(levels, full)
    line = group_pieces(pieces, pen_px)

    def box(mine):
        b = pieces.boxes[mine]
        return b[:, 0].min(), b[:, 1].max(), b[:, 2].min(), b[:, 3].max()

    def whole_ink(mine):
        # The pieces' own ink: other pieces' pixels in their box left out, the
        # faint edge pixels that belong to none kept, as recognize sees them.
        top, bottom, left, right = box(mine)
        labels = label_image[top:bottom, left:right]
        others = (labels >= 0) & ~np.isin(labels, mine)
        return as_ink(np.where(others, 0, levels[top:bottom, left:right]), full)

    wide = line.spans[:, 1] - line.spans[:, 0] > WIDE_IMAGE * line.height
    segmented = time.perf_counter()
    digits, timings = read_number(model, line, wide, whole_ink, lambda mine: (whole_ink(mine), line.height, pen_px),
                                  key=lambda mine: mine.tobytes())
    boxes = []
    for mine, part, _, _ in digits:
        top, bottom, left, right = box(mine)
        if part is not None:
            top, bottom, left, right = top + part[0], top + part[1], left + part[2], left + part[3]
        boxes.append((int(top), int(bottom), int(left), int(right)))
    return number_prediction(digits, boxes, {"segment": (segmented - started) * 1000, **timings})


# --- the strokes path -------------------------------------------------------

def ink_box(strokes, aspect):
    """strokes: (k, 2) in pad heights -> (top, bottom, left, right) in pad
    heights of where their ink lands on the pad, 0..aspect by 0..1 (empty
    when bottom <= top or right <= left)."""
    width = pen.PEN_WIDTH / pen.CANVAS_SIZE
    points = np.concatenate(strokes)
    edge = np.array([aspect, 1.0])
    low = np.clip(points.min(axis=0) - width / 2, 0, edge)
    high = np.clip(points.max(axis=0) + width / 2, 0, edge)
    return float(low[1]), float(high[1]), float(low[0]), float(high[0])


def render_group(strokes, aspect, box, by_height=False):
    """strokes: (k, 2) in pad heights -> float32 ink of their inked part
    ((0, 0) for none), rendered as ``strokes.render_ink`` renders a drawing,
    the pen as wide relative to the pad's height as on the square pad: the
    ink's longer side (or, ``by_height``, its height) ``box`` px. Ink past
    the pad's edges, 0..aspect by 0..1, is cut off."""
    top, bottom, left, right = ink_box(strokes, aspect)
    if bottom <= top or right <= left:
        return np.zeros((0, 0), np.float32)
    side = box / (bottom - top if by_height else max(bottom - top, right - left))  # px per pad height
    region = (int(np.floor(top * side)), int(np.ceil(bottom * side)),
              int(np.floor(left * side)), int(np.ceil(right * side)))
    width = pen.PEN_WIDTH / pen.CANVAS_SIZE
    return rasterize([s * side for s in strokes], side * max(aspect, 1.0), width * side, region)


def recognize_number_strokes(strokes, model="cnn", aspect=4.0, memo=None, trajectory=TRAJECTORY):
    """strokes: the number as the number pad records it, a list of strokes,
    each a sequence of (x, y) in pad HEIGHTS (y in 0..1 down, x in 0..aspect
    right); model: as for ``recognize``; aspect: the pad's width / height;
    memo: None, or a ``DigitMemo`` the caller keeps for this model while the
    number is drawn (the answer is the same with or without it); trajectory:
    the network that reads how each digit was written, a bundled name or a
    loaded ``Model``, or None for the image network alone ->
    ``NumberPrediction``, boxes in pad heights.

    The pen is as wide relative to the pad's height as on the square pad
    (``pen.PEN_WIDTH / pen.CANVAS_SIZE`` of it), so, with ``trajectory=None``,
    a single digit gives what ``recognize_strokes`` gives for the same strokes.
    Raises ``EmptyDrawing`` when no ink lands on the pad, ValueError for
    strokes that are not a drawing (``strokes.checked_strokes``), an aspect
    outside 0..MAX_ASPECT, or not a number of at most ``grouping.MAX_DIGITS`` digits.
    """
    model = as_model(model)
    trajectory = None if trajectory is None else network_reading(trajectory, (FEATURES,), "trajectory features")
    started = time.perf_counter()
    aspect = float(aspect)
    if not 0 < aspect <= MAX_ASPECT:
        raise ValueError(f"the pad's aspect (width / height) must be in 0..{MAX_ASPECT:g}, got {aspect:g}")
    pen_width = pen.PEN_WIDTH / pen.CANVAS_SIZE
    edge = np.array([aspect, 1.0])
    # Strokes whose ink lands on the pad; the rest is cut off at its edge.
    strokes = [s for s in checked_strokes(strokes)
               if ((s > -pen_width / 2) & (s < edge + pen_width / 2)).all(axis=1).any()]
    if not strokes:
        raise EmptyDrawing("the drawing is empty: draw a number first")
    low = np.array([s.min(axis=0) for s in strokes])
    high = np.array([s.max(axis=0) for s in strokes])
    boxes = np.stack([low[:, 1], high[:, 1], low[:, 0], high[:, 0]], axis=1) + pen_width / 2 * np.array([-1, 1, -1, 1])
    line = group_pieces(Pieces(low[:, 0], high[:, 0], boxes), pen_width)

    def mine(pieces):
        return [strokes[i] for i in pieces]

    def written(pieces):  # in the order they were drawn
        return [strokes[i] for i in sorted(pieces)]

    def line_ink(pieces):
        top, bottom, _, _ = ink_box(mine(pieces), aspect)
        scale = pen.INK_BOX / (bottom - top)  # px per pad height
        return render_group(mine(pieces), aspect, pen.INK_BOX, by_height=True), line.height * scale, pen_width * scale

    def key(pieces):  # the exact strokes, where each starts, and the pad they are cut off at
        return (aspect, np.array([len(s) for s in mine(pieces)]).tobytes(), np.concatenate(mine(pieces)).tobytes())

    wide = line.spans[:, 1] - line.spans[:, 0] > WIDE_STROKES * line.height
    digits, timings = read_number(model, line, wide, lambda pieces: render_group(mine(pieces), aspect, pen.INK_BOX),
                                  line_ink, key, memo, None if trajectory is None else (trajectory, written))
    digit_boxes = []
    for pieces, part, _, _ in digits:
        top, bottom, left, right = ink_box(mine(pieces), aspect)
        if part is not None:  # in px of the line ink, which starts at the pixel the ink's corner is in
            scale = pen.INK_BOX / (bottom - top)
            y, x = np.floor(top * scale), np.floor(left * scale)
            top, bottom, left, right = ((y + part[0]) / scale, (y + part[1]) / scale,
                                        (x + part[2]) / scale, (x + part[3]) / scale)
        digit_boxes.append((top, bottom, left, right))
    return number_prediction(digits, digit_boxes, {"segment+render": (time.perf_counter() - started) * 1000
                                                   - timings["preprocess"] - timings["forward"], **timings})
