"""The cut search: a piece of ink too wide for one digit (digits that touch,
or were joined in one stroke) cut into candidate digits.

Two kinds of cuts: straight down the columns with the least ink, and along
seams. A seam runs from the top row to the bottom one, one pixel a row,
moving at most one column sideways from row to row, through as little ink as
it can (dynamic programming over the rows, as in seam carving): between two
touching digits it crosses only where they touch, however much their boxes
overlap. Two digits side by side that touch along a wall leave no cheap seam
between them: a straight cut down the wall crosses it once. The ink between
two cuts (or a cut and a side) is a candidate digit; which candidates make
the number is for the network's confidence, and how many strokes each cut
crosses, to decide (``best_cutting`` over the scores pydigit.number gives).
"""

import numpy as np

# Cuts of each kind per line height of width (at most MAX_SEAMS); a candidate
# digit is DIGIT_WIDTH line heights wide (mean distance between its cuts).
# A step sideways costs SIDEWAYS of a pixel's ink, so that a seam through
# blank paper runs straight down.
SEAMS_PER_HEIGHT = 8
MAX_SEAMS = 24
DIGIT_WIDTH = (0.12, 1.7)
SIDEWAYS = 1.0


def spread(order, centre, wanted, low, high, span):
    """Candidates in order of preference, centre(candidate) -> the first
    ``wanted`` whose centres are in low..high, ``span`` apart."""
    chosen, centres = [], []
    for candidate in order:
        c = centre(candidate)
        if low <= c <= high and all(abs(c - other) >= span for other in centres):
            chosen.append(candidate)
            centres.append(c)
            if len(chosen) == wanted:
                break
    return chosen


def seams(ink, pen_px, line_height):
    """ink: (h, w) float32 -> paths (k, h) int64, the column each cut is at
    on each row: the cheapest seams, and the straight cuts down the columns
    with the least ink, each kind a pen width apart and DIGIT_WIDTH[0] line
    heights from either side, SEAMS_PER_HEIGHT per line height of width."""
    h, w = ink.shape
    margin = DIGIT_WIDTH[0] * line_height
    wanted = min(MAX_SEAMS, int(np.ceil(SEAMS_PER_HEIGHT * w / line_height)))
    if w <= 2 * margin:
        return np.zeros((0, h), np.int64)
    columns = np.arange(w)
    cost = ink[0].copy()
    moves = np.zeros((h, w), np.int64)  # moves[r, c]: column on row r - 1 minus c
    blocked = np.array([np.inf], np.float32)
    for r in range(1, h):
        sideways = cost + np.float32(SIDEWAYS)
        options = np.stack([np.concatenate([blocked, sideways[:-1]]), cost, np.concatenate([sideways[1:], blocked])])
        choice = options.argmin(axis=0)
        cost = options[choice, columns] + ink[r]
        moves[r] = choice - 1

    def backtrack(end):
        path = np.empty(h, np.int64)
        path[-1] = end
        for r in range(h - 1, 0, -1):
            path[r - 1] = path[r] + moves[r, path[r]]
        return path

    span = max(pen_px, 1.0)
    cheapest = (backtrack(end) for end in np.argsort(cost, kind="stable")[:8 * wanted].tolist())
    curved = spread(cheapest, np.mean, wanted, margin, w - margin, span)
    profile = ink.sum(axis=0)
    straight = spread(np.argsort(profile, kind="stable").tolist(), float, wanted, margin, w - margin, span)
    paths = {path.tobytes(): path for path in curved + [np.full(h, c, np.int64) for c in straight]}
    return np.array(sorted(paths.values(), key=np.mean), np.int64).reshape(-1, h)


def cut_candidates(ink, pen_px, line_height):
    """ink: (h, w) float32 of one group -> (edges, candidates): edges, how
    many cut positions there are (the left side 0, the seams, the right side
    edges - 1); candidates, per candidate digit from cut a to cut b (the
    whole group not among them): (a, b, strokes crossed at a, width in line
    heights, box (top, bottom, left, right) in ink's pixels, its ink)."""
    h, w = ink.shape
    inner = seams(ink, pen_px, line_height)
    # How many strokes each cut crosses: the runs of ink along it, however
    # long (two digits side by side may touch along a wall).
    inked = np.zeros((len(inner), h + 1), np.int8)
    inked[:, 1:] = ink[np.arange(h), inner] > 0.5
    crossed = [0, *(np.diff(inked, axis=1) == 1).sum(axis=1).tolist()]
    paths = [np.zeros(h, np.int64), *inner, np.full(h, w, np.int64)]
    columns = np.arange(w)
    candidates = []
    for a in range(len(paths) - 1):
        for b in range(a + 1, len(paths)):
            width = float((paths[b] - paths[a]).mean()) / line_height
            if (a, b) == (0, len(paths) - 1) or not DIGIT_WIDTH[0] <= width <= DIGIT_WIDTH[1]:
                continue
            left, right = int(paths[a].min()), int(paths[b].max())
            mine = (columns[left:right] >= paths[a][:, None]) & (columns[left:right] < paths[b][:, None])
            piece = np.where(mine, ink[:, left:right], np.float32(0))
            rows, cols = np.flatnonzero(piece.max(axis=1) > 0), np.flatnonzero(piece.max(axis=0) > 0)
            if piece.max() > 0.5:  # some stroke, not only the faint edge of one
                box = (int(rows[0]), int(rows[-1]) + 1, left + int(cols[0]), left + int(cols[-1]) + 1)
                candidates.append((a, b, crossed[a], width, box, piece[box[0]:box[1], box[2] - left:box[3] - left]))
    return len(paths), candidates


def best_cutting(edges, segments, scores):
    """Candidate digits (a, b), from cut a to cut b of 0..edges - 1, each with
    its score -> (total, the digits from cut 0 to the last with the highest
    total), by dynamic programming over the cuts; (-inf, None) if none
    reaches the last."""
    best = {0: (0.0, [])}
    for (a, b), score in sorted(zip(segments, scores), key=lambda item: item[0][1]):
        if a in best and best[a][0] + score > best.get(b, (-np.inf,))[0]:
            best[b] = (best[a][0] + score, best[a][1] + [(a, b)])
    return best.get(edges - 1, (-np.inf, None))
