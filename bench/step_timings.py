"""Where one prediction's time goes, step by step. The same source runs in
CPython (``python -m bench.profile``) and, sent as a file, under Pyodide in a
worker (pages/profile-worker.js): only pydigit and NumPy are imported.

It retraces ``preprocess_stages`` and ``Model.predict_proba`` step by step
(so it follows their internals: update it when they change).
"""

import statistics
import time

import numpy as np

from pydigit.losses import softmax
from pydigit.preprocess import (BOX, as_ink, bounding_box, ink_levels, place_by_centre_of_mass,
                                scale_to_box)

WARMUP_PASSES = 3  # V8 optimises hot WebAssembly in the background: time the optimised code


def step_times(model, canvases):
    """model: a pydigit Model; canvases: (N, H, W) uint8 drawings ->
    [(step, median ms)] over the N drawings, preprocessing steps first, then
    the input normalisation, each layer and the softmax."""
    for _ in range(WARMUP_PASSES):
        for canvas in canvases:
            model.predict_proba(place_by_centre_of_mass(_crop_scale(canvas))[None, :, :, None])
    names = (["ink_levels (check the canvas)", "bounding_box (on uint8)",
              f"crop -> float32 0..1 + scale_to_box ({BOX} px)", "place_by_centre_of_mass",
              "normalise input"]
             + [f"layer {i}: {layer!r}"[:60] for i, layer in enumerate(model.layers)] + ["softmax"])
    times = {name: [] for name in names}
    clock = time.perf_counter
    for canvas in canvases:
        marks = [clock()]
        levels, full = ink_levels(canvas)
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
        softmax(x)
        marks.append(clock())
        for name, start, end in zip(names, marks, marks[1:]):
            times[name].append((end - start) * 1000)
    # statistics, not np.median: the site's slimmed NumPy has no numpy.ma, which np.median needs.
    return [(name, statistics.median(values)) for name, values in times.items()]


def _crop_scale(canvas):
    levels, full = ink_levels(canvas)
    top, bottom, left, right = bounding_box(levels, full)
    return scale_to_box(as_ink(levels[top:bottom, left:right], full))
