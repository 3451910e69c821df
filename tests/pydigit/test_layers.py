"""Layers and Model: every backward pass against central differences, the
forward passes against plain loops, BatchNorm folding, multiply-add counts.

The gradient checks run in float64 (the layers keep their input's dtype, and
parameters are replaced by float64 arrays), so the central difference with
h = 1e-6 is accurate to ~1e-9 relative and a 1e-6 threshold is tight: a
wrong index, a missing term or a transposed matrix gives errors of order 1.
"""

import numpy as np
import pytest

from pydigit.layers import (LAYER_TYPES, BatchNorm2D, Conv2D, Dense, Dropout, Flatten,
                            MaxPool2D, ReLU)
from pydigit.model import INPUT_SHAPE, Model
from train.architectures import build_cnn, build_mlp

H = 1e-6          # central-difference step
TOLERANCE = 1e-6  # relative error, ||numerical - analytic|| / (||numerical|| + ||analytic||)


def relative_error(a, b):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    denominator = np.linalg.norm(a) + np.linalg.norm(b)
    assert denominator > 0, "both gradients are zero: the check would prove nothing"
    return np.linalg.norm(a - b) / denominator


def numerical_gradient(f, array, h=H):
    """d f() / d array by central differences, perturbing ``array`` in place."""
    grad = np.zeros_like(array, dtype=np.float64)
    for index in np.ndindex(array.shape):
        old = array[index]
        array[index] = old + h
        plus = f()
        array[index] = old - h
        minus = f()
        array[index] = old
        grad[index] = (plus - minus) / (2 * h)
    return grad


def to_float64(layer, rng):
    """Replace the layer's parameters by random float64 arrays of the same shape."""
    for name, value in layer.params.items():
        layer.params[name] = rng.standard_normal(value.shape)
    if "gamma" in layer.params:
        layer.params["gamma"] = 1.0 + 0.5 * layer.params["gamma"]
    return layer


def check_gradients(layer, x, rng, before_forward=lambda: None):
    """The scalar loss L = sum(forward(x) * R) for a fixed random R: compare
    backward(R) with the numerical d L / d x and every d L / d param."""
    before_forward()
    out = layer.forward(x, training=True)
    assert out.dtype == np.float64, "the layer must keep float64"
    upstream = rng.standard_normal(out.shape)

    def loss():
        before_forward()
        return float((layer.forward(x, training=True) * upstream).sum())

    before_forward()
    layer.forward(x, training=True)
    dx = layer.backward(upstream)
    assert dx.shape == x.shape and dx.dtype == np.float64
    analytic = {name: layer.grads[name] for name in layer.params}

    errors = {"x": relative_error(numerical_gradient(loss, x), dx)}
    for name, value in layer.params.items():
        assert analytic[name].shape == value.shape
        errors[name] = relative_error(numerical_gradient(loss, value), analytic[name])
    for name, error in errors.items():
        assert error < TOLERANCE, f"{layer!r}: d/d{name} relative error {error:.2e}"
    return errors


# ---------------------------------------------------------------- gradients

@pytest.mark.parametrize("kernel_size, padding", [(1, 0), (2, 0), (3, 0), (3, 1), (5, 2),
                                                  (2, 1), (4, 3)])
def test_conv2d_gradients(kernel_size, padding):
    rng = np.random.default_rng(kernel_size * 10 + padding)
    layer = to_float64(Conv2D(2, 3, kernel_size, padding=padding), rng)
    x = rng.standard_normal((2, 6, 5, 2))
    errors = check_gradients(layer, x, rng)
    assert set(errors) == {"x", "W", "b"}


def test_batchnorm_gradients():
    rng = np.random.default_rng(1)
    layer = to_float64(BatchNorm2D(3), rng)
    # Not zero-mean, not unit variance: the normalisation has work to do.
    x = 2.0 + 3.0 * rng.standard_normal((4, 3, 2, 3))
    errors = check_gradients(layer, x, rng)
    assert set(errors) == {"x", "gamma", "beta"}


