"""``personalize``: teach a model one person's handwriting from a few drawings.

Every layer of the bundled model stays as it is. What learns is a residual
``R`` (10 x D; D = 576 in the CNN, the inputs of its head: the last three
layers, Dense -> ReLU -> Dense), initialised at zero, whose product with
those features is added to the bundled scores:

    scores(f) = bundled_head(f) + R @ f

Why there: the head's inputs are the convolutions' features, richer than
the 128 the last layer sees, so a writer's flagged '1' can be told from a
'7' that the last layer alone confuses it with; and the bundled head is
left whole, so what it knew stays known. The returned model is still the
same layer types: ``R @ f`` rides through the ReLU exactly as
``relu(R f) - relu(-R f)``, so the first Dense gains the rows [R; -R] (20
hidden units, zero bias) and the last Dense the matching columns [I, -I]
(``with_residual``). Inference costs 20 x D more multiply-adds.

Features are computed once per drawing and per distorted copy; each step
then is a few small matrix products over ``VERSIONS_PER_STEP`` of the
versions (cycling, no randomness) and one of ``ANCHOR_GROUPS`` groups of
anchors: fast enough for Pyodide, whose NumPy has no BLAS. What keeps the
model from forgetting:

- the model's anchors (``Model.anchors``, see ``train/anchors.py``):
  k-means centres of the head's inputs over MNIST's training images, on
  which the scores are trained to stay the bundled model's (soft
  cross-entropy, ``ANCHOR_WEIGHT``);
- each drawing is seen in ``COPIES`` randomly distorted versions (the
  training's own ``pydigit.augment``): the writer's style, not the exact
  pixels of a few drawings;
- ``PULL``, an L2 penalty on R (on its change, when personalizing a
  personalized model again), and every digit weighs a tenth of the
  visitor's loss however many drawings it has: a digit taught once still
  moves, a digit taught alone cannot drag the others along.

The figures that chose these (accuracy per writer before and after, MNIST
accuracy of every personalized model): ``train/personalize_eval.py``.

Deterministic for a seed: the distortions are the only randomness.
``personalize_steps`` is the same training as a generator, one yield per
piece of work, so that the browser can answer drawings in between.
"""

import numpy as np

from .augment import Augmentation, StdlibRandom, augment
from .layers import Dense, ReLU, times_transposed
from .losses import softmax
from .model import Model, head_of
from .optim import AdamW
from .preprocess import EmptyDrawing, preprocess
from .weights_file import NUM_CLASSES

MIN_DRAWINGS = 1
MAX_DRAWINGS = 1000
STEPS = 100
LEARNING_RATE = 1e-2
COPIES = 16
PULL = 3e-5
ANCHOR_WEIGHT = 8.0
# Each step trains on this many of the COPIES + 1 versions of the drawings
# (cycling through them in order) and on one of ANCHOR_GROUPS interleaved
# groups of anchors (alternating): a fraction of the arithmetic of full
# batches, for the same results on the teaching evaluation.
VERSIONS_PER_STEP = 2
ANCHOR_GROUPS = 2
DISTORTION = Augmentation()
# Features are computed this many images at a time: one yield each.
FEATURE_BATCH = 64
LEARNS = "residual head"


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


def split_head(model):
    """model -> (frozen layers, (W1, b1, W2, b2) of the bundled head, R or None).

    The head is the model's last three layers, Dense -> ReLU -> Dense; in a
    personalized model (``meta["personalized"]["learns"] == LEARNS``) the
    first Dense's last 2 x 10 rows are [R; -R] and the last Dense's last
    2 x 10 columns [I, -I]."""
    layers = head_of(model.layers)
    if layers is None:
        raise ValueError("personalize needs a model whose last layer is a Dense layer, "
                         "after a ReLU and another Dense (its head: Dense, ReLU, Dense)")
    first, last = layers[0], layers[2]
    extra = 2 * NUM_CLASSES if model.meta.get("personalized", {}).get("learns") == LEARNS else 0
    hidden = first.out_features - extra
    head = (first.params["W"][:hidden], first.params["b"][:hidden],
            last.params["W"][:, :hidden], last.params["b"])
    residual = first.params["W"][hidden:hidden + NUM_CLASSES] if extra else None
    return model.layers[:-3], head, residual


def head_inputs(model, x):
    """x: (N, 28, 28) float32 in 0..1 -> (N, D) float32, what the model's
    head (its first Dense of the last three layers) receives: the space of
    the anchors and of the residual."""
    h = (x[:, :, :, None] - np.float32(model.input_mean)) / np.float32(model.input_std)
    for layer in split_head(model)[0]:
        h = layer.forward(h)
    return h


def head_scores(head, f):
    """The bundled head's scores (N, 10) for head inputs f (N, D)."""
    W1, b1, W2, b2 = head
    hidden = np.maximum(times_transposed(f, W1, False) + b1, 0)
    return times_transposed(hidden, W2, False) + b2


