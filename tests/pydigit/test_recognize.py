"""recognize(): drawing in, Prediction out, with a loaded Model or a bundled name."""

import numpy as np
import pytest

from pydigit import EmptyDrawing, Model, Prediction, Stages, load_model, preprocess, recognize
from pydigit.recognize import bundled_model
from pydigit.weights_file import save_model
from train.architectures import build_cnn, build_mlp


@pytest.fixture(scope="module")
def loaded_models(tmp_path_factory):
    """An MLP and a CNN, exported and loaded back from weights files, the way
    the site gets them (untrained: these tests are about the plumbing)."""
    directory = tmp_path_factory.mktemp("models")
    models = {}
    for name, build in (("mlp", build_mlp), ("cnn", build_cnn)):
        save_model(build(seed=4).for_inference(), directory / f"{name}.npz")
        models[name] = load_model(directory / f"{name}.npz")
    return models


@pytest.fixture(scope="module")
def canvases(one_of_each_digit, draw, extent):
    """The first test digit of each class drawn centred, 150 px tall, on 280x280."""
    images, labels = one_of_each_digit
    result = []
    for image, label in zip(images, labels):
        h, w = extent(image, 150)
        result.append((draw(image, 150, ((280 - h) / 2, (280 - w) / 2)), int(label)))
    return result


def check_prediction(prediction, canvas, model):
    assert isinstance(prediction, Prediction)
    assert type(prediction.digit) is int and 0 <= prediction.digit <= 9
    probabilities = prediction.probabilities
    assert probabilities.shape == (10,) and probabilities.dtype == np.float32
    assert (probabilities >= 0).all()
    assert probabilities.sum() == pytest.approx(1.0, abs=1e-6)
    assert prediction.digit == int(probabilities.argmax())
    assert type(prediction.confidence) is float
    assert prediction.confidence == probabilities[prediction.digit] == probabilities.max()
    assert prediction.input28.shape == (28, 28) and prediction.input28.dtype == np.float32
    np.testing.assert_array_equal(prediction.input28, preprocess(canvas))
    assert isinstance(prediction.stages, Stages)
    assert prediction.stages.centred is prediction.input28
    assert max(prediction.stages.scaled.shape) == 20
    # What the network says about exactly that input.
    expected = model.predict_proba(prediction.input28[None, :, :, None])[0]
    np.testing.assert_allclose(probabilities, expected, rtol=1e-6, atol=1e-7)
    assert set(prediction.timings) == {"preprocess", "forward"}
    assert all(ms >= 0 for ms in prediction.timings.values())


@pytest.mark.parametrize("name", ["mlp", "cnn"])
def test_recognize_with_a_loaded_model(loaded_models, canvases, name):
    model = loaded_models[name]
    assert isinstance(model, Model)
    for canvas, _ in canvases[:4]:
        check_prediction(recognize(canvas, model), canvas, model)


def test_recognize_accepts_float_canvases(loaded_models, canvases):
    canvas = canvases[0][0]
    as_uint8 = recognize(canvas, loaded_models["cnn"])
    as_float = recognize(canvas / 255.0, loaded_models["cnn"])
    np.testing.assert_allclose(as_float.probabilities, as_uint8.probabilities, atol=1e-6)


@pytest.mark.parametrize("canvas", [np.zeros((280, 280), np.uint8), np.zeros((280, 280))],
                         ids=["uint8", "float"])
def test_empty_canvas_raises_empty_drawing(loaded_models, canvas):
    with pytest.raises(EmptyDrawing):
        recognize(canvas, loaded_models["mlp"])


def test_not_an_image_raises_value_error(loaded_models):
    with pytest.raises(ValueError, match="2-D image"):
        recognize(np.zeros((280, 280, 4), np.uint8), loaded_models["mlp"])


def test_unknown_model_name(canvases):
    with pytest.raises(ValueError, match="unknown model 'resnet'"):
        recognize(canvases[0][0], "resnet")


# These use the committed weights (pydigit/weights/*.npz) and fail, with a
# message saying so, until they exist.

@pytest.mark.parametrize("name", ["cnn", "mlp"])
def test_recognize_with_a_bundled_name(bundled_weights, canvases, name):
    bundled_weights(name)
    model = load_model(name)
    for canvas, _ in canvases[:3]:
        by_name = recognize(canvas, name)
        check_prediction(by_name, canvas, model)
        np.testing.assert_array_equal(by_name.probabilities, recognize(canvas, model).probabilities)
    assert bundled_model(name) is bundled_model(name), "loaded once per process"


def test_default_model_is_the_cnn(bundled_weights, canvases):
    bundled_weights("cnn")
    canvas = canvases[5][0]
    np.testing.assert_array_equal(recognize(canvas).probabilities,
                                  recognize(canvas, "cnn").probabilities)


@pytest.mark.parametrize("name", ["cnn", "mlp"])
def test_bundled_models_read_drawn_digits(bundled_weights, canvases, name):
    bundled_weights(name)
    answers = [recognize(canvas, name).digit for canvas, _ in canvases]
    right = sum(answer == label for answer, (_, label) in zip(answers, canvases))
    # Ten clean MNIST test digits, drawn large: a 98-99.5% model reads them all,
    # allow one miss.
    assert right >= 9, f"{name} read {answers} for 0..9"


def test_empty_canvas_with_a_bundled_name(bundled_weights):
    bundled_weights("cnn")
    with pytest.raises(EmptyDrawing):
        recognize(np.zeros((280, 280), np.uint8), "cnn")
