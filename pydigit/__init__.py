"""pydigit: recognise a hand-drawn digit with a small NumPy network.

    >>> from pydigit import recognize, recognize_strokes
    >>> recognize(image).digit                      # (H, W), ink high
    >>> recognize_strokes([[(0.3, 0.2), (0.7, 0.2), (0.45, 0.8)]]).digit   # points in 0..1 of the pad
    >>> mine = personalize(my_drawings, my_labels)   # a Model that knows your hand
    >>> recognize(image, model=mine).digit
    >>> recognize_number(image).text                 # "2024": digits on one line
    >>> explain(image, target=8).saliency            # why (not) an 8: (28, 28)

The same code runs in CPython and, through Pyodide, in the browser.
"""

from .explain import Explanation, explain
from .model import Model
from .number import NumberPrediction, recognize_number
from .personalize import personalize
from .preprocess import EmptyDrawing, Stages, preprocess, preprocess_stages
from .recognize import Prediction, recognize, recognize_strokes
from .weights_file import MODEL_NAMES, load_model, model_bytes, model_from_bytes, save_model

__version__ = "0.1.0"

__all__ = ["EmptyDrawing", "Explanation", "MODEL_NAMES", "Model", "NumberPrediction", "Prediction", "Stages",
           "explain", "load_model", "model_bytes", "model_from_bytes", "personalize", "preprocess", "preprocess_stages",
           "recognize", "recognize_number", "recognize_strokes", "save_model"]