def class_weights(labels):
    """labels: (N,) -> (N, 1) float32: each digit taught weighs a tenth of
    the loss in total, however many drawings it has, so that one digit
    taught alone moves the layer no more than its share."""
    counts = np.bincount(labels, minlength=NUM_CLASSES)
    return (len(labels) / (NUM_CLASSES * counts[labels]))[:, None].astype(np.float32)


def cross_entropy_gradient(start_scores, inputs, change, target, scale):
    """The gradient, with respect to R, of the cross-entropy between
    softmax(start_scores + inputs @ change.T) and ``target`` (one-hot or
    soft), each row weighted by ``scale``: (10, D) float32. start_scores:
    (N, 10), what the model said before R changed by ``change``; inputs: (N, D)."""
    return ((softmax(start_scores + inputs @ change.T) - target) * scale).T @ inputs


class _Residual:
    """The one matrix that learns, shaped the way ``AdamW`` expects a model."""

    def __init__(self, R):
        self.params, self.grads = {"W": R}, {}

    def parameters(self):
        return [(self, "W")]


def with_residual(frozen, head, R):
    """The frozen layers plus the bundled head carrying R: a plain
    Dense -> ReLU -> Dense, 20 hidden units wider."""
    W1, b1, W2, b2 = head
    hidden, k = len(W1), NUM_CLASSES
    first = Dense(W1.shape[1], hidden + 2 * k)
    first.params = {"W": np.concatenate([W1, R, -R]).astype(np.float32),
                    "b": np.concatenate([b1, np.zeros(2 * k, np.float32)])}
    eye = np.eye(k, dtype=np.float32)
    last = Dense(hidden + 2 * k, k)
    last.params = {"W": np.concatenate([W2, eye, -eye], axis=1).astype(np.float32), "b": b2.copy()}
    return [*frozen, first, ReLU(), last]


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
    split_head(model)
    return _training(x, labels, model, base_name, seed, steps, copies)


def _training(x, labels, model, base_name, seed, steps, copies):
    frozen, head, previous = split_head(model)
    rng = StdlibRandom(seed)
    batches = -(-len(x) // FEATURE_BATCH)
    total, done = (copies + 1) * batches + steps, 0
    parts = []
    for version_index in range(copies + 1):
        version = x if version_index == 0 else augment(x, rng, DISTORTION)
        for start in range(0, len(x), FEATURE_BATCH):
            parts.append(head_inputs(model, version[start:start + FEATURE_BATCH]))
            done += 1
            yield done, total
    f, y = np.concatenate(parts), np.tile(labels, copies + 1)
    n, versions = len(x), copies + 1
    R0 = np.zeros((NUM_CLASSES, f.shape[1]), np.float32) if previous is None else previous.copy()
    start_scores = head_scores(head, f) + f @ R0.T          # what the model says now
    target = np.zeros_like(start_scores)
    target[np.arange(len(y)), y] = 1
    weights = class_weights(y)
    anchors = model.anchors
    if anchors is not None:
        groups = [anchors[g::ANCHOR_GROUPS] for g in range(ANCHOR_GROUPS)]
        group_scores = [head_scores(head, a) + a @ R0.T for a in groups]
        group_answers = [softmax(s) for s in group_scores]

    residual = _Residual(R0.copy())
    optimizer = AdamW(residual, weight_decay=0.0)
    per_step = min(VERSIONS_PER_STEP, versions)
    pull = np.float32(PULL)
    for step in range(steps):
        first = (step * per_step) % versions
        picked = [(first + j) % versions for j in range(per_step)]
        rows = np.concatenate([np.arange(v * n, (v + 1) * n) for v in picked])
        change = residual.params["W"] - R0
        # Weighted cross-entropy on the visitor's drawings...
        grad = cross_entropy_gradient(start_scores[rows], f[rows], change, target[rows],
                                      weights[rows] / len(rows))
        if anchors is not None:
            # ...and soft cross-entropy to the bundled model's answers on the anchors.
            k = step % ANCHOR_GROUPS
            grad += cross_entropy_gradient(group_scores[k], groups[k], change, group_answers[k],
                                           np.float32(ANCHOR_WEIGHT / len(groups[k])))
        residual.grads["W"] = grad + pull * change
        optimizer.step(LEARNING_RATE)
        done += 1
        yield done, total

    meta = {key: value for key, value in model.meta.items() if key != "personalized"}
    meta["personalized"] = {
        "base": base_name, "drawings": len(labels),
        "per_digit": np.bincount(labels, minlength=NUM_CLASSES).tolist(),
        "seed": seed, "steps": steps, "copies": copies, "learns": LEARNS,
    }
    return Model(with_residual(frozen, head, residual.params["W"]), model.input_mean, model.input_std,
                 meta, anchors)


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
