"""The site's pyodide-lock.json and byte-compiled pydigit wheel, written by
pyodide-build's own commands.

Pinned in pyproject.toml: pyodide-build 0.37.0 with pyodide-lock 0.1.2.
pyodide-lock 0.1.3 and later drop ``info.version`` from the lock, which
Pyodide 0.27.7 rejects ("Lock file version doesn't match Pyodide version");
0.1.0a7/a8 (pinned by pyodide-build 0.29-0.30.5) silently leave the added
wheel out. Neither command needs network access (no cross-build environment).
"""

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def pyodide_cli():
    """pyodide-build's command, beside this Python first: the venv need not be on PATH."""
    beside = Path(sys.executable).parent / "pyodide"
    found = str(beside) if beside.is_file() else shutil.which("pyodide")
    if not found:
        raise SystemExit("the `pyodide` command (pyodide-build) is missing: run scripts/setup")
    return found


def write_site_lock(upstream, vendored, wheel, out_dir):
    """Lock the ``vendored`` Pyodide packages ({name: path of the file the site
    serves}, e.g. the slim NumPy: Pyodide's own entry with the served file's
    sha256) plus ``wheel``, then byte-compile the wheel for Python 3.12.
    Writes the compiled wheel and ``pyodide-lock.json`` into out_dir; returns
    the compiled wheel's path.

    The lock lists only what the page loads: Pyodide's full lock is 112 KB
    and every visitor would download it."""
    with tempfile.TemporaryDirectory() as tmp:
        stage = Path(tmp)
        base = {"info": upstream["info"], "packages": {
            name: {**upstream["packages"][name], "file_name": Path(path).name,
                   "sha256": hashlib.sha256(Path(path).read_bytes()).hexdigest()}
            for name, path in vendored.items()}}
        (stage / "base-lock.json").write_text(json.dumps(base))
        staged_wheel = shutil.copy(wheel, stage)
        # Lock first: add-wheels rejects a wheel already compiled to cp312.
        subprocess.run([pyodide_cli(), "lockfile", "add-wheels", "--input", "base-lock.json",
                        "--output", "pyodide-lock.json", Path(staged_wheel).name],
                       cwd=stage, check=True, capture_output=True)
        (stage / "base-lock.json").unlink()
        # In a folder, py-compile compiles every wheel and updates the lock beside them.
        subprocess.run([pyodide_cli(), "py-compile", "--silent", "."], cwd=stage, check=True,
                       capture_output=True)
        compiled = next(stage.glob("*.whl"))
        shutil.copyfile(compiled, Path(out_dir) / compiled.name)
        shutil.copyfile(stage / "pyodide-lock.json", Path(out_dir) / "pyodide-lock.json")
        return Path(out_dir) / compiled.name
