"""python -m train.evaluate --model cnn|mlp [--weights PATH] [--data DIR]

Measures a trained model the two ways that matter: on the 10 000 MNIST test
images, fed to the network as they are, and on the 7 494 recorded pen digits
(``train.pendigits``), rendered as the browser renders them and passed through
``pydigit.recognize`` exactly as the browser does. Prints a summary, writes
``{weights stem}.metrics.json`` beside the weights (what the model card
prints) and the figures for the docs (``train.figures``).
"""

import argparse
import datetime
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, confusion_matrix, recall_score
from threadpoolctl import threadpool_limits

from pydigit import load_model, pen, recognize
from pydigit.weights_file import MODEL_NAMES, bundled_weights_path, figures_path

from . import figures, pendigits
from .figures import TITLES
from .mnist import PROJECT, load_mnist

LABELS = list(range(10))
WORST = 24  # how many highest-confidence mistakes to keep per data set
# "Not sure" below the lowest confidence at which the accepted pen answers are
# still right this often (see not_sure_threshold).
TARGET_ACCEPTED_ACCURACY = 0.99
BASELINE_IMAGES = 20_000  # the first N training images: seconds to fit; more buy little
BASELINE_C = 0.1  # strong L2 regularisation: converges in < 200 iterations, generalises better
# One BLAS thread: the matrices here (one image at a time in recognize) are
# too small for threads to pay, and on a machine whose cores are busy (say,
# training) BLAS threads made the evaluation 2x to 20x slower.
single_threaded = threadpool_limits.wrap(limits=1)


def mnist_probabilities(model, images, batch_size=1000):
    """images: (N, 28, 28) uint8 -> probabilities (N, 10) float32."""
    x = images.astype(np.float32)[:, :, :, None] / 255.0
    return np.concatenate([model.predict_proba(x[i:i + batch_size])
                           for i in range(0, len(x), batch_size)])


def pen_probabilities(model, digits, width=pen.PEN_WIDTH, margin=pendigits.MARGIN):
    """Each digit laid out on the pad, rendered and recognised one by one, as
    in the browser -> probabilities (N, 10) float32, network inputs (N, 28,
    28) float32."""
    probabilities, inputs = [], []
    for digit in digits:
        prediction = recognize(pendigits.render_strokes(digit.strokes, width, margin), model)
        probabilities.append(prediction.probabilities)
        inputs.append(prediction.input28)
    return np.array(probabilities, np.float32), np.array(inputs, np.float32)


def summarize(labels, probabilities, worst=WORST, **extra_per_item):
    """labels: (N,) ints, probabilities: (N, 10) -> accuracy, per-class
    accuracy (recall), confusion matrix (rows: true digit) and the ``worst``
    wrong answers given with the highest confidence. ``extra_per_item``:
    (N,) arrays copied into each mistake's record (e.g. writer=...)."""
    predicted = probabilities.argmax(axis=1)
    confidence = probabilities.max(axis=1)
    wrong = np.flatnonzero(predicted != labels)
    wrong = wrong[np.argsort(-confidence[wrong], kind="stable")][:worst]
    per_class = recall_score(labels, predicted, labels=LABELS, average=None, zero_division=np.nan)
    return {
        "count": len(labels),
        "accuracy": float(accuracy_score(labels, predicted)),
        # None for a digit absent from a (limited) set: strict JSON has no NaN.
        "per_class_accuracy": [None if np.isnan(a) else float(a) for a in per_class],
        "confusion_matrix": confusion_matrix(labels, predicted, labels=LABELS).tolist(),
        "worst_mistakes": [{"index": int(i), "label": int(labels[i]),
                            "predicted": int(predicted[i]),
                            "confidence": round(float(confidence[i]), 4),
                            **{k: int(v[i]) for k, v in extra_per_item.items()}}
                           for i in wrong],
    }


def not_sure_threshold(confidence, correct, target=TARGET_ACCEPTED_ACCURACY):
    """The lowest threshold t such that the answers given with confidence >= t
    are right at least ``target`` of the time: the most answers the site can
    give while keeping that accuracy; below t it says "not sure".
    Returns 1.0 (always "not sure") if no t reaches the target."""
    order = np.argsort(-confidence, kind="stable")
    conf, hits = confidence[order], np.cumsum(correct[order])
    accepted_accuracy = hits / np.arange(1, len(conf) + 1)
    # Only cut between distinct confidences: ties are accepted together.
    cut = np.append(conf[1:] < conf[:-1], True)
    ok = np.flatnonzero(cut & (accepted_accuracy >= target))
    return float(conf[ok[-1]]) if len(ok) else 1.0


