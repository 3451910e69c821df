"""How well ``pydigit.recognize_number`` reads numbers written on one line.

    python -m train.numbers_eval [--model cnn] [--numbers 600] [--seed 0] [--out PATH]

Protocol: numbers of 2 to 6 digits, each composed from ONE writer's recorded
pen digits (train/pendigits.py), drawn left to right on a wide pad the way the
number pad records them: strokes in pad heights, each digit DIGIT_HEIGHT of
the pad tall (size jittered by SIZE_JITTER, its baseline by BASELINE_JITTER)
and the pen as on the square pad. Three spacing classes, by the gap between
neighbouring digits' ink: spaced (a quarter to 0.6 of a digit's height),
close (2 to 6 px of the pad's 140 px height) and touching (the ink boxes
overlapping by 1 to 8 px). Each number is read three times: from its strokes
(``recognize_number_strokes``, what the widget sends), with the trajectory
network's vote ("strokes") and without it ("strokes_image_only"), and from
its pixels alone ("image": ``recognize_number`` on the pad rendered by
``strokes.rasterize``). The trajectory network learnt from these very
writers' digits, so here every writer's numbers are read by the one trained
without them (``train.trajectory.fold_models``): the figures are for writers
it never saw.

Per class and path: whole-number accuracy; per-digit accuracy (digits less
the edit distance to the truth, over all digits); how often the number of
digits is right; and, for what segmentation adds or loses, the accuracy of
the very same digits read one by one on the square pad (``recognize_strokes``,
with the same networks),
the whole-number accuracy that reading would give (the ceiling for a perfect
segmentation) and how often the number reads the same as its digits one by
one. Plus the Python time for 5-digit numbers (p50, this CPython).

Prints the figures and writes them to pydigit/weights/MODEL.numbers.json.
"""

import argparse
import datetime
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from pydigit import pen
from pydigit.number import recognize_number, recognize_number_strokes
from pydigit.preprocess import preprocess
from pydigit.recognize import bundled_model
from pydigit.strokes import rasterize, render_ink
from pydigit.trajectory import combine
from pydigit.weights_file import MODEL_NAMES, bundled_weights_path, figures_path

from .evaluate import write_json
from .pendigits import load_pendigits, to_pad
from .trajectory import EPOCHS, fold_models, fold_of, held_out_probabilities

SEED = 0
NUMBERS = 600           # per spacing class
LENGTHS = (2, 6)        # digits per number, inclusive
DIGIT_HEIGHT = 0.6      # pad heights
SIZE_JITTER = 0.1       # relative, uniform
BASELINE_JITTER = 0.03  # pad heights, uniform
MARGIN = 0.2            # pad heights left free left and right
PX = 1 / pen.CANVAS_SIZE  # one pixel of the pad's height, in pad heights
# Gap between neighbouring digits' ink: (low, high, unit) with the unit in pad heights.
SPACINGS = {"spaced": (0.25, 0.6, DIGIT_HEIGHT), "close": (2, 6, PX), "touching": (-8, -1, PX)}
TARGETS = {"spaced": 0.97, "close": 0.95, "touching": 0.80}
TIMED_LENGTH = 5


def compose(digits, gaps, rng):
    """digits: ``Digit``s, left to right; gaps: (len - 1,) ink gaps in pad
    heights -> (strokes (k, 2) float64 in pad heights, the pad's aspect)."""
    pen_width = pen.PEN_WIDTH / pen.CANVAS_SIZE
    strokes, x = [], MARGIN
    for i, digit in enumerate(digits):
        points = np.concatenate(digit.strokes).astype(np.float64)
        low, high = points.min(axis=0), points.max(axis=0)
        scale = DIGIT_HEIGHT * rng.uniform(1 - SIZE_JITTER, 1 + SIZE_JITTER) / max(high[1] - low[1], 1e-6)
        bottom = 0.5 + DIGIT_HEIGHT / 2 + rng.uniform(-BASELINE_JITTER, BASELINE_JITTER)
        if i:
            x += gaps[i - 1] + pen_width  # from the last digit's points to this one's
        offset = np.array([x - low[0] * scale, bottom - high[1] * scale])
        strokes += [s.astype(np.float64) * scale + offset for s in digit.strokes]
        x += (high[0] - low[0]) * scale
    return strokes, x + MARGIN


