"""Layers: each a small class with ``forward(x)`` and ``backward(grad)``.

The same classes train offline in CPython and run in the browser under Pyodide,
so they use NumPy only. Images travel as NHWC ``(N, H, W, C) float32``: with
channels last, the im2col matrix and the convolution output are contiguous
without transposes, which matters most in Pyodide, whose NumPy has no BLAS.

A layer keeps what ``backward`` needs from the last ``forward(x, training=True)``,
or from ``forward(x, keep=True)``: inference's function and arithmetic, and
what backward needs (``pydigit.explain``'s saliency), without training's
behaviour. ``backward(grad, param_grads=False)`` only propagates ``grad`` to
the input, without the parameters' gradients: half the work.
"""

import numpy as np


class Layer:
    """A layer with no parameters; subclasses override what they need."""

    def __init__(self):
        self.params = {}   # learned arrays, updated by the optimiser
        self.grads = {}    # d loss / d params, filled by backward
        self.buffers = {}  # arrays kept with the weights but not learned

    def config(self):
        """The constructor arguments, so that a saved model can be rebuilt."""
        return {}

    def initialize(self):
        """Fill ``params`` with their training start values. Constructors only
        allocate, so that loading a model never draws random numbers (and the
        browser never needs numpy.random)."""

    def forward(self, x, training=False, keep=False):
        raise NotImplementedError

    def backward(self, grad, param_grads=True):
        raise NotImplementedError

    def multiply_adds(self, input_shape):
        """Multiply-adds for one sample of ``input_shape`` (without N)."""
        return 0

    def output_shape(self, input_shape):
        return input_shape

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.config().items())
        return f"{type(self).__name__}({args})"


def he_normal(rng, shape, fan_in):
    return (rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)).astype(np.float32)


def times_transposed(x, W, training):
    """x: (M, K), W: (N, K) -> x @ W.T, (M, N).

    Weights are stored output-major, (N, K). Training (CPython) hands the
    product to BLAS. Inference must also be fast where NumPy has no BLAS
    (Pyodide): there einsum, whose inner loop is a dot product of two
    contiguous rows, is 1.2-1.6x faster than matmul once K is large, and
    matmul 1.4x faster for a short K (a 5x5 kernel on one channel: K = 25).
    """
    if training or W.shape[1] <= SHORT_K:
        return x @ W.T
    return np.einsum("mk,nk->mn", x, W)


SHORT_K = 32


def times(g, W, training):
    """g: (M, F), W: (F, K) -> g @ W, (M, K): as ``times_transposed``, BLAS in
    training; at inference einsum, faster than matmul without BLAS once F
    is SHORT_K or more (measured in Pyodide), and matmul for a shorter F."""
    if training or W.shape[0] < SHORT_K:
        return g @ W
    return np.einsum("mf,fk->mk", g, W)


def patch_index(height, width, kernel_size, padding, rows=None, columns=None):
    """Where each k x k patch of a zero-padded (height, width) image lies in
    its flattened pixels: (rows * columns, k * k) int, patches row by row,
    each in (ki, kj) order. rows, columns: how many of the output's first
    rows and columns to cover (default: all)."""
    k, padded_width = kernel_size, width + 2 * padding
    ho, wo = height + 2 * padding - k + 1, width + 2 * padding - k + 1
    rows, columns = ho if rows is None else rows, wo if columns is None else columns
    top_left = np.arange(rows)[:, None] * padded_width + np.arange(columns)[None, :]
    offsets = np.arange(k)[:, None] * padded_width + np.arange(k)[None, :]
    return top_left.reshape(-1, 1) + offsets.reshape(1, -1)


