"""predict_strokes() and predict_number_strokes(): the worker's entry points
are recognize_strokes() and recognize_number_strokes(), checked at the entry
and turned into plain data."""

import re

import numpy as np
import pytest

from pydigit import load_model, recognize_strokes
from pydigit.browser import DigitMemo, explain_strokes_for_page, predict_number_strokes, predict_strokes
from pydigit.explain import explain_strokes
from pydigit.number import recognize_number_strokes

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


# "12" on a number pad, in pad heights: a bar, then a '2' to its right.
ONE_TWO = [[(0.4, 0.15), (0.4, 0.85)],
           [(0.8, 0.3), (1.0, 0.15), (1.2, 0.3), (0.8, 0.85), (1.25, 0.85)]]
NUMBER_POINTS = np.concatenate([np.array(s, np.float64).ravel() for s in ONE_TWO])
NUMBER_LENGTHS = np.array([len(s) for s in ONE_TWO], np.uint32)


@pytest.mark.parametrize("voter", [None, "trajectory"], ids=["image network alone", "with the trajectory network"])
def test_a_number_is_recognize_number_strokes_as_plain_data(cnn, voter):
    trajectory = voter and load_model(voter)
    answer = predict_number_strokes(NUMBER_POINTS, NUMBER_LENGTHS, cnn, 4.0, trajectory=trajectory)
    expected = recognize_number_strokes(ONE_TWO, model=cnn, aspect=4.0, trajectory=trajectory)
    assert answer["text"] == expected.text == "12"
    assert [d["digit"] for d in answer["digits"]] == [1, 2]
    for digit, prediction in zip(answer["digits"], expected.digits):
        assert type(digit["digit"]) is int and digit["confidence"] == prediction.confidence
        assert digit["probabilities"] == prediction.probabilities.tolist()
    assert set(answer["ms"]) == set(expected.timings)


def test_the_trajectory_network_votes_on_a_numbers_digits(cnn):
    alone = predict_number_strokes(NUMBER_POINTS, NUMBER_LENGTHS, cnn, 4.0)
    voted = predict_number_strokes(NUMBER_POINTS, NUMBER_LENGTHS, cnn, 4.0, trajectory=load_model("trajectory"))
    assert [d["probabilities"] for d in voted["digits"]] != [d["probabilities"] for d in alone["digits"]]
    with pytest.raises(ValueError, match="trajectory must be a loaded pydigit Model or None, got str"):
        predict_number_strokes(NUMBER_POINTS, NUMBER_LENGTHS, cnn, 4.0, trajectory="trajectory")


def test_a_numbers_boxes_are_x0_y0_x1_y1_in_pad_heights_around_each_digit(cnn):
    boxes = predict_number_strokes(NUMBER_POINTS, NUMBER_LENGTHS, cnn, 4.0)["boxes"]
    assert len(boxes) == 2 and all(type(v) is float for box in boxes for v in box)
    for (x0, y0, x1, y1), stroke in zip(boxes, ONE_TWO):
        points = np.array(stroke)
        assert x0 < x1 and y0 < y1
        assert x0 <= points[:, 0].min() and points[:, 0].max() <= x1
        assert y0 <= points[:, 1].min() and points[:, 1].max() <= y1
    assert boxes[0][2] <= boxes[1][0]  # left to right, apart


def test_a_number_pad_without_ink_answers_no_number(cnn):
    answer = predict_number_strokes(np.array([9.0, 0.5, 9.5, 0.5]), np.array([2], np.uint32), cnn, 4.0)
    assert answer == {"text": "", "digits": [], "boxes": [], "ms": {}}


@pytest.mark.parametrize("points, lengths, aspect, says", [
    ([0.1, 0.2, 0.3], [2], 4.0, "the strokes' lengths add up to 2 points, but 1.5 were sent"),
    ([0.1, float("nan")], [1], 4.0, "NaN or infinite"),
    ([0.1, 0.2], [1], None, "aspect must be the pad's width / height, a number, got NoneType"),
    ([0.1, 0.2], [1], "4", "aspect must be the pad's width / height, a number, got str"),
    ([0.1, 0.2], [1], 0.0, "aspect"),
    ([0.1, 0.2], [1], float("nan"), "aspect"),
], ids=["short", "nan", "no aspect", "aspect not a number", "flat", "nan aspect"])
def test_a_number_pad_s_strokes_that_are_not_a_drawing_are_refused(cnn, points, lengths, aspect, says):
    with pytest.raises(ValueError, match=re.escape(says)):
        predict_number_strokes(points, lengths, cnn, aspect)


