"""``recognize_number``: a number written on one line, read digit by digit.

The drawing is cut into digits (segmentation), each digit goes through the
very MNIST preprocessing a single digit goes through (``preprocess_stages``)
and the network reads all of them in one batch.

Segmentation, from pixels (``recognize_number``):
1. ink components: 8-connected runs of ink (``pydigit.components``);
2. components are grouped into digits: pieces whose x-extents overlap belong
   to one digit (a '5''s hat, a '4' or a '7' drawn in two strokes), specks go
   to their nearest neighbour (a dot at a loose stroke's end); neighbours that
   nearly meet, or of which one hangs above the other's baseline (the left
   half of a '4' drawn in two strokes), may be one digit: both readings are
   scored;
3. a group wider than one digit (touching digits) is cut (``pydigit.cuts``):
   candidate cuts down the columns with the least ink and along the seams
   through the least ink, the ink between two cuts a candidate digit, all of
   them read by the network in one batch; the cutting kept is the one whose
   digits the network is surest of, cuts through strokes and digits wider
   than one or shorter than the line counting against it (dynamic
   programming over the cuts), the uncut group being one of the candidates.

From strokes (``recognize_number_strokes``, what the widget sends), the
strokes are grouped the same way instead of ink components, and each group is
rendered on its own (``strokes.rasterize``, as ``recognize_strokes`` renders
a drawing): digits that touch but were drawn with different strokes come
apart for free; only a group wider than a digit (digits joined in one stroke)
needs the cut search. A ``DigitMemo`` the caller keeps between calls spares
the digits already read while the next one is being drawn.
"""

import time
from dataclasses import dataclass

import numpy as np

from . import pen
from .components import Pieces, TooManyMarks, components
from .cuts import best_cutting, cut_candidates
from .model import Model
from .preprocess import EmptyDrawing, as_ink, ink_levels, preprocess_stages
from .recognize import Prediction, bundled_model
from .strokes import checked_strokes, rasterize

# Hard limits: past them a drawing is refused with a ValueError rather than
# read slowly. A number is at most MAX_DIGITS digits; at most MAX_PIECES ink
# pieces larger than specks are grouped (Python loops run over them).
MAX_DIGITS = 12
MAX_PIECES = 64
MAX_PIXELS = 4_000_000
MAX_ASPECT = 16.0        # pad width / height for strokes
# Two pieces are one digit when their x-extents (points, or ink less half the
# pen each side) overlap by OVERLAP of the narrower one (at least a pen wide);
# neighbours less than NEAR pen widths apart may be one digit (a '4' whose
# upright barely meets its arm): the network decides.
OVERLAP = 0.2
NEAR = 0.1
# A digit stands on the line: a group whose bottom is more than HANG line
# heights above its neighbour's, at most NEAR_HANGING line heights from it,
# is likely part of that neighbour (the arm of a '4', the hat of a '5'); read
# alone, it scores HANG_PENALTY less (tuned on train/numbers_eval.py).
HANG = 0.15
NEAR_HANGING = 0.1
HANG_PENALTY = 2.0
# A piece no larger than this fraction of the line's height is a speck: a dot,
# a loose stroke end. It joins the nearest digit instead of being one.
SPECK = 0.25
# A group wider than this many line heights may hold touching digits and is
# searched for cuts. From strokes, only digits joined in one stroke need it
# (the widest recorded single digits, '0' and '2', are ~1.6 times as wide as
# tall); from pixels, any two touching digits do.
WIDE_STROKES = 1.8
WIDE_IMAGE = 0.55
# A reading's score is the sum of its digits' log confidences (the network
# is sure of many a fragment of a digit, and of many a pair of touching
# digits read as one), less: per cut CUT_PENALTY (negative: a bonus, a cut
# through nothing splits like a gap) and CROSSING_PENALTY per stroke it
# crosses; per digit WIDTH_PENALTY per line height it is wider than
# WIDTH_TYPICAL (few recorded digits are wider than tall; two touching
# digits are) and, for a cut-out digit, SHORT_PENALTY per line height it is
# shorter than SHORTEST (digits on a line are about as tall as it; slivers
# of a digit are not). A wide group is cut only when, read whole, it is less
# sure than SURE or wider than WIDEST line heights: a cut search reads tens
# of candidates (all tuned on train/numbers_eval.py, another seed than its
# report's).
CUT_PENALTY = -1.0
CROSSING_PENALTY = 1.75
WIDTH_TYPICAL = 0.85
WIDTH_PENALTY = 4.0
SHORTEST = 0.75
SHORT_PENALTY = 4.0
SURE = 0.999
WIDEST = 1.5


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