class Conv2D(Layer):
    """2-D convolution, stride 1, zero padding ``padding`` on each side.

    x: (N, H, W, C) float32 -> (N, H + 2p - k + 1, W + 2p - k + 1, F) float32.
    W: (F, k, k, C), b: (F,). Computed as im2col (one gather through a
    precomputed index, kept per input size) followed by a single matrix
    product: in Pyodide, np.pad and sliding_window_view cost more Python than
    the first layer's arithmetic.

    ``feeds_pool``: set by ``Model`` when a 2x2 max pool reads this output
    (after a ReLU or not). The pool drops an odd last row and column, so at
    inference they are not computed: the output is then (N, 2 * (Ho // 2),
    2 * (Wo // 2), F), a quarter less work for a 7x7 output.
    """

    def __init__(self, in_channels, out_channels, kernel_size, padding=0, seed=0):
        super().__init__()
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size, self.padding, self.seed = kernel_size, padding, seed
        self.params = {"W": np.zeros((out_channels, kernel_size, kernel_size, in_channels), np.float32),
                       "b": np.zeros(out_channels, np.float32)}
        self.feeds_pool = False
        self._patch_indices = {}  # (H, W, rows, columns) -> patch_index: computed once per input size
        self._col2im_targets = {}  # the same key -> each patch value's place in the padded input (_col2im_one)

    def initialize(self):
        fan_in = self.kernel_size ** 2 * self.in_channels
        self.params["W"] = he_normal(np.random.default_rng(self.seed), self.params["W"].shape, fan_in)

    def config(self):
        return dict(in_channels=self.in_channels, out_channels=self.out_channels,
                    kernel_size=self.kernel_size, padding=self.padding, seed=self.seed)

    def output_shape(self, input_shape):
        h, w, _ = input_shape
        d = 2 * self.padding - self.kernel_size + 1
        return (h + d, w + d, self.out_channels)

    def multiply_adds(self, input_shape):
        h, w, f = self.output_shape(input_shape)
        return h * w * f * self.kernel_size ** 2 * self.in_channels

    def _im2col(self, x, rows, columns):
        """x: (N, H, W, C) -> (N * rows * columns, k * k * C): the patches of
        the output's first rows and columns, each in (ki, kj, c) order to
        match W's (F, k, k, C) layout."""
        n, h, w, c = x.shape
        p = self.padding
        padded = np.zeros((n, h + 2 * p, w + 2 * p, c), x.dtype)
        padded[:, p:p + h, p:p + w] = x
        cols = padded.reshape(n, -1, c)[:, self._patches(h, w, rows, columns)]  # (N, rows * columns, k * k, C)
        return cols.reshape(n * rows * columns, -1)

    def _patches(self, h, w, rows, columns):
        """``patch_index`` for this layer and input size, computed once per size."""
        key = (h, w, rows, columns)
        if key not in self._patch_indices:
            self._patch_indices[key] = patch_index(h, w, self.kernel_size, self.padding, rows, columns)
        return self._patch_indices[key]

    def forward(self, x, training=False, keep=False):
        n = x.shape[0]
        ho, wo = self.output_shape(x.shape[1:])[:2]
        if self.feeds_pool and not training:
            ho, wo = 2 * (ho // 2), 2 * (wo // 2)
        cols = self._im2col(x, ho, wo)
        out = times_transposed(cols, self.params["W"].reshape(self.out_channels, -1), training)
        out += self.params["b"]
        if training or keep:
            self._cols, self._x_shape = cols, x.shape
        return out.reshape(n, ho, wo, self.out_channels)

    def backward(self, grad, param_grads=True):
        n, ho, wo, f = grad.shape  # (ho, wo): what forward computed, cropped or not
        k, p = self.kernel_size, self.padding
        g = grad.reshape(-1, f)
        if param_grads:
            self.grads["W"] = (g.T @ self._cols).reshape(self.params["W"].shape)
            self.grads["b"] = g.sum(axis=0)
        dcols = times(g, self.params["W"].reshape(f, -1), param_grads).reshape(n, ho, wo, k, k, -1)
        _, h, w, c = self._x_shape
        if param_grads or n > 1:
            dx = np.zeros((n, h + 2 * p, w + 2 * p, c), grad.dtype)
            # k*k shifted adds (col2im); each one is vectorised over the whole batch.
            for i in range(k):
                for j in range(k):
                    dx[:, i:i + ho, j:j + wo, :] += dcols[:, :, :, i, j, :]
        else:
            dx = self._col2im_one(dcols, h, w, ho, wo, c)
        return dx[:, p:p + h, p:p + w, :] if p else dx

    def _col2im_one(self, dcols, h, w, ho, wo, c):
        """One image's col2im, the transpose of forward's gather: a single
        bincount through the same patch index, faster in Pyodide than the
        k*k shifted adds, whose Python overhead dominates at N = 1.
        dcols: (1, ho, wo, k, k, C) -> (1, H + 2p, W + 2p, C) float32."""
        key = (h, w, ho, wo)
        if key not in self._col2im_targets:
            self._col2im_targets[key] = (self._patches(h, w, ho, wo)[:, :, None] * c + np.arange(c)).ravel()
        pixels = (h + 2 * self.padding) * (w + 2 * self.padding)
        summed = np.bincount(self._col2im_targets[key], weights=dcols.ravel(), minlength=pixels * c)
        return summed.astype(np.float32).reshape(1, h + 2 * self.padding, w + 2 * self.padding, c)


class BatchNorm2D(Layer):
    """Per-channel batch normalisation over N, H, W; folded into the preceding
    convolution at export (see ``Model.for_inference``), so it never runs in
    the browser.

    x: (N, H, W, C) float32 -> same shape.
    """

    def __init__(self, channels, momentum=0.1, eps=1e-5):
        super().__init__()
        self.channels, self.momentum, self.eps = channels, momentum, eps
        self.params = {"gamma": np.ones(channels, np.float32),
                       "beta": np.zeros(channels, np.float32)}
        self.buffers = {"running_mean": np.zeros(channels, np.float32),
                        "running_var": np.ones(channels, np.float32)}

    def config(self):
        return dict(channels=self.channels, momentum=self.momentum, eps=self.eps)

    def forward(self, x, training=False, keep=False):
        if keep and not training:
            raise ValueError("BatchNorm2D keeps for backward only in training: fold it first (Model.for_inference)")
        if not training:
            scale, shift = self.folded_scale_shift()
            return x * scale + shift
        mean = x.mean(axis=(0, 1, 2))
        var = x.var(axis=(0, 1, 2))
        m, count = self.momentum, x.size // self.channels
        running = self.buffers
        running["running_mean"] = ((1 - m) * running["running_mean"] + m * mean).astype(np.float32)
        unbiased = var * count / max(count - 1, 1)
        running["running_var"] = ((1 - m) * running["running_var"] + m * unbiased).astype(np.float32)
        self._inv_std = 1.0 / np.sqrt(var + self.eps)
        self._x_hat = (x - mean) * self._inv_std
        return self._x_hat * self.params["gamma"] + self.params["beta"]

    def folded_scale_shift(self):
        """Inference is ``x * scale + shift``, per channel: (C,), (C,) float32."""
        scale = self.params["gamma"] / np.sqrt(self.buffers["running_var"] + self.eps)
        shift = self.params["beta"] - self.buffers["running_mean"] * scale
        return scale.astype(np.float32), shift.astype(np.float32)

    def backward(self, grad, param_grads=True):
        x_hat = self._x_hat
        self.grads["gamma"] = (grad * x_hat).sum(axis=(0, 1, 2))
        self.grads["beta"] = grad.sum(axis=(0, 1, 2))
        g = grad * self.params["gamma"]
        return self._inv_std * (g - g.mean(axis=(0, 1, 2))
                                - x_hat * (g * x_hat).mean(axis=(0, 1, 2)))


class ReLU(Layer):
    """max(x, 0), any shape."""

    def forward(self, x, training=False, keep=False):
        out = np.maximum(x, 0)
        if training or keep:
            self._mask = x > 0
        return out

    def backward(self, grad, param_grads=True):
        return grad * self._mask


class MaxPool2D(Layer):
    """2x2 max pooling, stride 2; an odd last row or column is dropped.

    x: (N, H, W, C) float32 -> (N, H // 2, W // 2, C) float32.
    """

    def output_shape(self, input_shape):
        h, w, c = input_shape
        return (h // 2, w // 2, c)

    def forward(self, x, training=False, keep=False):
        n, h, w, c = x.shape
        # The larger of the larger: 3 maximums over strided views, faster
        # than a max over two axes of the blocks below.
        top = np.maximum(x[:, 0:h - 1:2, 0:w - 1:2], x[:, 0:h - 1:2, 1:w:2])
        bottom = np.maximum(x[:, 1:h:2, 0:w - 1:2], x[:, 1:h:2, 1:w:2])
        out = np.maximum(top, bottom, out=top)
        if not (training or keep):
            return out
        ho, wo = h // 2, w // 2
        blocks = x[:, :2 * ho, :2 * wo, :].reshape(n, ho, 2, wo, 2, c)
        is_max = blocks == out[:, :, None, :, None, :]
        # Ties share the gradient, so that it still sums to one per window.
        self._route = is_max / is_max.sum(axis=(2, 4), keepdims=True, dtype=np.float32)
        self._x_shape = x.shape
        return out

    def backward(self, grad, param_grads=True):
        n, h, w, c = self._x_shape
        ho, wo = h // 2, w // 2
        dx = np.zeros(self._x_shape, grad.dtype)
        routed = self._route * grad[:, :, None, :, None, :]
        dx[:, :2 * ho, :2 * wo, :] = routed.reshape(n, 2 * ho, 2 * wo, c)
        return dx


class Flatten(Layer):
    """(N, ...) -> (N, prod(...))."""

    def output_shape(self, input_shape):
        return (int(np.prod(input_shape)),)

    def forward(self, x, training=False, keep=False):
        self._x_shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, grad, param_grads=True):
        return grad.reshape(self._x_shape)


class Dense(Layer):
    """Fully connected: x (N, D) float32 -> x @ W.T + b, (N, U) float32.
    W: (U, D), b: (U,)."""

    def __init__(self, in_features, out_features, seed=0):
        super().__init__()
        self.in_features, self.out_features, self.seed = in_features, out_features, seed
        self.params = {"W": np.zeros((out_features, in_features), np.float32),
                       "b": np.zeros(out_features, np.float32)}

    def initialize(self):
        rng = np.random.default_rng(self.seed)
        self.params["W"] = he_normal(rng, self.params["W"].shape, self.in_features)

    def config(self):
        return dict(in_features=self.in_features, out_features=self.out_features,
                    seed=self.seed)

    def output_shape(self, input_shape):
        return (self.out_features,)

    def multiply_adds(self, input_shape):
        return self.in_features * self.out_features

    def forward(self, x, training=False, keep=False):
        if training or keep:
            self._x = x
        out = times_transposed(x, self.params["W"], training)
        out += self.params["b"]
        return out

    def backward(self, grad, param_grads=True):
        if param_grads:
            self.grads["W"] = grad.T @ self._x
            self.grads["b"] = grad.sum(axis=0)
        return grad @ self.params["W"]


class Dropout(Layer):
    """Inverted dropout: zeroes a fraction ``rate`` in training, identity at
    inference. Its random generator is seeded explicitly and its state is part
    of a training checkpoint, so a resumed run draws the same masks."""

    def __init__(self, rate, seed=0):
        super().__init__()
        self.rate, self.seed = rate, seed
        self.rng = None  # created on first use in training: inference never needs it

    def config(self):
        return dict(rate=self.rate, seed=self.seed)

    def forward(self, x, training=False, keep=False):
        if not training or self.rate == 0:
            self._mask = None
            return x
        keep = 1.0 - self.rate
        if self.rng is None:
            self.rng = np.random.default_rng(self.seed)
        self._mask = (self.rng.random(x.shape, dtype=np.float32) < keep) / np.float32(keep)
        return x * self._mask

    def backward(self, grad, param_grads=True):
        return grad if self._mask is None else grad * self._mask


LAYER_TYPES = {cls.__name__: cls for cls in
               (Conv2D, BatchNorm2D, ReLU, MaxPool2D, Flatten, Dense, Dropout)}
