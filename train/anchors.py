"""Anchors: what a model's head saw in training, in a hundred vectors.

``pydigit.personalize`` teaches a model's head (its last three layers) one
visitor's drawings. Alone, it would forget: it moves its decision boundaries
to fit a few dozen drawings and gets other people's digits wrong. With the
anchors it also keeps answering, on them, what the bundled model answered,
so it can only move where the visitor's drawings need it to.

The anchors are, for each digit, the k-means centres of the head's inputs
(the convolutions' features) over the MNIST training images of that digit:
averages of hundreds of feature vectors each, not images, stored in the
weights file.

    python -m train.anchors [--model cnn|mlp] [--per-digit N]

adds them to a bundled weights file (``python -m train`` does it on export).
"""

import argparse

import numpy as np

from pydigit.personalize import head_inputs
from pydigit.weights_file import MODEL_NAMES, NUM_CLASSES, bundled_weights_path, load_model, save_model

from .mnist import load_mnist

PER_DIGIT = 10
ITERATIONS = 25
SEED = 0


def kmeans(points, k, rng, iterations=ITERATIONS):
    """points: (N, D) float32 -> (k, D) float32 centres, Lloyd's algorithm
    from k points drawn with ``rng``; a centre left without points keeps
    its place."""
    centres = points[rng.choice(len(points), k, replace=False)].astype(np.float64)
    squared = (points.astype(np.float64) ** 2).sum(1)
    for _ in range(iterations):
        distances = squared[:, None] - 2 * points @ centres.T + (centres ** 2).sum(1)
        nearest = distances.argmin(1)
        for j in range(k):
            members = points[nearest == j]
            if len(members):
                centres[j] = members.mean(0)
    return centres.astype(np.float32)


def feature_anchors(model, images, labels, per_digit=PER_DIGIT, seed=SEED):
    """model: a ``Model`` ending in Dense, ReLU, Dense; images: (N, 28, 28)
    uint8 MNIST images; labels: (N,) -> (10 * per_digit, D) float32, each
    digit's k-means centres of the head's inputs, digit 0 first."""
    x = images.astype(np.float32) / 255.0
    features = np.concatenate([head_inputs(model, x[i:i + 1000]) for i in range(0, len(x), 1000)])
    rng = np.random.default_rng(seed)
    return np.concatenate([kmeans(features[labels == digit], per_digit, rng)
                           for digit in range(NUM_CLASSES)])


def add_anchors(path, images, labels, per_digit=PER_DIGIT):
    """Load the weights file at ``path``, give it anchors, write it back."""
    model = load_model(path)
    model.anchors = feature_anchors(model, images, labels, per_digit)
    model.meta["anchors"] = {"per_digit": per_digit, "seed": SEED, "images": len(images),
                             "of": "k-means centres of the head's inputs, MNIST training set"}
    save_model(model, path)
    return model


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m train.anchors", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", choices=MODEL_NAMES, action="append",
                        help="default: every bundled model")
    parser.add_argument("--per-digit", type=int, default=PER_DIGIT)
    parser.add_argument("--data", help="directory with the four MNIST .gz files")
    args = parser.parse_args(argv)
    images, labels = load_mnist("train", args.data)
    for name in args.model or MODEL_NAMES:
        model = add_anchors(bundled_weights_path(name), images, labels, args.per_digit)
        print(f"{name}: {len(model.anchors)} anchors of {model.anchors.shape[1]} features")


if __name__ == "__main__":
    main()
