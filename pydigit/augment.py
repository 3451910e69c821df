"""Random distortions of MNIST digits, so that the network copes with how
people draw on a canvas: tilted, slanted, wobbly, bold or thin.

Everything works on a whole batch at once: one random affine map plus a smooth
random displacement field give each output pixel a source position, one
bilinear gather moves the ink, and a blend towards a 3x3 dilation or erosion
changes the stroke width.
"""

import random
from dataclasses import dataclass

import numpy as np

from .preprocess import FIELD, MNIST_CENTRE_OF_MASS

# The maps turn and scale about MNIST's centre of mass: (row, column), shaped
# to broadcast over (2, 28, 28) positions.
CENTRE = np.array(MNIST_CENTRE_OF_MASS, np.float32)[:, None, None]


@dataclass(frozen=True)
class Augmentation:
    rotation_degrees: float = 15.0
    scale: tuple = (0.8, 1.2)
    shear: float = 0.25           # horizontal shear factor, +-
    translation: float = 1.5      # pixels, +- on each axis
    elastic_pixels: float = 1.2   # standard deviation of the coarse displacements
    elastic_grid: int = 4         # coarse grid size of the displacement field
    thickness: tuple = (-0.6, 1.0)  # <0 blends towards erosion, >0 towards dilation


class StdlibRandom:
    """The draws ``augment`` makes (``uniform`` and ``normal``, as a NumPy
    Generator's), from Python's own ``random`` seeded with ``seed``: the same
    numbers in CPython and in Pyodide, and no need for numpy.random, which
    the site's slimmed NumPy leaves out. Slower than NumPy's, and fast enough
    for the few hundred images a visitor's drawings make."""

    def __init__(self, seed):
        self._random = random.Random(seed)

    def uniform(self, low, high, size):
        return np.array([self._random.uniform(low, high) for _ in range(int(np.prod(size)))]).reshape(size)

    def normal(self, loc, scale, size):
        return np.array([self._random.gauss(loc, scale) for _ in range(int(np.prod(size)))]).reshape(size)


def bilinear_upsample_matrix(n_in, n_out):
    """(n_out, n_in) matrix that interpolates n_in grid values, spread evenly
    over n_out pixels."""
    positions = np.linspace(0, n_in - 1, n_out)
    lo = np.clip(np.floor(positions).astype(int), 0, n_in - 2)
    frac = positions - lo
    m = np.zeros((n_out, n_in), np.float32)
    m[np.arange(n_out), lo] = 1 - frac
    m[np.arange(n_out), lo + 1] += frac
    return m


def source_coordinates(n, rng, aug):
    """For each output pixel, where to read it from: (rows, cols), each
    (n, 28, 28) float32."""
    angle = np.deg2rad(rng.uniform(-aug.rotation_degrees, aug.rotation_degrees, n))
    scale = rng.uniform(*aug.scale, n)
    shear = rng.uniform(-aug.shear, aug.shear, n)
    shift = rng.uniform(-aug.translation, aug.translation, (n, 2))
    cos, sin = np.cos(angle) / scale, np.sin(angle) / scale
    # Inverse map (output -> source) = rotation/scale followed by shear.
    a = np.stack([np.stack([cos, -sin], -1), np.stack([sin + shear * cos, cos - shear * sin], -1)], -2)
    grid = np.arange(FIELD, dtype=np.float32)
    points = np.stack(np.meshgrid(grid, grid, indexing="ij")) - CENTRE  # (2, 28, 28)
    src = np.einsum("nij,jhw->nihw", a, points) + CENTRE - shift[:, :, None, None]
    up = bilinear_upsample_matrix(aug.elastic_grid, FIELD)
    coarse = rng.normal(0, aug.elastic_pixels, (n, 2, aug.elastic_grid, aug.elastic_grid))
    src += up @ coarse @ up.T
    return src[:, 0].astype(np.float32), src[:, 1].astype(np.float32)


def bilinear_sample(images, rows, cols):
    """images: (n, 28, 28) float32; rows, cols: (n, 28, 28) source positions
    -> (n, 28, 28) float32; outside the image reads as 0."""
    n = len(images)
    padded = np.pad(images, ((0, 0), (1, 1), (1, 1)))
    rows, cols = np.clip(rows + 1, 0, FIELD + 1), np.clip(cols + 1, 0, FIELD + 1)
    r0, c0 = np.floor(rows).astype(np.intp), np.floor(cols).astype(np.intp)
    fr, fc = rows - r0, cols - c0
    r1, c1 = np.minimum(r0 + 1, FIELD + 1), np.minimum(c0 + 1, FIELD + 1)
    batch = np.arange(n)[:, None, None]
    return ((1 - fr) * ((1 - fc) * padded[batch, r0, c0] + fc * padded[batch, r0, c1])
            + fr * ((1 - fc) * padded[batch, r1, c0] + fc * padded[batch, r1, c1]))


def neighbourhood(images, reduce):
    """3x3 cross-shaped max or min filter: (n, 28, 28) -> (n, 28, 28)."""
    padded = np.pad(images, ((0, 0), (1, 1), (1, 1)))
    shifts = [padded[:, 1:-1, 1:-1], padded[:, :-2, 1:-1], padded[:, 2:, 1:-1],
              padded[:, 1:-1, :-2], padded[:, 1:-1, 2:]]
    return reduce.reduce(shifts)


def change_thickness(images, amount):
    """amount: (n,) in -1..1: negative thins the strokes, positive thickens."""
    amount = amount[:, None, None].astype(np.float32)
    thicker = neighbourhood(images, np.maximum)
    thinner = neighbourhood(images, np.minimum)
    target = np.where(amount > 0, thicker, thinner)
    return images + np.abs(amount) * (target - images)


def augment(images, rng, aug=Augmentation()):
    """images: (n, 28, 28) float32 in 0..1 -> (n, 28, 28) float32 in 0..1,
    each distorted at random; ``rng`` a numpy Generator or a
    ``StdlibRandom``, the only source of randomness."""
    n = len(images)
    rows, cols = source_coordinates(n, rng, aug)
    warped = bilinear_sample(images, rows, cols)
    warped = change_thickness(warped, rng.uniform(*aug.thickness, n))
    return np.clip(warped, 0.0, 1.0).astype(np.float32)
