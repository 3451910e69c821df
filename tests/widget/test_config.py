"""The widget's checked-in defaults (widget/config.js, for running it from
the checkout) say what pydigit and the plugin say: the pen, the models, the
Pyodide version."""

import json
import subprocess
from pathlib import Path

from mkdocs_pydigit.runtime import LOCK_FILE, PYODIDE_VERSION
from pydigit import pen
from pydigit.weights_file import MODEL_NAMES

WIDGET = Path(__file__).resolve().parents[2] / "widget"


def default_config():
    script = f"import config from {json.dumps((WIDGET / 'config.js').as_uri())}; console.log(JSON.stringify(config));"
    done = subprocess.run(["node", "--input-type=module", "-e", script], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_the_defaults_agree_with_their_sources():
    config = default_config()
    assert config["pen"] == {"canvasSize": pen.CANVAS_SIZE, "width": pen.PEN_WIDTH}
    assert list(config["models"]) == list(MODEL_NAMES) and config["defaultModel"] == MODEL_NAMES[0]
    assert config["pyodide"]["version"] == PYODIDE_VERSION
    assert config["pyodide"]["lockFileURL"] == config["pyodide"]["indexURL"] + LOCK_FILE
    for name, spec in config["models"].items():
        assert (WIDGET / spec["url"]).resolve() == (WIDGET.parent / "pydigit" / "weights" / f"{name}.npz")
