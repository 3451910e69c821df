"""Shared fixtures: the real MNIST files (loaded once per session), a way to
draw an MNIST digit onto a canvas as the site would, and the bundled weights.

No mocks anywhere: the tests read the real MNIST IDX files (found the way
``train.mnist`` finds them, without downloading) and run the real code.
"""

import os
import sys
from pathlib import Path

# The tests make many small matrix products: OpenBLAS threads only add
# overhead there, and on a 2-core machine that is also training they make
# them ~50x slower. One thread (the browser's NumPy has no BLAS at all) unless
# the environment says otherwise; this must happen before NumPy is imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

# The tests mirror the package layout (tests/pydigit, tests/train) and pytest
# puts tests/ on sys.path for this conftest. Run as plain ``pytest`` (the
# project itself not on sys.path; ``train`` is not installed, and the editable
# install's finder comes after the path finder), ``import pydigit`` and
# ``import train`` would resolve to those folders as namespace packages.
PROJECT = Path(__file__).resolve().parent.parent
if sys.path[0] != str(PROJECT):
    sys.path.insert(0, str(PROJECT))

from pydigit.weights_file import bundled_weights_path  # noqa: E402
from train.mnist import find_mnist, load_mnist  # noqa: E402

# A canvas for preprocessing tests, larger than the site's (pydigit.pen.CANVAS_SIZE):
# preprocessing takes any size, and a large one makes thin and thick pens easy to draw.
CANVAS = 280


@pytest.fixture(scope="session")
def mnist_dir():
    """The directory holding the four real MNIST .gz files (md5-checked)."""
    return find_mnist(allow_download=False)


@pytest.fixture(scope="session")
def mnist_test(mnist_dir):
    """The real MNIST test set: images (10000, 28, 28) uint8, labels (10000,) uint8."""
    return load_mnist("test", mnist_dir, allow_download=False)


@pytest.fixture(scope="session")
def mnist_train(mnist_dir):
    """The real MNIST training set: images (60000, 28, 28) uint8, labels (60000,) uint8."""
    return load_mnist("train", mnist_dir, allow_download=False)


@pytest.fixture(scope="session")
def one_of_each_digit(mnist_test):
    """The first test image of each class 0..9: (10, 28, 28) uint8, labels 0..9."""
    images, labels = mnist_test
    first = [int(np.flatnonzero(labels == d)[0]) for d in range(10)]
    return images[first], labels[first]


def _linear_resample_matrix(n_src, n_out, scale, offset):
    """(n_out, n_src): output pixel u reads the source at (u + 0.5 - offset) / scale - 0.5
    with linear interpolation, zero outside. Independent of pydigit's own resampling."""
    source = (np.arange(n_out) + 0.5 - offset) / scale - 0.5
    lo = np.floor(source).astype(int)
    frac = source - lo
    m = np.zeros((n_out, n_src))
    for index, weight in ((lo, 1.0 - frac), (lo + 1, frac)):
        inside = (index >= 0) & (index < n_src)
        m[np.flatnonzero(inside), index[inside]] += weight[inside]
    return m


def draw_digit(digit, size, top_left, canvas=CANVAS):
    """Draw a 28x28 uint8 MNIST digit onto a (canvas, canvas) uint8 canvas, the
    way a person would: its ink's bounding box is scaled (bilinear, smooth
    edges) so that the longer side is ``size`` px and put with its top-left
    corner at ``top_left`` (row, column; fractional positions allowed). Ink
    that falls outside the canvas is cut off."""
    rows, cols = np.flatnonzero(digit.any(axis=1)), np.flatnonzero(digit.any(axis=0))
    crop = digit[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1].astype(np.float64)
    scale = size / max(crop.shape)
    image = (_linear_resample_matrix(crop.shape[0], canvas, scale, top_left[0]) @ crop
             @ _linear_resample_matrix(crop.shape[1], canvas, scale, top_left[1]).T)
    return np.clip(np.rint(image), 0, 255).astype(np.uint8)


def ink_extent(digit, size):
    """(height, width) in canvas px of ``digit`` drawn with ``draw_digit(digit, size, ...)``."""
    rows, cols = np.flatnonzero(digit.any(axis=1)), np.flatnonzero(digit.any(axis=0))
    h, w = rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1
    return h * size / max(h, w), w * size / max(h, w)


@pytest.fixture(scope="session")
def draw():
    """``draw(digit, size, top_left)`` -> (280, 280) uint8 canvas; see ``draw_digit``."""
    return draw_digit


@pytest.fixture(scope="session")
def extent():
    return ink_extent


@pytest.fixture(scope="session")
def bundled_weights():
    """``bundled_weights(name)`` -> path of pydigit/weights/NAME.npz; fails the
    test (does not skip it) with a clear message when the file is missing."""
    def path(name):
        p = bundled_weights_path(name)
        if not p.is_file():
            pytest.fail(f"bundled weights {p} do not exist yet: train them with "
                        f"`python -m train --model {name}` (they are committed with the package)",
                        pytrace=False)
        return p
    return path
