"""Which pieces of a number's ink make one digit (step 2 of
``pydigit.number``'s segmentation): pieces whose x-extents overlap belong
to one digit (a '5''s hat, a '4' or a '7' drawn in two strokes), specks go
to their nearest neighbour (a dot at a loose stroke's end); neighbours that
nearly meet, or of which one hangs above the other's baseline (the left half
of a '4' drawn in two strokes), may be one digit, for the network to decide.

Pieces are ink components (``pydigit.components``) or strokes, with their
boxes in one unit: pixels or pad heights.
"""

from dataclasses import dataclass

import numpy as np

from .components import TooManyMarks

# A number is at most MAX_DIGITS digits; at most MAX_PIECES ink pieces larger
# than specks are grouped (Python loops run over them). Past them a drawing
# is refused rather than read slowly.
MAX_DIGITS = 12
MAX_PIECES = 64
# Two pieces are one digit when their x-extents (points, or ink less half the
# pen each side) overlap by OVERLAP of the narrower one (at least a pen wide);
# neighbours less than NEAR pen widths apart may be one digit (a '4' whose
# upright barely meets its arm): the network decides.
OVERLAP = 0.2
NEAR = 0.1
# A digit stands on the line: a group whose bottom is more than HANG line
# heights above its neighbour's, at most NEAR_HANGING line heights from it,
# is likely part of that neighbour (the arm of a '4', the hat of a '5').
HANG = 0.15
NEAR_HANGING = 0.1
# A piece no larger than this fraction of the line's height is a speck: a dot,
# a loose stroke end. It joins the nearest digit instead of being one.
SPECK = 0.25


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
