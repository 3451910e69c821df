"""The evaluation on a small slice of the real data, with the bundled MLP."""

import json
import shutil

import numpy as np
import pytest

from pydigit import load_model, pen
from train import evaluate as ev
from train.figures import write_figures

LIMIT = 120


@pytest.fixture(scope="module")
def model(bundled_weights):
    return load_model(bundled_weights("mlp"))


@pytest.fixture(scope="module")
def metrics(model):
    return ev.evaluate(model, limit=LIMIT)


def test_metrics_have_every_field_with_sane_values(metrics):
    for name in ("mnist", "pen"):
        summary = metrics[name]
        assert summary["count"] == LIMIT
        assert 0 <= summary["accuracy"] <= 1
        assert len(summary["per_class_accuracy"]) == 10
        assert all(0 <= a <= 1 for a in summary["per_class_accuracy"] if not np.isnan(a))
        matrix = np.array(summary["confusion_matrix"])
        assert matrix.shape == (10, 10) and matrix.sum() == LIMIT
        assert np.trace(matrix) / LIMIT == pytest.approx(summary["accuracy"])
        mistakes = summary["worst_mistakes"]
        assert len(mistakes) == min(ev.WORST, LIMIT - np.trace(matrix))
        assert all(m["label"] != m["predicted"] for m in mistakes)
        confidences = [m["confidence"] for m in mistakes]
        assert confidences == sorted(confidences, reverse=True)
    assert all(1 <= m["writer"] <= 30 for m in metrics["pen"]["worst_mistakes"])
    assert metrics["pen"]["pen_width"] == pen.PEN_WIDTH
    assert 0 < metrics["not_sure_threshold"]["value"] <= 1
    assert 0 <= metrics["baseline"]["mnist_accuracy"] <= 1
    assert metrics["baseline"]["train_images"] == LIMIT
    json.dumps(metrics)  # JSON-ready as it is


def test_the_bundled_mlp_recognises_most_digits(metrics):
    # Far above chance on both sets, even on a small slice: the pen digits go
    # through rendering and preprocessing, so this fails if either breaks.
    assert metrics["mnist"]["accuracy"] > 0.95
    assert metrics["pen"]["accuracy"] > 0.8
    assert metrics["mnist"]["accuracy"] > metrics["baseline"]["mnist_accuracy"]


def test_threshold_is_the_lowest_that_keeps_the_answers_right():
    confidence = np.array([0.95, 0.9, 0.8, 0.7, 0.6])
    correct = np.array([True, True, False, True, True])
    assert ev.not_sure_threshold(confidence, correct, target=0.99) == 0.9
    assert ev.not_sure_threshold(confidence, correct, target=0.75) == 0.6
    assert ev.not_sure_threshold(confidence, ~correct, target=0.99) == 1.0
    # A cut never splits equal confidences: both 0.9s are accepted or neither.
    tied = np.array([0.95, 0.9, 0.9, 0.5])
    assert ev.not_sure_threshold(tied, np.array([True, True, False, True]), target=0.99) == 0.95


def test_command_line_writes_metrics_and_figures(bundled_weights, tmp_path):
    weights = tmp_path / "mlp.npz"
    shutil.copy(bundled_weights("mlp"), weights)
    ev.main(["--model", "mlp", "--weights", str(weights), "--limit", "30",
             "--pen-widths", "10", "20", "--figures", str(tmp_path / "figures")])
    written = json.loads((tmp_path / "mlp.metrics.json").read_text())
    assert written["model"] == "mlp" and written["command"].startswith("python -m train.evaluate")
    assert written["weights_bytes"] == weights.stat().st_size
    assert written["multiply_adds"] > 200_000 and written["parameters"] > 200_000
    assert [row["width"] for row in written["pen_width_sweep"]] == [10, 20]
    figures = sorted(p.name for p in (tmp_path / "figures").iterdir())
    assert figures == ["mlp-confusion-mnist.png", "mlp-confusion-pen.png",
                       "mlp-mistakes-mnist.png", "mlp-mistakes-pen.png"]  # no history beside it
    assert all((tmp_path / "figures" / name).stat().st_size > 5000 for name in figures)


def test_figures_include_training_curves_when_there_is_a_history(metrics, tmp_path):
    history = tmp_path / "h.json"
    history.write_text(json.dumps([
        {"epoch": e, "train_loss": 1 / e, "train_accuracy": 1 - 0.1 / e,
         "test_loss": 0.5 / e, "test_accuracy": 1 - 0.05 / e} for e in (1, 2, 3)]))
    paths = write_figures({**metrics, "model": "x"}, history, tmp_path)
    curves = tmp_path / "x-training.png"
    assert curves in paths and curves.stat().st_size > 5000
