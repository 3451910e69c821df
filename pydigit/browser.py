"""What the site's Web Worker calls: a drawing in, plain data out.

``predict_strokes`` (what the widget sends: its strokes) checks what it is
given, calls ``recognize_strokes`` and converts the ``Prediction`` into
a dict of Python numbers, lists and bytes, which Pyodide hands to JavaScript
as objects, numbers, arrays and Uint8Arrays without copying NumPy arrays
element by element. The fields are those of the "prediction" message in the
widget's protocol (widget/protocol.js). ``predict_number_strokes`` does the
same for a number pad's strokes (``recognize_number_strokes``): the
"number-prediction" message's fields.

``Teaching`` (the visitor's examples in, a personalized model out, one small
step per call), ``score_examples`` and ``personal_model`` serve "teach".
Examples travel as the strokes of several drawings at once: points and
lengths as for one drawing, plus ``counts``, the number of strokes of each
drawing, and ``labels``, its digit.
"""

import numpy as np

from .components import TooManyMarks
from .explain import explain_strokes
from .model import Model, head_of
from .number import DigitMemo, recognize_number_strokes  # the worker keeps a DigitMemo per model
from .personalize import personalize_steps
from .preprocess import FIELD, EmptyDrawing
from .recognize import recognize, recognize_strokes
from .strokes import render_ink
from .weights_file import model_bytes, model_from_bytes

STAGE_NAMES = ("cropped", "scaled", "centred")
def as_uint8_image(image):
    """(h, w) float32 in 0..1 -> dict(width, height, pixels bytes) for a canvas."""
    h, w = image.shape
    return {"width": w, "height": h,
            "pixels": (np.clip(image, 0, 1) * 255 + 0.5).astype(np.uint8).tobytes()}


def as_numbers(values, dtype, name):
    """A Float64Array / Uint32Array (a JsProxy under Pyodide), bytes-like or
    sequence of numbers -> a 1-D array of ``dtype``."""
    if hasattr(values, "to_py"):  # a JsProxy: a typed array's memory, or a list
        values = values.to_py()
    try:
        array = np.asarray(values, dtype)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers, got {type(values).__name__}") from None
    if array.ndim != 1:
        raise ValueError(f"{name} must be a flat list of numbers, got shape {array.shape}")
    return array


def split_strokes(points, lengths):
    """points: x0, y0, x1, y1, ... of every stroke, one after the other;
    lengths: the number of points of each stroke -> list of (k, 2) arrays."""
    points, lengths = as_numbers(points, np.float64, "points"), as_numbers(lengths, np.float64, "lengths")
    if (lengths < 1).any() or (lengths != np.round(lengths)).any():
        raise ValueError("every stroke needs a whole number of points, at least one")
    if 2 * lengths.sum() != len(points):
        raise ValueError(f"the strokes' lengths add up to {int(lengths.sum())} points, "
                         f"but {len(points) / 2:g} were sent")
    ends = np.cumsum(lengths.astype(np.int64))
    return np.split(points.reshape(-1, 2), ends[:-1]) if len(ends) else []


def predict_strokes(points, lengths, model, with_stages=False):
    """The worker's "predict": points and lengths, see ``split_strokes``, in
    0..1 of the pad (``pydigit.strokes``); model: a loaded ``Model`` (the
    worker keeps one per name); with_stages: also return the preprocessing
    stages, as images.

    Returns dict(digit, probabilities, confidence, input28, ms, [stages]);
    digit is None and probabilities all zero when no ink lands on the pad.
    Raises ValueError for anything that is not a drawing.
    """
    strokes = split_strokes(points, lengths)
    if not isinstance(model, Model):
        raise ValueError(f"model must be a loaded pydigit Model, got {type(model).__name__}")
    try:
        prediction = recognize_strokes(strokes, model=model)
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


