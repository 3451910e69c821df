"""``recognize``: the one call the browser makes, drawing in, answer out."""

import time
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .model import INPUT_SHAPE, Model
from .preprocess import EmptyDrawing, Stages, preprocess_stages
from .strokes import render_ink
from .weights_file import load_model


@dataclass
class Prediction:
    """digit: the most probable class; probabilities: (10,) float32, summing
    to 1; confidence: probabilities[digit]; input28: (28, 28) float32, what
    the network saw; stages: the preprocessing steps that made it; timings:
    milliseconds spent in ``preprocess`` and in the ``forward`` pass (and,
    from strokes, in ``render``)."""

    digit: int
    probabilities: np.ndarray
    confidence: float
    input28: np.ndarray
    stages: Stages
    timings: dict


@lru_cache(maxsize=None)
def bundled_model(name):
    """A bundled model, loaded once per process: weights never change at run time."""
    return load_model(name)


def network_reading(model, input_shape, what):
    """model: a bundled name or a loaded ``Model`` -> that Model, if it reads
    inputs of ``input_shape`` (one sample's); else a ValueError saying it
    must read ``what``."""
    if not isinstance(model, Model):
        model = bundled_model(model)
    if model.input_shape != tuple(input_shape):
        raise ValueError(f"that network reads inputs of shape {model.input_shape}, not {what}")
    return model


def recognize(image, model="cnn"):
    """image: (H, W) drawing, ink high, 0..255 or 0..1; model: a bundled name
    (``"cnn"``, ``"mlp"``) or a loaded ``Model`` -> ``Prediction``.

    Raises ``EmptyDrawing`` when there is nothing to recognise, ValueError for
    an image that is not a 2-D drawing, an unknown model name or a network
    that does not read images.
    """
    model = network_reading(model, INPUT_SHAPE, "a 28x28 image")
    started = time.perf_counter()
    stages = preprocess_stages(image)
    preprocessed = time.perf_counter()
    probabilities = model.predict_proba(stages.centred[None, :, :, None])[0]
    finished = time.perf_counter()
    digit = int(probabilities.argmax())
    return Prediction(digit=digit, probabilities=probabilities,
                      confidence=float(probabilities[digit]), input28=stages.centred,
                      stages=stages, timings={"preprocess": (preprocessed - started) * 1000,
                                              "forward": (finished - preprocessed) * 1000})


def recognize_strokes(strokes, model="cnn"):
    """strokes: the drawing as the pad records it, a list of strokes, each a
    sequence of (x, y) in 0..1 of the pad's side (see ``pydigit.strokes``);
    model: as for ``recognize`` -> ``Prediction``.

    The strokes are rendered with the pad's pen (``pydigit.pen``) straight
    at the resolution the network needs (``strokes.render_ink``), then
    recognised as that image.
    Raises ``EmptyDrawing`` when no ink lands on the pad, ValueError for
    strokes that are not a drawing (see ``strokes.checked_strokes``).
    """
    started = time.perf_counter()
    ink = render_ink(strokes)
    rendered = time.perf_counter()
    if ink.size == 0:
        raise EmptyDrawing("the drawing is empty: draw a digit first")
    prediction = recognize(ink, model)
    prediction.timings = {"render": (rendered - started) * 1000, **prediction.timings}
    return prediction
