"""The same predictions in CPython on this machine: the reference the
browser's figures are divided by.

Timed through ``pydigit.browser.predict_strokes``, the function the worker
calls, on the very strokes the page sent the worker for each drawing's final
answer (latency.py's ``sent``): the same render/preprocess/forward split,
measured the same way (time.perf_counter), on the same input, so that the
two give the same answers. NumPy is held to one BLAS thread
(bench/__main__.py), as the browser's NumPy has one thread and no BLAS.
"""

import time

import numpy as np

from pydigit.browser import predict_strokes

from . import stats

WARMUP = 10
STEPS = ("render", "preprocess", "forward")


def as_sent(sent):
    """{points, lengths} as lists (probe.js) -> (points float64, lengths
    uint32): the typed arrays the worker receives."""
    return np.asarray(sent["points"], np.float64), np.asarray(sent["lengths"], np.uint32)


def time_recognize(model, sent):
    """model: a pydigit Model; sent: per drawing {points, lengths}, what the
    worker was sent -> per drawing {digit, render, preprocess, forward,
    total} (ms)."""
    requests = [as_sent(s) for s in sent]
    for points, lengths in requests[:WARMUP]:
        predict_strokes(points, lengths, model)
    rows = []
    for points, lengths in requests:
        started = time.perf_counter()
        answer = predict_strokes(points, lengths, model)
        total = (time.perf_counter() - started) * 1000
        rows.append({"digit": answer["digit"], **{step: answer["ms"][step] for step in STEPS}, "total": total})
    return rows


def summarize_recognize(rows, labels):
    """rows from time_recognize; labels: the drawings' true digits."""
    return {**{key: stats.summarize([r[key] for r in rows]) for key in (*STEPS, "total")},
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