def test_maxpool_gradients_with_odd_size():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((2, 5, 7, 3))  # the last row and column are dropped
    # No two values of a window closer than the step: the max does not flip.
    blocks = np.sort(x[:, :4, :6, :].reshape(2, 2, 2, 3, 2, 3).transpose(0, 1, 3, 5, 2, 4)
                     .reshape(-1, 4), axis=1)
    assert np.diff(blocks, axis=1).min() > 100 * H
    layer = MaxPool2D()
    check_gradients(layer, x, rng)
    dx = layer.backward(np.ones((2, 2, 3, 3)))
    assert np.all(dx[:, 4, :, :] == 0) and np.all(dx[:, :, 6, :] == 0)


def test_maxpool_ties_share_the_gradient():
    layer = MaxPool2D()
    x = np.ones((1, 2, 2, 1))
    layer.forward(x, training=True)
    np.testing.assert_array_equal(layer.backward(np.ones((1, 1, 1, 1))), np.full(x.shape, 0.25))


def test_dense_gradients():
    rng = np.random.default_rng(3)
    layer = to_float64(Dense(6, 5), rng)
    errors = check_gradients(layer, rng.standard_normal((4, 6)), rng)
    assert set(errors) == {"x", "W", "b"}


def test_relu_gradients():
    rng = np.random.default_rng(4)
    x = rng.standard_normal((3, 4, 5))
    x[np.abs(x) < 1e-3] = 0.5  # away from the kink
    check_gradients(ReLU(), x, rng)


def test_flatten_gradients():
    rng = np.random.default_rng(5)
    layer = Flatten()
    x = rng.standard_normal((2, 3, 4, 5))
    assert layer.forward(x).shape == (2, 60)
    check_gradients(layer, x, rng)


def test_dropout_gradients_with_a_fixed_mask():
    rng = np.random.default_rng(6)
    layer = Dropout(0.4, seed=0)
    x = rng.standard_normal((3, 50))

    def same_mask():
        layer.rng = np.random.default_rng(123)

    check_gradients(layer, x, rng, before_forward=same_mask)
    same_mask()
    out = layer.forward(x, training=True)
    dropped = out == 0
    assert 0.2 < dropped.mean() < 0.6, "about 40% of the units are dropped"
    np.testing.assert_allclose(out[~dropped], x[~dropped] / 0.6, rtol=1e-6)


def test_dropout_is_identity_at_inference():
    x = np.random.default_rng(7).standard_normal((3, 50)).astype(np.float32)
    assert Dropout(0.5).forward(x) is x


# ------------------------------------------------------------ forward passes

def test_conv2d_forward_matches_a_plain_loop():
    rng = np.random.default_rng(8)
    layer = Conv2D(2, 3, 3, padding=1)
    layer.initialize()
    layer.params["b"] = rng.standard_normal(3).astype(np.float32)
    x = rng.standard_normal((2, 5, 4, 2)).astype(np.float32)
    out = layer.forward(x)
    assert out.shape == (2, 5, 4, 3) and out.dtype == np.float32
    padded = np.pad(x.astype(np.float64), ((0, 0), (1, 1), (1, 1), (0, 0)))
    W, b = layer.params["W"].astype(np.float64), layer.params["b"].astype(np.float64)
    expected = np.zeros(out.shape)
    for n in range(2):
        for i in range(5):
            for j in range(4):
                for f in range(3):
                    window = padded[n, i:i + 3, j:j + 3, :]
                    expected[n, i, j, f] = (window * W[f]).sum() + b[f]
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)


def test_maxpool_forward_matches_a_plain_loop():
    x = np.random.default_rng(9).standard_normal((2, 5, 7, 3)).astype(np.float32)
    out = MaxPool2D().forward(x)
    assert out.shape == (2, 2, 3, 3)
    for i in range(2):
        for j in range(3):
            window = x[:, 2 * i:2 * i + 2, 2 * j:2 * j + 2]
            np.testing.assert_array_equal(out[:, i, j], window.max(axis=(1, 2)))


