"""The wheel the browser installs: pydigit's code only, byte-compiled for
Pyodide's Python, the same bytes for the same sources, cached by their hash."""

import sys
import zipfile

import pytest

from mkdocs_pydigit import browser_wheel

PYODIDE_PYTHON = "3.12.7"
BUILD_IS_312 = sys.version_info[:2] == (3, 12)


def names(wheel):
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


@pytest.mark.skipif(not BUILD_IS_312, reason="byte-compiling for Pyodide needs Python 3.12")
def test_compiled_on_pyodides_python(tmp_path):
    wheel = browser_wheel.build_wheel(tmp_path, PYODIDE_PYTHON)
    assert wheel.name == "pydigit-0.1.0-cp312-none-any.whl"
    code = [n for n in names(wheel) if ".dist-info/" not in n]
    assert "pydigit/__init__.pyc" in code and all(n.endswith(".pyc") for n in code)
    assert not [n for n in names(wheel) if n.startswith(("mkdocs_pydigit/", "pydigit/weights/"))]


def test_source_on_any_other_python(tmp_path):
    wheel = browser_wheel.build_wheel(tmp_path, "3.99.0")
    assert wheel.name == "pydigit-0.1.0-py3-none-any.whl"
    assert "pydigit/recognize.py" in names(wheel)


def test_same_sources_same_wheel_from_the_cache(tmp_path, monkeypatch):
    first = browser_wheel.build_wheel(tmp_path / "a", PYODIDE_PYTHON)
    again = browser_wheel.build_wheel(tmp_path / "b", PYODIDE_PYTHON)
    assert first.read_bytes() == again.read_bytes()  # reproducible
    stamp = first.stat().st_mtime_ns
    assert browser_wheel.build_wheel(tmp_path / "a", PYODIDE_PYTHON) == first
    assert first.stat().st_mtime_ns == stamp  # reused, not rebuilt
    sources = browser_wheel.package_sources()
    edited = {**sources, "pydigit/pen.py": sources["pydigit/pen.py"] + b"\n# edited\n"}
    monkeypatch.setattr(browser_wheel, "package_sources", lambda: edited)
    changed = browser_wheel.build_wheel(tmp_path / "a", PYODIDE_PYTHON)
    assert changed != first and changed.read_bytes() != first.read_bytes()


def test_record_and_lock_entry_describe_the_wheel(tmp_path):
    wheel = browser_wheel.build_wheel(tmp_path, PYODIDE_PYTHON)
    with zipfile.ZipFile(wheel) as archive:
        record = archive.read("pydigit-0.1.0.dist-info/RECORD").decode().splitlines()
        listed = {line.split(",")[0] for line in record}
        assert listed == set(archive.namelist())
        for line in record:
            name, digest, size = line.split(",")
            if digest:
                assert int(size) == len(archive.read(name))
    entry = browser_wheel.lock_entry(wheel, ["numpy"])
    assert entry["file_name"] == wheel.name and entry["imports"] == ["pydigit"]
    assert len(entry["sha256"]) == 64