def pad_pixels(strokes, aspect):
    """The number pad rendered whole by pydigit's rasterizer: (140, 140 * aspect) float32."""
    size = pen.CANVAS_SIZE
    width = int(np.ceil(size * aspect))
    return rasterize([s * size for s in strokes], size * aspect, pen.PEN_WIDTH, (0, size, 0, width))


def make_numbers(digits, count, spacing, seed):
    """-> list of (digit indices, strokes, aspect): ``count`` numbers of one spacing class."""
    rng = np.random.default_rng([seed, list(SPACINGS).index(spacing)])
    writers = np.array([d.writer for d in digits])
    low, high, unit = SPACINGS[spacing]
    numbers = []
    for _ in range(count):
        mine = np.flatnonzero(writers == rng.choice(np.unique(writers)))
        chosen = rng.choice(mine, rng.integers(LENGTHS[0], LENGTHS[1] + 1), replace=False)
        gaps = rng.uniform(low, high, len(chosen) - 1) * unit
        strokes, aspect = compose([digits[i] for i in chosen], gaps, rng)
        numbers.append((chosen, strokes, aspect))
    return numbers


def single_readings(model, digits, indices, trajectories):
    """-> ({index: the digit read from that drawing alone on the square pad
    by the image network}, {the same, each writer's trajectory network in
    ``trajectories`` (``fold_models``) voting}): the image network reads
    each drawing once for both."""
    indices = sorted(set(indices))
    inputs = np.stack([preprocess(render_ink(to_pad(digits[i].strokes))) for i in indices])
    image = np.concatenate([model.predict_proba(inputs[i:i + 500, :, :, None]) for i in range(0, len(inputs), 500)])
    voted = combine(image, held_out_probabilities([digits[i] for i in indices], trajectories))
    return (dict(zip(indices, image.argmax(axis=1).tolist())),
            dict(zip(indices, voted.argmax(axis=1).tolist())))


def edit_distance(a, b):
    """Levenshtein distance between two strings."""
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1]


def score(texts, truths, singles):
    """texts: what was read; truths: the numbers; singles: the digits read one
    by one -> the class's figures."""
    digits = sum(len(t) for t in truths)
    return {"numbers": len(truths), "digits": digits,
            "whole_number": float(np.mean([a == b for a, b in zip(texts, truths)])),
            "per_digit": sum(max(len(b) - edit_distance(a, b), 0) for a, b in zip(texts, truths)) / digits,
            "digit_count": float(np.mean([len(a) == len(b) for a, b in zip(texts, truths)])),
            "single_digit": sum(x == y for s, t in zip(singles, truths) for x, y in zip(s, t)) / digits,
            "whole_number_if_read_singly": float(np.mean([s == t for s, t in zip(singles, truths)])),
            "same_as_singly": float(np.mean([a == s for a, s in zip(texts, singles)]))}


def read_all(numbers, read):
    """-> (texts, milliseconds per number); a number refused (ValueError) reads as ""."""
    texts, times = [], []
    for number in numbers:
        started = time.perf_counter()
        try:
            texts.append(read(number))
        except ValueError:
            texts.append("")
        times.append((time.perf_counter() - started) * 1000)
    return texts, times


def unseen_writers_network(number, digits, trajectories):
    """number: from ``make_numbers``; trajectories: ``fold_models`` -> the
    trajectory network trained without the number's writer."""
    return trajectories[fold_of(digits[number[0][0]].writer)]