def test_a_convolution_feeding_a_pool_skips_only_what_the_pool_drops():
    rng = np.random.default_rng(10)
    layer = Conv2D(2, 3, 3, padding=1)
    layer.initialize()
    x = rng.standard_normal((2, 7, 5, 2)).astype(np.float32)
    full = layer.forward(x)
    layer.feeds_pool = True
    cropped = layer.forward(x)
    assert cropped.shape == (2, 6, 4, 3)
    np.testing.assert_array_equal(cropped, full[:, :6, :4])
    np.testing.assert_array_equal(MaxPool2D().forward(cropped), MaxPool2D().forward(full))
    assert layer.forward(x, training=True).shape == full.shape  # backward needs the whole output


def test_inference_pools_before_relu_and_crops_and_gives_the_same_bits(mnist_test):
    model = build_cnn(seed=4).for_inference()
    assert [layer.feeds_pool for layer in model.layers if isinstance(layer, Conv2D)] == [True] * 3
    x = mnist_test[0][:50, :, :, None].astype(np.float32) / 255.0
    logits = model.forward(x)
    # The layers in their stored order, every output computed whole.
    for layer in model.layers:
        if isinstance(layer, Conv2D):
            layer.feeds_pool = False
    h = (x - np.float32(model.input_mean)) / np.float32(model.input_std)
    for layer in model.layers:
        h = layer.forward(h)
    np.testing.assert_array_equal(logits, h)


def test_keep_gives_inference_outputs_and_the_input_gradient_without_parameter_gradients(mnist_test):
    model = build_cnn(seed=5).for_inference()
    x = mnist_test[0][:4, :, :, None].astype(np.float32) / 255.0
    h = (x - np.float32(model.input_mean)) / np.float32(model.input_std)
    kept = h
    for layer in model.layers:
        kept = layer.forward(kept, keep=True)
    np.testing.assert_array_equal(kept, model.forward(x))
    grad = np.random.default_rng(11).standard_normal(kept.shape).astype(np.float32)
    dx = model.backward(grad, param_grads=False)
    assert all(layer.grads == {} for layer in model.layers)
    model.forward(x, training=True)
    np.testing.assert_allclose(dx, model.backward(grad), rtol=1e-4, atol=1e-5)
    assert model.layers[0].grads["W"].shape == model.layers[0].params["W"].shape


def test_batchnorm_normalises_in_training_and_uses_running_statistics_at_inference():
    rng = np.random.default_rng(10)
    layer = BatchNorm2D(2, momentum=0.5)
    layer.params["beta"] = np.array([1.0, -2.0], np.float32)
    x = (5.0 + 3.0 * rng.standard_normal((8, 4, 4, 2))).astype(np.float32)
    out = layer.forward(x, training=True)
    np.testing.assert_allclose(out.mean(axis=(0, 1, 2)), [1.0, -2.0], atol=1e-5)
    np.testing.assert_allclose(out.std(axis=(0, 1, 2)), [1.0, 1.0], atol=1e-3)
    # The running mean moved half-way (momentum 0.5) from 0 towards the batch mean.
    np.testing.assert_allclose(layer.buffers["running_mean"], 0.5 * x.mean(axis=(0, 1, 2)),
                               rtol=1e-5)
    scale, shift = layer.folded_scale_shift()
    np.testing.assert_allclose(layer.forward(x), x * scale + shift, rtol=1e-6)


def test_layers_keep_float32():
    x = np.random.default_rng(11).random((2, 28, 28, 1), dtype=np.float32)
    for layer in build_cnn().layers:
        x = layer.forward(x, training=True)
        assert x.dtype == np.float32, f"{layer!r} returned {x.dtype}"


# --------------------------------------------------------------------- Model

def trained_looking_cnn(mnist_images):
    """A CNN whose BatchNorm layers hold non-trivial statistics and scales: a
    few training-mode passes over real digits, then random gamma and beta."""
    model = build_cnn(seed=3)
    x = mnist_images[:, :, :, None].astype(np.float32) / 255.0
    for _ in range(5):
        model.forward(x, training=True)
    rng = np.random.default_rng(12)
    for layer in model.layers:
        if isinstance(layer, BatchNorm2D):
            c = layer.channels
            layer.params["gamma"] = (1 + 0.3 * rng.standard_normal(c)).astype(np.float32)
            layer.params["beta"] = (0.2 * rng.standard_normal(c)).astype(np.float32)
    return model