class DigitMemo:
    """What one model read of the candidate digits of a drawing, kept by the
    caller between calls while a number is being drawn, so that the digits
    already drawn are neither rendered nor read again: only those whose
    strokes changed are. Keyed by the exact bytes of a candidate's strokes
    and the pad's aspect (a cut search also by the line's height); handed
    another model than the last, it starts over. At most ``size`` entries,
    the least recently used dropped first. The arrays it keeps (and the
    ``Prediction``s made from them) are read-only."""

    def __init__(self, size=128):
        self.size = size
        self.model = None
        self.entries = {}

    def get(self, model, key):
        """-> what ``put`` kept for ``model`` under ``key``, or None."""
        if model is not self.model:
            self.model, self.entries = model, {}
        value = self.entries.pop(key, None)
        if value is not None:
            self.entries[key] = value  # the most recently used last
        return value

    def put(self, model, key, value):
        if model is not self.model:
            self.model, self.entries = model, {}
        self.entries[key] = value
        while len(self.entries) > self.size:
            del self.entries[next(iter(self.entries))]


# --- grouping pieces into digits --------------------------------------------

@dataclass
class Line:
    """Pieces grouped into candidate digits, left to right. groups: index
    arrays into the pieces; maybe_one: (len(groups) - 1,) bool, neighbours
    that may be one digit, for the network to decide; hanging: (len(groups),)
    bool, groups that hang above a neighbour they may belong to; spans:
    (len(groups), 2) float, each group's ink from left to right; height: the
    tallest piece's height (spans and height in the pieces' units)."""

    groups: list
    maybe_one: np.ndarray
    hanging: np.ndarray
    spans: np.ndarray
    height: float


def group_pieces(pieces, pen_width):
    """Pieces, pen_width in their units -> ``Line``: pieces whose cores
    overlap in x (by OVERLAP of the narrower, at least a pen wide) in one
    group, and each speck with the group nearest in x.
    Raises ValueError past MAX_PIECES pieces or 2 * MAX_DIGITS groups."""
    heights = pieces.boxes[:, 1] - pieces.boxes[:, 0]
    line_height = float(heights.max())
    specks = np.maximum(heights, pieces.boxes[:, 3] - pieces.boxes[:, 2]) <= SPECK * line_height
    big = np.flatnonzero(~specks)
    if len(big) > MAX_PIECES:
        raise TooManyMarks(f"{len(big)} separate marks: a number has at most {MAX_PIECES}")
    if not len(big):  # only specks: they are one small digit
        group = np.flatnonzero(specks)
        return Line([group], np.zeros(0, bool), np.zeros(1, bool), ink_spans(pieces, [group]), line_height)
    groups, extents = [], []
    for i in big[np.argsort((pieces.x0 + pieces.x1)[big], kind="stable")]:
        x0, x1 = pieces.x0[i], pieces.x1[i]
        if groups:
            g0, g1 = extents[-1]
            overlap = min(x1, g1) - max(x0, g0)
            if overlap > OVERLAP * max(min(x1 - x0, g1 - g0), pen_width):
                groups[-1].append(i)
                extents[-1] = (min(g0, x0), max(g1, x1))
                continue
        groups.append([i])
        extents.append((x0, x1))
    if len(groups) > 2 * MAX_DIGITS:
        raise TooManyMarks(f"{len(groups)} separate marks side by side: a number has at most {MAX_DIGITS} digits")
    low, high = np.array(extents).T
    bottoms = np.array([pieces.boxes[g, 1].max() for g in groups])
    gaps = low[1:] - high[:-1]
    # Which of two neighbours hangs above the other: +1 the right one, -1 the left one.
    drop = bottoms[1:] - bottoms[:-1]
    hangs = np.where(drop > HANG * line_height, -1, np.where(-drop > HANG * line_height, 1, 0))
    maybe_one = (gaps < NEAR * pen_width) | ((hangs != 0) & (gaps < NEAR_HANGING * line_height))
    hanging = np.zeros(len(groups), bool)
    hanging[:-1] |= maybe_one & (hangs == -1)
    hanging[1:] |= maybe_one & (hangs == 1)
    speck = np.flatnonzero(specks)
    distances = np.maximum(low[None, :] - pieces.x1[speck, None], pieces.x0[speck, None] - high[None, :])
    for i, nearest in zip(speck, distances.argmin(axis=1)):
        groups[nearest].append(i)
    groups = [np.array(sorted(g)) for g in groups]
    return Line(groups, maybe_one, hanging, ink_spans(pieces, groups), line_height)


