"""The trajectory network's training, on the real pen digits: writers held
out stay held out, a short training already reads writers it never saw, and
its vote mends what the image network gets wrong on them."""

import json

import numpy as np
import pytest

from pydigit.recognize import bundled_model
from pydigit.trajectory import combine
from pydigit.weights_file import bundled_weights_path, figures_path
from train import trajectory
from train.evaluate import pen_probabilities
from train.pendigits import load_pendigits


@pytest.fixture(scope="module")
def digits():
    return load_pendigits()


@pytest.fixture(scope="module")
def held_out(digits):
    """Fold 0's writers, and a network trained briefly on the others' digits."""
    seen = [d for d in digits if trajectory.fold_of(d.writer) != 0]
    unseen = [d for d in digits if trajectory.fold_of(d.writer) == 0]
    return unseen, trajectory.fit(seen, epochs=4)


def test_each_fold_network_learns_from_every_writer_but_its_folds(digits):
    few = [d for d in digits if d.label in (1, 7)][::4]  # enough for every writer, quick to train
    models = trajectory.fold_models(few, epochs=1)
    assert set(models) == set(range(trajectory.FOLDS))
    for fold, model in models.items():
        trained_on = set(model.meta["training"]["writers"])
        assert trained_on == {d.writer for d in few if trajectory.fold_of(d.writer) != fold}
    probabilities = trajectory.held_out_probabilities(few, models)
    assert probabilities.shape == (len(few), 10) and np.allclose(probabilities.sum(axis=1), 1, atol=1e-5)
    with pytest.raises(ValueError, match=r"no network for fold\(s\) \[0\]"):
        trajectory.held_out_probabilities(few, {k: v for k, v in models.items() if k})


def test_a_fold_model_never_saw_its_writers(held_out):
    unseen, model = held_out
    assert not {d.writer for d in unseen} & set(model.meta["training"]["writers"])


def test_it_reads_writers_it_never_saw_and_its_vote_mends_the_cnn(held_out):
    unseen, model = held_out
    labels = np.array([d.label for d in unseen])
    votes = trajectory.held_out_probabilities(unseen, {0: model})
    assert (votes.argmax(axis=1) == labels).mean() > 0.93
    image, _ = pen_probabilities(bundled_model("cnn"), unseen)
    alone, voted = (image.argmax(axis=1) == labels).mean(), (combine(image, votes).argmax(axis=1) == labels).mean()
    assert voted > alone + 0.005


def test_training_is_deterministic_for_a_seed(digits):
    few = digits[:300]
    a, b = trajectory.fit(few, epochs=1), trajectory.fit(few, epochs=1)
    for la, lb in zip(a.layers, b.layers):
        for name in la.params:
            np.testing.assert_array_equal(la.params[name], lb.params[name])


def test_distortion_keeps_the_strokes_and_their_points(digits):
    rng = np.random.default_rng(0)
    digit = digits[0]
    moved = trajectory.distort(digit.strokes, rng)
    assert [s.shape for s in moved] == [s.shape for s in digit.strokes]
    assert not np.allclose(moved[0], digit.strokes[0])


def test_the_bundled_figures_are_writer_disjoint():
    figures = json.loads(figures_path(bundled_weights_path("trajectory"), "metrics").read_text())
    assert figures["folds"] == trajectory.FOLDS and figures["writers"] == 30
    assert figures["held_out"]["cnn+trajectory"]["accuracy"] > figures["held_out"]["cnn"]["accuracy"]
