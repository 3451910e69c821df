"""explain(): a drawing in, the network's activations layer by layer and the
saliency of a digit's score out, with both bundled models."""

import numpy as np
import pytest

from pydigit import EmptyDrawing, Model, recognize, recognize_strokes
from pydigit.browser import as_uint8_image
from pydigit.explain import Explanation, explain, explain_input28, explain_strokes
from pydigit.recognize import bundled_model
from pydigit.strokes import render_ink
from train.architectures import build_cnn

NAMES = {"cnn": ["conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "conv3", "relu3", "pool3",
                 "flatten1", "dense1", "relu4", "dense2"],
         "mlp": ["flatten1", "dense1", "relu1", "dense2", "relu2", "dense3"]}
SEVEN = [[(0.25, 0.2), (0.75, 0.2), (0.45, 0.85)]]


@pytest.fixture(scope="module")
def canvases(one_of_each_digit, draw, extent):
    """The first test digit of each class drawn centred, 150 px tall, on 280x280."""
    images, _ = one_of_each_digit
    result = []
    for image in images:
        h, w = extent(image, 150)
        result.append(draw(image, 150, ((280 - h) / 2, (280 - w) / 2)))
    return result


def plain_forward(model, input28):
    """Every layer's output for one (28, 28) input: the inference forward,
    layer by layer in their order, each output whole (``Model.forward``
    pools before ReLUs and skips what pools drop)."""
    x = ((input28 - np.float32(model.input_mean)) / np.float32(model.input_std))[None, :, :, None]
    outputs = []
    for layer in model.layers:
        plain = type(layer)(**layer.config())  # outside a Model: no shortcuts
        plain.params = layer.params
        x = plain.forward(x, training=False)
        outputs.append(x[0])
    return outputs


@pytest.mark.parametrize("name", ["cnn", "mlp"])
def test_names_shapes_and_the_answer(bundled_weights, canvases, name):
    bundled_weights(name)
    model = bundled_model(name)
    for canvas in canvases[:3]:
        e = explain(canvas, name)
        assert isinstance(e, Explanation)
        assert list(e.activations) == NAMES[name]
        assert [a.shape for a in e.activations.values()] == model.shapes()[1:]
        assert all(a.dtype == np.float32 for a in e.activations.values())
        prediction = recognize(canvas, model)
        np.testing.assert_array_equal(e.input28, prediction.input28)
        assert type(e.digit) is int and e.digit == prediction.digit == e.target
        assert e.probabilities.shape == (10,) and e.probabilities.dtype == np.float32
        np.testing.assert_array_equal(e.probabilities, prediction.probabilities)  # inference's arithmetic
        for field in ("saliency", "gradient_x_input"):
            assert getattr(e, field).shape == (28, 28) and getattr(e, field).dtype == np.float32
        np.testing.assert_array_equal(e.gradient_x_input, e.saliency * e.input28)
        assert set(e.timings) == {"preprocess", "forward", "backward"}


@pytest.mark.parametrize("name", ["cnn", "mlp"])
def test_activations_equal_a_plain_forward(bundled_weights, canvases, name):
    bundled_weights(name)
    model = bundled_model(name)
    for canvas in canvases:
        e = explain(canvas, model)
        for (layer_name, activation), expected in zip(e.activations.items(), plain_forward(model, e.input28)):
            np.testing.assert_allclose(activation, expected, rtol=1e-5, atol=1e-5, err_msg=layer_name)
        logits = model.forward(e.input28[None, :, :, None])[0]  # what recognize runs
        np.testing.assert_allclose(e.activations[NAMES[name][-1]], logits, rtol=1e-5, atol=1e-5)


def as_float64(model):
    """A copy of ``model`` computing in float64: the same weights, cast."""
    layers = []
    for layer in model.layers:
        copy = type(layer)(**layer.config())
        copy.params = {k: v.astype(np.float64) for k, v in layer.params.items()}
        layers.append(copy)
    return Model(layers, model.input_mean, model.input_std)


