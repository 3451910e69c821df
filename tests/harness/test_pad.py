"""harness.pad's arithmetic, without a browser: strokes in 0..1 of the pad
to page coordinates, pendigits strokes to 0..1 of the pad, and to a number
on a number pad."""

import numpy as np
import pytest

from harness.pad import height_units, page_points, pendigit_number, pendigit_strokes01
from train.pendigits import MARGIN, Digit


def test_page_points_map_the_unit_square_onto_the_pad():
    box = {"x": 100.0, "y": 50.0, "width": 300.0, "height": 200.0}
    strokes = [np.array([[0, 0], [1, 1]], np.float32), [(0.5, 0.25)]]
    assert page_points(strokes, box) == [[(100.0, 50.0), (400.0, 250.0)], [(250.0, 100.0)]]
    assert all(type(c) is float for stroke in page_points(strokes, box) for point in stroke for c in point)


def test_pendigit_strokes_fill_the_pad_less_its_margin_centred():
    # A tall L in tablet units: its height spans the pad less the margins, its centre is the pad's.
    strokes01 = pendigit_strokes01([np.array([[0, 0], [0, 100], [50, 100]], np.float32),
                                    np.array([[25, 50]], np.float32)])
    points = np.concatenate(strokes01)
    assert [len(s) for s in strokes01] == [3, 1]
    assert np.ptp(points, axis=0) == pytest.approx([(1 - 2 * MARGIN) / 2, 1 - 2 * MARGIN], rel=1e-5)
    assert (points.min(axis=0) + points.max(axis=0)) / 2 == pytest.approx([0.5, 0.5], abs=1e-6)


def test_height_units_map_a_number_pads_strokes_by_its_height():
    box = height_units({"x": 100.0, "y": 50.0, "width": 800.0, "height": 200.0})
    assert page_points([[(4.0, 1.0), (0.5, 0.5)]], box) == [[(900.0, 250.0), (200.0, 150.0)]]


def test_a_pendigit_number_is_its_digits_left_to_right_centred_on_the_pad():
    bar = Digit(1, [np.array([[10, 0], [10, 100]], np.float32)], 1)
    square = Digit(0, [np.array([[0, 0], [100, 0], [100, 100], [0, 100], [0, 0]], np.float32)], 1)
    strokes = pendigit_number([bar, square, bar], aspect=4.0, height=0.5, gap=0.25)
    assert [len(s) for s in strokes] == [2, 5, 2]
    xs = [(s[:, 0].min(), s[:, 0].max()) for s in strokes]
    assert xs[1][0] - xs[0][1] == pytest.approx(0.25) and xs[2][0] - xs[1][1] == pytest.approx(0.25)
    assert xs[1][1] - xs[1][0] == pytest.approx(0.5)
    assert (xs[0][0] + xs[2][1]) / 2 == pytest.approx(2.0)
    points = np.concatenate(strokes)
    assert points[:, 1].min() == pytest.approx(0.25) and points[:, 1].max() == pytest.approx(0.75)
    # Too wide for a narrow pad: made smaller, to 90% of its width.
    narrow = np.concatenate(pendigit_number([square] * 5, aspect=2.0, height=0.7, gap=0.15))
    assert np.ptp(narrow[:, 0]) == pytest.approx(1.8)
