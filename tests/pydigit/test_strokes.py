"""Strokes rendered into ink with NumPy: the pen the widget draws with, the
whole pad or straight at the network's resolution, and strokes that are not
a drawing refused at the entry."""

import re

import numpy as np
import pytest

from pydigit import pen, recognize
from pydigit.preprocess import EmptyDrawing
from pydigit.recognize import recognize_strokes
from pydigit.strokes import (MAX_COORDINATE, MAX_POINTS, MAX_STROKES, checked_strokes, clip_segments,
                             ink_extent, rasterize, render, render_ink)


def brute_force(strokes_px, size, width):
    """Ink as the distance from every pixel centre to every segment: the definition."""
    ys, xs = np.mgrid[0:size, 0:size] + 0.5
    ink = np.zeros((size, size))
    for stroke in strokes_px:
        ends = list(zip(stroke[:-1], stroke[1:])) if len(stroke) > 1 else [(stroke[0], stroke[0])]
        for a, b in ends:
            d = b - a
            t = np.clip(((xs - a[0]) * d[0] + (ys - a[1]) * d[1]) / max(d @ d, 1e-12), 0, 1)
            distance = np.hypot(xs - a[0] - t * d[0], ys - a[1] - t * d[1])
            ink = np.maximum(ink, np.clip(width / 2 + 0.5 - distance, 0, 1))
    return ink


SEVEN = [np.array([[0.3, 0.25], [0.7, 0.25], [0.45, 0.8]])]
DOT = [np.array([[0.5, 0.5]])]


@pytest.mark.parametrize("width", [4.0, 10.0, 17.5])
def test_rasterize_is_the_distance_to_the_path(width):
    rng = np.random.default_rng(0)
    strokes = [rng.uniform(10, 90, (n, 2)) for n in (1, 2, 7)]
    got = rasterize(strokes, 100, width, (0, 100, 0, 100))
    np.testing.assert_allclose(got, brute_force(strokes, 100, width), atol=1e-5)


@pytest.mark.parametrize("width", [6.0, 10.0, 18.0, 22.5])
def test_a_horizontal_line_is_as_thick_as_the_pen(width):
    image = rasterize([np.array([[60.0, 140.0], [220.0, 140.0]])], 280, width, (0, 280, 0, 280))
    column = image[:, 140]
    assert column.sum() == pytest.approx(width, abs=0.01)
    assert (column >= 0.5).sum() == pytest.approx(width, abs=1)
    # Round caps: ink reaches width/2 past the end on the axis, but not into
    # the corner a square cap would fill.
    reach = width / 2
    assert image[140, int(220 + reach - 1)] > 0.5
    assert image[int(140 - 0.8 * reach), int(220 + 0.8 * reach)] == 0


def test_a_single_point_is_a_round_dot():
    image = rasterize([np.array([[50.0, 50.0]])], 100, 10, (0, 100, 0, 100))
    assert image.sum() == pytest.approx(np.pi * 25, rel=0.03)


def test_a_region_is_exactly_those_pixels_of_the_whole_pad():
    strokes = [s * 140 for s in SEVEN]
    whole = rasterize(strokes, 140, 10, (0, 140, 0, 140))
    np.testing.assert_array_equal(rasterize(strokes, 140, 10, (20, 90, 35, 110)), whole[20:90, 35:110])


def test_ink_off_the_pad_is_cut_at_its_edge():
    # Far outside, the segments are clipped first: the part on the pad is drawn as it would be.
    far = [np.array([[-50.0, 0.5], [51.0, 0.5]])]
    near = [np.array([[-0.2, 0.5], [1.2, 0.5]])]
    np.testing.assert_allclose(render(far), render(near), atol=1e-5)
    assert render(far)[70, :].min() > 0.99
    assert render([np.array([[3.0, 3.0], [4.0, 4.0]])]).max() == 0


def test_clip_segments():
    a, b = np.array([[-1.0, 0.5], [2.0, 2.0], [0.2, 0.2]]), np.array([[2.0, 0.5], [3.0, 3.0], [0.4, 0.4]])
    ca, cb = clip_segments(a, b, 0.0, 1.0)
    np.testing.assert_allclose(ca, [[0.0, 0.5], [0.2, 0.2]])
    np.testing.assert_allclose(cb, [[1.0, 0.5], [0.4, 0.4]])


def test_render_ink_is_the_ink_at_the_networks_resolution():
    ink = render_ink(SEVEN)
    assert ink.dtype == np.float32 and max(ink.shape) == pytest.approx(pen.INK_BOX, abs=2)
    assert ink.max() == 1.0 and ink[0].max() > 0 and ink[:, 0].max() > 0  # cropped to the ink
    # The same digit as the whole pad at the pen's own size says.
    assert recognize(ink, "cnn").digit == recognize(render(SEVEN), "cnn").digit == 7


def test_recognize_strokes():
    prediction = recognize_strokes(SEVEN, "cnn")
    assert prediction.digit == 7 and set(prediction.timings) == {"render", "preprocess", "forward"}
    np.testing.assert_array_equal(prediction.probabilities, recognize(render_ink(SEVEN), "cnn").probabilities)
    assert recognize_strokes(DOT, "cnn").digit in range(10)  # a dot is a drawing


@pytest.mark.parametrize("strokes", [[], [np.array([[5.0, 5.0], [6.0, 6.0]])]], ids=["none", "off-pad"])
def test_no_ink_on_the_pad_is_an_empty_drawing(strokes):
    with pytest.raises(EmptyDrawing):
        recognize_strokes(strokes, "cnn")


@pytest.mark.parametrize("strokes, says", [
    ("not strokes", "stroke 0"),
    (42, "must be a list of strokes"),
    ([[]], "stroke 0 must be one or more"),
    ([[[0.1, 0.2, 0.3]]], "stroke 0 must be one or more (x, y) points"),
    ([[[0.1, 0.2]], [[0.5, float("nan")]]], "stroke 1 has a coordinate that is NaN"),
    ([[[0.1, float("inf")]]], "NaN or infinite"),
    ([[[0.1, 1e9]]], f"at most {MAX_COORDINATE:g}"),
    ([[[0.5, 0.5]]] * (MAX_STROKES + 1), f"at most {MAX_STROKES}"),
    ([np.full((MAX_POINTS + 1, 2), 0.5)], f"more than {MAX_POINTS} points"),
], ids=["string", "number", "empty-stroke", "3-d", "nan", "inf", "huge", "many-strokes", "many-points"])
def test_strokes_that_are_not_a_drawing_are_refused(strokes, says):
    with pytest.raises(ValueError, match=re.escape(says)):
        checked_strokes(strokes)


def test_ink_extent_stays_on_the_pad():
    low, high = ink_extent([np.array([[-0.5, 0.5], [0.5, 1.5]])], 0.1)
    assert (low >= 0).all() and (high <= 1).all()
