"""``explain``: what the network computed for one drawing, layer by layer, and
which pixels its score for a digit depends on.

    >>> e = explain(image)                      # (H, W) drawing, ink high
    >>> e.digit, e.activations["conv1"].shape   # 3, (28, 28, 16)
    >>> explain(image, target=8).saliency       # "why not an 8?": (28, 28) float32
    >>> e.compact()                             # plain values for the page's worker

``explain_strokes`` takes the pad's strokes, ``explain_input28`` the
network's 28x28 input itself.

Activations are named after their layer's kind and its rank among the
layers of that kind, counted from 1: the bundled CNN's are conv1, relu1,
pool1, conv2, relu2, pool2, conv3, relu3, pool3, flatten1, dense1, relu4,
dense2 (the logits); the MLP's flatten1, dense1, relu1, dense2, relu2, dense3.
Each is the layer's whole output (at inference ``Model.forward`` skips
what a pool drops), computed with inference's own arithmetic: the logits are
recognize's, to the bit.

The saliency is the plain gradient d logit[target] / d input28, through the
layers' own ``backward``: how fast the target's score (before softmax) rises
as ink is added to each pixel of the network's 28x28 input, negative where ink
lowers it. Gradient x input, ``gradient_x_input``, is that times the input:
to first order, what the ink actually on each pixel adds to (or takes from)
the score, taking the blank page as the start. Where the visitor drew nothing
it is zero, so it answers "which of my strokes made it a 3?"; the saliency
also shows where ink *missing* would count, which answers "why not an 8?".
On the blank background a max pool often sees a tie, where the gradient is
not defined: backward shares it among the tied inputs (a subgradient).
"""

import copy
import time
from dataclasses import dataclass

import numpy as np

from .layers import BatchNorm2D, Conv2D, Dropout
from .losses import softmax
from .model import Model
from .preprocess import EmptyDrawing, Stages, preprocess_stages
from .recognize import bundled_model
from .strokes import render_ink
from .weights_file import NUM_CLASSES

SHORT_NAMES = {"Conv2D": "conv", "MaxPool2D": "pool"}  # the others: the class name, lower case


@dataclass
class Explanation:
    """digit: the answer; target: the digit explained (the answer unless
    asked otherwise); probabilities: (10,) float32; input28: (28, 28) float32
    in 0..1, what the network saw; activations: layer name -> one layer's
    output for this drawing, in the layers' order: (H, W, C) float32 feature
    maps up to the last pool, (D,) float32 vectors from flatten1 on, the
    last one the logits;
    saliency: (28, 28) float32, d logit[target] / d input28; gradient_x_input:
    (28, 28) float32, saliency * input28; timings: milliseconds spent in
    ``forward`` and ``backward`` (and, from a drawing, in ``preprocess``,
    from strokes in ``render``); stages: from a drawing, the preprocessing
    ``Stages`` that made input28 (as a ``Prediction`` has them), else None;
    ink: from strokes, the drawing as rendered (``render_ink``, (H, W)
    float32 in 0..1), else None."""

    digit: int
    target: int
    probabilities: np.ndarray
    input28: np.ndarray
    activations: dict
    saliency: np.ndarray
    gradient_x_input: np.ndarray
    timings: dict
    stages: Stages = None
    ink: np.ndarray = None

    def compact(self):
        """The explanation as few, plain values for a worker to post in one
        message: numbers, lists, and four bytes objects (Uint8Arrays in
        JavaScript, whose buffers the worker can transfer rather than copy).

        -> dict(digit, target, probabilities: 10 floats, input28: 784 bytes,
        0..255 row by row; saliency, gradient_x_input: 784 float32 each,
        little-endian bytes, row by row; activations: every layer's output as
        little-endian float32s, layer after layer, each as computed (a map
        row by row, its channels side by side in each pixel); layers: one
        dict per layer, in order, with name, kind ("map" or "vector"), shape
        ([H, W, C] or [D]) and offset (the float32 it starts at); ms: the
        timings).

        The page scales the values for its pictures: scaling here, layer by
        layer, cost Pyodide more than all the rest of this (its smallest
        and largest value, then bytes, each a NumPy call per layer).
        """
        layers, offset = [], 0
        for name, values in self.activations.items():
            layers.append({"name": name, "kind": "map" if values.ndim == 3 else "vector",
                           "shape": list(values.shape), "offset": offset})
            offset += values.size
        activations = np.concatenate([values.ravel() for values in self.activations.values()])
        return {"digit": self.digit, "target": self.target,
                "probabilities": self.probabilities.tolist(),
                "input28": as_uint8(np.clip(self.input28, 0, 1), 0.0, 1.0).tobytes(),
                "saliency": self.saliency.astype("<f4").tobytes(),
                "gradient_x_input": self.gradient_x_input.astype("<f4").tobytes(),
                "activations": activations.astype("<f4", copy=False).tobytes(), "layers": layers, "ms": self.timings}