def predict_number_strokes(points, lengths, model, aspect, memo=None, trajectory=None):
    """The worker's "predict-number": points and lengths, see
    ``split_strokes``, in pad HEIGHTS (y in 0..1 down, x in 0..aspect
    right); model: a loaded ``Model``; aspect: the pad's width / height;
    memo: a ``DigitMemo`` the worker keeps per model, so that while a number
    is drawn only the digit that changed is read again; trajectory: the
    loaded trajectory network, which votes on each digit from how it was
    written, or None (its weights could not be loaded) for the image
    network alone.

    Returns dict(text, digits, boxes, ms): text, the number read ("" when no
    ink lands on the pad); digits, per digit left to right, dict(digit,
    probabilities (10 floats), confidence); boxes, per digit, [x0, y0, x1,
    y1] of its ink in pad heights, for drawing over the pad; ms, the
    milliseconds of each of ``NumberPrediction.timings``' steps. A drawing
    with more marks than a number has (a scribble) is answered like an
    empty one, with problem: what is wrong, in words.
    Raises ValueError for anything that is not a drawing.
    """
    strokes = split_strokes(points, lengths)
    if not isinstance(model, Model):
        raise ValueError(f"model must be a loaded pydigit Model, got {type(model).__name__}")
    if trajectory is not None and not isinstance(trajectory, Model):
        raise ValueError(f"trajectory must be a loaded pydigit Model or None, got {type(trajectory).__name__}")
    if isinstance(aspect, bool) or not isinstance(aspect, (int, float)):
        raise ValueError(f"aspect must be the pad's width / height, a number, got {type(aspect).__name__}")
    try:
        number = recognize_number_strokes(strokes, model=model, aspect=aspect, memo=memo, trajectory=trajectory)
    except EmptyDrawing:
        return {"text": "", "digits": [], "boxes": [], "ms": {}}
    except TooManyMarks as error:
        return {"text": "", "digits": [], "boxes": [], "ms": {}, "problem": f"Not a number: {error}."}
    return {"text": number.text,
            "digits": [{"digit": p.digit, "probabilities": p.probabilities.tolist(),
                        "confidence": p.confidence} for p in number.digits],
            "boxes": [[float(left), float(top), float(right), float(bottom)]
                      for top, bottom, left, right in number.boxes],
            "ms": dict(number.timings)}


def split_examples(points, lengths, counts, labels):
    """Several drawings' strokes -> (list of drawings, each a list of (k, 2)
    strokes; list of int labels). ValueError when the parts disagree."""
    strokes = split_strokes(points, lengths)
    counts, labels = as_numbers(counts, np.float64, "counts"), as_numbers(labels, np.float64, "labels")
    if (counts < 1).any() or (counts != np.round(counts)).any():
        raise ValueError("every example needs a whole number of strokes, at least one")
    if counts.sum() != len(strokes):
        raise ValueError(f"the examples' stroke counts add up to {int(counts.sum())}, "
                         f"but {len(strokes)} strokes were sent")
    if len(labels) != len(counts):
        raise ValueError(f"{len(counts)} examples but {len(labels)} labels")
    if (labels != np.round(labels)).any():
        raise ValueError("labels must be the digits 0 to 9")
    ends = np.cumsum(counts.astype(np.int64))
    drawings = [strokes[a:b] for a, b in zip(np.concatenate([[0], ends[:-1]]), ends)]
    return drawings, [int(label) for label in labels]


def example_images(drawings):
    """Drawings (lists of strokes) -> their ink images, rendered as for a
    prediction. ValueError naming the first one without ink."""
    images = []
    for i, drawing in enumerate(drawings):
        ink = render_ink(drawing)
        if ink.size == 0:
            raise ValueError(f"example {i} is empty: it has no ink on the pad")
        images.append(ink)
    return images


