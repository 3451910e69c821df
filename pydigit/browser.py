"""What the site's Web Worker calls: a drawing's ink bytes in, plain data out.

``predict_pixels`` checks what it is given, calls ``recognize`` and converts
its ``Prediction`` into a dict of Python numbers, lists and bytes, which
Pyodide hands to JavaScript as objects, numbers, arrays and Uint8Arrays
without copying NumPy arrays element by element. The fields are those of the
"prediction" message in the widget's protocol (widget/protocol.js).
"""

import numpy as np

from .model import Model
from .preprocess import FIELD, EmptyDrawing
from .recognize import recognize

STAGE_NAMES = ("cropped", "scaled", "centred")
# A drawing is rendered at a few hundred pixels a side: anything far larger
# is a mistake, and would cost the visitor's memory before failing anyway.
MAX_SIDE = 4096


def as_uint8_image(image):
    """(h, w) float32 in 0..1 -> dict(width, height, pixels bytes) for a canvas."""
    h, w = image.shape
    return {"width": w, "height": h,
            "pixels": (np.clip(image, 0, 1) * 255 + 0.5).astype(np.uint8).tobytes()}


def ink_image(pixels, width, height):
    """pixels: bytes-like of width*height uint8 ink values, row by row (a
    JsProxy of a Uint8Array under Pyodide) -> (height, width) uint8 view."""
    if hasattr(pixels, "to_py"):  # a JsProxy: its memory, without copying element by element
        pixels = pixels.to_py()
    if not all(isinstance(n, int) and 0 < n <= MAX_SIDE for n in (width, height)):
        raise ValueError(f"width and height must be whole numbers in 1..{MAX_SIDE}, "
                         f"got {width!r} x {height!r}")
    image = np.frombuffer(pixels, np.uint8)
    if image.size != width * height:
        raise ValueError(f"expected width * height = {width * height} ink values, got {image.size}")
    return image.reshape(height, width)


def predict_pixels(pixels, width, height, model, with_stages=False):
    """pixels, width, height: see ``ink_image``; model: a loaded ``Model``
    (the worker keeps one per name); with_stages: also return the
    preprocessing stages, as images.

    Returns dict(digit, probabilities, confidence, input28, ms, [stages]);
    digit is None and probabilities all zero when the drawing is empty.
    Raises ValueError for pixels that are not a width x height drawing.
    """
    if not isinstance(model, Model):
        raise ValueError(f"model must be a loaded pydigit Model, got {type(model).__name__}")
    image = ink_image(pixels, width, height)
    try:
        prediction = recognize(image, model=model)
    except EmptyDrawing:
        return {"digit": None, "probabilities": [0.0] * 10, "confidence": 0.0,
                "input28": bytes(FIELD * FIELD), "ms": {"preprocess": 0.0, "forward": 0.0}}
    result = {"digit": prediction.digit, "probabilities": prediction.probabilities.tolist(),
              "confidence": prediction.confidence,
              "input28": as_uint8_image(prediction.input28)["pixels"], "ms": prediction.timings}
    if with_stages:
        result["stages"] = {name: as_uint8_image(getattr(prediction.stages, name))
                            for name in STAGE_NAMES}
    return result
