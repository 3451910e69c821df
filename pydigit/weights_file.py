"""One ``.npz`` file per model: architecture, input normalisation, format
version, training facts and metrics (JSON under the key ``model.json``),
each parameter as ``layer{i}.{name}`` and, when the model has them, its
``anchors`` (see ``Model``).

Loading checks everything it can, so that a bad file is a clear ``ValueError``
and never a silently wrong prediction.
"""

import io
import json
import zipfile
import zlib
from pathlib import Path

import numpy as np

from .layers import LAYER_TYPES, BatchNorm2D, Conv2D, Dense
from .model import INPUT_SHAPE, Model, head_of

FORMAT_VERSION = 1
MODEL_NAMES = ("cnn", "mlp")  # the image networks a visitor chooses from
# The network that reads how a digit was written (pydigit.trajectory), where
# the strokes are known: it votes with whichever image network is chosen.
TRAJECTORY = "trajectory"
BUNDLED_NAMES = (*MODEL_NAMES, TRAJECTORY)
WEIGHTS_DIR = Path(__file__).parent / "weights"
NUM_CLASSES = 10


def bundled_weights_path(name):
    """Path of a model shipped in the package, by name (``"cnn"``, ``"mlp"``
    or ``"trajectory"``)."""
    if name not in BUNDLED_NAMES:
        raise ValueError(f"unknown model {name!r}; the bundled models are {', '.join(BUNDLED_NAMES)}")
    return WEIGHTS_DIR / f"{name}.npz"


def figures_path(weights_path, kind):
    """The JSON file of what was measured of a weights file, beside it:
    ``cnn.npz`` -> ``cnn.KIND.json``. KIND: history (training), metrics
    (train.evaluate), personalization, numbers (their evaluations)."""
    weights_path = Path(weights_path)
    return weights_path.with_name(f"{weights_path.stem}.{kind}.json")


def save_model(model, path, dtype=np.float16):
    """Write ``model`` to ``path``; parameters are stored as ``dtype`` and read
    back as float32."""
    Path(path).write_bytes(model_bytes(model, dtype))


def model_bytes(model, dtype=np.float16):
    """``model`` as the bytes of its weights file (what ``save_model`` writes
    and ``model_from_bytes`` reads): the browser stores and exports these."""
    header = {
        "format_version": FORMAT_VERSION,
        "architecture": [{"type": type(layer).__name__, "config": layer.config()}
                         for layer in model.layers],
        "input": {"shape": list(model.input_shape), "mean": model.input_mean,
                  "std": model.input_std},
        "meta": model.meta,
    }
    arrays = {"model.json": np.frombuffer(json.dumps(header).encode(), np.uint8)}
    for i, layer in enumerate(model.layers):
        for name, value in {**layer.params, **layer.buffers}.items():
            arrays[f"layer{i}.{name}"] = value.astype(dtype)
    if model.anchors is not None:
        arrays["anchors"] = model.anchors.astype(dtype)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()


def load_model(name_or_path):
    """A ``Model`` from a bundled name (``"cnn"``, ``"mlp"``, ``"trajectory"``) or an ``.npz`` path.

    Raises FileNotFoundError for a missing file and ValueError, saying what is
    wrong, for a file that is not a valid pydigit model.
    """
    path = Path(name_or_path)
    if str(name_or_path) in BUNDLED_NAMES:
        path = bundled_weights_path(str(name_or_path))
    elif path.suffix != ".npz" and len(path.parts) == 1 and not path.exists():
        raise ValueError(f"unknown model {str(name_or_path)!r}: give one of "
                         f"{', '.join(MODEL_NAMES)} or the path of a .npz weights file")
    if not path.is_file():
        raise FileNotFoundError(f"model weights not found: {path}")
    return model_from_bytes(path.read_bytes(), source=str(path))


