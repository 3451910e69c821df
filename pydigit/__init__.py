"""pydigit: recognise a hand-drawn digit with a small NumPy network.

    >>> from pydigit import recognize
    >>> recognize(canvas_pixels).digit

The same code runs in CPython and, through Pyodide, in the browser.
"""

from .model import Model
from .preprocess import EmptyDrawing, Stages, preprocess, preprocess_stages
from .recognize import Prediction, recognize
from .weights_file import MODEL_NAMES, load_model, model_from_bytes

__version__ = "0.1.0"

__all__ = ["EmptyDrawing", "MODEL_NAMES", "Model", "Prediction", "Stages", "load_model",
           "model_from_bytes", "preprocess", "preprocess_stages", "recognize"]
