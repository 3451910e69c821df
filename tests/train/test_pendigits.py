"""The pen-stroke data and its renderer, on the real file."""

import numpy as np
import pytest

from pydigit import pen
from train.pendigits import (MARGIN, balanced_sample, load_pendigits, rasterize,
                             render_strokes, to_canvas)


@pytest.fixture(scope="module")
def digits():
    return load_pendigits()


def brute_force_render(strokes, size, width):
    """Distance from every pixel centre to every segment, one at a time."""
    ys, xs = np.mgrid[0:size, 0:size] + 0.5
    distance = np.full((size, size), np.inf)
    for s in strokes:
        for a, b in zip(s[:-1] if len(s) > 1 else s, s[1:] if len(s) > 1 else s):
            d = (b - a).astype(float)
            t = np.clip(((xs - a[0]) * d[0] + (ys - a[1]) * d[1]) / max(d @ d, 1e-12), 0, 1)
            distance = np.minimum(distance, np.hypot(xs - a[0] - t * d[0], ys - a[1] - t * d[1]))
    return np.clip(width / 2 + 0.5 - distance, 0, 1)


def test_parser_reads_every_digit_with_labels_and_writers(digits):
    assert len(digits) == 7494
    assert {d.label for d in digits} == set(range(10))
    assert {d.writer for d in digits} == set(range(1, 31))
    counts = np.bincount([d.label for d in digits])
    assert counts.min() >= 700
    strokes = [s for d in digits for s in d.strokes]
    assert len(strokes) == 9433  # one per .PEN_DOWN in the file
    assert all(s.dtype == np.float32 and s.ndim == 2 and s.shape[1] == 2 for s in strokes)
    points = np.concatenate(strokes)
    assert 0 <= points.min() and points.max() <= 500
    assert 35 < len(points) / len(digits) < 45  # about 37 points a digit
    first = digits[0]  # the file starts with an '8' by writer 12
    assert (first.label, first.writer, len(first.strokes)) == (8, 12, 1)
    assert first.strokes[0][0].tolist() == [267, 500 - 333]


def test_y_points_down_a_seven_has_its_bar_at_the_top(digits):
    sevens = [np.concatenate(d.strokes) for d in digits if d.label == 7]
    bar_on_top = []
    for p in sevens:
        top, bottom = p[:, 1].min(), p[:, 1].max()
        quarter = (bottom - top) / 4
        width_top = np.ptp(p[p[:, 1] <= top + quarter, 0])
        width_bottom = np.ptp(p[p[:, 1] >= bottom - quarter, 0])
        bar_on_top.append(width_top > width_bottom)
    assert np.mean(bar_on_top) > 0.95


def test_render_shape_dtype_range(digits):
    image = render_strokes(digits[0].strokes)
    assert image.shape == (pen.CANVAS_SIZE, pen.CANVAS_SIZE)
    assert image.dtype == np.float32
    assert image.min() == 0.0 and image.max() == 1.0
    assert 0 < (image > 0).mean() < 0.5
    assert render_strokes(digits[0].strokes, size=100, width=5).shape == (100, 100)


def test_render_matches_distance_to_every_segment(digits):
    # Several strokes, a range of widths: the windowed, batched renderer must
    # agree with the plain definition everywhere.
    for digit, width in [(digits[1], 10.0), (next(d for d in digits if len(d.strokes) == 3), 18.0),
                         (digits[2], 26.0)]:
        strokes = to_canvas(digit.strokes, 120)
        np.testing.assert_allclose(rasterize(strokes, 120, width),
                                   brute_force_render(strokes, 120, width), atol=1e-5)


@pytest.mark.parametrize("width", [6.0, 10.0, 18.0, 22.5])
def test_a_horizontal_line_is_as_thick_as_the_pen(width):
    line = np.array([[60, 140], [220, 140]], np.float32)
    image = rasterize([line], 280, width)
    column = image[:, 140]
    assert column.sum() == pytest.approx(width, abs=0.01)
    assert (column >= 0.5).sum() == pytest.approx(width, abs=1)
    # Round caps: ink reaches width/2 past the end on the axis, but not into
    # the corner a square cap would fill.
    reach = width / 2
    assert image[140, int(220 + reach - 1)] > 0.5
    assert image[int(140 - 0.8 * reach), int(220 + 0.8 * reach)] == 0


def test_a_single_point_is_a_round_dot():
    image = rasterize([np.array([[50.0, 50.0]], np.float32)], 100, 10)
    assert image.sum() == pytest.approx(np.pi * 25, rel=0.03)


def test_digits_are_scaled_keeping_their_aspect_ratio(digits):
    for digit in digits[:300]:
        points = np.concatenate(digit.strokes)
        canvas = np.concatenate(to_canvas(digit.strokes))
        extent, canvas_extent = np.ptp(points, axis=0), np.ptp(canvas, axis=0)
        assert canvas_extent.max() == pytest.approx((1 - 2 * MARGIN) * pen.CANVAS_SIZE, rel=1e-4)
        assert canvas_extent[0] / canvas_extent[1] == pytest.approx(extent[0] / extent[1], rel=1e-3)
        centre = (canvas.min(axis=0) + canvas.max(axis=0)) / 2
        np.testing.assert_allclose(centre, pen.CANVAS_SIZE / 2, atol=1e-3)
    tall = render_strokes([np.array([[0, 0], [0, 100], [50, 100]], np.float32)], width=2)
    rows, cols = np.flatnonzero(tall.any(axis=1)), np.flatnonzero(tall.any(axis=0))
    assert (rows[-1] - rows[0]) / (cols[-1] - cols[0]) == pytest.approx(2, rel=0.03)


def test_balanced_sample_is_fixed_and_balanced(digits):
    sample = balanced_sample(digits, 50)
    assert np.bincount([d.label for d in sample], minlength=10).tolist() == [5] * 10
    assert len({id(d) for d in sample}) == 50
    again = balanced_sample(digits, 50)
    assert [id(d) for d in again] == [id(d) for d in sample]
    other = balanced_sample(digits, 50, seed=1)
    assert [id(d) for d in other] != [id(d) for d in sample]
    with pytest.raises(ValueError):
        balanced_sample(digits, 15)