def logit(model, input28, target):
    """logit[target] of a float64 ``model`` for a (28, 28) float64 input."""
    x = ((input28 - model.input_mean) / model.input_std)[None, :, :, None]
    for layer in model.layers:
        x = layer.forward(x)
    return x[0, target]


def numerical_gradient(model, input28, target, pixels, h=1e-6):
    """Central differences of logit[target] at ``pixels`` ((P, 2) rows,
    columns) -> (gradient (P,), smooth (P,) bool). The network is piecewise
    linear: away from its kinks (a ReLU's zero, a max pool's tie) a
    difference is exact up to rounding; at one, the forward and the backward
    difference disagree, and the pixel is marked not smooth."""
    base = logit(model, input28, target)
    gradient, smooth = [], []
    for r, c in pixels:
        up, down = input28.copy(), input28.copy()
        up[r, c] += h
        down[r, c] -= h
        forward, backward = (logit(model, up, target) - base) / h, (base - logit(model, down, target)) / h
        gradient.append((forward + backward) / 2)
        smooth.append(abs(forward - backward) <= 1e-6 * (1 + abs(forward)))
    return np.array(gradient), np.array(smooth)


@pytest.mark.parametrize("name", ["cnn", "mlp"])
def test_saliency_is_the_gradient_of_the_targets_logit(bundled_weights, canvases, name):
    bundled_weights(name)
    model64 = as_float64(bundled_model(name))
    rng = np.random.default_rng(0)
    for canvas in canvases[2:5]:
        input28 = explain(canvas, name).input28
        # A little noise breaks the ties of the blank background, where a max
        # pool has no gradient, only a subgradient.
        noisy = np.clip(input28 + rng.uniform(0, 0.02, input28.shape), 0, 1).astype(np.float32)
        ink = np.argwhere(noisy > 0.5)
        pixels = np.concatenate([ink[rng.choice(len(ink), 20, replace=False)],
                                 rng.integers(0, 28, (20, 2))])
        answer = explain_input28(noisy, model64).digit
        for target in (answer, (answer + 3) % 10):
            e = explain_input28(noisy, model64, target)
            numeric, smooth = numerical_gradient(model64, noisy.astype(np.float64), target, pixels)
            assert smooth.mean() >= 0.9, f"{(~smooth).sum()} of {len(pixels)} pixels on a kink"
            rows, cols = pixels[smooth].T
            np.testing.assert_allclose(e.saliency[rows, cols], numeric[smooth], rtol=1e-5,
                                       atol=1e-6 * np.abs(numeric).max())
            assert np.abs(e.saliency).max() > 0


@pytest.mark.parametrize("name", ["cnn", "mlp"])
def test_float32_saliency_is_close_to_float64(bundled_weights, canvases, name):
    bundled_weights(name)
    model = bundled_model(name)
    for canvas in canvases[:3]:
        input28 = explain(canvas, model).input28
        single, double = explain_input28(input28, model), explain_input28(input28, as_float64(model))
        np.testing.assert_allclose(single.saliency, double.saliency,
                                   atol=1e-4 * np.abs(double.saliency).max())


def test_target_asks_why_not(bundled_weights, canvases):
    bundled_weights("cnn")
    answer = explain(canvases[3])
    other = (answer.digit + 5) % 10
    why_not = explain(canvases[3], target=other)
    assert why_not.target == other and why_not.digit == answer.digit
    for name in answer.activations:
        np.testing.assert_array_equal(why_not.activations[name], answer.activations[name])
    assert not np.allclose(why_not.saliency, answer.saliency)
    assert explain(canvases[3], target=np.int64(other)).target == other


@pytest.mark.parametrize("target", [-1, 10, 3.0, "3", True, [3]])
def test_a_target_that_is_not_a_digit(canvases, target):
    with pytest.raises(ValueError, match=r"target must be a digit from 0 to 9 \(or None"):
        explain(canvases[0], "mlp", target=target)
    with pytest.raises(ValueError, match="target must be a digit"):
        explain_strokes([], "mlp", target=target)  # the target is checked first


