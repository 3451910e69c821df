"""The two networks, as they are trained. Export folds BatchNorm into the
convolutions and drops Dropout (``Model.for_inference``).

CNN: about 2.2 M multiply-adds per image, inside the browser budget of 3 M
(NumPy in Pyodide has no BLAS): the channel count doubles as the resolution
halves, so each convolution costs about the same.
"""

from pydigit.layers import BatchNorm2D, Conv2D, Dense, Dropout, Flatten, MaxPool2D, ReLU
from pydigit.model import Model
from pydigit.preprocess import FIELD

# MNIST training set pixel statistics (0..1 scale), rounded.
MNIST_MEAN, MNIST_STD = 0.1307, 0.3081


def conv_block(in_channels, out_channels, kernel_size, seed):
    return [Conv2D(in_channels, out_channels, kernel_size, padding=kernel_size // 2, seed=seed),
            BatchNorm2D(out_channels), ReLU(), MaxPool2D()]


def build_cnn(seed=0):
    """(N, 28, 28, 1) -> 16@14x14 -> 32@7x7 -> 64@3x3 -> 128 -> 10."""
    return Model([
        *conv_block(1, 16, 5, seed),
        *conv_block(16, 32, 3, seed + 1),
        *conv_block(32, 64, 3, seed + 2),
        Flatten(),
        Dropout(0.25, seed=seed + 3),
        Dense(3 * 3 * 64, 128, seed=seed + 4), ReLU(),
        Dropout(0.25, seed=seed + 5),
        Dense(128, 10, seed=seed + 6),
    ], MNIST_MEAN, MNIST_STD).initialize()


def build_mlp(seed=0):
    """(N, 28, 28, 1) -> 784 -> 256 -> 128 -> 10."""
    return Model([
        Flatten(),
        Dense(FIELD * FIELD, 256, seed=seed), ReLU(),
        Dropout(0.2, seed=seed + 1),
        Dense(256, 128, seed=seed + 2), ReLU(),
        Dropout(0.2, seed=seed + 3),
        Dense(128, 10, seed=seed + 4),
    ], MNIST_MEAN, MNIST_STD).initialize()


ARCHITECTURES = {"cnn": build_cnn, "mlp": build_mlp}
