"""The worker's side of "teach" (pydigit.browser): several drawings' strokes
in, a personalized model out a step at a time, its weights as bytes that
come back as that model; stored bytes that are not such a model refused."""

import numpy as np
import pytest

from pydigit import model_bytes, personalize
from pydigit.browser import Teaching, personal_model, score_examples, split_examples
from pydigit.recognize import bundled_model, recognize_strokes
from pydigit.strokes import render_ink
from train.architectures import build_mlp
from train.pendigits import load_pendigits, to_pad

WRITER = 28


@pytest.fixture(scope="module")
def examples():
    """Writer 28's first 2 drawings of each digit, as the widget sends them:
    (points, lengths, counts, labels) and the drawings as stroke lists."""
    digits = [d for d in load_pendigits() if d.writer == WRITER]
    chosen = [d for k in range(10) for d in [x for x in digits if x.label == k][:2]]
    drawings = [to_pad(d.strokes) for d in chosen]
    points = np.concatenate([np.concatenate(d).ravel() for d in drawings]).astype(np.float64)
    lengths = np.array([len(s) for d in drawings for s in d], np.uint32)
    counts = np.array([len(d) for d in drawings], np.uint32)
    return (points, lengths, counts, np.array([d.label for d in chosen], np.uint32)), drawings


def test_teaching_step_by_step_is_personalize(examples):
    sent, drawings = examples
    teaching = Teaching(*sent, bundled_model("cnn"))
    reports = []
    while not (report := teaching.step())["finished"]:
        reports.append(report)
    assert len(reports) > 100 and report["done"] == report["total"] == reports[-1]["total"]
    assert [r["done"] for r in reports] == list(range(1, len(reports) + 1))
    direct = personalize([render_ink(d) for d in drawings], sent[3].tolist())
    np.testing.assert_array_equal(teaching.model.layers[-3].params["W"], direct.layers[-3].params["W"])
    model, meta = personal_model(teaching.weights(), bundled_model("cnn"))
    assert meta["drawings"] == 20 and meta["base"] == "cnn"
    assert recognize_strokes(drawings[0], model).digit == recognize_strokes(drawings[0], teaching.model).digit


def test_score_examples_counts_the_right_answers(examples):
    sent, drawings = examples
    score = score_examples(*sent, bundled_model("cnn"))
    digits = [recognize_strokes(d, bundled_model("cnn")).digit for d in drawings]
    assert score == {"digits": digits, "total": 20,
                     "correct": sum(d == label for d, label in zip(digits, sent[3]))}


@pytest.mark.parametrize("change, says", [
    (lambda p, l, c, y: (p, l, c[:-1], y[:-1]), "stroke counts add up to"),
    (lambda p, l, c, y: (p, l, c, y[:-1]), "20 examples but 19 labels"),
    (lambda p, l, c, y: (p, l, np.where(np.arange(len(c)) == 0, 0, c), y), "at least one"),
    (lambda p, l, c, y: (p, l, c, np.where(np.arange(len(y)) == 0, 12, y)), "labels are the digits 0 to 9"),
    (lambda p, l, c, y: (np.where(np.arange(len(p)) < l[:c[0]].sum() * 2, 5.0, p), l, c, y),
     "example 0 is empty"),
])
def test_examples_that_cannot_teach_are_refused_at_once(examples, change, says):
    sent, _ = examples
    with pytest.raises(ValueError, match=says):
        Teaching(*change(*sent), bundled_model("cnn"))


def test_stored_bytes_that_are_not_a_personalized_model_are_refused(examples):
    cnn = bundled_model("cnn")
    with pytest.raises(ValueError, match="not a readable weights file"):
        personal_model(b"garbage", cnn)
    with pytest.raises(ValueError, match="not a personalized pydigit model"):
        personal_model(model_bytes(cnn), cnn)
    sent, drawings = examples
    mlp = personalize([render_ink(d) for d in drawings], sent[3].tolist(), build_mlp().for_inference())
    with pytest.raises(ValueError, match="personalized from another network"):
        personal_model(model_bytes(mlp), cnn)


def test_split_examples_gives_each_drawing_its_strokes(examples):
    sent, drawings = examples
    split, labels = split_examples(*sent)
    assert labels == sent[3].tolist() and len(split) == len(drawings)
    for got, expected in zip(split, drawings):
        assert [s.shape for s in got] == [s.shape for s in expected]
        np.testing.assert_allclose(np.concatenate(got), np.concatenate(expected), atol=1e-6)
