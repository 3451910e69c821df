"""What the site's Web Worker calls: raw canvas bytes in, plain data out.

Everything returned is a dict of Python numbers, lists and bytes, which
Pyodide converts to JavaScript objects, numbers, arrays and Uint8Arrays without
copying NumPy arrays element by element.
"""

import time

import numpy as np

from .preprocess import EmptyDrawing, preprocess_stages


def as_uint8_image(image):
    """(h, w) float32 in 0..1 -> dict(width, height, pixels bytes) for a canvas."""
    h, w = image.shape
    return {"width": w, "height": h,
            "pixels": (np.clip(image, 0, 1) * 255 + 0.5).astype(np.uint8).tobytes()}


def predict_pixels(pixels, width, height, model, with_stages=False):
    """pixels: bytes-like of width*height uint8 ink values (the canvas alpha
    channel, row by row); model: a ``Model`` (the worker keeps one per name).

    Returns dict(digit, probabilities, confidence, input28, ms, [stages]);
    digit is None and probabilities all zero when the drawing is empty.
    """
    started = time.perf_counter()
    if hasattr(pixels, "to_py"):  # a JsProxy of a Uint8Array, under Pyodide: no copy
        pixels = pixels.to_py()
    image = np.frombuffer(pixels, np.uint8).reshape(height, width)
    try:
        stages = preprocess_stages(image)
    except EmptyDrawing:
        return {"digit": None, "probabilities": [0.0] * 10, "confidence": 0.0,
                "input28": bytes(28 * 28), "ms": {"preprocess": 0.0, "forward": 0.0}}
    preprocessed = time.perf_counter()
    probabilities = model.predict_proba(stages.centred[None, :, :, None])[0]
    finished = time.perf_counter()
    digit = int(probabilities.argmax())
    result = {
        "digit": digit,
        "probabilities": probabilities.tolist(),
        "confidence": float(probabilities[digit]),
        "input28": as_uint8_image(stages.centred)["pixels"],
        "ms": {"preprocess": (preprocessed - started) * 1000,
               "forward": (finished - preprocessed) * 1000},
    }
    if with_stages:
        result["stages"] = {name: as_uint8_image(getattr(stages, name))
                            for name in ("cropped", "scaled", "centred")}
    return result