def as_uint8(values, low, high):
    """values: float array, all in low..high -> uint8 array of the same shape,
    low -> 0, high -> 255, rounded to nearest."""
    scaled = values - np.float32(low)  # a new array, scaled in place: the fewest passes
    scaled *= np.float32(255 / (high - low) if high > low else 0)
    scaled += np.float32(0.5)
    return scaled.astype(np.uint8)


def explain(image, model="cnn", target=None):
    """image: (H, W) drawing, ink high, 0..255 or 0..1; model: a bundled name
    (``"cnn"``, ``"mlp"``) or a loaded ``Model``; target: the digit 0..9 to
    explain, None for the answer -> ``Explanation``.

    Preprocessed as ``recognize`` does it. Raises ``EmptyDrawing`` when there
    is nothing to recognise, ValueError for a target that is not a digit, an
    image that is not a 2-D drawing or an unknown model name.
    """
    checked_target(target)
    started = time.perf_counter()
    stages = preprocess_stages(image)
    preprocessed = time.perf_counter()
    explanation = explain_input28(stages.centred, model, target)
    explanation.timings = {"preprocess": (preprocessed - started) * 1000, **explanation.timings}
    explanation.stages = stages
    return explanation


def explain_strokes(strokes, model="cnn", target=None):
    """strokes: the drawing as the pad records it (see
    ``recognize_strokes``); model, target: as for ``explain`` ->
    ``Explanation``, of the image ``recognize_strokes`` would recognise.

    Raises ``EmptyDrawing`` when no ink lands on the pad, ValueError for a
    target that is not a digit or strokes that are not a drawing.
    """
    checked_target(target)
    started = time.perf_counter()
    ink = render_ink(strokes)
    rendered = time.perf_counter()
    if ink.size == 0:
        raise EmptyDrawing("the drawing is empty: draw a digit first")
    explanation = explain(ink, model, target)
    explanation.timings = {"render": (rendered - started) * 1000, **explanation.timings}
    explanation.ink = ink
    return explanation


def explain_input28(input28, model="cnn", target=None):
    """input28: (28, 28) float32 in 0..1, the network's input (a ``Prediction``'s
    ``input28``, a preprocessed drawing); model, target: as for ``explain``
    -> ``Explanation``.

    A forward pass, then a backward pass from the target's logit to the
    input. A model still in training form is explained as it runs at
    inference: BatchNorm folded, Dropout gone.
    """
    target = checked_target(target)
    if not isinstance(model, Model):
        model = bundled_model(model)
    if any(isinstance(layer, (BatchNorm2D, Dropout)) for layer in model.layers):
        model = model.for_inference()  # with training=True they would use batch statistics, drop units
    input28 = np.asarray(input28, np.float32)
    if input28.shape != (28, 28):
        raise ValueError(f"input28 must be a (28, 28) image, got shape {input28.shape}")
    std = np.float32(model.input_std)
    x = ((input28 - np.float32(model.input_mean)) / std)[None, :, :, None]

    started = time.perf_counter()
    # keep=True: inference's arithmetic (the very logits recognize gets), and
    # what backward needs, kept on copies that share the parameters: the
    # model (bundled ones are shared) is left as it was.
    layers = [copy.copy(layer) for layer in model.layers]
    for layer in layers:
        if isinstance(layer, Conv2D):
            layer.feeds_pool = False  # show each map whole, the row and column a pool drops too
    activations = {}
    for name, layer in zip(layer_names(layers), layers):
        x = layer.forward(x, keep=True)
        activations[name] = x[0]
    logits = x
    forwarded = time.perf_counter()
    digit = int(logits[0].argmax())
    target = digit if target is None else target
    grad = np.zeros_like(logits)
    grad[0, target] = 1
    for layer in reversed(layers):
        grad = layer.backward(grad, param_grads=False)
    saliency = (grad[0, :, :, 0] / std).astype(np.float32)  # back through the input's normalisation
    finished = time.perf_counter()

    return Explanation(digit=digit, target=target, probabilities=softmax(logits)[0],
                       input28=input28, activations=activations,
                       saliency=saliency, gradient_x_input=saliency * input28,
                       timings={"forward": (forwarded - started) * 1000,
                                "backward": (finished - forwarded) * 1000})


def layer_names(layers):
    """Each layer's name: its kind and its rank among the layers of that kind,
    from 1 (conv1, relu1, pool1, ..., dense2)."""
    names, counts = [], {}
    for layer in layers:
        kind = type(layer).__name__
        kind = SHORT_NAMES.get(kind, kind.lower())
        counts[kind] = counts.get(kind, 0) + 1
        names.append(f"{kind}{counts[kind]}")
    return names


def checked_target(target):
    """target: None or a digit 0..9 (a Python or NumPy int) -> None or an int;
    ValueError for anything else."""
    if target is None:
        return None
    if isinstance(target, (int, np.integer)) and not isinstance(target, bool) \
            and 0 <= target < NUM_CLASSES:
        return int(target)
    raise ValueError(f"target must be a digit from 0 to {NUM_CLASSES - 1} (or None for the "
                     f"network's answer), got {target!r}")
