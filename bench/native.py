"""The same recognize calls in CPython on this machine, on the same drawings:
the reference the browser's figures are divided by.

Timed through ``pydigit.browser.predict_pixels``, the function the worker
calls (``recognize``'s steps: preprocess_stages, then predict_proba): the
same preprocess/forward split, measured the same way (time.perf_counter).
NumPy is held to one BLAS thread (bench/__main__.py), as the browser's NumPy
has one thread and no BLAS.
"""

import time

import numpy as np

from pydigit import pen
from pydigit.browser import predict_pixels

from . import stats
from .drawings import canvas_pixels

WARMUP = 10


def time_recognize(model, drawings):
    """model: a pydigit Model; drawings: list of Drawing -> per drawing
    {digit, preprocess, forward, total} (ms)."""
    canvases = [canvas_pixels(d).tobytes() for d in drawings]
    side = pen.CANVAS_SIZE
    for pixels in canvases[:WARMUP]:
        predict_pixels(pixels, side, side, model)
    rows = []
    for pixels in canvases:
        started = time.perf_counter()
        answer = predict_pixels(pixels, side, side, model)
        total = (time.perf_counter() - started) * 1000
        rows.append({"digit": answer["digit"], "preprocess": answer["ms"]["preprocess"],
                     "forward": answer["ms"]["forward"], "total": total})
    return rows


def summarize_recognize(rows, labels):
    """rows from time_recognize; labels: the drawings' true digits."""
    return {**{key: stats.summarize([r[key] for r in rows]) for key in ("preprocess", "forward", "total")},
            "accuracy": sum(r["digit"] == label for r, label in zip(rows, labels)) / len(rows)}


def time_forward(model, inputs):
    """model: a pydigit Model; inputs: (N, 28, 28) float32 -> (summary in ms,
    probabilities (N, 10) float32): predict_proba one image at a time."""
    x = inputs[:, :, :, None]
    for i in range(min(WARMUP, len(x))):
        model.predict_proba(x[i:i + 1])
    ms, probabilities = [], []
    for i in range(len(x)):
        started = time.perf_counter()
        probabilities.append(model.predict_proba(x[i:i + 1])[0])
        ms.append((time.perf_counter() - started) * 1000)
    return stats.summarize(ms), np.stack(probabilities)
