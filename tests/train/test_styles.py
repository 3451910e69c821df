"""Flagged '1's drawn onto real MNIST '1's."""

import numpy as np
import pytest

from pydigit.preprocess import centre_of_mass
from train.styles import add_flags, segment_ink, with_flagged_ones


@pytest.fixture(scope="module")
def batch(mnist_train):
    images, labels = mnist_train
    return images[:2000].astype(np.float32) / 255.0, labels[:2000]


@pytest.fixture(scope="module")
def ones(batch):
    images, labels = batch
    return images[labels == 1][:100]


def test_segment_ink_is_a_stroke_of_the_given_width():
    ink = segment_ink(np.array([[5.0, 5.0]]), np.array([[5.0, 20.0]]), np.array([3.0]))[0]
    assert ink.dtype == np.float32 and ink.max() == 1.0
    assert ink[5, 5:21].min() == 1.0 and ink[5, 22:].max() == 0.0  # along the segment only
    assert ink[3:8, 12].sum() == pytest.approx(3.0)  # across it: 3 px of ink
    assert ink[10:, :].max() == 0.0


def test_flags_add_ink_up_and_to_the_left_of_the_stem(ones):
    flagged = add_flags(ones, np.random.default_rng(0))
    assert flagged.shape == ones.shape and flagged.dtype == np.float32
    assert flagged.min() >= 0.0 and flagged.max() <= 1.0
    # More ink (re-normalising may shrink a digit the flag made wide), and
    # the digit's bounding box is wider: the flag reaches left.
    gained = flagged.sum(axis=(1, 2)) / ones.sum(axis=(1, 2))
    assert np.median(gained) > 1.15 and (gained > 1.0).mean() > 0.9

    def width(image):
        cols = np.flatnonzero((image > 0.1).any(axis=0))
        return cols[-1] - cols[0] + 1
    assert np.mean([width(f) - width(o) for f, o in zip(flagged, ones)]) > 2
    # The flag sits in the top half: the top half gains more ink than the bottom.
    gain = flagged - ones
    assert gain[:, :14].sum() > 2 * gain[:, 14:].sum()


def test_flagged_digits_are_normalised_again_like_mnist(ones):
    for image in add_flags(ones[:30], np.random.default_rng(1)):
        row, col = centre_of_mass(image)
        assert abs(row - 14) <= 0.5 and abs(col - 14) <= 0.5
        rows = np.flatnonzero((image > 0.1).any(axis=1))
        assert rows[-1] - rows[0] + 1 <= 21  # longer side 20 px (+ anti-aliased fringe)


def test_only_a_fraction_of_the_ones_change(batch):
    images, labels = batch
    before = images.copy()
    out = with_flagged_ones(images, labels, np.random.default_rng(2), 0.5)
    np.testing.assert_array_equal(images, before)  # the input is left alone
    changed = (out != images).any(axis=(1, 2))
    assert not changed[labels != 1].any()
    share = changed[labels == 1].mean()
    assert 0.35 < share < 0.65
    np.testing.assert_array_equal(with_flagged_ones(images, labels, np.random.default_rng(2), 0.0), images)


def test_deterministic_for_a_seed(batch):
    images, labels = batch
    a = with_flagged_ones(images, labels, np.random.default_rng(3), 0.5)
    b = with_flagged_ones(images, labels, np.random.default_rng(3), 0.5)
    np.testing.assert_array_equal(a, b)