def test_for_inference_gives_the_same_logits(mnist_test):
    images = mnist_test[0]
    model = trained_looking_cnn(images[:64])
    for layer in model.layers:
        if isinstance(layer, BatchNorm2D):  # the check below would be vacuous otherwise
            assert np.abs(layer.buffers["running_mean"]).max() > 0.01
            assert np.abs(layer.buffers["running_var"] - 1).max() > 0.01
    originals = [{k: v.copy() for k, v in layer.params.items()} for layer in model.layers]

    x = images[100:132, :, :, None].astype(np.float32) / 255.0
    expected = model.forward(x)
    folded = model.for_inference()
    got = folded.forward(x)

    kinds = [type(layer).__name__ for layer in folded.layers]
    assert "BatchNorm2D" not in kinds and "Dropout" not in kinds
    assert kinds == ["Conv2D", "ReLU", "MaxPool2D"] * 3 + ["Flatten", "Dense", "ReLU", "Dense"]
    # float32 arithmetic in a different order: agreement to ~1e-5 of the logits' scale.
    scale = np.abs(expected).max()
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4 * scale)
    assert (got.argmax(axis=1) == expected.argmax(axis=1)).all()
    # The training model is left as it was.
    for layer, params in zip(model.layers, originals):
        for name, value in params.items():
            np.testing.assert_array_equal(layer.params[name], value)
    assert folded.input_mean == model.input_mean and folded.input_std == model.input_std


def test_for_inference_drops_dropout_from_the_mlp(mnist_test):
    model = build_mlp(seed=1)
    folded = model.for_inference()
    assert [type(layer).__name__ for layer in folded.layers] == [
        "Flatten", "Dense", "ReLU", "Dense", "ReLU", "Dense"]
    x = mnist_test[0][:16, :, :, None].astype(np.float32) / 255.0
    np.testing.assert_array_equal(folded.forward(x), model.forward(x))


def test_batchnorm_without_a_convolution_before_it_cannot_be_folded():
    model = Model([Flatten(), Dense(784, 10), BatchNorm2D(10)])
    with pytest.raises(ValueError, match="folded into a Conv2D"):
        model.for_inference()


def test_multiply_adds_of_a_tiny_model():
    model = Model([
        Conv2D(1, 4, 3, padding=1),  # 28x28x1 -> 28x28x4: 28*28 * 4 * 3*3*1 = 28 224
        BatchNorm2D(4), ReLU(),      # 0
        MaxPool2D(),                 # -> 14x14x4, 0
        Conv2D(4, 2, 5),             # -> 10x10x2: 10*10 * 2 * 5*5*4 = 20 000
        Flatten(),                   # -> 200
        Dense(200, 10),              # 200 * 10 = 2 000
    ])
    assert model.shapes() == [INPUT_SHAPE, (28, 28, 4), (28, 28, 4), (28, 28, 4), (14, 14, 4),
                              (10, 10, 2), (200,), (10,)]
    assert model.multiply_adds() == 28_224 + 20_000 + 2_000
    x = np.zeros((1, 28, 28, 1), np.float32)
    assert model.forward(x).shape == (1, 10)


def test_multiply_adds_of_the_cnn_and_mlp():
    # CNN: 28*28*16*25 + 14*14*32*9*16 + 7*7*64*9*32 + 576*128 + 128*10
    cnn = 313_600 + 903_168 + 903_168 + 73_728 + 1_280
    assert build_cnn().multiply_adds() == cnn == build_cnn().for_inference().multiply_adds()
    assert build_mlp().multiply_adds() == 784 * 256 + 256 * 128 + 128 * 10


def test_layer_types_registry_is_complete():
    assert set(LAYER_TYPES) == {"Conv2D", "BatchNorm2D", "ReLU", "MaxPool2D", "Flatten",
                                "Dense", "Dropout"}
    for layer in build_cnn().layers:  # every layer rebuilds from its config
        assert type(layer)(**layer.config()).config() == layer.config()
