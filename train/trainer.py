"""The training loop: augmented mini-batches, AdamW, one-cycle schedule, a
checkpoint after every epoch and a JSON history.

Deterministic for a seed: epoch ``e`` draws its shuffle, augmentation and
dropout masks from generators seeded with ``(seed, e)``, so a run resumed
from a checkpoint takes the same path as one that never stopped.
"""

import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from tqdm import tqdm

from pydigit.layers import Dropout
from pydigit.losses import SoftmaxCrossEntropy
from pydigit.weights_file import load_model, save_model

from .architectures import ARCHITECTURES
from pydigit.augment import Augmentation, augment
from pydigit.optim import AdamW, one_cycle_lr
from .styles import with_styles


@dataclass
class TrainConfig:
    model: str = "cnn"
    epochs: int = 15
    seed: int = 0
    batch_size: int = 128
    max_lr: float = 3e-3
    weight_decay: float = 1e-4
    augmentation: Augmentation = field(default_factory=Augmentation)
    # Fractions of the '1's and '7's also drawn with a flag and a crossed stem (train.styles).
    flagged_ones: float = 1.0
    crossed_sevens: float = 0.5


def accuracy_and_loss(model, images, labels, batch_size=1000):
    """images: (N, 28, 28) float32 -> (accuracy, mean cross-entropy)."""
    loss_fn, correct, total_loss = SoftmaxCrossEntropy(), 0, 0.0
    for start in range(0, len(images), batch_size):
        x = images[start:start + batch_size, :, :, None]
        y = labels[start:start + batch_size]
        logits = model.forward(x)
        total_loss += loss_fn.forward(logits, y) * len(y)
        correct += int((logits.argmax(axis=1) == y).sum())
    return correct / len(images), total_loss / len(images)


class Checkpoints:
    """``DIR/epochN.model.npz`` + ``DIR/epochN.optim.npz``, then ``DIR/state.json``
    naming the last complete epoch, written last so a crash mid-save leaves the
    previous checkpoint valid."""

    def __init__(self, directory):
        self.dir = Path(directory)

    def save(self, epoch, model, optimizer, history, config):
        self.dir.mkdir(parents=True, exist_ok=True)
        save_model(model, self.dir / f"epoch{epoch}.model.npz", dtype=np.float32)
        np.savez(self.dir / f"epoch{epoch}.optim.npz", **optimizer.state())
        state = {"epoch": epoch, "history": history, "config": asdict(config)}
        tmp = self.dir / "state.json.tmp"
        tmp.write_text(json.dumps(state, indent=1))
        os.replace(tmp, self.dir / "state.json")
        for old in self.dir.glob("epoch*.npz"):
            if not old.name.startswith(f"epoch{epoch}."):
                old.unlink()

    def load(self):
        """(epoch, model, optimizer arrays, history, config as saved), or None
        with no checkpoint."""
        state_path = self.dir / "state.json"
        if not state_path.is_file():
            return None
        state = json.loads(state_path.read_text())
        epoch = state["epoch"]
        model = load_model(self.dir / f"epoch{epoch}.model.npz")
        with np.load(self.dir / f"epoch{epoch}.optim.npz") as arrays:
            optim = {key: arrays[key] for key in arrays.files}
        return epoch, model, optim, state["history"], state["config"]


def train(config, train_data, test_data, checkpoint_dir, resume=False, progress=True):
    """Train ``config.model`` on (images uint8 (N, 28, 28), labels (N,)); returns
    (the trained model, with BatchNorm still separate, and the history list)."""
    images = train_data[0].astype(np.float32) / 255.0
    labels = train_data[1].astype(np.int64)
    test_images = test_data[0].astype(np.float32) / 255.0
    test_labels = test_data[1].astype(np.int64)

    model = ARCHITECTURES[config.model](config.seed)
    optimizer = AdamW(model, weight_decay=config.weight_decay)
    checkpoints = Checkpoints(checkpoint_dir)
    start_epoch, history = 0, []
    saved = checkpoints.load() if resume else None
    if saved:
        start_epoch, model, optim_state, history, saved_config = saved
        if saved_config != json.loads(json.dumps(asdict(config))):
            raise SystemExit(f"cannot resume: {checkpoint_dir} was trained with {saved_config}, "
                             f"not {asdict(config)}; use the same options or a new --checkpoints")
        optimizer = AdamW(model, weight_decay=config.weight_decay)
        optimizer.load_state(optim_state)
        print(f"resumed from {checkpoint_dir} after epoch {start_epoch}")

    steps_per_epoch = max(1, len(images) // config.batch_size)
    total_steps = steps_per_epoch * config.epochs
    loss_fn = SoftmaxCrossEntropy()
    for epoch in range(start_epoch, config.epochs):
        started = time.perf_counter()
        rng = np.random.default_rng([config.seed, epoch])
        for i, layer in enumerate(model.layers):
            if isinstance(layer, Dropout):
                layer.rng = np.random.default_rng([config.seed, epoch, i])
        order = rng.permutation(len(images))
        running_loss = running_correct = seen = 0
        bar = tqdm(range(steps_per_epoch), desc=f"{config.model} epoch {epoch + 1}/{config.epochs}",
                   disable=not progress, mininterval=2)
        for step in bar:
            batch = order[step * config.batch_size:(step + 1) * config.batch_size]
            x, y = with_styles(images[batch], labels[batch], rng,
                               {1: config.flagged_ones, 7: config.crossed_sevens})
            x = augment(x, rng, config.augmentation)[:, :, :, None]
            logits = model.forward(x, training=True)
            loss = loss_fn.forward(logits, y)
            model.backward(loss_fn.backward())
            lr = one_cycle_lr(epoch * steps_per_epoch + step, total_steps, config.max_lr)
            optimizer.step(lr)
            running_loss += loss * len(y)
            running_correct += int((logits.argmax(axis=1) == y).sum())
            seen += len(y)
            if step % 20 == 0:
                bar.set_postfix(loss=f"{running_loss / seen:.4f}", acc=f"{running_correct / seen:.4f}")
        test_acc, test_loss = accuracy_and_loss(model, test_images, test_labels)
        history.append({"epoch": epoch + 1, "train_loss": running_loss / seen,
                        "train_accuracy": running_correct / seen, "test_loss": test_loss,
                        "test_accuracy": test_acc, "lr_end": lr,
                        "seconds": round(time.perf_counter() - started, 1)})
        print(json.dumps(history[-1]), flush=True)
        checkpoints.save(epoch + 1, model, optimizer, history, config)
    return model, history