def evaluate(name="cnn", count=NUMBERS, seed=SEED, pen_path=None, progress=print, trajectory_epochs=EPOCHS):
    """trajectory_epochs: how long each fold's trajectory network trains
    (fewer only to test this script quickly)."""
    model = bundled_model(name)
    digits = load_pendigits(pen_path)
    numbers = {spacing: make_numbers(digits, count, spacing, seed) for spacing in SPACINGS}
    trajectories = fold_models(digits, epochs=trajectory_epochs)
    used = [i for ns in numbers.values() for n in ns for i in n[0]]
    singles, singles_with_trajectory = single_readings(model, digits, used, trajectories)

    def from_strokes(number):  # what the number pad does
        _, strokes, aspect = number
        voter = unseen_writers_network(number, digits, trajectories)
        return recognize_number_strokes(strokes, model, aspect=aspect, trajectory=voter).text

    def from_strokes_image_only(number):
        _, strokes, aspect = number
        return recognize_number_strokes(strokes, model, aspect=aspect, trajectory=None).text

    def from_pixels(number):
        _, strokes, aspect = number
        return recognize_number(pad_pixels(strokes, aspect), model).text

    # path: (how it reads a number, how the same digits read one by one)
    paths = {"strokes": (from_strokes, singles_with_trajectory),
             "strokes_image_only": (from_strokes_image_only, singles),
             "image": (from_pixels, singles)}
    result = {"model": name, "date": datetime.date.today().isoformat(), "seed": seed,
              "numbers_per_class": count, "lengths": list(LENGTHS), "digit_height": DIGIT_HEIGHT,
              "size_jitter": SIZE_JITTER, "baseline_jitter": BASELINE_JITTER,
              "spacings": {k: {"low": lo, "high": hi, "unit_pad_heights": unit}
                           for k, (lo, hi, unit) in SPACINGS.items()},
              "trajectory_folds": len(trajectories), "trajectory_epochs": trajectory_epochs,
              "classes": {}, "timing_ms": {}}
    for spacing, ns in numbers.items():
        truths = ["".join(str(digits[i].label) for i in n[0]) for n in ns]
        result["classes"][spacing] = {}
        for path, (read, single) in paths.items():
            read_singly = ["".join(str(single[i]) for i in n[0]) for n in ns]
            texts, times = read_all(ns, read)
            figures = score(texts, truths, read_singly)
            figures["target_whole_number"] = TARGETS[spacing]
            figures["mistakes"] = [{"truth": t, "read": r, "singly": s}
                                   for t, r, s in zip(truths, texts, read_singly) if r != t][:20]
            result["classes"][spacing][path] = figures
            timed = [ms for n, ms in zip(ns, times) if len(n[0]) == TIMED_LENGTH]
            result["timing_ms"].setdefault(path, []).extend(timed)
            progress(f"{spacing:>8} {path:>7}: " + line(figures))
    for path, times in result["timing_ms"].items():
        result["timing_ms"][path] = {"numbers": len(times), "digits": TIMED_LENGTH,
                                     "p50": float(np.median(times)), "p90": float(np.percentile(times, 90))}
    return result


def pct(x):
    return f"{100 * x:.1f}%"


def line(f):
    return (f"whole number {pct(f['whole_number'])} (target {pct(f['target_whole_number'])}), "
            f"per digit {pct(f['per_digit'])}, digit count right {pct(f['digit_count'])}; "
            f"the same digits singly {pct(f['single_digit'])}, whole numbers singly "
            f"{pct(f['whole_number_if_read_singly'])}; reads as singly {pct(f['same_as_singly'])}")


def print_report(result):
    print(f"\n{result['model']}: {result['numbers_per_class']} numbers per class, seed {result['seed']}")
    for spacing, paths in result["classes"].items():
        for path, figures in paths.items():
            print(f"{spacing:>8} {path:>7}: {line(figures)}")
    for path, t in result["timing_ms"].items():
        print(f"{path}: {t['digits']}-digit numbers, Python time p50 {t['p50']:.2f} ms, "
              f"p90 {t['p90']:.2f} ms ({t['numbers']} numbers)")


@threadpool_limits.wrap(limits=1)  # the browser's NumPy has one thread and no BLAS
def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m train.numbers_eval", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", choices=MODEL_NAMES, default="cnn")
    parser.add_argument("--numbers", type=int, default=NUMBERS, help="numbers per spacing class")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--pendigits", help="the pendigits-orig.tra file or its directory")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    result = evaluate(args.model, args.numbers, args.seed, args.pendigits)
    print_report(result)
    write_json(result, args.out or figures_path(bundled_weights_path(args.model), "numbers"))


if __name__ == "__main__":
    main()
