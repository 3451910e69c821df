"""Files the bench pages read, written into the server's /bench/data/:

  {model}.json, {model}.bin   a pydigit model for TF.js: the manifest (input
                              normalisation, layers with their config and
                              where each parameter lies in the .bin) and the
                              parameters as float32, little-endian, C order,
                              in TF.js's layouts: Conv2D W (k, k, C, F)
                              ("HWIO"), Dense W (in, out).
  inputs.bin                  (N, 28, 28) float32 network inputs.
"""

import json
from pathlib import Path

import numpy as np

from pydigit import load_model
from pydigit.layers import Conv2D, Dense


def conv_filter_hwio(layer):
    """A Conv2D's W as (k, k, C, F), from either layout pydigit has used:
    output-major (F, k, k, C) or (k, k, C, F)."""
    W, k = layer.params["W"], layer.kernel_size
    F, C = layer.out_channels, layer.in_channels
    if W.shape == (F, k, k, C) and W.shape != (k, k, C, F):
        return W.transpose(1, 2, 3, 0)
    if W.shape == (k, k, C, F) and W.shape != (F, k, k, C):
        return W
    raise ValueError(f"cannot tell the layout of a Conv2D weight of shape {W.shape}")


def dense_matrix(layer):
    """A Dense layer's W as (in, out), whatever layout it stores: the layer
    itself maps the identity to W (in, out) + b."""
    eye = np.eye(layer.in_features, dtype=np.float32)
    return layer.forward(eye) - layer.params["b"]


def tfjs_params(layer):
    if isinstance(layer, Conv2D):
        return {"W": conv_filter_hwio(layer), "b": layer.params["b"]}
    if isinstance(layer, Dense):
        return {"W": dense_matrix(layer), "b": layer.params["b"]}
    if layer.params:
        raise ValueError(f"{layer!r} has parameters but is not Conv2D or Dense")
    return {}


def export_model(weights_path, out_dir, name):
    """The .npz the site serves -> out_dir/{name}.json and .bin. Folds
    BatchNorm and drops Dropout first (a no-op for the bundled weights),
    so that the page only meets Conv2D, ReLU, MaxPool2D, Flatten, Dense.
    Returns the inference Model (float32), the reference for the outputs."""
    model = load_model(weights_path).for_inference()
    layers, chunks, offset = [], [], 0
    for layer in model.layers:
        params = {}
        for key, value in tfjs_params(layer).items():
            value = np.ascontiguousarray(value, dtype="<f4")
            params[key] = {"shape": list(value.shape), "offset": offset}
            chunks.append(value.ravel())
            offset += value.size
        layers.append({"type": type(layer).__name__, "config": layer.config(), "params": params})
    manifest = {"input_mean": model.input_mean, "input_std": model.input_std, "layers": layers}
    out_dir = Path(out_dir)
    (out_dir / f"{name}.json").write_text(json.dumps(manifest))
    np.concatenate(chunks).astype("<f4").tofile(out_dir / f"{name}.bin")
    return model


def export_inputs(inputs, out_dir):
    """inputs: (N, 28, 28) float32 -> out_dir/inputs.bin."""
    np.ascontiguousarray(inputs, dtype="<f4").tofile(Path(out_dir) / "inputs.bin")
