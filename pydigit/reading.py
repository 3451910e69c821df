"""Reading a line of candidate digits (step 4 of ``pydigit.number``):
each group whole, neighbours that may be one digit, and the cuts of groups
that may hold touching digits (``pydigit.cuts``), all read by the network in
one batch, then the best reading of the whole line by dynamic programming.
A ``DigitMemo`` kept between calls spares what was read already.
"""

import time

import numpy as np

from .components import TooManyMarks
from .cuts import best_cutting, cut_candidates
from .grouping import MAX_DIGITS
from .preprocess import preprocess_stages
from .trajectory import combine, trajectory_features

# A group that hangs above its neighbour (pydigit.grouping), read alone,
# scores HANG_PENALTY less (tuned on train/numbers_eval.py).
HANG_PENALTY = 2.0
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


class DigitMemo:
    """What one model read of the candidate digits of a drawing, kept by the
    caller between calls while a number is being drawn, so that the digits
    already drawn are neither rendered nor read again: only those whose
    strokes changed are. Keyed by the exact bytes of a candidate's strokes
    and the pad's aspect (a cut search also by the line's height); handed
    other models than the last (the image network, and the trajectory
    network that votes with it), it starts over. At most ``size`` entries,
    the least recently used dropped first. The arrays it keeps (and the
    ``Prediction``s made from them) are read-only."""

    def __init__(self, size=128):
        self.size = size
        self.models = None
        self.entries = {}

    def _reading_with(self, models):
        models = models if isinstance(models, tuple) else (models,)
        if models != self.models:  # a Model equals only itself
            self.models, self.entries = models, {}

    def get(self, models, key):
        """-> what ``put`` kept for ``models`` (a model, or a tuple of the
        models read with) under ``key``, or None."""
        self._reading_with(models)
        value = self.entries.pop(key, None)
        if value is not None:
            self.entries[key] = value  # the most recently used last
        return value

    def put(self, models, key, value):
        self._reading_with(models)
        self.entries[key] = value
        while len(self.entries) > self.size:
            del self.entries[next(iter(self.entries))]


def width_penalty(width):
    """width: a candidate digit's, in line heights -> what it costs its score."""
    return WIDTH_PENALTY * max(width - WIDTH_TYPICAL, 0.0)


def read_candidates(model, line, wide, search, whole_ink, line_ink, key, memo, readings, trajectory=None):
    """model: the image network; line: from ``group_pieces``; wide:
    (len(groups),) bool, the groups that may hold touching digits (never
    paired with a neighbour); search: (len(groups),) bool, those to search
    cuts in; whole_ink(pieces) -> (h, w) float32, some pieces' ink as one
    digit; line_ink(pieces) -> (ink (h, w) float32, line height px, pen px),
    a group's ink to cut; key(pieces): what tells those pieces' ink from any
    other's; memo: a ``DigitMemo`` or None; readings: what an earlier call
    read; trajectory: None, or (trajectory network, strokes(pieces) -> those
    pieces' strokes in writing order): its vote is multiplied into the image
    network's for each group whole and each pair (``pydigit.trajectory.combine``); a cut search's candidates
    are stretches of ink, not strokes, and are read from their ink alone ->
    (readings, keys, timings).

    readings, added to: {memo key: (stages, probabilities (10,))} for a
    candidate digit, {memo key: (edges, line height px, [((a, b, crossed,
    width, box), stages, probabilities)])} for a group's cut search (see
    ``cuts.cut_candidates``); keys: per group, the memo keys of it whole, of
    its cut search (or None) and of it with the next group as one digit (or
    None). Every candidate in neither ``readings`` nor the memo (each group
    whole, the cuts of the groups searched, two neighbours that may be one
    digit) is read in ONE forward pass (of each network).
    """
    keys, inks, slots, voters = [], [], [], []  # voters: (slot, pieces) of candidates made of whole pieces
    readers = (model,) if trajectory is None else (model, trajectory[0])

    def want(memo_key, make, pieces=None):
        if memo_key in readings:
            return
        readings[memo_key] = memo.get(readers, memo_key) if memo is not None else None
        if readings[memo_key] is not None:
            return
        if memo_key[0] == "whole":
            voters.append((len(slots), pieces))
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
        want(whole, lambda: whole_ink(pieces), pieces)
        if search[i]:
            cuts = ("cuts", line.height, key(pieces))
            want(cuts, lambda: line_ink(pieces))
        if i < len(line.maybe_one) and line.maybe_one[i] and not wide[i] and not wide[i + 1]:
            both = np.concatenate([pieces, line.groups[i + 1]])
            pair = ("whole", key(both))
            want(pair, lambda: whole_ink(both), both)
        keys.append((whole, cuts, pair))
    started = time.perf_counter()
    stages = [preprocess_stages(ink) for ink in inks]
    preprocessed = time.perf_counter()
    rows = model.predict_proba(np.stack([s.centred for s in stages])[:, :, :, None]) if inks else []
    if trajectory is not None and voters:
        network, strokes = trajectory
        votes = network.predict_proba(np.stack([trajectory_features(strokes(pieces)) for _, pieces in voters]))
        at = [slot for slot, _ in voters]
        rows[at] = combine(rows[at], votes)
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
            memo.put(readers, memo_key, readings[memo_key])
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


def read_number(model, line, wide, whole_ink, line_ink, key, memo=None, trajectory=None):
    """Every group whole and every pair that may be one digit read, then the
    cuts of the wide groups that, read whole, are less sure than SURE or
    wider than WIDEST (``read_candidates``, which says what ``trajectory``
    is); the best reading of all kept (``best_reading``) -> (digits, timings).
    Raises ValueError past MAX_DIGITS digits."""
    readings, keys, timings = read_candidates(model, line, wide, np.zeros(len(wide), bool),
                                              whole_ink, line_ink, key, memo, {}, trajectory)
    unsure = [bool(wide[i]) and (float(readings[whole][1].max()) < SURE
                                 or line.spans[i, 1] - line.spans[i, 0] > WIDEST * line.height)
              for i, (whole, _, _) in enumerate(keys)]
    if any(unsure):
        readings, keys, more = read_candidates(model, line, wide, unsure, whole_ink, line_ink, key, memo, readings,
                                               trajectory)
        timings = {step: timings[step] + more[step] for step in timings}
    digits = best_reading(line, readings, keys)
    if len(digits) > MAX_DIGITS:
        raise TooManyMarks(f"{len(digits)} digits: a number has at most {MAX_DIGITS}")
    return digits, timings
