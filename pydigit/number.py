"""``recognize_number``: a number written on one line, read digit by digit.

The drawing is cut into digits (segmentation), each digit goes through the
very MNIST preprocessing a single digit goes through (``preprocess_stages``)
and the network reads all of them in one batch.

Segmentation, from pixels (``recognize_number``):
1. ink components: 8-connected runs of ink, labelled by union-find in NumPy;
2. components are grouped into digits: pieces whose x-extents overlap belong
   to one digit (a '5''s hat, a '4' or a '7' drawn in two strokes), specks go
   to their nearest neighbour (a dot at a loose stroke's end);
3. a group wider than one digit (touching digits) is cut: candidate cuts at
   the columns with the least ink, every run of pieces between two cuts a
   candidate digit, all of them read by the network in one batch, and the
   cutting whose digits the network is surest of (dynamic programming over
   the cuts) is kept, the uncut group being one of the candidates.

From strokes (``recognize_number_strokes``, what the widget sends), the
strokes are grouped the same way instead of ink components, and each group is
rendered on its own (``strokes.rasterize``, as ``recognize_strokes`` renders
a drawing): digits that touch but were drawn with different strokes come
apart for free; only a group wider than a digit (digits joined in one stroke)
needs the cut search.
"""

import time
from dataclasses import dataclass

import numpy as np

from . import pen
from .model import Model
from .preprocess import INK_THRESHOLD, EmptyDrawing, as_ink, ink_levels, preprocess_stages
from .recognize import Prediction, bundled_model
from .strokes import checked_strokes, rasterize

# Hard limits: past them a drawing is refused with a ValueError rather than
# read slowly. A number is at most MAX_DIGITS digits; at most MAX_PIECES ink
# pieces larger than specks are grouped (Python loops run over them), out of
# MAX_MARKS components in all.
MAX_DIGITS = 12
MAX_PIECES = 64
MAX_MARKS = 1_000        # components of any size, specks included
MAX_PIXELS = 4_000_000
MAX_ASPECT = 16.0        # pad width / height for strokes
# Two pieces are one digit when their x-extents (points, or ink less half the
# pen each side) overlap by OVERLAP of the narrower one (at least a pen wide);
# neighbours less than NEAR pen widths apart may be one digit (a '4' whose
# upright barely meets its arm): the network decides.
OVERLAP = 0.2
NEAR = 0.1
# A piece no larger than this fraction of the line's height is a speck: a dot,
# a loose stroke end. It joins the nearest digit instead of being one.
SPECK = 0.25
# A group wider than this many line heights may hold touching digits and is
# searched for cuts. From strokes, only digits joined in one stroke need it
# (the widest recorded single digits, '0' and '2', are ~1.6 times as wide as
# tall); from pixels, any two touching digits do.
WIDE_STROKES = 1.8
WIDE_IMAGE = 0.55
# The cut search: candidate cuts per line height of width (at most MAX_CUTS),
# a digit's width in line heights. A reading's score is the sum of its
# digits' log confidences, each digit adding DIGIT_BONUS and each cut
# CUT_PENALTY less: the network is sure of many a fragment of a digit
# (tuned on train/numbers_eval.py).
CUTS_PER_HEIGHT = 4
MAX_CUTS = 16
DIGIT_WIDTH = (0.12, 1.7)
DIGIT_BONUS = 0.0
CUT_PENALTY = 0.5


@dataclass
class NumberPrediction:
    """text: the digits read, left to right ("" never: an empty drawing
    raises); digits: one ``Prediction`` per digit; boxes: each digit's
    (top, bottom, left, right), bottom and right exclusive, in pixels of the
    image (``recognize_number``) or in pad heights (``recognize_number_strokes``);
    timings: milliseconds spent in ``segment`` (from strokes ``segment+render``), ``preprocess``
    and the one ``forward`` pass."""

    text: str
    digits: list
    boxes: list
    timings: dict


# --- ink components -------------------------------------------------------

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


@dataclass
class Pieces:
    """Ink pieces (strokes or components), one entry each: x0, x1: the core's
    x-extent (points, or ink less half the pen each side); boxes: (n, 4)
    (top, bottom, left, right) of the piece's ink."""

    x0: np.ndarray
    x1: np.ndarray
    boxes: np.ndarray


