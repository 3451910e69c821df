"""How a digit was written, as features: what they keep (the order and
direction of the pen, where it was lifted) and what they leave out (scale,
position, how often the pen was sampled); and the vote's arithmetic."""

import numpy as np
import pytest

from pydigit.trajectory import FEATURES, POINTS, combine, trajectory_features

# A '7' as a pad records it: a bar to the right, then down to the left; and a
# crossing bar, lifted and drawn on its own.
SEVEN = [np.array([[0.2, 0.2], [0.8, 0.2], [0.4, 0.9]]), np.array([[0.35, 0.55], [0.75, 0.55]])]


def pen_up(features):
    return features[2 * POINTS:3 * POINTS]


def test_features_are_a_flat_float32_vector():
    features = trajectory_features(SEVEN)
    assert features.shape == (FEATURES,) and features.dtype == np.float32
    assert np.isfinite(features).all()


def test_scale_and_position_change_nothing():
    moved = [s * 37.5 + np.array([120.0, -8.0]) for s in SEVEN]
    np.testing.assert_allclose(trajectory_features(moved), trajectory_features(SEVEN), atol=1e-5)


def test_how_often_the_pen_was_sampled_changes_nothing():
    # Ten points on each straight segment, as a 100 Hz pointer gives, against the corners alone.
    dense = [np.concatenate([a + (b - a) * t[:, None] for a, b in zip(s[:-1], s[1:])] + [s[-1:]])
             for s in SEVEN for t in [np.linspace(0, 1, 10, endpoint=False)]]
    np.testing.assert_allclose(trajectory_features(dense), trajectory_features(SEVEN), atol=1e-5)


def test_the_order_of_writing_is_kept():
    backwards = [s[::-1] for s in SEVEN[::-1]]
    assert np.abs(trajectory_features(backwards) - trajectory_features(SEVEN)).max() > 0.5


def test_the_pen_is_up_only_between_strokes():
    assert not pen_up(trajectory_features(SEVEN[:1])).any()
    lifted = pen_up(trajectory_features(SEVEN))
    assert 0 < lifted.sum() < POINTS // 2
    assert not lifted[:POINTS // 2].any() and not lifted[-1]  # on the jump, not on either stroke


def test_a_dot_and_a_lone_point_per_stroke_are_features_too():
    for strokes in ([np.array([[0.5, 0.5]])], [np.array([[0.5, 0.5]]), np.array([[0.5, 0.5]])]):
        assert np.isfinite(trajectory_features(strokes)).all()


def test_no_points_is_a_value_error():
    with pytest.raises(ValueError, match="at least one point"):
        trajectory_features([])
    with pytest.raises(ValueError, match="at least one point"):
        trajectory_features([np.zeros((0, 2))])


def test_combine_is_the_normalised_product():
    image = np.array([[0.6, 0.4] + [0.0] * 8, [0.1] * 10], np.float32)
    trajectory = np.array([[0.2, 0.8] + [0.0] * 8, [0.1] * 10], np.float32)
    both = combine(image, trajectory)
    assert both.dtype == np.float32 and both.shape == (2, 10)
    np.testing.assert_allclose(both.sum(axis=1), 1, rtol=1e-6)
    np.testing.assert_allclose(both[0, :2], [0.12 / 0.44, 0.32 / 0.44], rtol=1e-6)  # the surer vote wins
    np.testing.assert_allclose(both[1], 0.1, rtol=1e-6)  # two unsure votes stay unsure


def test_combine_when_each_network_is_sure_of_another_digit():
    # Each gives the other's digit a probability float32 rounds to 0: every
    # product underflows, yet the answer is one of the two digits, half and
    # half, not a spread over all ten.
    image, trajectory = np.zeros((1, 10), np.float32), np.zeros((1, 10), np.float32)
    image[0, 3] = trajectory[0, 8] = 1.0
    both = combine(image, trajectory)[0]
    np.testing.assert_allclose(both[[3, 8]], [0.5, 0.5], rtol=1e-6)
    assert both.sum() == pytest.approx(1, rel=1e-6)
