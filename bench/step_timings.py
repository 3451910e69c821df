"""Where one prediction's time goes, step by step, from the strokes the
worker receives. The same source runs in CPython (``python -m
bench.profile``) and, sent as a file, under Pyodide in a worker
(pages/profile-worker.js): only pydigit and NumPy are imported.

It retraces ``pydigit.browser.predict_strokes`` step by step
(``split_strokes``, ``render_ink``, ``preprocess_stages``,
``Model.predict_proba``), so it follows their internals: update it when they
change. The strokes come from a file as NumPy arrays, where the worker gets
typed arrays (JsProxy): the typed arrays' conversion is not in these steps.
"""

import statistics
import time

import numpy as np

from pydigit import pen
from pydigit.browser import predict_strokes, split_strokes
from pydigit.losses import softmax
from pydigit.preprocess import BOX, as_ink, bounding_box, ink_levels, place_by_centre_of_mass, scale_to_box
from pydigit.strokes import render_ink

WARMUP_PASSES = 3  # V8 optimises hot WebAssembly in the background: time the optimised code


def save_strokes(path, requests):
    """requests: per drawing (points (2k,) float64, lengths (s,) uint32), as
    the "predict" message has them -> an .npz at path (points0, lengths0, ...)."""
    np.savez(path, **{f"{name}{i}": array for i, request in enumerate(requests)
                      for name, array in zip(("points", "lengths"), request)})


def load_strokes(path):
    """An .npz from save_strokes -> [(points float64, lengths uint32)], in order."""
    with np.load(path) as arrays:
        return [(arrays[f"points{i}"], arrays[f"lengths{i}"]) for i in range(len(arrays.files) // 2)]


def step_times(model, requests):
    """model: a pydigit Model; requests: from load_strokes ->
    [(step, median ms)] over the drawings: the strokes split and rendered,
    the preprocessing steps on the ink, then the input normalisation, each
    layer and the softmax."""
    for _ in range(WARMUP_PASSES):
        for points, lengths in requests:
            predict_strokes(points, lengths, model)
    names = (["split_strokes (flat arrays -> strokes)", f"render_ink ({pen.INK_BOX} px box)",
              "ink_levels (check the ink)", "bounding_box", f"crop + scale_to_box ({BOX} px)",
              "place_by_centre_of_mass", "normalise input"]
             + [f"layer {i}: {layer!r}"[:60] for i, layer in enumerate(model.layers)] + ["softmax"])
    times = {name: [] for name in names}
    clock = time.perf_counter
    for points, lengths in requests:
        marks = [clock()]
        strokes = split_strokes(points, lengths)
        marks.append(clock())
        ink = render_ink(strokes)
        marks.append(clock())
        levels, full = ink_levels(ink)
        marks.append(clock())
        top, bottom, left, right = bounding_box(levels, full)
        marks.append(clock())
        scaled = scale_to_box(as_ink(levels[top:bottom, left:right], full))
        marks.append(clock())
        x = place_by_centre_of_mass(scaled)[None, :, :, None]
        marks.append(clock())
        x = (np.asarray(x, np.float32) - np.float32(model.input_mean)) / np.float32(model.input_std)
        marks.append(clock())
        for layer in model.layers:
            x = layer.forward(x)
            marks.append(clock())
        probabilities = softmax(x)
        marks.append(clock())
        for name, start, end in zip(names, marks, marks[1:]):
            times[name].append((end - start) * 1000)
        check_retraced(probabilities[0], predict_strokes(points, lengths, model)["probabilities"])
    # statistics, not np.median: the site's slimmed NumPy has no numpy.ma, which np.median needs.
    return [(name, statistics.median(values)) for name, values in times.items()]


def check_retraced(probabilities, expected):
    """The steps above must compute what predict_strokes computes: raise when
    they no longer do (its internals changed)."""
    if not np.allclose(probabilities, expected, atol=1e-6):
        raise AssertionError("bench/step_timings.py no longer retraces pydigit.browser.predict_strokes: "
                             "update its steps")
