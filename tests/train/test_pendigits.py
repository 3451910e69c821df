"""The pen-stroke data, laid out on the pad and rendered, on the real file."""

import numpy as np
import pytest

from pydigit import pen
from pydigit.strokes import render_ink
from train.pendigits import MARGIN, balanced_sample, load_pendigits, render_strokes, to_canvas, to_pad


@pytest.fixture(scope="module")
def digits():
    return load_pendigits()


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


def test_rendered_as_the_browser_renders(digits):
    """The evaluation's input is the browser's: the same strokes through the same function."""
    image = render_strokes(digits[0].strokes)
    assert image.dtype == np.float32 and image.min() == 0.0 and image.max() == 1.0
    np.testing.assert_array_equal(image, render_ink(to_pad(digits[0].strokes)))
    assert max(image.shape) == pytest.approx(pen.INK_BOX, abs=2)
    thin = render_strokes(digits[0].strokes, width=5)
    assert (thin > 0.5).mean() < (image > 0.5).mean()


def test_to_pad_is_to_canvas_in_pad_sides(digits):
    for digit in digits[:20]:
        for on_pad, on_canvas in zip(to_pad(digit.strokes), to_canvas(digit.strokes)):
            np.testing.assert_allclose(on_pad * pen.CANVAS_SIZE, on_canvas, rtol=1e-6)


def test_digits_are_scaled_keeping_their_aspect_ratio(digits):
    for digit in digits[:300]:
        points = np.concatenate(digit.strokes)
        canvas = np.concatenate(to_canvas(digit.strokes))
        extent, canvas_extent = np.ptp(points, axis=0), np.ptp(canvas, axis=0)
        assert canvas_extent.max() == pytest.approx((1 - 2 * MARGIN) * pen.CANVAS_SIZE, rel=1e-4)
        assert canvas_extent[0] / canvas_extent[1] == pytest.approx(extent[0] / extent[1], rel=1e-3)
        centre = (canvas.min(axis=0) + canvas.max(axis=0)) / 2
        np.testing.assert_allclose(centre, pen.CANVAS_SIZE / 2, atol=1e-3)
    # An L twice as tall as wide: its ink, pen included, keeps that shape.
    tall = render_strokes([np.array([[0, 0], [0, 100], [50, 100]], np.float32)], width=2)
    assert max(tall.shape) == pytest.approx(pen.INK_BOX, abs=2)
    rows, cols = np.flatnonzero(tall.any(axis=1)), np.flatnonzero(tall.any(axis=0))
    height = (1 - 2 * MARGIN) * pen.CANVAS_SIZE  # px on the pad, the pen 2 px wide there
    assert (rows[-1] - rows[0]) / (cols[-1] - cols[0]) == pytest.approx((height + 2) / (height / 2 + 2), rel=0.03)


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