class Teaching:
    """The worker's "teach": personalize ``model`` with the examples (see the
    module's docstring) a step at a time, so that the worker answers other
    requests in between. ValueError at once for examples that cannot teach.

    step() -> dict(done, total, finished); once finished, ``model`` is the
    personalized ``Model`` and ``weights()`` its weights file as bytes.
    """

    def __init__(self, points, lengths, counts, labels, model, seed=0):
        drawings, labels = split_examples(points, lengths, counts, labels)
        self._steps = personalize_steps(example_images(drawings), labels, model, seed=seed)
        self.done, self.total, self.model = 0, None, None

    def step(self):
        try:
            self.done, self.total = next(self._steps)
        except StopIteration as finished:
            self.model = finished.value
            self.done = self.total = self.total or 0
        return {"done": self.done, "total": self.total, "finished": self.model is not None}

    def weights(self):
        return model_bytes(self.model)


def score_examples(points, lengths, counts, labels, model):
    """How well ``model`` reads the examples -> dict(correct, total, digits:
    the answer for each example)."""
    drawings, labels = split_examples(points, lengths, counts, labels)
    digits = [recognize(image, model).digit for image in example_images(drawings)]
    return {"correct": sum(d == label for d, label in zip(digits, labels)),
            "total": len(labels), "digits": digits}


def personal_model(data, base, source="the stored model"):
    """data: the bytes of a personalized weights file (a JsProxy of a
    Uint8Array under Pyodide), as stored or imported; base: the loaded
    bundled model it must come from; source: what to call it in messages
    -> (Model, its meta["personalized"]). ValueError for anything else: not
    a weights file, not personalized, or personalized from another network."""
    if hasattr(data, "to_py"):
        data = data.to_py()
    model = model_from_bytes(bytes(data), source=source)
    personalized = model.meta.get("personalized")
    if not isinstance(personalized, dict):
        raise ValueError(f"{source} is not a personalized pydigit model")
    if not same_network(model, base):
        raise ValueError(f"{source} was personalized from another network "
                         f"than the bundled {base.meta.get('name')!r}")
    return model, personalized


def same_network(personalized, base):
    """Whether ``personalized`` is ``base``'s network: the same layers, all
    configured alike but for the head's hidden width, which personalizing
    widens (``pydigit.personalize``)."""
    mine, theirs = head_of(personalized.layers), head_of(base.layers)
    if mine is None or theirs is None or len(personalized.layers) != len(base.layers):
        return False
    frozen = [[(type(layer).__name__, layer.config()) for layer in m.layers[:-3]] for m in (personalized, base)]
    return frozen[0] == frozen[1] and mine[0].in_features == theirs[0].in_features \
        and mine[2].out_features == theirs[2].out_features


def explain_strokes_for_page(points, lengths, model, target=None, with_stages=False):
    """The worker's "predict" of a pad that shows its layers: the answer as
    ``predict_strokes`` gives it, from ``pydigit.explain.explain_strokes``
    (whose forward pass gives the answer too), plus ``explanation``: the
    rest of ``Explanation.compact()`` (target, saliency, gradient_x_input,
    maps, vectors, layers); target: the digit to explain, None for the
    answer; with_stages: also the stages, as ``predict_strokes``' after
    "ink", the strokes as rendered (``render_ink``).

    Returns dict(digit, probabilities, confidence, input28, ms, explanation,
    [stages]); no ink on the pad: ``predict_strokes``' empty answer, with no
    explanation. Raises ValueError for anything that is not a drawing, and
    explain's for a target that is not a digit.
    """
    strokes = split_strokes(points, lengths)
    if not isinstance(model, Model):
        raise ValueError(f"model must be a loaded pydigit Model, got {type(model).__name__}")
    try:
        full = explain_strokes(strokes, model, target)
    except EmptyDrawing:
        return predict_strokes(points, lengths, model)
    explanation = full.compact()
    digit, probabilities = explanation.pop("digit"), explanation.pop("probabilities")
    result = {"digit": digit, "probabilities": probabilities, "confidence": probabilities[digit],
              "input28": explanation.pop("input28"), "explanation": explanation,
              "ms": explanation.pop("ms")}
    if with_stages:
        result["stages"] = {"ink": as_uint8_image(full.ink),
                            **{name: as_uint8_image(getattr(full.stages, name)) for name in STAGE_NAMES}}
    return result
