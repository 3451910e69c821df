"""The trajectory network: trained on the recorded pen digits, measured on
writers it never saw.

It reads ``pydigit.trajectory``'s features of a digit's strokes, and its
answer is multiplied into the image network's where the strokes are known
(a number pad's digits). MNIST has no strokes, so the recorded pen digits
(``train.pendigits``, 30 writers) are the only strokes there are to learn
from; every figure about them that involves this network is therefore
measured writer-disjoint: the writers fall into ``FOLDS`` folds (writer %
FOLDS), and a writer's digits are read by the network trained on the other
folds (``fold_models``), never by the shipped one, which learns from all 30.

    python -m train.trajectory          # -> pydigit/weights/trajectory.npz + .metrics.json

Prints the figures and writes them beside the weights (and how long it took).
"""

import argparse
import time
from datetime import date

import numpy as np

from pydigit.layers import Dense, Dropout, ReLU
from pydigit.losses import SoftmaxCrossEntropy
from pydigit.model import Model
from pydigit.optim import AdamW, one_cycle_lr
from pydigit.recognize import bundled_model
from pydigit.trajectory import FEATURES, combine, trajectory_features
from pydigit.weights_file import MODEL_NAMES, TRAJECTORY, bundled_weights_path, figures_path, save_model

from . import pendigits
from .evaluate import pen_probabilities, single_threaded, write_json

FOLDS = 5
HIDDEN = 128
EPOCHS = 40
BATCH_SIZE = 64
MAX_LR = 3e-3
SEED = 0
# Each epoch sees every digit once more, drawn a little differently: turned,
# sheared, stretched and its points shaken, about as much as one writer's
# digits differ from one another (tablet units; a digit is ~100-170 high).
ROTATION_DEGREES = 12.0
SHEAR = 0.25
STRETCH = 0.15
JITTER = 1.5


def distort(strokes, rng):
    """strokes: (k, 2) arrays in tablet units -> the same digit, written a
    little differently (one random affine map and noise per point)."""
    angle = np.deg2rad(rng.uniform(-ROTATION_DEGREES, ROTATION_DEGREES))
    shear, stretch = rng.uniform(-SHEAR, SHEAR), np.exp(rng.uniform(-STRETCH, STRETCH))
    turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    affine = turn @ np.array([[stretch, shear], [0.0, 1.0]])
    return [s @ affine.T + rng.normal(0.0, JITTER, s.shape) for s in strokes]


def build_trajectory_net(seed=SEED):
    """(N, FEATURES) -> 128 -> 10."""
    return Model([Dense(FEATURES, HIDDEN, seed=seed), ReLU(), Dropout(0.2, seed=seed + 1),
                  Dense(HIDDEN, 10, seed=seed + 2)], input_shape=(FEATURES,)).initialize()


@single_threaded
def fit(digits, seed=SEED, epochs=EPOCHS):
    """digits: ``pendigits.Digit``s -> the trajectory network trained on
    them, for inference. Deterministic for a seed."""
    labels = np.array([d.label for d in digits])
    model = build_trajectory_net(seed)
    # No label smoothing: its vote is multiplied into the image network's as
    # it stands, and smoothing caps how sure it can say it is (across the
    # folds, the CNN with it read fewer digits right than without).
    optimizer, loss = AdamW(model), SoftmaxCrossEntropy()
    steps = len(digits) // BATCH_SIZE
    for epoch in range(epochs):
        rng = np.random.default_rng([seed, epoch])
        for i, layer in enumerate(model.layers):
            if isinstance(layer, Dropout):
                layer.rng = np.random.default_rng([seed, epoch, i])
        features = np.stack([trajectory_features(distort(d.strokes, rng)) for d in digits])
        order = rng.permutation(len(digits))
        for step in range(steps):
            batch = order[step * BATCH_SIZE:(step + 1) * BATCH_SIZE]
            loss.forward(model.forward(features[batch], training=True), labels[batch])
            model.backward(loss.backward())
            optimizer.step(one_cycle_lr(epoch * steps + step, epochs * steps, MAX_LR))
    inference = model.for_inference()
    inference.meta = {"training": {"digits": len(digits), "writers": sorted({d.writer for d in digits}),
                                   "epochs": epochs, "seed": seed, "hidden": HIDDEN}}
    return inference


def fold_of(writer):
    return writer % FOLDS


def fold_models(digits, seed=SEED, epochs=EPOCHS):
    """-> {fold: the network trained on every other fold's writers}."""
    return {fold: fit([d for d in digits if fold_of(d.writer) != fold], seed, epochs) for fold in range(FOLDS)}


def held_out_probabilities(digits, models):
    """Each digit read by the network that never saw its writer -> (N, 10) float32."""
    missing = {fold_of(d.writer) for d in digits} - set(models)
    if missing:
        raise ValueError(f"no network for fold(s) {sorted(missing)}: their writers' digits would go unread")
    out = np.zeros((len(digits), 10), np.float32)
    for fold, model in models.items():
        mine = [i for i, d in enumerate(digits) if fold_of(d.writer) == fold]
        if mine:
            out[mine] = model.predict_proba(np.stack([trajectory_features(digits[i].strokes) for i in mine]))
    return out


def accuracy_figures(probabilities, labels, writers):
    correct = probabilities.argmax(axis=1) == labels
    per_writer = {int(w): float(correct[writers == w].mean()) for w in np.unique(writers)}
    worst = min(per_writer, key=per_writer.get)
    return {"accuracy": float(correct.mean()), "worst_writer": worst, "worst_writer_accuracy": per_writer[worst]}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pendigits", help="pendigits-orig.tra (default: found as train.pendigits says)")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    args = parser.parse_args(argv)
    digits = pendigits.load_pendigits(args.pendigits)
    labels = np.array([d.label for d in digits])
    writers = np.array([d.writer for d in digits])
    started = time.perf_counter()
    held_out = held_out_probabilities(digits, fold_models(digits, epochs=args.epochs))
    figures = {"model": TRAJECTORY, "date": date.today().isoformat(), "seed": SEED, "folds": FOLDS,
               "epochs": args.epochs, "digits": len(digits), "writers": int(len(np.unique(writers))),
               "held_out": {TRAJECTORY: accuracy_figures(held_out, labels, writers)}}
    for name in MODEL_NAMES:
        image, _ = pen_probabilities(bundled_model(name), digits)
        figures["held_out"][name] = accuracy_figures(image, labels, writers)
        figures["held_out"][f"{name}+{TRAJECTORY}"] = accuracy_figures(combine(image, held_out), labels, writers)
    model = fit(digits, epochs=args.epochs)
    figures["seconds"] = round(time.perf_counter() - started)
    for name, row in figures["held_out"].items():
        print(f"{name:>16}: {row['accuracy']:.2%} of the pen digits, worst writer {row['worst_writer']} "
              f"at {row['worst_writer_accuracy']:.1%} (each writer read by a network that never saw them)")
    path = bundled_weights_path(TRAJECTORY)
    model.meta["metrics"] = figures
    save_model(model, path)
    print(f"wrote {path}")
    write_json(figures, figures_path(path, "metrics"))


if __name__ == "__main__":
    main()
