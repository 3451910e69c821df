"""NumPy's Pyodide wheel without what the page never imports, stored
uncompressed.

NumPy is the largest download of a first visit (3.0 MB). `import numpy`
loads only the core, lib, linalg and matrixlib; random, fft, polynomial, ma,
f2py and testing load lazily and pydigit's inference never touches them
(layers draw random numbers only in training). Typing stubs, C headers,
static libraries and Cython declarations are for building against NumPy, not
for running it.

Entries are stored, not deflated: a static host compresses the whole file
with brotli or gzip, which shrinks the WebAssembly modules much better than
per-file deflate does. tests/site/test_parity.py checks that the result still
imports and gives the same answers as CPython.
"""

import hashlib
import zipfile
from pathlib import Path

LEFT_OUT_PACKAGES = ("random", "fft", "polynomial", "ma", "f2py", "testing", "typing",
                     "_pyinstaller", "doc")
LEFT_OUT_SUFFIXES = (".pyi", ".h", ".a", ".pxd", ".pyx", ".c", ".rst", ".md", "py.typed")
LEFT_OUT_DIRS = ("/include/", "/lib/npy-pkg-config/")


def needed(name):
    if name.endswith(".dist-info/RECORD") or ".dist-info/" in name:
        return True
    parts = name.split("/")
    if len(parts) > 2 and parts[0] == "numpy" and parts[1] in LEFT_OUT_PACKAGES:
        return False
    return not name.endswith(LEFT_OUT_SUFFIXES) and not any(d in name for d in LEFT_OUT_DIRS)


def slimmed(source, cache_dir):
    """The slim copy of the wheel ``source``, made once per wheel and set of
    rules and kept in ``cache_dir``."""
    rules = repr((LEFT_OUT_PACKAGES, LEFT_OUT_SUFFIXES, LEFT_OUT_DIRS)).encode()
    target = Path(cache_dir) / f"slim-{hashlib.sha256(rules).hexdigest()[:12]}" / Path(source).name
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".partial")
        slim(source, partial)
        partial.replace(target)
    return target


def slim(source, target):
    """Write the slim copy of the wheel ``source`` to ``target``; returns
    (entries kept, entries left out). RECORD lists only what is kept."""
    kept = left_out = 0
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            if not needed(info.filename):
                left_out += 1
                continue
            data = src.read(info)
            if info.filename.endswith(".dist-info/RECORD"):
                lines = data.decode().splitlines(keepends=True)
                data = "".join(line for line in lines if needed(line.split(",", 1)[0])).encode()
            info.compress_type = zipfile.ZIP_STORED
            dst.writestr(info, data)
            kept += 1
    return kept, left_out
