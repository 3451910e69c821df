"""The pydigit wheel the browser installs, and the lock file naming it.

The wheel holds the ``pydigit`` package's code only, taken from wherever
``pydigit`` is imported from (a checkout or site-packages): no weights (the
worker fetches each model as a file of its own, so a visitor downloads only
the one they use) and nothing of this plugin. When the build runs on the
Python that Pyodide runs, the modules are byte-compiled, as Pyodide's own
wheels are (smaller, and nothing to compile in the visitor's browser);
otherwise they ship as source. Wheels are cached by a hash of what goes in,
so a ``mkdocs serve`` reload with unchanged sources reuses the last one.
"""

import base64
import hashlib
import json
import py_compile
import sys
import tempfile
import zipfile
from pathlib import Path

import pydigit

# Bumped when the way the wheel is made changes: old cached wheels are not reused.
WHEEL_RECIPE = 1
FIXED_TIME = (2020, 2, 2, 0, 0, 0)  # every entry's timestamp: the same sources, the same bytes


def package_sources():
    """-> {path in the wheel: bytes} for pydigit's modules (weights left out)."""
    root = Path(pydigit.__file__).parent
    return {f"pydigit/{path.relative_to(root).as_posix()}": path.read_bytes()
            for path in sorted(root.rglob("*.py")) if "__pycache__" not in path.parts}


def byte_compile(name, source):
    """Source bytes -> .pyc bytes for this interpreter (unchecked hash: no
    timestamps, so the same source gives the same bytes)."""
    with tempfile.TemporaryDirectory() as tmp:
        py, pyc = Path(tmp) / "module.py", Path(tmp) / "module.pyc"
        py.write_bytes(source)
        py_compile.compile(str(py), cfile=str(pyc), dfile=name, doraise=True,
                           invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
        return pyc.read_bytes()


def runs_pyodide_python(pyodide_python):
    """Whether this interpreter's .pyc files load in Pyodide's ("3.12.7", from
    its lock): one magic number per minor version."""
    return sys.version_info[:2] == tuple(map(int, pyodide_python.split(".")[:2]))


def record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def wheel_entries(sources, compiled):
    """-> (file name of the wheel, {path: bytes} of everything in it)."""
    version, tag = pydigit.__version__, "cp312" if compiled else "py3"
    entries = {}
    for name, source in sources.items():
        if compiled:
            entries[name + "c"] = byte_compile(name, source)
        else:
            entries[name] = source
    info = f"pydigit-{version}.dist-info"
    entries[f"{info}/METADATA"] = (f"Metadata-Version: 2.1\nName: pydigit\nVersion: {version}\n"
                                   "Requires-Dist: numpy\n").encode()
    entries[f"{info}/WHEEL"] = (f"Wheel-Version: 1.0\nGenerator: mkdocs_pydigit\n"
                                f"Root-Is-Purelib: true\nTag: {tag}-none-any\n").encode()
    entries[f"{info}/top_level.txt"] = b"pydigit\n"
    record = [record_line(name, data) for name, data in entries.items()] + [f"{info}/RECORD,,"]
    entries[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode()
    return f"pydigit-{version}-{tag}-none-any.whl", entries


def build_wheel(cache_dir, pyodide_python):
    """-> the path of the browser wheel in ``cache_dir``, made if not cached.
    pyodide_python: the version Pyodide runs ("3.12.7"), from its lock."""
    sources = package_sources()
    compiled = runs_pyodide_python(pyodide_python)
    key = hashlib.sha256(json.dumps([WHEEL_RECIPE, compiled, sys.version_info[:2], {
        name: hashlib.sha256(data).hexdigest() for name, data in sources.items()}]).encode())
    file_name, _ = wheel_entries({}, compiled)
    target = Path(cache_dir) / "wheels" / key.hexdigest()[:16] / file_name
    if target.is_file():
        return target
    _, entries = wheel_entries(sources, compiled)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(zipfile.ZipInfo(name, FIXED_TIME), data, zipfile.ZIP_DEFLATED)
    partial.replace(target)
    return target


def lock_entry(wheel, depends):
    """A pyodide-lock.json entry for the browser wheel."""
    return {"name": "pydigit", "version": pydigit.__version__, "file_name": wheel.name,
            "install_dir": "site", "sha256": hashlib.sha256(wheel.read_bytes()).hexdigest(),
            "package_type": "package", "imports": ["pydigit"], "depends": list(depends),
            "unvendored_tests": False, "shared_library": False}


def site_lock(upstream, served, wheel):
    """The lock the site serves: Pyodide's ``info`` (0.27.7 refuses a lock
    without its own version), the ``served`` packages ({name: path of the
    file the site serves, e.g. the slimmed NumPy}) with their served files'
    names and sha256s, and pydigit. Only what the page loads: Pyodide's full
    lock is 112 KB and every visitor would download it."""
    packages = {name: {**upstream["packages"][name], "file_name": Path(path).name,
                       "sha256": hashlib.sha256(Path(path).read_bytes()).hexdigest()}
                for name, path in served.items()}
    packages["pydigit"] = lock_entry(wheel, depends=["numpy"])
    return {"info": upstream["info"], "packages": packages}

