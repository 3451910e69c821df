"""python -m train.figures --model cnn|mlp [--weights PATH]

The docs' figures, from what ``train.evaluate`` wrote: confusion matrices
(MNIST test, pen digits), galleries of the most confident mistakes and the
training curves, as ``docs/assets/figures/{model}-*.png``.
"""

import argparse
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.colors import PowerNorm  # noqa: E402
from sklearn.metrics import ConfusionMatrixDisplay  # noqa: E402

from pydigit import preprocess  # noqa: E402
from pydigit.preprocess import FIELD  # noqa: E402
from pydigit.weights_file import MODEL_NAMES, bundled_weights_path, figures_path  # noqa: E402

from . import pendigits  # noqa: E402
from .mnist import load_mnist  # noqa: E402

PROJECT = Path(__file__).resolve().parent.parent
FIGURES_DIR = PROJECT / "docs" / "assets" / "figures"
TITLES = {"mnist": "MNIST test", "pen": "pen digits"}


def confusion_figure(summary, title):
    """A confusion matrix, counts; the colour scale is compressed (gamma 0.3)
    so that the few mistakes show beside the full diagonal."""
    fig, ax = plt.subplots(figsize=(5.2, 4.6))
    display = ConfusionMatrixDisplay(np.array(summary["confusion_matrix"]),
                                     display_labels=range(10))
    display.plot(ax=ax, cmap="Blues", colorbar=False, im_kw={"norm": PowerNorm(0.3)},
                 text_kw={"fontsize": 7})
    ax.set(title=f"{title}: {summary['accuracy']:.2%} of {summary['count']:,}",
           xlabel="predicted", ylabel="true")
    fig.tight_layout()
    return fig


def gallery_figure(images, mistakes, title, columns=8):
    """images: (n, 28, 28) in the order of ``mistakes`` -> a grid, each with
    its true and predicted digit and the confidence."""
    rows = max(1, -(-len(images) // columns))
    fig, axes = plt.subplots(rows, columns, figsize=(columns * 1.1, rows * 1.3 + 0.4),
                             squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, image, m in zip(axes.flat, images, mistakes):
        ax.imshow(image, cmap="gray_r", vmin=0, vmax=1)
        ax.set_title(f"{m['label']}\u2192{m['predicted']} {m['confidence']:.2f}", fontsize=8)
    fig.suptitle(f"{title} (true\u2192predicted, confidence)", fontsize=10)
    fig.tight_layout()
    return fig


def history_figure(history, model):
    """history: list of {epoch, train_loss, train_accuracy, test_loss,
    test_accuracy} -> loss and error rate per epoch (training error is on
    augmented images, with dropout, so it sits above the test error)."""
    epochs = [h["epoch"] for h in history]
    fig, (loss_ax, error_ax) = plt.subplots(1, 2, figsize=(9, 3.4))
    for split, label in (("train", "train (augmented, dropout)"), ("test", "MNIST test")):
        loss_ax.plot(epochs, [h[f"{split}_loss"] for h in history], label=label)
        error_ax.plot(epochs, [100 * (1 - h[f"{split}_accuracy"]) for h in history], label=label)
    loss_ax.set(xlabel="epoch", ylabel="cross-entropy", yscale="log", title=f"{model}: loss")
    error_ax.set(xlabel="epoch", ylabel="error (%)", yscale="log", title=f"{model}: error rate")
    for ax in (loss_ax, error_ax):
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
    fig.tight_layout()
    return fig


def mistake_images(metrics, data_dir=None, pen_path=None):
    """The 28x28 images behind each set's worst mistakes, as the network saw
    them: {"mnist": (n, 28, 28), "pen": (n, 28, 28)} float32 in 0..1."""
    test_images, _ = load_mnist("test", data_dir)
    mnist = [test_images[m["index"]] / 255.0 for m in metrics["mnist"]["worst_mistakes"]]
    digits, p = pendigits.load_pendigits(pen_path), metrics["pen"]
    pen_inputs = [preprocess(pendigits.render_strokes(digits[m["index"]].strokes, p["pen_width"],
                                                      p["margin"]))
                  for m in p["worst_mistakes"]]
    return {"mnist": np.array(mnist, np.float32).reshape(-1, FIELD, FIELD),
            "pen": np.array(pen_inputs, np.float32).reshape(-1, FIELD, FIELD)}


def write_figures(metrics, history_path=None, out_dir=FIGURES_DIR, data_dir=None, pen_path=None):
    """Write every figure for ``metrics`` (a ``train.evaluate`` result) into
    ``out_dir``; returns their paths."""
    out_dir, model = Path(out_dir), metrics["model"]
    out_dir.mkdir(parents=True, exist_ok=True)
    figs = {}
    for name, images in mistake_images(metrics, data_dir, pen_path).items():
        figs[f"{model}-confusion-{name}.png"] = confusion_figure(
            metrics[name], f"{model}, {TITLES[name]}")
        figs[f"{model}-mistakes-{name}.png"] = gallery_figure(
            images, metrics[name]["worst_mistakes"],
            f"{model}: most confident mistakes, {TITLES[name]}")
    if history_path and Path(history_path).is_file():
        history = json.loads(Path(history_path).read_text())
        figs[f"{model}-training.png"] = history_figure(history, model)
    paths = []
    for name, fig in figs.items():
        fig.savefig(out_dir / name, dpi=100)
        plt.close(fig)
        paths.append(out_dir / name)
    return paths


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m train.figures", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", choices=MODEL_NAMES, default="cnn")
    parser.add_argument("--weights", type=Path, help="default: the bundled weights of --model")
    parser.add_argument("--data", help="directory with the four MNIST .gz files")
    parser.add_argument("--pen", help=f"path of {pendigits.FILE_NAME}")
    parser.add_argument("--out", type=Path, default=FIGURES_DIR)
    args = parser.parse_args(argv)
    weights = args.weights or bundled_weights_path(args.model)
    metrics = json.loads(figures_path(weights, "metrics").read_text())
    history = figures_path(weights, "history")
    for path in write_figures(metrics, history, args.out, args.data, args.pen):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
