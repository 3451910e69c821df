"""Flagged '1's and crossed '7's drawn onto real MNIST digits."""

import numpy as np
import pytest

from pydigit.preprocess import centre_of_mass
from train.styles import (add_crossbars, add_flags, crossbar_segments, flag_segments, ink_rows,
                          segment_ink, with_styles)


@pytest.fixture(scope="module")
def batch(mnist_train):
    images, labels = mnist_train
    return images[:2000].astype(np.float32) / 255.0, labels[:2000]


@pytest.fixture(scope="module")
def ones(batch):
    images, labels = batch
    return images[labels == 1][:100]


@pytest.fixture(scope="module")
def sevens(batch):
    images, labels = batch
    return images[labels == 7][:100]


def ink_columns(image):
    cols = np.flatnonzero((image > 0.1).any(axis=0))
    return cols[0], cols[-1]


def width(image):
    left, right = ink_columns(image)
    return right - left + 1


def touches_ink(image, point):
    """Is there ink within a pixel of point (row, column)?"""
    r, c = np.round(point).astype(int)
    return image[max(r - 1, 0):r + 2, max(c - 1, 0):c + 2].max() > 0.5


def longest_run_in_rows(image, first, last):
    """The longest horizontal run of ink (> 0.5) in rows first..last - 1."""
    best = 0
    for row in image[first:last] > 0.5:
        run = 0
        for ink in row:
            run = run + 1 if ink else 0
            best = max(best, run)
    return best


def test_segment_ink_is_a_stroke_of_the_given_width():
    ink = segment_ink(np.array([[5.0, 5.0]]), np.array([[5.0, 20.0]]), np.array([3.0]))[0]
    assert ink.dtype == np.float32 and ink.max() == 1.0
    assert ink[5, 5:21].min() == 1.0 and ink[5, 22:].max() == 0.0  # along the segment only
    assert ink[3:8, 12].sum() == pytest.approx(3.0)  # across it: 3 px of ink
    assert ink[10:, :].max() == 0.0


def test_ink_rows_measure_a_bar(ones):
    bar = np.zeros((1, 28, 28), np.float32)
    bar[0, 4:24, 12:15] = 1.0  # 20 rows of a 3 px wide stroke
    top, height, width = ink_rows(bar)
    assert (top[0], height[0], width[0]) == (4, 20, 3.0)
    _, height, width = ink_rows(ones)
    assert (height >= 15).all() and 1.5 <= np.median(width) <= 4.0


def test_flags_hang_from_the_top_of_the_stem_down_and_left(ones):
    start, end, stroke = flag_segments(ones, np.random.default_rng(0))
    top, height, width = ink_rows(ones)
    np.testing.assert_array_equal(stroke, width)
    assert (np.abs(start[:, 0] - top) <= 1).all()
    # The flag starts on the stem (a row's mean ink column can fall between
    # two strokes, for a '1' with a serif).
    assert np.mean([touches_ink(one, point) for one, point in zip(ones, start)]) > 0.9
    drop, left = (end - start).T / height
    assert (0.3 <= drop).all() and (drop <= 0.65).all()
    assert (0.15 <= left * -1).all() and (left * -1 <= 0.6).all()


def test_flags_add_ink_and_width(ones):
    flagged = add_flags(ones, np.random.default_rng(0))
    assert flagged.shape == ones.shape and flagged.dtype == np.float32
    assert flagged.min() >= 0.0 and flagged.max() <= 1.0
    # More ink (re-normalising may shrink a digit the flag made wide), and
    # the digit's bounding box is wider: the flag reaches left.
    gained = flagged.sum(axis=(1, 2)) / ones.sum(axis=(1, 2))
    assert np.median(gained) > 1.15 and (gained > 1.0).mean() > 0.9
    assert np.mean([width(f) - width(o) for f, o in zip(flagged, ones)]) > 2


