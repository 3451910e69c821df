"""predict_strokes(): the worker's entry point is recognize_strokes(),
checked at the entry and turned into plain data."""

import re

import numpy as np
import pytest

from pydigit import load_model, recognize_strokes
from pydigit.browser import predict_strokes

# A '7' as the pad sends it: x0, y0, x1, y1, ... and each stroke's number of points.
SEVEN = [[(0.25, 0.2), (0.75, 0.2), (0.45, 0.85)]]
POINTS = np.array(SEVEN, np.float64).ravel()
LENGTHS = np.array([3], np.uint32)


@pytest.fixture(scope="module")
def cnn(bundled_weights):
    return load_model(bundled_weights("cnn"))


def test_the_answer_is_recognize_strokes_as_plain_data(cnn):
    answer = predict_strokes(POINTS, LENGTHS, cnn, with_stages=True)
    expected = recognize_strokes(SEVEN, cnn)
    assert answer["digit"] == expected.digit == 7 and type(answer["digit"]) is int
    assert answer["probabilities"] == expected.probabilities.tolist()
    assert answer["confidence"] == expected.confidence
    assert isinstance(answer["input28"], bytes) and len(answer["input28"]) == 28 * 28
    np.testing.assert_allclose(np.frombuffer(answer["input28"], np.uint8) / 255,
                               expected.input28.ravel(), atol=0.5 / 255 + 1e-6)
    assert set(answer["ms"]) == {"render", "preprocess", "forward"}
    assert list(answer["stages"]) == ["cropped", "scaled", "centred"]
    for name, stage in answer["stages"].items():
        assert len(stage["pixels"]) == stage["width"] * stage["height"]
        assert (stage["height"], stage["width"]) == getattr(expected.stages, name).shape


def test_a_drawing_without_ink_on_the_pad_answers_no_digit(cnn):
    answer = predict_strokes(np.array([5.0, 5.0, 6.0, 6.0]), np.array([2], np.uint32), cnn)
    assert answer["digit"] is None and answer["probabilities"] == [0.0] * 10
    assert answer["confidence"] == 0.0 and answer["input28"] == bytes(784)


@pytest.mark.parametrize("points, lengths, says", [
    ([0.1, 0.2, 0.3], [2], "the strokes' lengths add up to 2 points, but 1.5 were sent"),
    ([0.1, 0.2], [0], "whole number of points, at least one"),
    ([0.1, 0.2], [1.5], "whole number of points, at least one"),
    ([0.1, float("nan")], [1], "NaN or infinite"),
    ("seven", [1], "points must be numbers"),
], ids=["short", "zero", "fraction", "nan", "not numbers"])
def test_strokes_that_are_not_the_drawing_they_claim_are_refused(cnn, points, lengths, says):
    with pytest.raises(ValueError, match=re.escape(says)):
        predict_strokes(points, lengths, cnn)


def test_the_model_must_be_loaded():
    with pytest.raises(ValueError, match="loaded pydigit Model"):
        predict_strokes(POINTS, LENGTHS, "cnn")
