"""The weights file: a round trip keeps the function and the facts, and every
kind of bad file is a ValueError that says what is wrong (never a wrong
prediction, never an obscure exception).

Malformed files are written by hand in the format ``save_model`` writes: an
``.npz`` with ``model.json`` (a uint8 array holding the JSON header) and each
parameter or buffer as ``layer{i}.{name}``.
"""

import json

import numpy as np
import pytest

from pydigit import load_model, model_from_bytes
from pydigit.layers import BatchNorm2D
from pydigit.trajectory import FEATURES
from pydigit.weights_file import FORMAT_VERSION, bundled_weights_path, save_model
from train.architectures import build_cnn, build_mlp

META = {"name": "test", "multiply_adds": 123, "training": {"epochs": 2, "seed": 7},
        "note": "ünïcödé ✓"}


@pytest.fixture(scope="module")
def cnn():
    """A CNN, BatchNorm and Dropout still in, with non-trivial BatchNorm state."""
    model = build_cnn(seed=5)
    rng = np.random.default_rng(0)
    for layer in model.layers:
        for store in (layer.params, layer.buffers):
            for name, value in store.items():
                store[name] = (value + 0.1 * rng.standard_normal(value.shape)).astype(np.float32)
        if isinstance(layer, BatchNorm2D):
            layer.buffers["running_var"] = np.abs(layer.buffers["running_var"]) + 0.5
    model.meta = dict(META)
    return model


@pytest.fixture(scope="module")
def digits(mnist_test):
    return mnist_test[0][:50, :, :, None].astype(np.float32) / 255.0


def read_npz(path):
    """(header dict, {name: array}) of a weights file."""
    with np.load(path) as npz:
        arrays = {key: npz[key] for key in npz.files}
    return json.loads(arrays.pop("model.json").tobytes()), arrays


def write_npz(path, header, arrays):
    """A weights file written by hand: ``header`` (a dict, or raw bytes) + arrays."""
    raw = header if isinstance(header, bytes) else json.dumps(header).encode()
    np.savez_compressed(path, **{"model.json": np.frombuffer(raw, np.uint8)}, **arrays)
    return path


@pytest.fixture
def mlp_file(tmp_path):
    """A valid MLP weights file; tests rewrite it into malformed ones."""
    model = build_mlp(seed=2).for_inference()
    model.meta = dict(META)
    path = tmp_path / "mlp.npz"
    save_model(model, path)
    return path


def rewritten(tmp_path, source, edit_header=None, edit_arrays=None, name="bad.npz"):
    header, arrays = read_npz(source)
    if edit_header:
        edit_header(header)
    if edit_arrays:
        edit_arrays(arrays)
    return write_npz(tmp_path / name, header, arrays)


# ------------------------------------------------------------- round trips

def test_round_trip_float16_on_disk_float32_in_memory(cnn, digits, tmp_path):
    path = tmp_path / "cnn.npz"
    save_model(cnn, path)  # float16 by default
    _, arrays = read_npz(path)
    assert arrays and all(a.dtype == np.float16 for a in arrays.values())
    assert "layer1.running_mean" in arrays and "layer1.running_var" in arrays

    loaded = load_model(path)
    assert [repr(layer) for layer in loaded.layers] == [repr(layer) for layer in cnn.layers]
    assert loaded.input_mean == cnn.input_mean and loaded.input_std == cnn.input_std
    assert loaded.meta == META
    for original, layer in zip(cnn.layers, loaded.layers):
        for store in ("params", "buffers"):
            for name, value in getattr(original, store).items():
                got = getattr(layer, store)[name]
                assert got.dtype == np.float32 and got.shape == value.shape
                # Exactly the float16 rounding of the original, no more.
                np.testing.assert_array_equal(got, value.astype(np.float16).astype(np.float32))
    # Same logits: float16 weights change them by ~1e-3 relative, no more.
    expected, got = cnn.forward(digits), loaded.forward(digits)
    np.testing.assert_allclose(got, expected, rtol=0, atol=5e-3 * np.abs(expected).max())
    assert (got.argmax(axis=1) == expected.argmax(axis=1)).mean() >= 0.95