def test_empty_drawings(bundled_weights):
    bundled_weights("cnn")
    with pytest.raises(EmptyDrawing):
        explain(np.zeros((280, 280), np.uint8))
    with pytest.raises(EmptyDrawing):
        explain_strokes([])
    with pytest.raises(EmptyDrawing):
        explain_strokes([[(2.5, 2.5), (2.6, 2.7)]])  # all of it off the pad


def test_a_name_or_a_model(bundled_weights, canvases):
    bundled_weights("mlp")
    by_name, loaded = explain(canvases[7], "mlp"), explain(canvases[7], bundled_model("mlp"))
    np.testing.assert_array_equal(by_name.saliency, loaded.saliency)
    with pytest.raises(ValueError, match="unknown model 'resnet'"):
        explain(canvases[7], "resnet")
    with pytest.raises(ValueError, match=r"\(28, 28\)"):
        explain_input28(np.zeros((28, 27), np.float32), "mlp")


@pytest.mark.parametrize("name", ["cnn", "mlp"])
def test_strokes_are_explained_as_recognize_strokes_sees_them(bundled_weights, name):
    bundled_weights(name)
    e, prediction = explain_strokes(SEVEN, name), recognize_strokes(SEVEN, name)
    np.testing.assert_array_equal(e.input28, prediction.input28)
    assert e.digit == prediction.digit
    np.testing.assert_allclose(e.probabilities, prediction.probabilities, rtol=1e-5, atol=1e-7)
    assert list(e.timings) == ["render", "preprocess", "forward", "backward"]
    np.testing.assert_array_equal(e.ink, render_ink(SEVEN))  # what the page shows as the first stage


def test_the_model_is_left_as_it_was(bundled_weights, canvases):
    bundled_weights("cnn")
    model = bundled_model("cnn")
    before = [dict(vars(layer)) for layer in model.layers]
    explain(canvases[1], model, target=2)
    for layer, attributes in zip(model.layers, before):
        assert vars(layer).keys() == attributes.keys()
        assert all(vars(layer)[k] is v for k, v in attributes.items())
        assert layer.grads == {}


def test_a_model_in_training_form_is_explained_as_it_runs(canvases):
    """BatchNorm folded and Dropout gone, as ``for_inference`` exports it;
    training=True must neither drop units nor touch the running statistics."""
    model = build_cnn(seed=3)
    running = [dict(layer.buffers) for layer in model.layers]
    e, exported = explain(canvases[4], model), explain(canvases[4], model.for_inference())
    assert list(e.activations) == NAMES["cnn"]
    np.testing.assert_array_equal(e.saliency, exported.saliency)
    np.testing.assert_array_equal(e.probabilities, exported.probabilities)
    for layer, buffers in zip(model.layers, running):
        assert layer.buffers.keys() == buffers.keys()
        assert all(layer.buffers[k] is v for k, v in buffers.items())


@pytest.mark.parametrize("name", ["cnn", "mlp"])
def test_compact_form_decodes_to_the_explanation(bundled_weights, canvases, name):
    bundled_weights(name)
    e = explain(canvases[6], name, target=1)
    compact = e.compact()
    assert (compact["digit"], compact["target"]) == (e.digit, 1)
    assert compact["probabilities"] == e.probabilities.tolist()
    assert compact["input28"] == as_uint8_image(e.input28)["pixels"]
    for field in ("saliency", "gradient_x_input"):
        np.testing.assert_array_equal(np.frombuffer(compact[field], "<f4").reshape(28, 28), getattr(e, field))
    assert [layer["name"] for layer in compact["layers"]] == NAMES[name]
    activations = np.frombuffer(compact["activations"], "<f4")
    offset = 0
    for layer in compact["layers"]:
        values = e.activations[layer["name"]]
        assert layer["shape"] == list(values.shape) and layer["offset"] == offset
        assert layer["kind"] == ("map" if values.ndim == 3 else "vector")
        np.testing.assert_array_equal(activations[offset:offset + values.size].reshape(values.shape), values)
        offset += values.size
    assert offset == len(activations)
    assert compact["ms"] == e.timings
