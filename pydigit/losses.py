"""Softmax and the softmax cross-entropy loss."""

import numpy as np


def softmax(logits):
    """logits: (N, K) float32 -> probabilities (N, K) float32, rows sum to 1."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


class SoftmaxCrossEntropy:
    """Mean cross-entropy of softmax(logits) against integer labels.

    ``forward(logits, labels)``: logits (N, K) float32, labels (N,) int -> float.
    ``backward()`` -> d loss / d logits, (N, K) float32.
    ``label_smoothing`` spreads that much of each target's mass over all K
    classes, which keeps the network from growing over-confident.
    """

    def __init__(self, label_smoothing=0.0):
        self.label_smoothing = label_smoothing

    def forward(self, logits, labels):
        n, k = logits.shape
        shifted = logits - logits.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        target = np.full((n, k), self.label_smoothing / k, logits.dtype)
        target[np.arange(n), labels] += 1.0 - self.label_smoothing
        self._probs, self._target = np.exp(log_probs), target
        return float(-(target * log_probs).sum() / n)

    def backward(self):
        return (self._probs - self._target) / len(self._target)
