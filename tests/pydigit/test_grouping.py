"""Which pieces of ink make one digit (pydigit.grouping), on pieces laid out
by hand in pad heights: a line one unit tall, a pen 0.05 wide."""

import numpy as np
import pytest

from pydigit.components import Pieces, TooManyMarks
from pydigit.grouping import MAX_PIECES, group_pieces

PEN = 0.05


def pieces(*boxes):
    """boxes: (top, bottom, left, right) each -> Pieces whose cores are the
    boxes less half a pen each side."""
    boxes = np.array(boxes, float)
    return Pieces(boxes[:, 2] + PEN / 2, boxes[:, 3] - PEN / 2, boxes)


def test_pieces_that_overlap_from_left_to_right_are_one_digit():
    # A '5': its body, and its hat over the same columns.
    line = group_pieces(pieces((0.3, 1.0, 0.0, 0.6), (0.0, 0.2, 0.1, 0.7), (0.0, 1.0, 1.2, 1.5)), PEN)
    assert [g.tolist() for g in line.groups] == [[0, 1], [2]]
    assert line.height == 1.0
    np.testing.assert_allclose(line.spans, [[0.0, 0.7], [1.2, 1.5]])


def test_groups_are_in_reading_order():
    line = group_pieces(pieces((0, 1, 2.0, 2.5), (0, 1, 0.0, 0.5), (0, 1, 1.0, 1.5)), PEN)
    assert [g.tolist() for g in line.groups] == [[1], [2], [0]]
    assert not line.maybe_one.any() and not line.hanging.any()


def test_a_speck_joins_the_digit_nearest_to_it():
    line = group_pieces(pieces((0, 1, 0.0, 0.5), (0, 1, 1.5, 2.0), (0.9, 1.0, 1.25, 1.3)), PEN)
    assert [g.tolist() for g in line.groups] == [[0], [1, 2]]


def test_neighbours_that_nearly_meet_may_be_one_digit():
    # Their inks overlap by a pen's width: their cores just meet.
    touching = group_pieces(pieces((0, 1, 0.0, 0.5), (0, 1, 0.45, 1.0)), PEN)
    apart = group_pieces(pieces((0, 1, 0.0, 0.5), (0, 1, 0.8, 1.3)), PEN)
    assert touching.maybe_one.tolist() == [True] and apart.maybe_one.tolist() == [False]


def test_a_piece_hanging_above_its_neighbours_baseline_may_belong_to_it():
    # The arm of a '4' drawn as its own stroke, beside the upright.
    line = group_pieces(pieces((0.0, 0.6, 0.0, 0.4), (0.0, 1.0, 0.42, 0.6)), PEN)
    assert line.maybe_one.tolist() == [True]
    assert line.hanging.tolist() == [True, False]


def test_too_many_marks_are_refused():
    many = pieces(*[(0, 1, 2 * i, 2 * i + 1) for i in range(MAX_PIECES + 1)])
    with pytest.raises(TooManyMarks):
        group_pieces(many, PEN)
