"""Short training runs on a few hundred real MNIST digits: the loss goes down,
the command line writes a loadable model and its history, and a run resumed
from a checkpoint ends exactly where an uninterrupted one does.
"""

import json

import numpy as np
import pytest

from pydigit import load_model
from pydigit.layers import BatchNorm2D, Dropout
from pydigit.losses import SoftmaxCrossEntropy
from train import trainer
from train.__main__ import main
from train.architectures import build_mlp
from train.trainer import TrainConfig, train


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory, mnist_dir):
    """``python -m train --model mlp --epochs 2 --limit 1024 ...``, run once."""
    tmp = tmp_path_factory.mktemp("cli")
    main(["--model", "mlp", "--epochs", "2", "--limit", "1024", "--batch-size", "64",
          "--data", str(mnist_dir), "--out", str(tmp / "mlp.npz"),
          "--checkpoints", str(tmp / "ck"), "--no-progress"])
    return tmp


def test_cli_writes_weights_history_and_checkpoint(cli_run):
    weights, history_file = cli_run / "mlp.npz", cli_run / "mlp.history.json"
    assert weights.is_file() and history_file.is_file()
    history = json.loads(history_file.read_text())
    assert [h["epoch"] for h in history] == [1, 2]
    for entry in history:
        assert {"train_loss", "train_accuracy", "test_loss", "test_accuracy", "lr_end",
                "seconds"} <= set(entry)
        assert np.isfinite(entry["train_loss"]) and 0 <= entry["test_accuracy"] <= 1

    model = load_model(weights)
    assert not any(isinstance(layer, Dropout) for layer in model.layers), "exported for inference"
    assert model.meta["name"] == "mlp"
    assert model.meta["multiply_adds"] == model.multiply_adds()
    training = model.meta["training"]
    assert training["epochs"] == 2 and training["train_images"] == 1024
    assert training["final_test_accuracy"] == history[-1]["test_accuracy"]

    state = json.loads((cli_run / "ck" / "state.json").read_text())
    assert state["epoch"] == 2 and state["history"] == history
    assert sorted(p.name for p in (cli_run / "ck").glob("*.npz")) == [
        "epoch2.model.npz", "epoch2.optim.npz"]  # older epochs are cleaned up


def test_training_lowers_the_loss(cli_run, mnist_train, mnist_test):
    history = json.loads((cli_run / "mlp.history.json").read_text())
    assert history[-1]["train_loss"] < history[0]["train_loss"]

    # On a fixed batch (the training images, not augmented): the trained model
    # against the same architecture and seed before training.
    x = mnist_train[0][:1024, :, :, None].astype(np.float32) / 255.0
    y = mnist_train[1][:1024].astype(np.int64)
    loss = SoftmaxCrossEntropy()
    before = loss.forward(build_mlp(seed=0).forward(x), y)
    trained = load_model(cli_run / "mlp.npz")
    after = loss.forward(trained.forward(x), y)
    assert after < 0.75 * before, (before, after)

    # The exported float16 model scores what training measured on the test images.
    test_x = mnist_test[0][:1024, :, :, None].astype(np.float32) / 255.0
    accuracy = (trained.predict(test_x) == mnist_test[1][:1024]).mean()
    assert accuracy == pytest.approx(history[-1]["test_accuracy"], abs=0.01)
    assert accuracy > 0.3  # chance is 0.1; 32 small steps already get well past it


class Crash(Exception):
    """Stands for the process being killed."""


def crash_after_epoch(monkeypatch, epoch):
    """Let training run normally but stop it dead right after the checkpoint
    of ``epoch`` is written, as a kill at that moment would."""
    real_save = trainer.Checkpoints.save

    def save_then_crash(self, saved_epoch, *args, **kwargs):
        real_save(self, saved_epoch, *args, **kwargs)
        if saved_epoch == epoch:
            raise Crash

    monkeypatch.setattr(trainer.Checkpoints, "save", save_then_crash)


def assert_same_weights(a, b):
    assert len(a.layers) == len(b.layers)
    for layer_a, layer_b in zip(a.layers, b.layers):
        for store in ("params", "buffers"):
            for name, value in getattr(layer_a, store).items():
                # Same arithmetic in the same order: bit for bit.
                np.testing.assert_array_equal(getattr(layer_b, store)[name], value,
                                              err_msg=f"{layer_a!r}.{name}")


def without_timing(history):
    return [{k: v for k, v in entry.items() if k != "seconds"} for entry in history]


@pytest.mark.parametrize("model_name, limit", [("mlp", 512), ("cnn", 128)])
def test_resumed_run_matches_an_uninterrupted_one(model_name, limit, tmp_path, monkeypatch,
                                                  mnist_train, mnist_test, capsys):
    data = (mnist_train[0][:limit], mnist_train[1][:limit])
    test_data = (mnist_test[0][:200], mnist_test[1][:200])
    config = TrainConfig(model=model_name, epochs=2, seed=3, batch_size=64)

    straight, straight_history = train(config, data, test_data, tmp_path / "straight",
                                       progress=False)

    with monkeypatch.context() as patch:
        crash_after_epoch(patch, 1)
        with pytest.raises(Crash):
            train(config, data, test_data, tmp_path / "interrupted", progress=False)
    state = json.loads((tmp_path / "interrupted" / "state.json").read_text())
    assert state["epoch"] == 1 and len(state["history"]) == 1

    resumed, resumed_history = train(config, data, test_data, tmp_path / "interrupted",
                                     resume=True, progress=False)
    assert "resumed from" in capsys.readouterr().out
    assert [h["epoch"] for h in resumed_history] == [1, 2]
    assert without_timing(resumed_history) == without_timing(straight_history)
    assert_same_weights(straight, resumed)
    if model_name == "cnn":  # BatchNorm's running statistics came through the checkpoint
        norms = [layer for layer in resumed.layers if isinstance(layer, BatchNorm2D)]
        assert norms and all(np.abs(n.buffers["running_mean"]).max() > 0 for n in norms)
    # And the resumed run's own final checkpoint says the same.
    assert_same_weights(straight, load_model(tmp_path / "interrupted" / "epoch2.model.npz"))


def test_resume_without_a_checkpoint_starts_from_scratch(tmp_path, mnist_train, mnist_test):
    data = (mnist_train[0][:256], mnist_train[1][:256])
    test_data = (mnist_test[0][:100], mnist_test[1][:100])
    config = TrainConfig(model="mlp", epochs=1, seed=1, batch_size=64)
    fresh, fresh_history = train(config, data, test_data, tmp_path / "a", progress=False)
    resumed, resumed_history = train(config, data, test_data, tmp_path / "b", resume=True,
                                     progress=False)
    assert without_timing(fresh_history) == without_timing(resumed_history)
    assert_same_weights(fresh, resumed)
