"""Augmentation on real MNIST training digits."""

from dataclasses import replace

import numpy as np
import pytest

from pydigit.preprocess import centre_of_mass
from pydigit.augment import Augmentation, augment

IDENTITY = Augmentation(rotation_degrees=0.0, scale=(1.0, 1.0), shear=0.0, translation=0.0,
                        elastic_pixels=0.0, thickness=(0.0, 0.0))


@pytest.fixture(scope="module")
def digits(mnist_train):
    return mnist_train[0][:500].astype(np.float32) / 255.0


def test_shape_dtype_and_range(digits):
    before = digits.copy()
    out = augment(digits, np.random.default_rng(0))
    assert out.shape == digits.shape and out.dtype == np.float32
    assert out.min() >= 0.0 and out.max() <= 1.0
    np.testing.assert_array_equal(digits, before)  # the input is left alone


def test_deterministic_for_a_seed(digits):
    a = augment(digits[:64], np.random.default_rng(42))
    b = augment(digits[:64], np.random.default_rng(42))
    np.testing.assert_array_equal(a, b)
    c = augment(digits[:64], np.random.default_rng(43))
    assert not np.array_equal(a, c)
    # The generator is the only source of randomness: its next draw differs.
    rng = np.random.default_rng(42)
    first, second = augment(digits[:64], rng), augment(digits[:64], rng)
    assert not np.array_equal(first, second)


def test_changes_every_image(digits):
    out = augment(digits, np.random.default_rng(1))
    change = np.abs(out - digits).mean(axis=(1, 2))
    # Measured on these 500 digits: at least 0.028, 0.12 on average
    # (the digits' own mean ink is ~0.13).
    assert change.min() > 0.01
    assert change.mean() > 0.05


def test_keeps_most_of_the_ink_and_the_digit_in_place(digits):
    out = augment(digits, np.random.default_rng(2))
    ratio = out.sum(axis=(1, 2)) / digits.sum(axis=(1, 2))
    # Scaling by 0.8..1.2 changes the area by 0.64..1.44 and stroke thinning or
    # thickening does the rest: per image 0.36..2.6 measured, 1.16 on average.
    assert 0.8 < ratio.mean() < 1.5
    assert ratio.min() > 0.25 and ratio.max() < 4.0
    assert out.max(axis=(1, 2)).min() > 0.3, "no digit fades away"
    # Shifts are +-1.5 px plus elastic wobble: the digit stays near the middle.
    offsets = np.array([centre_of_mass(image) for image in out]) - 14.0
    assert np.abs(offsets).max() < 5.0
    assert np.abs(offsets).mean() < 1.5


def test_identity_configuration_returns_the_image(digits):
    out = augment(digits[:100], np.random.default_rng(3), IDENTITY)
    np.testing.assert_allclose(out, digits[:100], atol=1e-6)


def cross_filter(images, reduce):
    """3x3 cross-shaped max/min filter, zero outside, written out directly."""
    padded = np.pad(images, ((0, 0), (1, 1), (1, 1)))
    out = np.empty_like(images)
    for i in range(28):
        for j in range(28):
            window = [padded[:, i + 1, j + 1], padded[:, i, j + 1], padded[:, i + 2, j + 1],
                      padded[:, i + 1, j], padded[:, i + 1, j + 2]]
            out[:, i, j] = reduce(window, axis=0)
    return out


def test_full_thickening_and_thinning_are_dilation_and_erosion(digits):
    images = digits[:20]
    bold = augment(images, np.random.default_rng(4), replace(IDENTITY, thickness=(1.0, 1.0)))
    thin = augment(images, np.random.default_rng(4), replace(IDENTITY, thickness=(-1.0, -1.0)))
    np.testing.assert_allclose(bold, cross_filter(images, np.max), atol=1e-6)
    np.testing.assert_allclose(thin, cross_filter(images, np.min), atol=1e-6)
    assert (bold.sum(axis=(1, 2)) > images.sum(axis=(1, 2))).all()
    assert (thin.sum(axis=(1, 2)) < images.sum(axis=(1, 2))).all()


def test_pure_translation_moves_the_centre_of_mass(digits):
    images = digits[:50]
    out = augment(images, np.random.default_rng(5), replace(IDENTITY, translation=1.5))
    shift = (np.array([centre_of_mass(i) for i in out])
             - np.array([centre_of_mass(i) for i in images]))
    assert np.abs(shift).max() <= 1.5 + 0.05  # up to 1.5 px each way (+ bilinear edge effects)
    assert np.abs(shift).mean() > 0.3          # and it does move them
    # Moving ink keeps it, except what crosses the field's edge (one of these
    # 50 digits comes within a pixel of it and loses 0.6%).
    np.testing.assert_allclose(out.sum(axis=(1, 2)), images.sum(axis=(1, 2)), rtol=1e-2)
    assert np.median(np.abs(out.sum(axis=(1, 2)) / images.sum(axis=(1, 2)) - 1)) < 1e-5