def test_round_trip_float32_is_exact(cnn, digits, tmp_path):
    path = tmp_path / "cnn32.npz"
    save_model(cnn, path, dtype=np.float32)
    loaded = load_model(path)
    np.testing.assert_array_equal(loaded.forward(digits), cnn.forward(digits))
    # The exported model (BatchNorm folded) round-trips too.
    folded = cnn.for_inference()
    save_model(folded, tmp_path / "folded.npz", dtype=np.float32)
    np.testing.assert_array_equal(load_model(tmp_path / "folded.npz").forward(digits),
                                  folded.forward(digits))


def test_model_from_bytes_and_str_path(mlp_file, digits):
    from_path = load_model(str(mlp_file))
    from_bytes = model_from_bytes(mlp_file.read_bytes())
    np.testing.assert_array_equal(from_path.forward(digits), from_bytes.forward(digits))
    assert from_bytes.meta == META


def test_bundled_names_resolve_to_the_package_weights():
    assert bundled_weights_path("cnn").name == "cnn.npz"
    assert bundled_weights_path("mlp").parent.name == "weights"
    with pytest.raises(ValueError, match="unknown model 'resnet'"):
        bundled_weights_path("resnet")


# ------------------------------------------------------------- bad files

def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="not found"):
        load_model(tmp_path / "nowhere.npz")
    with pytest.raises(FileNotFoundError):
        load_model(tmp_path)  # a directory is not a weights file


def test_random_bytes(tmp_path):
    path = tmp_path / "random.npz"
    path.write_bytes(np.random.default_rng(0).integers(0, 256, 50_000, np.uint8).tobytes())
    with pytest.raises(ValueError, match="not a readable weights file") as error:
        load_model(path)
    assert str(path) in str(error.value)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.npz"
    path.write_bytes(b"")
    with pytest.raises(ValueError, match="not a readable weights file"):
        load_model(path)


