"""``personalize``: teach a model one person's handwriting from a few drawings.

What learns is the model's last layer only (the ``Dense`` that turns the
penultimate features into ten scores, 1 290 numbers in the CNN); every layer
before it keeps what MNIST taught it. Those features are computed once per
drawing and per distorted copy, so each training step is a small matrix
product: fast enough for Pyodide, whose NumPy has no BLAS. Three things keep
the new layer from forgetting what the bundled one knew:

- the model's anchors (``Model.anchors``, see ``train/anchors.py``): feature
  vectors that summarise each digit of the training set. On them the new
  layer is trained to give the bundled layer's answers, so it only moves
  where the visitor's drawings need it to;
- each drawing is seen in ``COPIES`` randomly distorted versions (the
  training's own ``pydigit.augment``), so the layer learns the writer's
  style, not the exact pixels of a few drawings;
- each parameter is pulled back toward its bundled value (``PULL``, an L2
  penalty on the difference), and every digit weighs a tenth of the
  visitor's loss, however many drawings it has: a digit taught once still
  moves, a digit taught alone cannot drag the others along.

The figures that chose these (accuracy per writer before and after, MNIST
accuracy of every personalized model): ``train/personalize_eval.py``.

Deterministic for a seed: the distortions are the only randomness.
``personalize_steps`` is the same training as a generator, one yield per
piece of work, so that the browser can answer drawings in between.
"""

import numpy as np

from .augment import Augmentation, StdlibRandom, augment
from .layers import Dense
from .losses import SoftmaxCrossEntropy, softmax
from .model import Model
from .optim import AdamW
from .preprocess import EmptyDrawing, preprocess
from .weights_file import NUM_CLASSES

MIN_DRAWINGS = 1
MAX_DRAWINGS = 1000
STEPS = 100
LEARNING_RATE = 3e-3
COPIES = 16
PULL = 1e-3
ANCHOR_WEIGHT = 1.0
DISTORTION = Augmentation()
# Features are computed this many images at a time: one yield each.
FEATURE_BATCH = 64


def checked_examples(images, labels):
    """images: sequence of (H, W) drawings; labels: sequence of ints ->
    (x: (N, 28, 28) float32, labels: (N,) intp), each drawing preprocessed as
    ``recognize`` does. ValueError saying what is wrong otherwise."""
    if isinstance(images, np.ndarray) and images.ndim == 2:
        raise ValueError("images must be a sequence of drawings, got one 2-D image")
    images = list(images)
    labels = list(np.asarray(labels, dtype=object).ravel()) if np.ndim(labels) else [labels]
    if len(images) != len(labels):
        raise ValueError(f"{len(images)} drawings but {len(labels)} labels: give one label per drawing")
    if len(images) < MIN_DRAWINGS:
        raise ValueError(f"personalizing needs at least {MIN_DRAWINGS} drawing, got none")
    if len(images) > MAX_DRAWINGS:
        raise ValueError(f"at most {MAX_DRAWINGS} drawings, got {len(images)}")
    checked = []
    for i, label in enumerate(labels):
        if isinstance(label, (bool, np.bool_)) or not isinstance(label, (int, np.integer)) \
                or not 0 <= label < NUM_CLASSES:
            raise ValueError(f"label {i} is {label!r}: labels are the digits 0 to 9")
        checked.append(int(label))
    x = []
    for i, image in enumerate(images):
        try:
            x.append(preprocess(image))
        except EmptyDrawing:
            raise ValueError(f"drawing {i} (a {checked[i]}) is empty") from None
        except ValueError as error:
            raise ValueError(f"drawing {i} (a {checked[i]}): {error}") from None
    return np.stack(x).astype(np.float32), np.array(checked, np.intp)


def split_last_layer(model):
    """model -> (the layers before its last Dense, that Dense)."""
    if not model.layers or not isinstance(model.layers[-1], Dense):
        raise ValueError("personalize needs a model whose last layer is a Dense layer")
    return model.layers[:-1], model.layers[-1]


def last_layer_inputs(model, x):
    """x: (N, 28, 28) float32 in 0..1 -> (N, D) float32, what the model's last
    layer receives for each image."""
    h = (x[:, :, :, None] - np.float32(model.input_mean)) / np.float32(model.input_std)
    for layer in split_last_layer(model)[0]:
        h = layer.forward(h)
    return h


