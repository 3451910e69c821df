"""The same pydigit code, the same weights: CPython and Pyodide (under Node,
loaded from the files vendored into the site) give the same answers, and
render the same strokes into the very same pixels."""

import json
import subprocess

import numpy as np
import pytest

from pydigit import MODEL_NAMES, load_model, recognize
from pydigit.recognize import recognize_strokes
from pydigit.strokes import render_ink
from train.pendigits import balanced_sample, load_pendigits, to_pad

pytestmark = pytest.mark.browser
COUNT = 200
DRAWINGS = 100


@pytest.fixture(scope="module")
def in_pyodide(site_dir, mnist_test, tmp_path_factory):
    """-> (images, drawings, answers, inks): what pyodide_parity.js computed."""
    out = tmp_path_factory.mktemp("parity")
    images = mnist_test[0][:COUNT]
    drawings = [to_pad(d.strokes) for d in balanced_sample(load_pendigits(), DRAWINGS)]
    np.save(out / "images.npy", images)
    # As the widget sends them: float64 points, one run of x, y per drawing, and the strokes' lengths.
    np.savez(out / "strokes.npz", **{f"points{i}": np.concatenate(d).astype(np.float64).ravel()
                                    for i, d in enumerate(drawings)},
             **{f"lengths{i}": np.array([len(s) for s in d], np.uint32) for i, d in enumerate(drawings)})
    script = __file__.replace("test_parity.py", "pyodide_parity.js")
    subprocess.run(["node", script, str(site_dir / "assets"), str(out / "images.npy"),
                    str(out / "strokes.npz"), str(out)], check=True, timeout=300)
    with np.load(out / "inks.npz") as npz:
        inks = [npz[f"arr_{i}"] for i in range(len(drawings))]
    drawings = [[s.astype(np.float64) for s in d] for d in drawings]
    return images, drawings, json.loads((out / "answers.json").read_text()), inks


def test_cpython_and_pyodide_agree(site_dir, in_pyodide):
    images, drawings, pyodide, _ = in_pyodide
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


def test_the_same_strokes_give_the_same_pixels(in_pyodide):
    _, drawings, _, inks = in_pyodide
    for strokes, ink in zip(drawings, inks):
        np.testing.assert_array_equal(ink, render_ink(strokes))