def test_truncated_file(mlp_file, tmp_path):
    data = mlp_file.read_bytes()
    path = tmp_path / "truncated.npz"
    path.write_bytes(data[:len(data) // 2])
    with pytest.raises(ValueError, match=r"not a readable weights file \(truncated or corrupt\?\)"):
        load_model(path)


@pytest.mark.parametrize("position", [0.1, 0.3, 0.5, 0.7, 0.9])
def test_corrupted_bytes_inside_the_file(mlp_file, tmp_path, position):
    # A damaged download: bytes flipped in the middle of the compressed data.
    data = bytearray(mlp_file.read_bytes())
    start = int(len(data) * position)
    data[start:start + 16] = bytes(b ^ 0xA5 for b in data[start:start + 16])
    with pytest.raises(ValueError, match="not a readable weights file"):
        model_from_bytes(bytes(data))


def test_corrupted_start_of_a_compressed_array(mlp_file):
    # Found while writing these tests: this used to escape as zlib.error.
    data = bytearray(mlp_file.read_bytes())
    data[100] ^= 0x5A
    with pytest.raises(ValueError, match="not a readable weights file"):
        model_from_bytes(bytes(data))


def test_a_plain_npz_without_header(tmp_path):
    path = tmp_path / "plain.npz"
    np.savez(path, weights=np.zeros(3))
    with pytest.raises(ValueError, match="no model.json"):
        load_model(path)


def test_corrupt_header(mlp_file, tmp_path):
    _, arrays = read_npz(mlp_file)
    path = write_npz(tmp_path / "bad.npz", b'{"format_version": 1, "archit', arrays)
    with pytest.raises(ValueError, match="model.json is corrupt"):
        load_model(path)


@pytest.mark.parametrize("version", [0, 2, "1", None])
def test_wrong_format_version(mlp_file, tmp_path, version):
    def edit(header):
        header["format_version"] = version
    path = rewritten(tmp_path, mlp_file, edit)
    with pytest.raises(ValueError, match=f"weights format version {version!r}; this pydigit "
                                         f"reads version {FORMAT_VERSION}"):
        load_model(path)


def test_missing_parameter(mlp_file, tmp_path):
    path = rewritten(tmp_path, mlp_file, edit_arrays=lambda arrays: arrays.pop("layer3.b"))
    with pytest.raises(ValueError, match="missing parameter layer3.b") as error:
        load_model(path)
    assert str(path) in str(error.value)


def test_missing_batchnorm_buffer(cnn, tmp_path):
    save_model(cnn, tmp_path / "cnn.npz")
    path = rewritten(tmp_path, tmp_path / "cnn.npz",
                     edit_arrays=lambda arrays: arrays.pop("layer5.running_var"))
    with pytest.raises(ValueError, match="missing parameter layer5.running_var"):
        load_model(path)


def test_wrong_shape_parameter(mlp_file, tmp_path):
    def edit(arrays):
        arrays["layer1.W"] = arrays["layer1.W"][:100]
    path = rewritten(tmp_path, mlp_file, edit_arrays=edit)
    with pytest.raises(ValueError, match=r"layer1.W \(Dense\) has shape \(100, 784\), "
                                         r"the architecture needs \(256, 784\)"):
        load_model(path)


@pytest.mark.parametrize("value", [np.nan, np.inf])
def test_nan_or_infinity_in_a_parameter(mlp_file, tmp_path, value):
    def edit(arrays):
        arrays["layer5.W"] = arrays["layer5.W"].copy()
        arrays["layer5.W"][3, 4] = value
    path = rewritten(tmp_path, mlp_file, edit_arrays=edit)
    with pytest.raises(ValueError, match="layer5.W contains NaN or infinity"):
        load_model(path)


def test_unexpected_array(mlp_file, tmp_path):
    def edit(arrays):
        arrays["layer9.W"] = np.zeros((2, 2), np.float16)
    path = rewritten(tmp_path, mlp_file, edit_arrays=edit)
    with pytest.raises(ValueError, match=r"unexpected arrays \['layer9.W'\]"):
        load_model(path)


def test_architecture_that_does_not_end_in_10_outputs(tmp_path):
    model = build_mlp(seed=0).for_inference()
    last = model.layers[-1]
    header = {"format_version": FORMAT_VERSION,
              "architecture": [{"type": type(layer).__name__, "config": layer.config()}
                               for layer in model.layers],
              "input": {"shape": [28, 28, 1], "mean": 0.1, "std": 0.3}, "meta": {}}
    header["architecture"][-1]["config"]["out_features"] = 12
    arrays = {f"layer{i}.{name}": value.astype(np.float16)
              for i, layer in enumerate(model.layers) for name, value in layer.params.items()}
    arrays[f"layer{len(model.layers) - 1}.W"] = np.zeros((12, last.in_features), np.float16)
    arrays[f"layer{len(model.layers) - 1}.b"] = np.zeros(12, np.float16)
    path = write_npz(tmp_path / "twelve.npz", header, arrays)
    with pytest.raises(ValueError, match=r"outputs shape \(12,\), not \(10,\)"):
        load_model(path)


def test_architecture_whose_layers_do_not_chain(tmp_path):
    # Dense(100, 10) straight after Flatten: it cannot take the 784 pixels.
    header = {"format_version": FORMAT_VERSION,
              "architecture": [
                  {"type": "Flatten", "config": {}},
                  {"type": "Dense", "config": {"in_features": 100, "out_features": 10}}],
              "input": {"shape": [28, 28, 1], "mean": 0.0, "std": 1.0}, "meta": {}}
    arrays = {"layer1.W": np.zeros((10, 100), np.float16), "layer1.b": np.zeros(10, np.float16)}
    path = write_npz(tmp_path / "chain.npz", header, arrays)
    message = r"layer 1 \(Dense\(.*\)\) cannot take an input of shape \(784,\)"
    with pytest.raises(ValueError, match=message):
        load_model(path)


def test_convolution_with_the_wrong_number_of_input_channels(tmp_path):
    header = {"format_version": FORMAT_VERSION,
              "architecture": [{"type": "Conv2D", "config": {"in_channels": 3, "out_channels": 2,
                                                             "kernel_size": 3}}],
              "input": {"shape": [28, 28, 1], "mean": 0.0, "std": 1.0}, "meta": {}}
    arrays = {"layer0.W": np.zeros((2, 3, 3, 3), np.float16), "layer0.b": np.zeros(2, np.float16)}
    message = r"layer 0 \(Conv2D.*cannot take an input of shape \(28, 28, 1\)"
    with pytest.raises(ValueError, match=message):
        load_model(write_npz(tmp_path / "channels.npz", header, arrays))


def test_unknown_layer_type(mlp_file, tmp_path):
    def edit(header):
        header["architecture"].insert(2, {"type": "Softmax", "config": {}})
    path = rewritten(tmp_path, mlp_file, edit)
    with pytest.raises(ValueError, match="layer 2 has unknown type 'Softmax'"):
        load_model(path)


def test_bad_layer_config(mlp_file, tmp_path):
    def edit(header):
        header["architecture"][1]["config"]["units"] = 5
    path = rewritten(tmp_path, mlp_file, edit)
    with pytest.raises(ValueError, match=r"layer 1 \(Dense\):.*units"):
        load_model(path)


def test_a_valid_hand_written_file_loads(mlp_file, tmp_path, digits):
    # The control for the tests above: rewriting by hand, unchanged, is fine.
    path = rewritten(tmp_path, mlp_file)
    np.testing.assert_array_equal(load_model(path).forward(digits),
                                  load_model(mlp_file).forward(digits))


# ------------------------------------------------------------- other inputs

def test_the_trajectory_network_keeps_its_input_shape(tmp_path):
    bundled = load_model("trajectory")
    assert bundled.input_shape == (FEATURES,)
    assert bundled_weights_path("trajectory").name == "trajectory.npz"
    save_model(bundled, tmp_path / "t.npz", dtype=np.float32)
    again = load_model(tmp_path / "t.npz")
    x = np.random.default_rng(0).standard_normal((3, FEATURES)).astype(np.float32)
    assert again.input_shape == (FEATURES,)
    np.testing.assert_array_equal(again.forward(x), bundled.forward(x))


def test_a_file_without_an_input_shape_reads_images(mlp_file, tmp_path, digits):
    def edit(header):
        del header["input"]["shape"]
    model = load_model(rewritten(tmp_path, mlp_file, edit))
    assert model.input_shape == (28, 28, 1)
    np.testing.assert_array_equal(model.forward(digits), load_model(mlp_file).forward(digits))


@pytest.mark.parametrize("shape", [[], [0], [28, -28, 1], "28", [2.5], [True, 28, 1]])
def test_a_garbled_input_shape(mlp_file, tmp_path, shape):
    def edit(header):
        header["input"]["shape"] = shape
    with pytest.raises(ValueError, match="model.json lacks or garbles the input shape"):
        load_model(rewritten(tmp_path, mlp_file, edit))


def test_an_input_shape_the_layers_cannot_take(mlp_file, tmp_path):
    def edit(header):
        header["input"]["shape"] = [FEATURES]  # the MLP flattens an image of 784 pixels
    with pytest.raises(ValueError, match=rf"cannot take an input of shape \({FEATURES},\)"):
        load_model(rewritten(tmp_path, mlp_file, edit))
