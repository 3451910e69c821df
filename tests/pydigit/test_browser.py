"""predict_pixels(): the worker's entry point is recognize(), checked at the
entry and turned into plain data."""

import re

import numpy as np
import pytest

from pydigit import load_model, recognize
from pydigit.browser import MAX_SIDE, predict_pixels

SIDE = 140


@pytest.fixture(scope="module")
def cnn(bundled_weights):
    return load_model(bundled_weights("cnn"))


@pytest.fixture(scope="module")
def seven():
    """A bold '7' on a SIDE x SIDE uint8 canvas."""
    canvas = np.zeros((SIDE, SIDE), np.uint8)
    canvas[30:40, 35:105] = 255
    for row in range(40, 115):
        column = 100 - (row - 40) * 45 // 75
        canvas[row, column - 5:column + 5] = 255
    return canvas


def test_the_answer_is_recognizes_as_plain_data(cnn, seven):
    answer = predict_pixels(seven.tobytes(), SIDE, SIDE, cnn, with_stages=True)
    expected = recognize(seven, cnn)
    assert answer["digit"] == expected.digit and type(answer["digit"]) is int
    assert answer["probabilities"] == expected.probabilities.tolist()
    assert answer["confidence"] == expected.confidence
    assert isinstance(answer["input28"], bytes) and len(answer["input28"]) == 28 * 28
    np.testing.assert_allclose(np.frombuffer(answer["input28"], np.uint8) / 255,
                               expected.input28.ravel(), atol=0.5 / 255 + 1e-6)
    assert set(answer["ms"]) == {"preprocess", "forward"}
    assert list(answer["stages"]) == ["cropped", "scaled", "centred"]
    for name, stage in answer["stages"].items():
        assert len(stage["pixels"]) == stage["width"] * stage["height"]
        assert (stage["height"], stage["width"]) == getattr(expected.stages, name).shape


def test_an_empty_drawing_answers_no_digit(cnn):
    answer = predict_pixels(bytes(SIDE * SIDE), SIDE, SIDE, cnn)
    assert answer["digit"] is None and answer["probabilities"] == [0.0] * 10
    assert answer["confidence"] == 0.0 and answer["input28"] == bytes(784)


@pytest.mark.parametrize("pixels, width, height, says", [
    (bytes(100), 10, 11, "expected width * height = 110 ink values, got 100"),
    (bytes(100), 0, 100, "whole numbers"),
    (bytes(100), 10.0, 10, "whole numbers"),
    (bytes(4), -2, -2, "whole numbers"),
    (bytes(MAX_SIDE + 1), MAX_SIDE + 1, 1, "whole numbers"),
], ids=["short", "zero", "float", "negative", "huge"])
def test_pixels_that_are_not_the_drawing_they_claim_are_refused(cnn, pixels, width, height, says):
    with pytest.raises(ValueError, match=re.escape(says)):
        predict_pixels(pixels, width, height, cnn)


def test_the_model_must_be_loaded(seven):
    with pytest.raises(ValueError, match="loaded pydigit Model"):
        predict_pixels(seven.tobytes(), SIDE, SIDE, "cnn")