def class_weights(labels):
    """labels: (N,) -> (N, 1) float32: each digit taught weighs a tenth of
    the loss in total, however many drawings it has, so that one digit
    taught alone moves the layer no more than its share."""
    counts = np.bincount(labels, minlength=NUM_CLASSES)
    return (len(labels) / (NUM_CLASSES * counts[labels]))[:, None].astype(np.float32)


class _Trainable:
    """The one layer that learns, shaped the way ``AdamW`` expects a model."""

    def __init__(self, layer):
        self.layer = layer

    def parameters(self):
        return [(self.layer, name) for name in self.layer.params]


def base_model(model):
    """A bundled name or a ``Model`` -> (the Model, the name it goes by)."""
    if isinstance(model, Model):
        return model, model.meta.get("personalized", {}).get("base") or model.meta.get("name")
    from .recognize import bundled_model
    return bundled_model(model), model


def personalize_steps(images, labels, model="cnn", *, seed=0, steps=STEPS, copies=COPIES):
    """The training of ``personalize`` as a generator, its input checked
    first (ValueError as for ``personalize``, at once): the generator yields
    ``(done, total)`` after each piece of work (a batch of features, a step)
    and returns the new ``Model`` (``StopIteration.value``)."""
    x, labels = checked_examples(images, labels)
    model, base_name = base_model(model)
    split_last_layer(model)
    return _training(x, labels, model, base_name, seed, steps, copies)


def _training(x, labels, model, base_name, seed, steps, copies):
    frozen, last = split_last_layer(model)
    rng = StdlibRandom(seed)
    batches = -(-len(x) // FEATURE_BATCH)
    total, done = (copies + 1) * batches + steps, 0
    parts = []
    for version_index in range(copies + 1):
        version = x if version_index == 0 else augment(x, rng, DISTORTION)
        for start in range(0, len(x), FEATURE_BATCH):
            parts.append(last_layer_inputs(model, version[start:start + FEATURE_BATCH]))
            done += 1
            yield done, total
    h, y = np.concatenate(parts), np.tile(labels, copies + 1)
    weights = class_weights(y)

    layer = Dense(**last.config())
    layer.params = {name: value.copy() for name, value in last.params.items()}
    optimizer, loss = AdamW(_Trainable(layer), weight_decay=0.0), SoftmaxCrossEntropy()
    anchors = model.anchors
    if anchors is not None:
        anchor_answers = softmax(last.forward(anchors))
        anchor_scale = np.float32(ANCHOR_WEIGHT / len(anchors))
    pull = np.float32(PULL)
    for _ in range(steps):
        loss.forward(layer.forward(h, training=True), y)
        layer.backward(loss.backward() * weights)
        grads = {name: grad.copy() for name, grad in layer.grads.items()}
        if anchors is not None:
            # Soft cross-entropy to the bundled layer's answers on the anchors.
            layer.backward((softmax(layer.forward(anchors, training=True)) - anchor_answers) * anchor_scale)
            for name in grads:
                grads[name] += layer.grads[name]
        for name, value in layer.params.items():
            layer.grads[name] = grads[name] + pull * (value - last.params[name])
        optimizer.step(LEARNING_RATE)
        done += 1
        yield done, total

    meta = {key: value for key, value in model.meta.items() if key != "personalized"}
    meta["personalized"] = {
        "base": base_name, "drawings": len(labels),
        "per_digit": np.bincount(labels, minlength=NUM_CLASSES).tolist(),
        "seed": seed, "steps": steps, "copies": copies, "learns": "last layer",
    }
    return Model([*frozen, layer], model.input_mean, model.input_std, meta, anchors)


def personalize(images, labels, model="cnn", *, seed=0):
    """images: sequence of (H, W) drawings as ``recognize`` takes them (ink
    high, 0..255 or 0..1); labels: their digits; model: a bundled name or a
    ``Model`` -> a new ``Model`` that knows this writer's hand, usable as
    ``recognize(image, model=returned)``. The given model is not changed (the
    new one shares its frozen layers); ``meta["personalized"]`` says from
    which base, on how many drawings of each digit.

    Raises ValueError for no drawings, an empty drawing, a label outside
    0..9 or a different number of labels and drawings.
    """
    return run_to_end(personalize_steps(images, labels, model, seed=seed))


def run_to_end(steps):
    """A ``personalize_steps`` generator, run through -> the Model it returns."""
    while True:
        try:
            next(steps)
        except StopIteration as finished:
            return finished.value
