"""The same pydigit code, the same weights: CPython and Pyodide (under Node,
loaded from the files vendored into the site) give the same answers, and
render the same strokes into the very same pixels, vote the same from how
they were written, and personalize a model into the same weights."""

import json
import subprocess

import numpy as np
import pytest

from pydigit import MODEL_NAMES, load_model, personalize, recognize
from pydigit.recognize import recognize_strokes
from pydigit.strokes import render_ink
from pydigit.trajectory import trajectory_features
from train.pendigits import balanced_sample, load_pendigits, to_pad

pytestmark = pytest.mark.browser
COUNT = 200
DRAWINGS = 100
TAUGHT = 50  # of the drawings, personalized on


@pytest.fixture(scope="module")
def in_pyodide(site_dir, mnist_test, tmp_path_factory):
    """-> (images, drawings, answers, inks): what pyodide_parity.js computed."""
    out = tmp_path_factory.mktemp("parity")
    images = mnist_test[0][:COUNT]
    sample = balanced_sample(load_pendigits(), DRAWINGS)
    drawings = [to_pad(d.strokes) for d in sample]
    np.save(out / "images.npy", images)
    # As the widget sends them: float64 points, one run of x, y per drawing, and the strokes' lengths.
    np.savez(out / "strokes.npz", **{f"points{i}": np.concatenate(d).astype(np.float64).ravel()
                                    for i, d in enumerate(drawings)},
             **{f"lengths{i}": np.array([len(s) for s in d], np.uint32) for i, d in enumerate(drawings)},
             labels=np.array([d.label for d in sample]), taught=TAUGHT)
    script = __file__.replace("test_parity.py", "pyodide_parity.js")
    subprocess.run(["node", script, str(site_dir / "assets"), str(out / "images.npy"),
                    str(out / "strokes.npz"), str(out)], check=True, timeout=300)
    with np.load(out / "inks.npz") as npz:
        inks = [npz[f"arr_{i}"] for i in range(len(drawings))]
    with np.load(out / "personalized.npz") as npz:
        personalized = dict(npz)
    drawings = [[s.astype(np.float64) for s in d] for d in drawings]
    return (images, drawings, json.loads((out / "answers.json").read_text()), inks,
            [d.label for d in sample], personalized)


def test_cpython_and_pyodide_agree(site_dir, in_pyodide):
    images, drawings, pyodide, *_ = in_pyodide
    assert pyodide["python"].startswith("3.12") and pyodide["numpy"] == np.__version__
    for name in MODEL_NAMES:
        model = load_model(site_dir / "assets" / "models" / f"{name}.npz")
        native = [recognize(image, model=model) for image in images]
        assert pyodide[name]["digits"] == [p.digit for p in native]
        difference = np.abs(np.array(pyodide[name]["probabilities"])
                            - np.stack([p.probabilities for p in native])).max()
        from_strokes = np.stack([recognize_strokes(d, model=model).probabilities for d in drawings])
        stroke_difference = np.abs(np.array(pyodide[name]["stroke_probabilities"]) - from_strokes).max()
        print(f"\n{name}: {COUNT} images, max |p_pyodide - p_cpython| = {difference:.2e}; "
              f"{DRAWINGS} drawings from strokes: {stroke_difference:.2e}")
        assert difference <= 1e-5 and stroke_difference <= 1e-5


def test_the_trajectory_network_votes_the_same(site_dir, in_pyodide):
    _, drawings, pyodide, *_ = in_pyodide
    network = load_model(site_dir / "assets" / "models" / "trajectory.npz")
    native = network.predict_proba(np.stack([trajectory_features(d) for d in drawings]))
    difference = np.abs(np.array(pyodide["trajectory"]) - native).max()
    print(f"\ntrajectory: {DRAWINGS} drawings, max |p_pyodide - p_cpython| = {difference:.2e}")
    assert (np.array(pyodide["trajectory"]).argmax(axis=1) == native.argmax(axis=1)).all()
    assert difference <= 1e-5


def test_the_same_strokes_give_the_same_pixels(in_pyodide):
    _, drawings, _, inks, *_ = in_pyodide
    for strokes, ink in zip(drawings, inks):
        np.testing.assert_array_equal(ink, render_ink(strokes))


def test_personalizing_gives_the_same_weights(site_dir, in_pyodide):
    _, drawings, pyodide, _, labels, in_browser = in_pyodide
    model = personalize([render_ink(d) for d in drawings[:TAUGHT]], labels[:TAUGHT],
                        load_model(site_dir / "assets" / "models" / "cnn.npz"))
    native = model.layers[-3].params  # the head's first Dense: where the residual learns
    print(f"\npersonalized on {TAUGHT} drawings in Pyodide under Node in {pyodide['personalize_seconds']:.2f} s;"
          f" max |W_pyodide - W_cpython| = {np.abs(in_browser['W'] - native['W']).max():.2e}")
    for name in ("W", "b"):
        assert in_browser[name].dtype == np.float32
        np.testing.assert_allclose(in_browser[name], native[name], rtol=1e-4, atol=1e-5)