def components(levels, full):
    """levels: (H, W) from ``ink_levels`` -> (Pieces, labels (H, W) int32 of
    the component each inked pixel belongs to, -1 for none, pen width px).
    Ink is what preprocessing counts as ink: INK_THRESHOLD of the peak."""
    peak = levels.max()
    if peak <= 1e-3 * full:
        raise EmptyDrawing("the drawing is empty: draw a number first")
    binary = levels >= (-(-int(peak) // 10) if full == 255 else INK_THRESHOLD * peak)
    rows, starts, ends = ink_runs(binary)
    labels, count = label_runs(rows, starts, ends, levels.shape[1])
    if count > MAX_MARKS:
        raise ValueError(f"{count} separate marks: a number has at most {MAX_MARKS}")
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


# --- grouping pieces into digits --------------------------------------------

def group_pieces(pieces, pen_width):
    """Pieces, pen_width in their units -> (groups, maybe_one, line_height):
    groups: index arrays into the pieces, left to right, pieces whose cores
    overlap in x (by OVERLAP of the narrower, at least a pen wide) in one, and
    each speck with the group nearest in x; maybe_one: (len(groups) - 1,)
    bool, neighbours so near (NEAR) that they may be one digit, for the
    network to decide; line_height: the tallest piece's height.
    Raises ValueError past MAX_PIECES pieces or 2 * MAX_DIGITS groups."""
    heights = pieces.boxes[:, 1] - pieces.boxes[:, 0]
    line_height = float(heights.max())
    specks = np.maximum(heights, pieces.boxes[:, 3] - pieces.boxes[:, 2]) <= SPECK * line_height
    big = np.flatnonzero(~specks)
    if len(big) > MAX_PIECES:
        raise ValueError(f"{len(big)} separate marks: a number has at most {MAX_PIECES}")
    groups, extents, maybe_one = [], [], []
    for i in big[np.argsort((pieces.x0 + pieces.x1)[big], kind="stable")]:
        x0, x1 = pieces.x0[i], pieces.x1[i]
        if groups:
            g0, g1 = extents[-1]
            overlap = min(x1, g1) - max(x0, g0)
            if overlap > OVERLAP * max(min(x1 - x0, g1 - g0), pen_width):
                groups[-1].append(i)
                extents[-1] = (min(g0, x0), max(g1, x1))
                continue
            maybe_one.append(overlap > -NEAR * pen_width)
        groups.append([i])
        extents.append((x0, x1))
    if len(groups) > 2 * MAX_DIGITS:
        raise ValueError(f"{len(groups)} separate marks side by side: a number has at most {MAX_DIGITS} digits")
    if not groups:  # only specks: they are one small digit
        return [np.flatnonzero(specks)], np.zeros(0, bool), line_height
    low, high = np.array(extents).T
    speck = np.flatnonzero(specks)
    gaps = np.maximum(low[None, :] - pieces.x1[speck, None], pieces.x0[speck, None] - high[None, :])
    for i, nearest in zip(speck, gaps.argmin(axis=1)):
        groups[nearest].append(i)
    return [np.array(sorted(g)) for g in groups], np.array(maybe_one, bool), line_height


# --- the cut search ---------------------------------------------------------

def cut_columns(ink, pen_px, line_height):
    """ink: (h, w) float32 of one group -> sorted candidate cut columns: the
    columns with the least ink (column sums smoothed over a pen width), a pen
    width apart and DIGIT_WIDTH[0] from either side; CUTS_PER_HEIGHT per line
    height of width, at most MAX_CUTS."""
    w = ink.shape[1]
    margin = max(int(DIGIT_WIDTH[0] * line_height), 1)
    if w <= 2 * margin:
        return []
    span = max(int(round(pen_px)), 1)
    wanted = min(MAX_CUTS, int(np.ceil(CUTS_PER_HEIGHT * w / line_height)))
    profile = np.convolve(ink.sum(axis=0), np.ones(span, np.float32) / span, "same")
    order = np.argsort(profile[margin:w - margin], kind="stable") + margin
    cuts = []
    for column in order[:8 * wanted].tolist():  # the lowest columns, spread apart
        if all(abs(column - c) >= span for c in cuts):
            cuts.append(column)
            if len(cuts) == wanted:
                break
    return sorted(cuts)


def cut_segments(ink, pen_px, line_height):
    """-> candidate digits (start, end) of ``ink``'s columns, from an edge or
    cut to the next ones, DIGIT_WIDTH line heights wide, with ink; the whole
    group not among them."""
    edges = [0, *cut_columns(ink, pen_px, line_height), ink.shape[1]]
    low, high = DIGIT_WIDTH[0] * line_height, DIGIT_WIDTH[1] * line_height
    return [(a, b) for i, a in enumerate(edges) for b in edges[i + 1:]
            if low <= b - a <= high and (a, b) != (0, ink.shape[1]) and ink[:, a:b].max() > 0]


def best_cutting(width, segments, scores):
    """Candidate digits (start, end) covering parts of 0..width, each with
    its score -> (total, the digits covering 0..width with the highest total),
    by dynamic programming over the cuts; (-inf, None) if none covers it."""
    best = {0: (0.0, [])}
    for (a, b), score in sorted(zip(segments, scores), key=lambda item: item[0][1]):
        if a in best and best[a][0] + score > best.get(b, (-np.inf,))[0]:
            best[b] = (best[a][0] + score, best[a][1] + [(a, b)])
    return best.get(width, (-np.inf, None))


# --- reading the digits -----------------------------------------------------

def read_number(model, groups, maybe_one, wide, whole_ink, line_ink):
    """groups, maybe_one: from ``group_pieces``; wide: per group, whether to
    search cuts in it; whole_ink(pieces) -> (h, w) float32, some pieces' ink as
    one digit; line_ink(pieces) -> (ink (h, w) float32, line height px, pen
    px), a wide group's ink to cut ->
    (list of (pieces, (start, end) columns of line_ink or None, stages,
    probabilities (10,))), timings.

    Every candidate digit (each group whole, the cuts of wide groups, two
    neighbours that may be one digit) is read in ONE forward pass; the
    reading kept is the one with the highest sum of log confidence +
    DIGIT_BONUS over its digits (dynamic programming over the groups).
    """
    inks, owners = [], []
    for i, pieces in enumerate(groups):
        inks.append(whole_ink(pieces))
        owners.append(("whole", i, None))
        if wide[i]:
            ink, line_height, pen_px = line_ink(pieces)
            for a, b in cut_segments(ink, pen_px, line_height):
                inks.append(ink[:, a:b])
                owners.append(("cut", i, (a, b, ink.shape[1])))
        if i < len(maybe_one) and maybe_one[i] and not wide[i] and not wide[i + 1]:
            inks.append(whole_ink(np.concatenate([pieces, groups[i + 1]])))
            owners.append(("pair", i, None))
    started = time.perf_counter()
    stages = [preprocess_stages(ink) for ink in inks]
    preprocessed = time.perf_counter()
    probabilities = model.predict_proba(np.stack([s.centred for s in stages])[:, :, :, None])
    finished = time.perf_counter()
    scores = np.log(np.maximum(probabilities.max(axis=1), 1e-12)).tolist()
    # Per group: its best reading, (score, [(candidate, segment)]).
    alone, pairs = [], {}
    for i in range(len(groups)):
        mine = [k for k, owner in enumerate(owners) if owner[1] == i]
        whole = next(k for k in mine if owners[k][0] == "whole")
        cuts = [k for k in mine if owners[k][0] == "cut"]
        pairs.update((i, k) for k in mine if owners[k][0] == "pair")
        reading = (scores[whole] + DIGIT_BONUS, [(whole, None)])
        if cuts:
            width = owners[cuts[0]][2][2]
            segments = [(0, width)] + [owners[k][2][:2] for k in cuts]
            total, chosen = best_cutting(width, segments, [reading[0]] + [scores[k] + DIGIT_BONUS - CUT_PENALTY for k in cuts])
            if chosen is not None and total > reading[0]:
                reading = (total, [(cuts[segments.index(s) - 1], s) for s in chosen])
        alone.append(reading)
    best = [(0.0, [])]  # best[i]: the best reading of the first i groups
    for i in range(1, len(groups) + 1):
        options = [(best[i - 1][0] + alone[i - 1][0], best[i - 1][1] + [(groups[i - 1], k, s) for k, s in alone[i - 1][1]])]
        if i >= 2 and i - 2 in pairs:
            k = pairs[i - 2]
            options.append((best[i - 2][0] + scores[k] + DIGIT_BONUS,
                            best[i - 2][1] + [(np.concatenate([groups[i - 2], groups[i - 1]]), k, None)]))
        best.append(max(options, key=lambda option: option[0]))
    digits = [(pieces, segment, stages[k], probabilities[k]) for pieces, k, segment in best[-1][1]]
    if len(digits) > MAX_DIGITS:
        raise ValueError(f"{len(digits)} digits: a number has at most {MAX_DIGITS}")
    return digits, {"preprocess": (preprocessed - started) * 1000, "forward": (finished - preprocessed) * 1000}


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
    return model if isinstance(model, Model) else bundled_model(model)


# --- the image path ---------------------------------------------------------

def recognize_number(image, model="cnn"):
    """image: (H, W) drawing of one or more digits on one line, left to
    right, ink high, 0..255 or 0..1 (as ``recognize`` takes it); model: a
    bundled name or a loaded ``Model`` -> ``NumberPrediction``, boxes in
    pixels of ``image``.

    Raises ``EmptyDrawing`` when there is no ink, ValueError for what is not
    a 2-D image or not a number of at most MAX_DIGITS digits.
    """
    model = as_model(model)
    started = time.perf_counter()
    levels, full = ink_levels(image)
    if levels.size > MAX_PIXELS:
        raise ValueError(f"a {levels.shape[0]}x{levels.shape[1]} image: at most {MAX_PIXELS:,} pixels")
    pieces, label_image, pen_px = components(levels, full)
    groups, maybe_one, line_height = group_pieces(pieces, pen_px)

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

    wide = [float(np.ptp(pieces.boxes[g][:, 2:])) > WIDE_IMAGE * line_height for g in groups]
    segmented = time.perf_counter()
    digits, timings = read_number(model, groups, maybe_one, wide, whole_ink,
                                  lambda mine: (whole_ink(mine), line_height, pen_px))
    boxes = []
    for mine, segment, _, _ in digits:
        top, bottom, left, right = box(mine)
        if segment is not None:
            rows = np.flatnonzero(whole_ink(mine)[:, segment[0]:segment[1]].max(axis=1) > 0)
            top, bottom, left, right = top + rows[0], top + rows[-1] + 1, left + segment[0], left + segment[1]
        boxes.append((int(top), int(bottom), int(left), int(right)))
    return number_prediction(digits, boxes, {"segment": (segmented - started) * 1000, **timings})


# --- the strokes path -------------------------------------------------------

def render_group(strokes, aspect, box, by_height=False):
    """strokes: (k, 2) in pad heights -> (float32 ink of their inked part,
    (top, bottom, left, right) of it in pad heights, or None for no ink).
    Rendered as ``strokes.render_ink`` renders a drawing, the pen as wide
    relative to the pad's height as on the square pad: the ink's longer side
    (or, ``by_height``, its height) ``box`` px. Ink past the pad's edges,
    0..aspect by 0..1, is cut off."""
    width = pen.PEN_WIDTH / pen.CANVAS_SIZE
    points = np.concatenate(strokes)
    edge = np.array([aspect, 1.0])
    low = np.clip(points.min(axis=0) - width / 2, 0, edge)
    high = np.clip(points.max(axis=0) + width / 2, 0, edge)
    if (high <= low).any():
        return np.zeros((0, 0), np.float32), None
    side = box / float(high[1] - low[1] if by_height else (high - low).max())  # px per pad height
    left, top = np.floor(low * side).astype(int)
    right, bottom = np.ceil(high * side).astype(int)
    ink = rasterize([s * side for s in strokes], side * max(aspect, 1.0), width * side, (top, bottom, left, right))
    return ink, (float(low[1]), float(high[1]), float(low[0]), float(high[0]))


def recognize_number_strokes(strokes, model="cnn", aspect=4.0):
    """strokes: the number as the number pad records it, a list of strokes,
    each a sequence of (x, y) in pad HEIGHTS (y in 0..1 down, x in 0..aspect
    right); model: as for ``recognize``; aspect: the pad's width / height ->
    ``NumberPrediction``, boxes in pad heights.

    The pen is as wide relative to the pad's height as on the square pad
    (``pen.PEN_WIDTH / pen.CANVAS_SIZE`` of it), so a single digit gives what
    ``recognize_strokes`` gives for the same strokes.
    Raises ``EmptyDrawing`` when no ink lands on the pad, ValueError for
    strokes that are not a drawing (``strokes.checked_strokes``), an aspect
    outside 0..MAX_ASPECT, or not a number of at most MAX_DIGITS digits.
    """
    model = as_model(model)
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
    groups, maybe_one, line_height = group_pieces(Pieces(low[:, 0], high[:, 0], boxes), pen_width)

    def line_ink(mine):
        ink, (top, bottom, _, _) = render_group([strokes[i] for i in mine], aspect, pen.INK_BOX, by_height=True)
        scale = pen.INK_BOX / (bottom - top)  # px per pad height
        return ink, line_height * scale, pen_width * scale

    wide = [float(np.ptp(boxes[g][:, 2:])) > WIDE_STROKES * line_height for g in groups]
    digits, timings = read_number(model, groups, maybe_one, wide,
                                  lambda mine: render_group([strokes[i] for i in mine], aspect, pen.INK_BOX)[0],
                                  line_ink)
    digit_boxes = []
    for mine, segment, _, _ in digits:
        _, (top, bottom, left, right) = render_group([strokes[i] for i in mine], aspect, 1)
        if segment is not None:
            scale = pen.INK_BOX / (bottom - top)
            left, right = left + segment[0] / scale, left + segment[1] / scale
        digit_boxes.append((top, bottom, left, right))
    return number_prediction(digits, digit_boxes, {"segment+render": (time.perf_counter() - started) * 1000
                                                   - timings["preprocess"] - timings["forward"], **timings})
