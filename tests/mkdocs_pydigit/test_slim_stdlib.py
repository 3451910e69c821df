"""What the trimmed standard library keeps, and the build's own check that it
misses nothing the page imports (mkdocs_pydigit/slim_stdlib.py), on
Pyodide's own zip and lock from the npm package."""

import json
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from mkdocs_pydigit import slim_stdlib, stdlib_imports

NPM_PYODIDE = Path(__file__).resolve().parents[2] / "node_modules" / "pyodide"


@pytest.fixture(scope="module")
def upstream():
    """-> (zip sources, lock) of Pyodide's npm package."""
    return (slim_stdlib.zip_sources(NPM_PYODIDE / "python_stdlib.zip"),
            json.loads((NPM_PYODIDE / "pyodide-lock.json").read_text()))


def pydigit_made_of(monkeypatch, source):
    monkeypatch.setattr(slim_stdlib, "package_sources", lambda: {"pydigit/__init__.py": source})


def test_imports_are_read_as_python_resolves_them():
    source = b"import a.b\nfrom . import c\nfrom ..d import e\ndef f():\n    import g\n"
    assert slim_stdlib.imported_names(source, "p.q.m", False) == {
        "a.b": True, "p.q": True, "p.q.c": False, "p.d": True, "p.d.e": False}
    assert "g" in slim_stdlib.imported_names(source, "p.q.m", False, everywhere=True)


def test_what_was_traced_is_kept_without_its_untraced_imports():
    sources = {"a": (b"import b\n", False), "b": (b"", False), "c": (b"import d\n", True),
               "c.x": (b"from . import y\n", False), "c.y": (b"", False), "d": (b"", False)}
    assert slim_stdlib.closure({"a", "c.x"}, sources, traced={"a"}) == {"a", "c", "c.x", "c.y", "d"}


def test_the_site_keeps_the_traced_modules_and_pydigits(upstream):
    kept = slim_stdlib.kept_modules(*upstream)
    assert set(stdlib_imports.IMPORTED) <= kept
    assert {"json", "zipfile", "dataclasses", "random", "pathlib"} <= kept
    assert not {"unittest", "asyncio.windows_events", "doctest", "tkinter"} & kept


def test_an_import_added_to_pydigit_is_kept_with_what_it_imports(monkeypatch, upstream):
    pydigit_made_of(monkeypatch, b"def f():\n    import statistics\n")
    assert not {"statistics", "fractions", "decimal"} & set(stdlib_imports.IMPORTED)
    assert {"statistics", "fractions", "decimal"} <= slim_stdlib.kept_modules(*upstream)


@pytest.mark.parametrize("module, why", [
    ("sqlite3", "sqlite3: Pyodide ships it as a package of its own"),
    ("scipy", "scipy: not in Pyodide's standard library"),
    ("json.nothing", "json.nothing: not in Pyodide's standard library"),
])
def test_an_import_the_page_would_miss_fails_the_build(monkeypatch, upstream, module, why):
    pydigit_made_of(monkeypatch, f"import {module}\n".encode())
    with pytest.raises(PluginError, match=why):
        slim_stdlib.kept_modules(*upstream)


def test_a_traced_module_pyodide_does_not_have_fails_the_build(monkeypatch, upstream):
    monkeypatch.setattr(stdlib_imports, "IMPORTED", (*stdlib_imports.IMPORTED, "nonexistent"))
    with pytest.raises(PluginError, match="nonexistent: traced, but not in"):
        slim_stdlib.kept_modules(*upstream)


def test_names_from_a_module_are_not_modules(monkeypatch, upstream):
    pydigit_made_of(monkeypatch, b"from functools import lru_cache\nimport math\n")
    assert "functools" in slim_stdlib.kept_modules(*upstream)
