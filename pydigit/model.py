"""``Model``: an ordered list of layers plus what it takes to use and trust it.

A model takes MNIST-style images ``x: (N, 28, 28, 1) float32`` in 0..1 (ink
high), or what else its ``input_shape`` says (the trajectory network reads
``pydigit.trajectory``'s features, ``(N, FEATURES)``), normalises them with
its own ``input_mean``/``input_std`` and returns logits ``(N, 10) float32``.
``meta`` carries the training facts and metrics that the model card prints;
``anchors``, when the model has them, stand for its training data where
personalizing needs it (``pydigit.personalize``);
``weights_file.save_model``/``load_model`` keep all of it in one ``.npz`` file.
"""

import numpy as np

from .layers import BatchNorm2D, Conv2D, Dense, Dropout, MaxPool2D, ReLU
from .losses import softmax

INPUT_SHAPE = (28, 28, 1)


class Model:
    """layers: applied in order; input_mean, input_std: the input's
    normalisation; meta: JSON-able facts; anchors: None or (K, D) float32,
    inputs of the model's head (its last three layers, Dense, ReLU, Dense,
    the first of D inputs) that summarise what it saw in training: k-means
    centres of each digit's features (``train/anchors.py``), no images;
    input_shape: one sample's, MNIST's image unless said otherwise."""

    def __init__(self, layers, input_mean=0.0, input_std=1.0, meta=None, anchors=None,
                 input_shape=INPUT_SHAPE):
        self.layers = list(layers)
        self.input_shape = tuple(input_shape)
        for conv in convolutions_before_pools(self.layers):
            conv.feeds_pool = True
        self.input_mean = float(input_mean)
        self.input_std = float(input_std)
        self.meta = dict(meta or {})
        self.anchors = None if anchors is None else np.asarray(anchors, np.float32)

    def __repr__(self):
        body = "\n".join(f"  {layer!r}," for layer in self.layers)
        return f"Model([\n{body}\n], multiply_adds={self.multiply_adds():,})"

    def forward(self, x, training=False):
        """x: (N, *input_shape) float32 (images in 0..1) -> logits (N, 10) float32.

        Inference does less work for the same bits: pools before ReLUs
        (``pool_before_relu``) and skips what pools drop (``Conv2D.feeds_pool``)."""
        x = (np.asarray(x, np.float32) - np.float32(self.input_mean)) / np.float32(self.input_std)
        for layer in self.layers if training else pool_before_relu(self.layers):
            x = layer.forward(x, training)
        return x

    def backward(self, grad, param_grads=True):
        """grad: d loss / d logits (N, 10); fills each layer's ``grads`` (with
        param_grads) -> d loss / d normalised input, (N, 28, 28, 1)."""
        for layer in reversed(self.layers):
            grad = layer.backward(grad, param_grads)
        return grad

    def predict_proba(self, x):
        """x: (N, *input_shape) float32 -> probabilities (N, 10) float32."""
        return softmax(self.forward(x))

    def predict(self, x):
        """x: (N, *input_shape) float32 -> digits (N,) int64."""
        return self.forward(x).argmax(axis=1)

    def initialize(self):
        """Every layer's training start values (seeded by each layer's config)."""
        for layer in self.layers:
            layer.initialize()
        return self

    def parameters(self):
        """(layer, name) pairs in a fixed order: what an optimiser updates."""
        return [(layer, name) for layer in self.layers for name in layer.params]

    def num_parameters(self):
        return sum(layer.params[name].size for layer, name in self.parameters())

    def shapes(self):
        """Each layer's output shape for one sample, input first."""
        shapes = [self.input_shape]
        for layer in self.layers:
            shapes.append(layer.output_shape(shapes[-1]))
        return shapes

    def multiply_adds(self):
        """Multiply-adds for one image: the cost that matters in the browser."""
        return sum(layer.multiply_adds(shape)
                   for layer, shape in zip(self.layers, self.shapes()))

    def for_inference(self):
        """A copy with each BatchNorm folded into the convolution before it and
        Dropout removed: the same function at inference, fewer layers to run."""
        layers = []
        for layer in self.layers:
            if isinstance(layer, Dropout):
                continue
            if isinstance(layer, BatchNorm2D):
                conv = layers[-1]
                if not isinstance(conv, Conv2D):
                    raise ValueError("BatchNorm2D can only be folded into a Conv2D before it")
                scale, shift = layer.folded_scale_shift()
                conv.params["W"] = conv.params["W"] * scale[:, None, None, None]
                conv.params["b"] = conv.params["b"] * scale + shift
                continue
            copy = type(layer)(**layer.config())
            copy.params = {k: v.copy() for k, v in layer.params.items()}
            layers.append(copy)
        return Model(layers, self.input_mean, self.input_std, self.meta, self.anchors, self.input_shape)


def head_of(layers):
    """A model's head: its last three layers when they are Dense, ReLU, Dense
    (what ``personalize`` teaches, and where the anchors live), else None."""
    head = list(layers[-3:])
    kinds = [Dense, ReLU, Dense]
    if len(head) == 3 and all(isinstance(layer, kind) for layer, kind in zip(head, kinds)):
        return head
    return None


def convolutions_before_pools(layers):
    """The Conv2D layers whose output a MaxPool2D reads, straight or through
    a ReLU: they need not compute the row and column the pool drops."""
    found = []
    for i, layer in enumerate(layers):
        after = [later for later in layers[i + 1:i + 3] if not isinstance(later, ReLU)]
        if isinstance(layer, Conv2D) and after and isinstance(after[0], MaxPool2D):
            found.append(layer)
    return found


def pool_before_relu(layers):
    """layers with each (ReLU, MaxPool2D) pair swapped. Max pooling and ReLU
    commute, and pooling first leaves ReLU a quarter of the values: the
    order inference runs in."""
    ordered = list(layers)
    for i in range(len(ordered) - 1):
        if isinstance(ordered[i], ReLU) and isinstance(ordered[i + 1], MaxPool2D):
            ordered[i], ordered[i + 1] = ordered[i + 1], ordered[i]
    return ordered
