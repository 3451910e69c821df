"""The site's trimmed standard library (mkdocs_pydigit/slim_stdlib.py): the
widget's own worker, run under Node on the site's runtime, does all its work
on it and answers as it does on Pyodide's whole library; what it imports
there is all kept; what is kept is Pyodide's own modules, compiled for
Pyodide's Python (mkdocs_pydigit/byte_compile.py). (The parity test and the browser suite run on it too.)"""

import hashlib
import importlib.util
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from mkdocs_pydigit import runtime, slim_stdlib, stdlib_imports
from mkdocs_pydigit.byte_compile import compiled

pytestmark = pytest.mark.browser
PROJECT = Path(__file__).resolve().parents[2]
UPSTREAM = PROJECT / "node_modules" / "pyodide" / runtime.STDLIB
WORKER_IN_NODE = Path(__file__).with_name("worker_in_node.js")


def run_worker(assets, pyodide_dir, out):
    subprocess.run(["node", str(WORKER_IN_NODE), str(assets), str(pyodide_dir), str(out)],
                   check=True, timeout=300)
    return json.loads(out.read_text())


@pytest.fixture(scope="module")
def on_trimmed(site_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("trimmed") / "worker.json"
    return run_worker(site_dir / "assets", site_dir / "assets" / "pyodide", out)


@pytest.fixture(scope="module")
def on_whole(site_dir, tmp_path_factory):
    """The same on the site's runtime with Pyodide's whole standard library."""
    assert hashlib.sha256(UPSTREAM.read_bytes()).hexdigest() == runtime.RUNTIME_SHA256[runtime.STDLIB]
    tmp = tmp_path_factory.mktemp("whole")
    shutil.copytree(site_dir / "assets" / "pyodide", tmp / "pyodide")
    shutil.copyfile(UPSTREAM, tmp / "pyodide" / runtime.STDLIB)
    return run_worker(site_dir / "assets", tmp / "pyodide", tmp / "worker.json")


def test_the_worker_does_all_its_work_on_the_trimmed_stdlib(on_trimmed):
    answers = on_trimmed["answers"]
    assert [a["type"] for a in answers if a["type"] not in ("progress", "teach-progress")] == [
        "ready", "prediction", "prediction", "prediction", "error", "prediction", "number-prediction",
        "taught", "scored", "personal-ready", "error", "forgotten", "error"]
    predictions = [a for a in answers if a["type"] == "prediction"]
    assert [p["digit"] for p in predictions] == [7, 7, None, 7]
    assert [a["text"] for a in answers if a["type"] == "number-prediction"] == ["17"]
    errors = [a["message"] for a in answers if a["type"] == "error"]
    assert "lengths add up to 7 points" in errors[0]
    assert not [e for e in errors if "module" in e.lower()], errors


def test_it_answers_as_on_the_whole_stdlib(on_trimmed, on_whole):
    assert on_trimmed["answers"] == on_whole["answers"]


def test_what_the_worker_imports_is_kept(site_dir, on_whole):
    """A module the worker imports that the list misses fails here, named."""
    assert set(on_whole["stdlib"]) - set(stdlib_imports.IMPORTED) == set()
    with served_zip(site_dir) as archive:
        kept = {slim_stdlib.module_name(name.removesuffix("c")) for name in archive.namelist()}
    assert set(on_whole["stdlib"]) - kept == set()


def test_pyodide_reads_the_modules_compiled_here(on_trimmed):
    assert on_trimmed["magic"] == importlib.util.MAGIC_NUMBER.hex()


def test_what_is_kept_is_pyodides_own_compiled(site_dir):
    lock = json.loads((PROJECT / "node_modules/pyodide/pyodide-lock.json").read_text())
    mount = slim_stdlib.mount(lock["info"]["python"])
    with zipfile.ZipFile(UPSTREAM) as upstream, served_zip(site_dir) as archive:
        names = archive.namelist()
        assert names and all(name.endswith(".pyc") for name in names)
        code = compiled({mount + name.removesuffix("c"): upstream.read(name.removesuffix("c"))
                         for name in names}, slim_stdlib.OPTIMIZE)
        for name in names:
            assert archive.read(name) == code[mount + name.removesuffix("c")], name
        assert all(info.compress_type == zipfile.ZIP_STORED for info in archive.infolist())


def served_zip(site_dir):
    return zipfile.ZipFile(site_dir / "assets" / "pyodide" / runtime.STDLIB)
