"""``recognize``: the one call the browser makes, drawing in, answer out."""

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .model import Model
from .preprocess import Stages, preprocess_stages
from .weights_file import load_model


@dataclass
class Prediction:
    """digit: the most probable class; probabilities: (10,) float32, summing
    to 1; confidence: probabilities[digit]; input28: (28, 28) float32, what
    the network saw; stages: the preprocessing steps that made it."""

    digit: int
    probabilities: np.ndarray
    confidence: float
    input28: np.ndarray
    stages: Stages


@lru_cache(maxsize=None)
def bundled_model(name):
    """A bundled model, loaded once per process: weights never change at run time."""
    return load_model(name)


def recognize(image, model="cnn"):
    """image: (H, W) drawing, ink high, 0..255 or 0..1; model: a bundled name
    (``"cnn"``, ``"mlp"``) or a loaded ``Model`` -> ``Prediction``.

    Raises ``EmptyDrawing`` when there is nothing to recognise.
    """
    if not isinstance(model, Model):
        model = bundled_model(model)
    stages = preprocess_stages(image)
    probabilities = model.predict_proba(stages.centred[None, :, :, None])[0]
    digit = int(probabilities.argmax())
    return Prediction(digit=digit, probabilities=probabilities,
                      confidence=float(probabilities[digit]),
                      input28=stages.centred, stages=stages)
