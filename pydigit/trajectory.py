"""How a digit was written, as numbers a network can read: the pen's path.

An image loses the order of the strokes, and that order tells apart what the
ink alone cannot: a '1' whose long flag goes up to the top of the stem from
a '7' whose bar goes right from it, a crossed '7' from a '2', a '9' whose
loop was left open from a '3'. Where the strokes are known (the widget sends
them), ``trajectory_features`` turns a digit's strokes into a fixed-length
vector for the ``"trajectory"`` network, whose answer is multiplied into the
image network's (``combine``).

The features do not depend on the scale, position or sampling rate of the
strokes: the path of all strokes in writing order, the jumps between them
included, is centred on its box, scaled by its longer side and resampled at
``POINTS`` points evenly spaced along it. Per point: x, y, whether the pen
is up there (on a jump), and the direction of travel to the next point.
"""

import numpy as np

POINTS = 32
# Per point x, y, pen up; per step between points cos and sin of its direction;
# then the box's width and height (of its longer side) and the stroke count.
FEATURES = 3 * POINTS + 2 * (POINTS - 1) + 3


def trajectory_features(strokes):
    """strokes: one digit, a list of (k, 2) (x, y) arrays in writing order,
    any scale, y down -> (FEATURES,) float32."""
    strokes = [np.asarray(s, np.float64).reshape(-1, 2) for s in strokes if len(s)]
    if not strokes:
        raise ValueError("a digit needs at least one point")
    path = np.concatenate(strokes)
    # The pen is up on the step from each stroke's last point to the next's first.
    up = np.zeros(len(path) - 1, bool)
    up[np.cumsum([len(s) for s in strokes])[:-1] - 1] = True
    low, high = path.min(axis=0), path.max(axis=0)
    side = max(float((high - low).max()), 1e-9)
    path = (path - (low + high) / 2) / side
    steps = np.hypot(*np.diff(path, axis=0).T)
    along = np.concatenate([[0.0], np.cumsum(steps)])
    if along[-1] <= 0:  # a dot: every point at the centre
        along = np.linspace(0.0, 1.0, len(path))
    at = np.linspace(0.0, along[-1], POINTS)
    x, y = np.interp(at, along, path[:, 0]), np.interp(at, along, path[:, 1])
    step = np.clip(np.searchsorted(along, at, side="right") - 1, 0, max(len(up) - 1, 0))
    pen_up = up[step] if len(up) else np.zeros(POINTS, bool)
    dx, dy = np.diff(x), np.diff(y)
    length = np.maximum(np.hypot(dx, dy), 1e-9)
    box = (high - low) / side
    return np.concatenate([x, y, pen_up, dx / length, dy / length,
                           box, [len(strokes) / 4]]).astype(np.float32)


def combine(image_probabilities, trajectory_probabilities):
    """Two networks' probabilities for one or more digits, (..., 10) float32
    -> their normalised product (a product of experts), (..., 10) float32:
    each vetoes what it finds unlikely, and where one is unsure the other
    decides. Summed as logs: where each network is sure of another digit,
    both products underflow, and the one less unlikely must still win."""
    tiny = np.finfo(np.float32).tiny  # a probability float32 rounded to 0 was below this
    log = (np.log(np.maximum(np.asarray(image_probabilities, np.float64), tiny))
           + np.log(np.maximum(np.asarray(trajectory_probabilities, np.float64), tiny)))
    product = np.exp(log - log.max(axis=-1, keepdims=True))
    return (product / product.sum(axis=-1, keepdims=True)).astype(np.float32)