def at_threshold(threshold, confidence, correct):
    """Fraction of answers given (not "not sure") and their accuracy."""
    accepted = confidence >= threshold
    return {"answered": float(accepted.mean()),
            "accuracy_of_answered": float(correct[accepted].mean()) if accepted.any() else None}


def pixel_rows(images):
    """(N, 28, 28) uint8 0..255 or float 0..1 -> (N, 784) float32 in 0..1."""
    rows = images.reshape(len(images), -1).astype(np.float32)
    return rows / 255.0 if images.dtype == np.uint8 else rows


def logistic_baseline(train_images, train_labels, test_images, test_labels,
                      pen_inputs, pen_labels, c=BASELINE_C):
    """Multinomial logistic regression on raw pixels: the floor a network must
    clear. Accuracy on MNIST test and on the same preprocessed pen inputs."""
    started = time.perf_counter()
    classifier = LogisticRegression(C=c, max_iter=200)
    classifier.fit(pixel_rows(train_images), train_labels)
    return {"name": "logistic regression on raw pixels (scikit-learn)",
            "train_images": len(train_images), "C": c,
            "mnist_accuracy": float(classifier.score(pixel_rows(test_images), test_labels)),
            "pen_accuracy": float(classifier.score(pixel_rows(pen_inputs), pen_labels)),
            "seconds": round(time.perf_counter() - started, 1)}


@single_threaded
def evaluate(model, data_dir=None, pen_path=None, limit=None, width=pen.PEN_WIDTH,
             baseline_images=BASELINE_IMAGES):
    """Everything measured for ``model``, as a JSON-ready dict. ``limit``
    evaluates the first N test images and pen digits only and fits the
    baseline on N training images (for tests)."""
    started = time.perf_counter()
    test_images, test_labels = load_mnist("test", data_dir)
    digits = pendigits.load_pendigits(pen_path)
    test_images, test_labels, digits = test_images[:limit], test_labels[:limit], digits[:limit]
    pen_labels = np.array([d.label for d in digits])
    writers = np.array([d.writer for d in digits])

    mnist_p = mnist_probabilities(model, test_images)
    pen_p, pen_inputs = pen_probabilities(model, digits, width)
    conf = {"mnist": mnist_p.max(axis=1), "pen": pen_p.max(axis=1)}
    correct = {"mnist": mnist_p.argmax(axis=1) == test_labels,
               "pen": pen_p.argmax(axis=1) == pen_labels}
    metrics = {
        "mnist": summarize(test_labels, mnist_p),
        "pen": {**summarize(pen_labels, pen_p, writer=writers),
                "per_writer_accuracy": {int(w): float(correct["pen"][writers == w].mean())
                                        for w in np.unique(writers)},
                "canvas_size": pen.CANVAS_SIZE, "pen_width": width, "margin": pendigits.MARGIN,
                "ink_box": pen.INK_BOX},
    }
    threshold = not_sure_threshold(conf["pen"], correct["pen"])
    metrics["not_sure_threshold"] = {
        "value": round(threshold, 4),
        "rule": f"lowest confidence t such that the pen digits answered with confidence >= t "
                f"are right >= {TARGET_ACCEPTED_ACCURACY:.0%} of the time",
        **{name: at_threshold(threshold, conf[name], correct[name]) for name in conf}}

    train_images, train_labels = load_mnist("train", data_dir)
    n = min(limit or baseline_images, baseline_images)
    metrics["baseline"] = logistic_baseline(train_images[:n], train_labels[:n],
                                            test_images, test_labels, pen_inputs, pen_labels)
    metrics["seconds"] = round(time.perf_counter() - started, 1)
    return metrics


@single_threaded
def width_sweep(model, widths, pen_path=None, limit=None):
    """Pen-digit accuracy for each pen width: [{"width", "accuracy"}]."""
    digits = pendigits.load_pendigits(pen_path)[:limit]
    labels = np.array([d.label for d in digits])
    rows = []
    for width in widths:
        predicted = pen_probabilities(model, digits, width)[0].argmax(axis=1)
        rows.append({"width": width, "accuracy": float((predicted == labels).mean())})
    return rows


