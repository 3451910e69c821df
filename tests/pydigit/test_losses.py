"""softmax and SoftmaxCrossEntropy: values against a direct float64
computation, d loss / d logits against central differences.

``SoftmaxCrossEntropy.backward`` returns float32 by design (training runs in
float32), so the analytic gradient carries float32 rounding, ~6e-8 relative;
the central difference on float64 logits is good to ~1e-9. A 1e-6 threshold
is therefore still tight: a wrong sign, a missing 1/N or a mis-smoothed
target gives errors of order 0.1 to 1.
"""

import numpy as np
import pytest

from pydigit.losses import SoftmaxCrossEntropy, softmax

H = 1e-6
TOLERANCE = 1e-6


def reference_loss(logits, labels, smoothing):
    """Mean cross-entropy against (1 - s) * one_hot + s / K, in float64."""
    logits = np.asarray(logits, np.float64)
    n, k = logits.shape
    log_probs = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    target = np.full((n, k), smoothing / k)
    target[np.arange(n), labels] += 1 - smoothing
    return -(target * log_probs).sum() / n


def relative_error(a, b):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b))


@pytest.mark.parametrize("smoothing", [0.0, 0.1, 0.3])
def test_cross_entropy_gradient(smoothing):
    rng = np.random.default_rng(int(smoothing * 10))
    logits = 3.0 * rng.standard_normal((6, 10))
    labels = rng.integers(0, 10, 6)
    loss_fn = SoftmaxCrossEntropy(label_smoothing=smoothing)

    loss = loss_fn.forward(logits, labels)
    analytic = loss_fn.backward()
    assert analytic.shape == logits.shape

    numerical = np.zeros_like(logits)
    for index in np.ndindex(logits.shape):
        old = logits[index]
        logits[index] = old + H
        plus = loss_fn.forward(logits, labels)
        logits[index] = old - H
        minus = loss_fn.forward(logits, labels)
        logits[index] = old
        numerical[index] = (plus - minus) / (2 * H)
    error = relative_error(numerical, analytic)
    assert error < TOLERANCE, f"label_smoothing={smoothing}: relative error {error:.2e}"
    # Each row of the gradient sums to zero: probabilities and targets both sum to 1.
    np.testing.assert_allclose(analytic.sum(axis=1), 0, atol=1e-7)
    # The loss itself is right (the smoothed target is built in float32: ~1e-7 relative).
    np.testing.assert_allclose(loss, reference_loss(logits, labels, smoothing), rtol=1e-6)


def test_cross_entropy_known_values():
    loss_fn = SoftmaxCrossEntropy()
    # Equal logits: every class has probability 1/10, the loss is log(10).
    uniform = loss_fn.forward(np.zeros((3, 10), np.float32), np.array([0, 4, 9]))
    assert uniform == pytest.approx(np.log(10))
    # A confident right answer costs ~0, a confident wrong one ~the logit gap.
    logits = np.zeros((1, 10), np.float32)
    logits[0, 7] = 50
    assert loss_fn.forward(logits, np.array([7])) == pytest.approx(0, abs=1e-6)
    assert loss_fn.forward(logits, np.array([2])) == pytest.approx(50, rel=1e-6)
    # With smoothing, a confident right answer is no longer free.
    assert SoftmaxCrossEntropy(0.1).forward(logits, np.array([7])) > 4


def test_cross_entropy_is_stable_for_huge_logits():
    loss_fn = SoftmaxCrossEntropy()
    logits = np.array([[1000.0, 0.0, -1000.0] + [0.0] * 7], np.float32)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        loss = loss_fn.forward(logits, np.array([1]))
        grad = loss_fn.backward()
    assert loss == pytest.approx(1000, rel=1e-6)
    assert np.isfinite(grad).all()


def test_softmax():
    logits = np.array([[1.0, 2.0, 3.0], [1000.0, 1000.0, -1000.0]], np.float32)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        probs = softmax(logits)
    assert probs.dtype == np.float32
    np.testing.assert_allclose(probs.sum(axis=1), 1, rtol=1e-6)
    np.testing.assert_allclose(probs[0], np.exp([1, 2, 3]) / np.exp([1, 2, 3]).sum(), rtol=1e-6)
    np.testing.assert_allclose(probs[1], [0.5, 0.5, 0.0], atol=1e-7)
