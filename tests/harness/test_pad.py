"""harness.pad's arithmetic, without a browser: strokes in 0..1 of the pad
to page coordinates, and pendigits strokes to 0..1 of the pad."""

import numpy as np
import pytest

from harness.pad import page_points, pendigit_strokes01
from train.pendigits import MARGIN


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
