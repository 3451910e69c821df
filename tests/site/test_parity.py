"""The same pydigit code, the same weights: CPython and Pyodide (under Node,
loaded from the files vendored into the site) give the same answers."""

import json
import subprocess

import numpy as np
import pytest

from pydigit import MODEL_NAMES, load_model, recognize

pytestmark = pytest.mark.browser
COUNT = 200


def test_cpython_and_pyodide_agree(site_dir, mnist_test, tmp_path):
    images = mnist_test[0][:COUNT]
    np.save(tmp_path / "images.npy", images)
    script = __file__.replace("test_parity.py", "pyodide_parity.js")
    subprocess.run(["node", script, str(site_dir / "assets"), str(tmp_path / "images.npy"),
                    str(tmp_path / "out.json")], check=True, timeout=300)
    pyodide = json.loads((tmp_path / "out.json").read_text())
    assert pyodide["python"].startswith("3.12") and pyodide["numpy"] == np.__version__
    for name in MODEL_NAMES:
        model = load_model(site_dir / "assets" / "models" / f"{name}.npz")
        native = [recognize(image, model=model) for image in images]
        assert pyodide[name]["digits"] == [p.digit for p in native]
        difference = np.abs(np.array(pyodide[name]["probabilities"])
                            - np.stack([p.probabilities for p in native])).max()
        print(f"\n{name}: {COUNT} images, max |p_pyodide - p_cpython| = {difference:.2e}")
        assert difference <= 1e-5
