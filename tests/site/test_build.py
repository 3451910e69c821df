"""What `mkdocs build` with the pydigit plugin puts in site/: the runtime
files the page needs and nothing else, every file matching its pin or the
lock, the widget's script on the pages, no URL to another origin."""

import hashlib
import json
import re
import zipfile
from pathlib import Path

from mkdocs_pydigit import runtime, slim_numpy
from mkdocs_pydigit.plugin import widget_dir
from pydigit import pen
from pydigit.weights_file import MODEL_NAMES, bundled_weights_path, figures_path

PROJECT = Path(__file__).resolve().parents[2]
CACHE = PROJECT / ".cache" / "plugin" / "pydigit"


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def site_lock(site_dir):
    return json.loads((site_dir / "assets/pyodide/pyodide-lock.json").read_text())


def test_runtime_is_the_pinned_files_and_nothing_else(site_dir):
    runtime_dir = site_dir / "assets" / "pyodide"
    lock = site_lock(site_dir)
    wheels = {entry["file_name"] for entry in lock["packages"].values()}
    assert {p.name for p in runtime_dir.iterdir()} == {*runtime.RUNTIME_SHA256, "pyodide-lock.json", *wheels}
    for name, pinned in runtime.RUNTIME_SHA256.items():
        if name != runtime.STDLIB:  # trimmed: test_trimmed_runtime.py
            assert sha256(runtime_dir / name) == pinned, name


def test_lock_matches_the_served_wheels(site_dir):
    lock = site_lock(site_dir)
    assert lock["info"]["version"] == runtime.PYODIDE_VERSION  # Pyodide refuses a lock without it
    assert set(lock["packages"]) == {"numpy", "pydigit"}
    for entry in lock["packages"].values():
        assert sha256(site_dir / "assets/pyodide" / entry["file_name"]) == entry["sha256"]
    assert lock["packages"]["pydigit"]["depends"] == ["numpy"]


def test_the_pins_are_the_npm_package_this_project_installs():
    package = json.loads((PROJECT / "package.json").read_text())
    assert package["dependencies"]["pyodide"] == runtime.PYODIDE_VERSION
    npm = PROJECT / "node_modules" / "pyodide"
    for name, pinned in {**runtime.RUNTIME_SHA256, runtime.LOCK_FILE: runtime.LOCK_SHA256}.items():
        assert sha256(npm / name) == pinned, name


def test_numpy_is_upstream_minus_what_the_page_never_imports(site_dir):
    upstream = json.loads((PROJECT / "node_modules/pyodide/pyodide-lock.json").read_text())
    entry = upstream["packages"]["numpy"]
    original = CACHE / "pyodide" / entry["file_name"]
    assert sha256(original) == entry["sha256"]
    served = site_dir / "assets" / "pyodide" / entry["file_name"]
    with zipfile.ZipFile(original) as up, zipfile.ZipFile(served) as slim:
        kept = slim.namelist()
        assert not [n for n in kept if n.startswith(("numpy/random/", "numpy/f2py/", "numpy/testing/"))]
        assert "numpy/_core/_multiarray_umath.cpython-312-wasm32-emscripten.so" in kept
        assert slim_numpy.LINALG + ".pyc" in kept and slim_numpy.LINALG + slim_numpy.EXTENSION not in kept
        assert not [n for n in kept if n.endswith(".py")]
        for name in kept:  # every other kept file byte for byte as Pyodide published it
            if not name.endswith(("RECORD", ".pyc")):
                assert slim.read(name) == up.read(name), name


def test_pydigit_wheel_is_compiled_pydigit_only(site_dir):
    wheel = site_dir / "assets/pyodide" / site_lock(site_dir)["packages"]["pydigit"]["file_name"]
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    code = [n for n in names if ".dist-info/" not in n]
    assert "pydigit/recognize.pyc" in code and not [n for n in code if n.endswith(".py")]
    assert all(n.startswith("pydigit/") and not n.startswith("pydigit/weights/") for n in code), code
    modules = {p.name for p in (PROJECT / "pydigit").glob("*.py")}
    assert {Path(n).name[:-1] for n in code} == modules


def test_models_and_widget_config(site_dir):
    for name in MODEL_NAMES:
        assert sha256(site_dir / "assets/models" / f"{name}.npz") == sha256(bundled_weights_path(name))
    config = (site_dir / "assets/digit-pad/config.js").read_text()
    data = json.loads(config[config.index("{"):config.rindex("}") + 1])
    assert data["pen"] == {"canvasSize": pen.CANVAS_SIZE, "width": pen.PEN_WIDTH}
    assert list(data["models"]) == list(MODEL_NAMES) and data["defaultModel"] == MODEL_NAMES[0]
    for name in MODEL_NAMES:
        metrics = json.loads(figures_path(bundled_weights_path(name), "metrics").read_text())
        assert data["models"][name]["notSure"] == metrics["not_sure_threshold"]["value"]


def test_the_widget_is_its_source(site_dir):
    shipped = site_dir / "assets" / "digit-pad"
    for source in widget_dir().glob("*.js"):
        if source.name != "config.js":  # written by the build
            assert (shipped / source.name).read_bytes() == source.read_bytes(), source.name


def test_every_page_loads_the_widget_once(site_dir):
    """Instant navigation is on: a page without a pad may lead to one."""
    for page in site_dir.rglob("index.html"):
        scripts = re.findall(r'<script type="module" src="([^"]+)"', page.read_text())
        assert len([s for s in scripts if s.endswith("assets/digit-pad/digit-pad.js")]) == 1, page
        (widget_script,) = [s for s in scripts if s.endswith("digit-pad.js")]
        assert (page.parent / widget_script).resolve() == (site_dir / "assets/digit-pad/digit-pad.js").resolve()


def test_placeholders_are_filled(site_dir):
    for page in site_dir.rglob("*.html"):
        assert "{{" not in re.sub(r"<(pre|code)\b.*?</\1>", "", page.read_text(), flags=re.S), page
    card = (site_dir / "model-card" / "index.html").read_text()
    assert "MNIST test set" in card and "cnn-confusion-pen.png" in card


def test_pages_reference_only_their_own_origin(site_dir):
    pages = list(site_dir.rglob("*.html"))
    assert len(pages) >= 5
    for page in pages:
        if page.name == "404.html":
            continue  # served at any missing path, so MkDocs makes its links absolute
        html = page.read_text()
        # src= and <link href= load things; <a href> to another site is only a
        # link, and so is the canonical URL (site_url).
        loaded = re.findall(r'<(?:script|img|link|iframe|source)\b(?![^>]*rel="canonical")[^>]*\b(?:src|href)="([^"]+)"', html)
        assert not [u for u in loaded if re.match(r"(https?:)?//", u)], page
        assert 'href="/' not in html and 'src="/' not in html, f"absolute path in {page}"