def model_from_bytes(data, source="<bytes>"):
    """A ``Model`` from the bytes of a weights file (the browser fetches them)."""
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in npz.files}
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError, OSError, ValueError,
            KeyError) as error:
        raise ValueError(f"{source} is not a readable weights file (truncated or "
                         f"corrupt?): {error}") from None
    if "model.json" not in arrays:
        raise ValueError(f"{source} has no model.json: not a pydigit weights file")
    try:
        header = json.loads(arrays.pop("model.json").tobytes())
        version = header.get("format_version")
    except (UnicodeDecodeError, json.JSONDecodeError, AttributeError) as error:
        raise ValueError(f"{source}: model.json is corrupt: {error}") from None
    if version != FORMAT_VERSION:
        raise ValueError(f"{source} has weights format version {version!r}; this "
                         f"pydigit reads version {FORMAT_VERSION}")
    try:
        specs, mean, std = header["architecture"], header["input"]["mean"], header["input"]["std"]
        input_shape = header["input"].get("shape", list(INPUT_SHAPE))  # files of old had no shape: an image
        if not (isinstance(input_shape, list) and input_shape
                and all(type(n) is int and n > 0 for n in input_shape)):
            raise TypeError(f"the input shape ({input_shape!r})")
        input_shape = tuple(input_shape)
        layers = [_build_layer(spec, i, source) for i, spec in enumerate(specs)]
    except (KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"{source}: model.json lacks or garbles {error}") from None
    for i, layer in enumerate(layers):
        for store in (layer.params, layer.buffers):
            for name, expected in store.items():
                store[name] = _checked_array(arrays, f"layer{i}.{name}", expected.shape,
                                             type(layer).__name__, source)
    anchors = arrays.pop("anchors", None)
    if arrays:
        raise ValueError(f"{source}: unexpected arrays {sorted(arrays)}")
    model = Model(layers, mean, std, header.get("meta"), input_shape=input_shape)
    _check_shapes(model, source)
    if anchors is not None:
        # Anchors live where personalize learns: the inputs of the model's
        # head, its last three layers (Dense, ReLU, Dense).
        head = head_of(layers)
        width = head[0].in_features if head else None
        if width is None or anchors.ndim != 2 or anchors.shape[1] != width:
            raise ValueError(f"{source}: anchors have shape {anchors.shape}; they must be "
                             f"(K, inputs of the head) for a model ending in Dense, ReLU, Dense")
        if not np.isfinite(anchors).all():
            raise ValueError(f"{source}: anchors contain NaN or infinity")
        model.anchors = anchors.astype(np.float32)
    return model


def _checked_array(arrays, key, shape, layer_type, source):
    if key not in arrays:
        raise ValueError(f"{source}: missing parameter {key}")
    value = arrays.pop(key)
    if value.shape != shape:
        raise ValueError(f"{source}: {key} ({layer_type}) has shape {value.shape}, "
                         f"the architecture needs {shape}")
    if not np.isfinite(value).all():
        raise ValueError(f"{source}: {key} contains NaN or infinity")
    return value.astype(np.float32)


def _build_layer(spec, index, source):
    cls = LAYER_TYPES.get(spec.get("type"))
    if cls is None:
        raise ValueError(f"{source}: layer {index} has unknown type {spec.get('type')!r}")
    try:
        return cls(**spec.get("config", {}))
    except TypeError as error:
        raise ValueError(f"{source}: layer {index} ({spec['type']}): {error}") from None


def _check_shapes(model, source):
    """The layers must chain from the model's input (a 28x28x1 image, or
    trajectory features) to 10 scores."""
    shape = model.input_shape
    for i, layer in enumerate(model.layers):
        if isinstance(layer, Conv2D):
            fits = len(shape) == 3 and shape[2] == layer.in_channels
        elif isinstance(layer, BatchNorm2D):
            fits = len(shape) == 3 and shape[2] == layer.channels
        elif isinstance(layer, Dense):
            fits = shape == (layer.in_features,)
        else:
            fits = True
        if not fits:
            raise ValueError(f"{source}: layer {i} ({layer!r}) cannot take an input "
                             f"of shape {shape}")
        shape = layer.output_shape(shape)
    if shape != (NUM_CLASSES,):
        raise ValueError(f"{source}: the model outputs shape {shape}, not ({NUM_CLASSES},)")