def ink_spans(pieces, groups):
    """-> (len(groups), 2) float: each group's ink, left and right."""
    return np.array([(pieces.boxes[g, 2].min(), pieces.boxes[g, 3].max()) for g in groups], float)


def width_penalty(width):
    """width: a candidate digit's, in line heights -> what it costs its score."""
    return WIDTH_PENALTY * max(width - WIDTH_TYPICAL, 0.0)


# --- reading the digits -----------------------------------------------------

def read_candidates(model, line, wide, search, whole_ink, line_ink, key, memo, readings):
    """line: from ``group_pieces``; wide: (len(groups),) bool, the groups
    that may hold touching digits (never paired with a neighbour); search:
    (len(groups),) bool, those to search cuts in; whole_ink(pieces) -> (h, w)
    float32, some pieces' ink as one digit; line_ink(pieces) -> (ink (h, w)
    float32, line height px, pen px), a group's ink to cut; key(pieces): what
    tells those pieces' ink from any other's; memo: a ``DigitMemo`` or None;
    readings: what an earlier call read -> (readings, keys, timings).

    readings, added to: {memo key: (stages, probabilities (10,))} for a
    candidate digit, {memo key: (edges, line height px, [((a, b, crossed,
    width, box), stages, probabilities)])} for a group's cut search (see
    ``cuts.cut_candidates``); keys: per group, the memo keys of it whole, of
    its cut search (or None) and of it with the next group as one digit (or
    None). Every candidate in neither ``readings`` nor the memo (each group
    whole, the cuts of the groups searched, two neighbours that may be one
    digit) is read in ONE forward pass.
    """
    keys, inks, slots = [], [], []

    def want(memo_key, make):
        if memo_key in readings:
            return
        readings[memo_key] = memo.get(model, memo_key) if memo is not None else None
        if readings[memo_key] is not None:
            return
        if memo_key[0] == "whole":
            inks.append(make())
            slots.append((memo_key, None))
        else:
            ink, line_px, pen_px = make()
            edges, candidates = cut_candidates(ink, pen_px, line_px)
            inks.extend(candidate[-1] for candidate in candidates)
            slots.extend((memo_key, candidate[:-1]) for candidate in candidates)
            readings[memo_key] = (edges, line_px, [])

    for i, pieces in enumerate(line.groups):
        whole, cuts, pair = ("whole", key(pieces)), None, None
        want(whole, lambda: whole_ink(pieces))
        if search[i]:
            cuts = ("cuts", line.height, key(pieces))
            want(cuts, lambda: line_ink(pieces))
        if i < len(line.maybe_one) and line.maybe_one[i] and not wide[i] and not wide[i + 1]:
            both = np.concatenate([pieces, line.groups[i + 1]])
            pair = ("whole", key(both))
            want(pair, lambda: whole_ink(both))
        keys.append((whole, cuts, pair))
    started = time.perf_counter()
    stages = [preprocess_stages(ink) for ink in inks]
    preprocessed = time.perf_counter()
    rows = model.predict_proba(np.stack([s.centred for s in stages])[:, :, :, None]) if inks else []
    finished = time.perf_counter()
    for (memo_key, cut), stage, row in zip(slots, stages, rows):
        if memo is not None:  # kept between calls: nobody may change it
            for array in (stage.cropped, stage.scaled, stage.centred, row):
                array.setflags(write=False)
        if cut is None:
            readings[memo_key] = (stage, row)
        else:
            readings[memo_key][2].append((cut, stage, row))
    if memo is not None:
        for memo_key in dict.fromkeys(memo_key for memo_key, _ in slots):
            memo.put(model, memo_key, readings[memo_key])
    return readings, keys, {"preprocess": (preprocessed - started) * 1000, "forward": (finished - preprocessed) * 1000}


