"""What `mkdocs build` puts in site/: the runtime files the page needs and
nothing else, every wheel matching the lock, no URL to another origin."""

import hashlib
import json
import re
import sys
import zipfile
from pathlib import Path

import pytest

from pydigit import pen
from pydigit.weights_file import MODEL_NAMES

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT / "hooks"))
from vendor import pyodide_packages  # noqa: E402

UPSTREAM_LOCK = json.loads((PROJECT / "node_modules/pyodide/pyodide-lock.json").read_text())


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_runtime_is_vendored_without_extras(site_dir):
    runtime = site_dir / "assets" / "pyodide"
    names = {p.name for p in runtime.iterdir()}
    assert {"pyodide.js", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip",
            "pyodide-lock.json"} <= names
    # Only what the page loads: no Node glue, type stubs, source maps or demo page.
    assert not names & {"pyodide.d.ts", "ffi.d.ts", "console.html", "pyodide.js.map", "package.json"}
    for name in ("pyodide.asm.wasm", "python_stdlib.zip", "pyodide.asm.js"):
        assert sha256(runtime / name) == sha256(PROJECT / "node_modules/pyodide" / name)


def test_lock_matches_the_served_wheels(site_dir):
    runtime = site_dir / "assets" / "pyodide"
    lock = json.loads((runtime / "pyodide-lock.json").read_text())
    assert lock["info"]["version"] == json.loads((PROJECT / "package.json").read_text())[
        "dependencies"]["pyodide"]  # Pyodide refuses a lock without its own version
    assert set(lock["packages"]) == {"numpy", "pydigit"}
    for entry in lock["packages"].values():
        assert sha256(runtime / entry["file_name"]) == entry["sha256"]
    assert lock["packages"]["pydigit"]["depends"] == ["numpy"]


def test_numpy_is_upstream_minus_what_the_page_never_imports(site_dir):
    upstream_entry = UPSTREAM_LOCK["packages"]["numpy"]
    original = pyodide_packages.CACHE / upstream_entry["file_name"]
    assert sha256(original) == upstream_entry["sha256"]
    served = site_dir / "assets" / "pyodide" / upstream_entry["file_name"]
    with zipfile.ZipFile(original) as up, zipfile.ZipFile(served) as slim:
        kept = slim.namelist()
        assert not [n for n in kept if n.startswith(("numpy/random/", "numpy/f2py/", "numpy/testing/"))]
        assert "numpy/_core/_multiarray_umath.cpython-312-wasm32-emscripten.so" in kept
        for name in kept:  # every kept file byte for byte as Pyodide published it
            if not name.endswith("RECORD"):
                assert slim.read(name) == up.read(name), name


def test_pydigit_wheel_is_compiled_and_without_weights(site_dir):
    lock = json.loads((site_dir / "assets/pyodide/pyodide-lock.json").read_text())
    wheel = site_dir / "assets/pyodide" / lock["packages"]["pydigit"]["file_name"]
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert "pydigit/recognize.pyc" in names and "pydigit/recognize.py" not in names
    assert not [n for n in names if n.startswith("pydigit/weights/")]


def test_models_and_widget_config(site_dir):
    for name in MODEL_NAMES:
        assert sha256(site_dir / "assets/models" / f"{name}.npz") == sha256(
            PROJECT / "pydigit/weights" / f"{name}.npz")
    config = (site_dir / "assets/digit-pad/config.js").read_text()
    data = json.loads(config[config.index("{"):config.rindex("}") + 1])
    assert data["pen"] == {"canvasSize": pen.CANVAS_SIZE, "width": pen.PEN_WIDTH}
    for name in MODEL_NAMES:
        metrics = json.loads((PROJECT / "pydigit/weights" / f"{name}.metrics.json").read_text())
        assert data["models"][name]["notSure"] == metrics["not_sure_threshold"]["value"]


def test_pages_reference_only_their_own_origin(site_dir):
    pages = list(site_dir.rglob("*.html"))
    assert len(pages) >= 5
    for page in pages:
        if page.name == "404.html":
            continue  # served at any missing path, so MkDocs makes its links absolute
        html = page.read_text()
        # src= and <link href= load things; <a href> to another site is only a link.
        loaded = re.findall(r'<(?:script|img|link|iframe|source)\b[^>]*\b(?:src|href)="([^"]+)"', html)
        assert not [u for u in loaded if re.match(r"(https?:)?//", u)], page
        assert 'href="/' not in html and 'src="/' not in html, f"absolute path in {page}"


def test_a_wheel_found_nowhere_stops_the_build_naming_what_was_tried(tmp_path, monkeypatch):
    monkeypatch.setattr(pyodide_packages, "CACHE", tmp_path)
    monkeypatch.setattr(pyodide_packages, "RELEASE_URL", "http://127.0.0.1:9/{version}/{file_name}")
    monkeypatch.setattr(pyodide_packages, "WHEEL_CARRIER", "pydigit-no-such-carrier==0.0.0")
    entry = UPSTREAM_LOCK["packages"]["numpy"]
    (tmp_path / entry["file_name"]).write_bytes(b"not the real wheel")
    with pytest.raises(SystemExit) as stop:
        pyodide_packages.fetch_verified(["numpy"], UPSTREAM_LOCK, "0.27.7")
    message = str(stop.value)
    assert entry["file_name"] in message
    assert "sha256 mismatch" in message and "release files" in message and "pydigit-no-such-carrier" in message