def test_a_scribble_on_a_number_pad_is_answered_with_what_is_wrong(cnn):
    # 80 dots in a grid: more separate marks than any number has.
    dots = [[(0.1 + 0.1 * (i % 20), 0.2 + 0.2 * (i // 20))] * 2 for i in range(80)]
    points = np.array(dots, np.float64).ravel()
    answer = predict_number_strokes(points, np.full(len(dots), 2, np.uint32), cnn, 4.0)
    assert answer["text"] == "" and answer["digits"] == [] and answer["boxes"] == []
    assert answer["problem"].startswith("Not a number: ") and "separate marks" in answer["problem"]


def test_a_memo_changes_no_answer_while_a_number_is_drawn(cnn):
    memo, trajectory = DigitMemo(), load_model("trajectory")
    for count in range(1, len(ONE_TWO[1]) + 1):  # the '2' point by point, after the '1'
        strokes = [ONE_TWO[0], ONE_TWO[1][:count]]
        points = np.concatenate([np.array(s, np.float64).ravel() for s in strokes])
        lengths = np.array([len(s) for s in strokes], np.uint32)
        with_memo = predict_number_strokes(points, lengths, cnn, 4.0, memo, trajectory)
        without = predict_number_strokes(points, lengths, cnn, 4.0, trajectory=trajectory)
        assert {k: v for k, v in with_memo.items() if k != "ms"} == {k: v for k, v in without.items() if k != "ms"}
    assert memo.entries


def test_a_number_pad_s_model_must_be_loaded():
    with pytest.raises(ValueError, match="loaded pydigit Model"):
        predict_number_strokes(NUMBER_POINTS, NUMBER_LENGTHS, "cnn", 4.0)


def test_an_explanation_is_explain_strokes_compact_with_the_answer_as_predict_strokes_gives_it(cnn):
    answer = explain_strokes_for_page(POINTS, LENGTHS, cnn, None, with_stages=True)
    plain = predict_strokes(POINTS, LENGTHS, cnn, with_stages=True)
    compact = explain_strokes(SEVEN, cnn).compact()
    assert answer["digit"] == plain["digit"] == 7 and answer["confidence"] == plain["confidence"]
    assert answer["probabilities"] == pytest.approx(plain["probabilities"], abs=1e-6)
    assert answer["input28"] == plain["input28"]
    assert set(answer["ms"]) == {"render", "preprocess", "forward", "backward"}
    explanation = answer["explanation"]
    assert set(explanation) == {"target", "saliency", "gradient_x_input", "activations", "layers"}
    assert explanation["target"] == 7
    for key in ("saliency", "gradient_x_input", "activations", "layers"):
        assert explanation[key] == compact[key], key
    assert list(answer["stages"]) == ["ink", "cropped", "scaled", "centred"]
    for name in ("cropped", "scaled", "centred"):
        assert answer["stages"][name] == plain["stages"][name]
    ink = answer["stages"]["ink"]
    assert len(ink["pixels"]) == ink["width"] * ink["height"] > 0


def test_an_explanation_of_another_digit_says_what_speaks_for_and_against_it(cnn):
    answer = explain_strokes_for_page(POINTS, LENGTHS, cnn, 3)
    assert answer["digit"] == 7 and answer["explanation"]["target"] == 3
    assert "stages" not in answer
    saliency = np.frombuffer(answer["explanation"]["saliency"], "<f4")
    assert saliency.shape == (784,)
    np.testing.assert_array_equal(saliency, explain_strokes(SEVEN, cnn, 3).saliency.ravel())


@pytest.mark.parametrize("target", [10, -1, 3.5, "3", True])
def test_a_target_that_is_not_a_digit_is_refused_with_explain_s_words(cnn, target):
    with pytest.raises(ValueError, match=re.escape("target must be a digit from 0 to 9")):
        explain_strokes_for_page(POINTS, LENGTHS, cnn, target)


def test_an_explanation_without_ink_on_the_pad_is_predict_strokes_empty_answer(cnn):
    off_the_pad = np.array([1.5, 1.5, 1.6, 1.6])
    lengths = np.array([2], np.uint32)
    assert explain_strokes_for_page(off_the_pad, lengths, cnn) == predict_strokes(off_the_pad, lengths, cnn)


def test_an_explanation_s_strokes_and_model_are_checked_as_for_a_prediction(cnn):
    with pytest.raises(ValueError, match="but 1.5 were sent"):
        explain_strokes_for_page([0.1, 0.2, 0.3], [2], cnn)
    with pytest.raises(ValueError, match="loaded pydigit Model"):
        explain_strokes_for_page(POINTS, LENGTHS, "cnn")