def best_reading(line, readings, keys):
    """readings, keys: from ``read_candidates`` -> the digits of the best
    reading of the line, left to right, each (pieces, box (top, bottom, left,
    right) in its group's line ink for a digit cut out of it or None, stages,
    probabilities): the one with the highest sum of scores (see CUT_PENALTY
    and the rest, HANG_PENALTY), by dynamic programming over the groups."""
    def score(probabilities, width):
        return float(np.log(max(float(probabilities.max()), 1e-12))) - width_penalty(width)

    alone = []  # per group: its best reading alone, (score, [((stages, probabilities), box)])
    for i, (whole, cuts, _) in enumerate(keys):
        left, right = line.spans[i]
        reading = (score(readings[whole][1], (right - left) / line.height), [(readings[whole], None)])
        if cuts is not None:
            edges, line_px, candidates = readings[cuts]
            segments = [(0, edges - 1)] + [(a, b) for (a, b, _, _, _), _, _ in candidates]
            scores = [reading[0]] + [score(row, width) - (CUT_PENALTY + CROSSING_PENALTY * crossed) * (a > 0)
                                     - SHORT_PENALTY * max(SHORTEST - (box[1] - box[0]) / line_px, 0.0)
                                     for (a, _, crossed, width, box), _, row in candidates]
            total, chosen = best_cutting(edges, segments, scores)
            if chosen is not None and total > reading[0]:
                picked = [candidates[segments.index(s) - 1] for s in chosen]
                reading = (total, [(candidate[1:], candidate[0][4]) for candidate in picked])
        alone.append((reading[0] - HANG_PENALTY * line.hanging[i], reading[1]))
    best = [(0.0, [])]  # best[i]: the best reading of the first i groups, (score, [(pieces, reading, box)])
    for i in range(1, len(keys) + 1):
        score_alone, digits = alone[i - 1]
        options = [(best[i - 1][0] + score_alone, best[i - 1][1] + [(line.groups[i - 1], r, b) for r, b in digits])]
        pair = keys[i - 2][2] if i >= 2 else None
        if pair is not None:
            width = (line.spans[i - 1, 1] - line.spans[i - 2, 0]) / line.height
            options.append((best[i - 2][0] + score(readings[pair][1], width),
                            best[i - 2][1] + [(np.concatenate(line.groups[i - 2:i]), readings[pair], None)]))
        best.append(max(options, key=lambda option: option[0]))
    return [(pieces, box, *reading) for pieces, reading, box in best[-1][1]]


def read_number(model, line, wide, whole_ink, line_ink, key, memo=None):
    """Every group whole and every pair that may be one digit read, then the
    cuts of the wide groups that, read whole, are less sure than SURE or
    wider than WIDEST (``read_candidates``); the best reading of all kept
    (``best_reading``) -> (digits, timings).
    Raises ValueError past MAX_DIGITS digits."""
    readings, keys, timings = read_candidates(model, line, wide, np.zeros(len(wide), bool),
                                              whole_ink, line_ink, key, memo, {})
    unsure = [bool(wide[i]) and (float(readings[whole][1].max()) < SURE
                                 or line.spans[i, 1] - line.spans[i, 0] > WIDEST * line.height)
              for i, (whole, _, _) in enumerate(keys)]
    if any(unsure):
        readings, keys, more = read_candidates(model, line, wide, unsure, whole_ink, line_ink, key, memo, readings)
        timings = {step: timings[step] + more[step] for step in timings}
    digits = best_reading(line, readings, keys)
    if len(digits) > MAX_DIGITS:
        raise TooManyMarks(f"{len(digits)} digits: a number has at most {MAX_DIGITS}")
    return digits, timings


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


def recognize_number_strokes(strokes, model="cnn", aspect=4.0, memo=None):
    """strokes: the number as the number pad records it, a list of strokes,
    each a sequence of (x, y) in pad HEIGHTS (y in 0..1 down, x in 0..aspect
    right); model: as for ``recognize``; aspect: the pad's width / height;
    memo: None, or a ``DigitMemo`` the caller keeps for this model while the
    number is drawn (the answer is the same with or without it) ->
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
    line = group_pieces(Pieces(low[:, 0], high[:, 0], boxes), pen_width)

    def mine(pieces):
        return [strokes[i] for i in pieces]

    def line_ink(pieces):
        top, bottom, _, _ = ink_box(mine(pieces), aspect)
        scale = pen.INK_BOX / (bottom - top)  # px per pad height
        return render_group(mine(pieces), aspect, pen.INK_BOX, by_height=True), line.height * scale, pen_width * scale

    def key(pieces):  # the exact strokes, where each starts, and the pad they are cut off at
        return (aspect, np.array([len(s) for s in mine(pieces)]).tobytes(), np.concatenate(mine(pieces)).tobytes())

    wide = line.spans[:, 1] - line.spans[:, 0] > WIDE_STROKES * line.height
    digits, timings = read_number(model, line, wide, lambda pieces: render_group(mine(pieces), aspect, pen.INK_BOX),
                                  line_ink, key, memo)
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