def model_facts(model, weights):
    """What the model card needs about the model itself, from its file."""
    meta, weights = model.meta, Path(weights).resolve()
    shown = weights.relative_to(PROJECT) if weights.is_relative_to(PROJECT) else weights
    return {"model": meta.get("name"), "weights": str(shown),
            "weights_bytes": weights.stat().st_size,
            "multiply_adds": meta.get("multiply_adds", model.multiply_adds()),
            "parameters": meta.get("parameters", model.num_parameters()),
            "training": meta.get("training")}


def percent(x):
    return "-" if x is None else f"{x:.2%}"


def print_summary(m):
    print(f"\n{m['model']}: {m['multiply_adds']:,} multiply-adds, {m['parameters']:,} parameters, "
          f"{m['weights_bytes'] / 1024:.0f} KB")
    rows = [("", "MNIST test", "pen digits"),
            ("accuracy", percent(m["mnist"]["accuracy"]), percent(m["pen"]["accuracy"]))]
    rows += [(f"  digit {k}", percent(m["mnist"]["per_class_accuracy"][k]),
              percent(m["pen"]["per_class_accuracy"][k])) for k in LABELS]
    b = m["baseline"]
    rows.append((f"logistic regression ({b['train_images']:,} images)",
                 percent(b["mnist_accuracy"]), percent(b["pen_accuracy"])))
    for label, mnist, pen_digits in rows:
        print(f"{label:36}{mnist:>12}{pen_digits:>12}")
    t = m["not_sure_threshold"]
    print(f"'not sure' below confidence {t['value']}; above it the model answers")
    for name in ("pen", "mnist"):
        print(f"  {t[name]['answered']:.1%} of {TITLES[name]}, "
              f"{percent(t[name]['accuracy_of_answered'])} of them right")
    for name in ("mnist", "pen"):
        worst = ", ".join(f"#{w['index']} {w['label']}->{w['predicted']} ({w['confidence']:.2f})"
                          for w in m[name]["worst_mistakes"][:6])
        print(f"most confident mistakes, {TITLES[name]}: {worst}")
    for row in m.get("pen_width_sweep", []):
        print(f"pen width {row['width']:>5}: pen accuracy {row['accuracy']:.2%}")


def write_json(figures, path):
    """figures: JSON-able, every number finite -> written to path, and said."""
    path.write_text(json.dumps(figures, indent=1, allow_nan=False) + "\n")
    print(f"wrote {path}")


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="python -m train.evaluate", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", choices=MODEL_NAMES, default="cnn")
    parser.add_argument("--weights", type=Path, help="default: the bundled weights of --model")
    parser.add_argument("--data", help="directory with the four MNIST .gz files")
    parser.add_argument("--pen", help=f"path of {pendigits.FILE_NAME}")
    parser.add_argument("--pen-width", type=float, default=pen.PEN_WIDTH)
    parser.add_argument("--pen-widths", type=float, nargs="+", metavar="WIDTH",
                        help="also measure pen accuracy at each width (to tune pen.PEN_WIDTH)")
    parser.add_argument("--limit", type=int, help="only the first N test images and pen digits")
    parser.add_argument("--figures", type=Path, default=figures.FIGURES_DIR,
                        help="where the figures go (default: %(default)s)")
    parser.add_argument("--no-figures", action="store_true")
    args = parser.parse_args(argv)

    weights = args.weights or bundled_weights_path(args.model)
    model = load_model(weights)
    metrics = {**model_facts(model, weights), "model": args.model,
               **evaluate(model, args.data, args.pen, args.limit, args.pen_width)}
    if args.pen_widths:
        metrics["pen_width_sweep"] = width_sweep(model, args.pen_widths, args.pen, args.limit)
    metrics.update(command=" ".join(["python -m train.evaluate", *argv]),
                   date=datetime.date.today().isoformat(), numpy=np.__version__,
                   python=platform.python_version())
    print_summary(metrics)
    write_json(metrics, figures_path(weights, "metrics"))
    if not args.no_figures:
        history = figures_path(weights, "history")
        for path in figures.write_figures(metrics, history, args.figures, args.data, args.pen):
            print(f"wrote {path}")


if __name__ == "__main__":
    main()