def test_crossbars_cross_the_stem_below_the_top(sevens):
    start, end, _ = crossbar_segments(sevens, np.random.default_rng(0))
    top, height, _ = ink_rows(sevens)
    centre = (start + end) / 2
    down = (centre[:, 0] - top) / (height - 1)
    assert (0.5 - 1e-6 <= down).all() and (down <= 0.7 + 1e-6).all()
    assert np.mean([touches_ink(seven, point) for seven, point in zip(sevens, centre)]) > 0.9
    span = np.linalg.norm(end - start, axis=1) / height
    assert (0.3 - 1e-6 <= span).all() and (span <= 0.75 + 1e-6).all()
    assert (np.abs(end[:, 0] - start[:, 0]) <= np.abs(end[:, 1] - start[:, 1])).all()  # more across than up


def test_crossbars_add_ink_across_the_middle_of_the_stem(sevens):
    crossed = add_crossbars(sevens, np.random.default_rng(0))
    assert crossed.shape == sevens.shape and crossed.dtype == np.float32
    assert crossed.min() >= 0.0 and crossed.max() <= 1.0
    gained = crossed.sum(axis=(1, 2)) / sevens.sum(axis=(1, 2))
    assert np.median(gained) > 1.1
    # Below the top bar and above the foot: the middle band gains the most
    # ink, and there a row now holds a long run of ink, the bar.
    gain = np.clip(crossed - sevens, 0, None)
    middle, top, bottom = gain[:, 11:20].sum(), gain[:, :9].sum(), gain[:, 22:].sum()
    assert middle > 2 * top and middle > 2 * bottom
    plain = np.array([longest_run_in_rows(image, 11, 20) for image in sevens])
    barred = np.array([longest_run_in_rows(image, 11, 20) for image in crossed])
    assert np.median(barred) >= np.median(plain) + 3 and (barred > plain).mean() > 0.8


@pytest.mark.parametrize("style", [add_flags, add_crossbars])
def test_styled_digits_are_normalised_again_like_mnist(batch, style):
    images, labels = batch
    digit = 1 if style is add_flags else 7
    for image in style(images[labels == digit][:30], np.random.default_rng(1)):
        row, col = centre_of_mass(image)
        assert abs(row - 14) <= 0.5 + 1e-3 and abs(col - 14) <= 0.5 + 1e-3  # float32 rounding
        rows = np.flatnonzero((image > 0.1).any(axis=1))
        assert rows[-1] - rows[0] + 1 <= 21  # longer side 20 px (+ anti-aliased fringe)
        left, right = ink_columns(image)
        assert right - left + 1 <= 21


def test_styled_copies_are_added_to_the_batch(batch):
    images, labels = batch
    before = images.copy()
    out, out_labels = with_styles(images, labels, np.random.default_rng(2), {1: 0.5, 7: 0.3})
    np.testing.assert_array_equal(images, before)  # the input is left alone
    n = len(images)
    np.testing.assert_array_equal(out[:n], images)  # the batch as it was comes first
    np.testing.assert_array_equal(out_labels[:n], labels)
    added = out_labels[n:]
    assert set(added.tolist()) == {1, 7}
    assert 0.35 < (added == 1).sum() / (labels == 1).sum() < 0.65
    assert 0.18 < (added == 7).sum() / (labels == 7).sum() < 0.42
    assert out.dtype == np.float32 and out.shape[1:] == (28, 28)
    # Each copy differs from every plain digit of its class: it has a new stroke.
    assert not any((copy == images).all(axis=(1, 2)).any() for copy in out[n:n + 10])


def test_no_fractions_no_copies(batch):
    images, labels = batch
    out, out_labels = with_styles(images, labels, np.random.default_rng(2), {1: 0.0, 7: 0.0})
    np.testing.assert_array_equal(out, images)
    np.testing.assert_array_equal(out_labels, labels)


def test_deterministic_for_a_seed(batch):
    images, labels = batch
    a = with_styles(images, labels, np.random.default_rng(3), {1: 0.5, 7: 0.5})
    b = with_styles(images, labels, np.random.default_rng(3), {1: 0.5, 7: 0.5})
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
