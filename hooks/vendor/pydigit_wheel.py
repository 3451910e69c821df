"""The pydigit wheel the browser installs: this checkout's code, without the
weights (the worker fetches those as separate files, so that a visitor
downloads each model once, and only the one they use)."""

import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
LEFT_OUT = "pydigit/weights/"


def build(out_dir):
    """Build the wheel from PROJECT into out_dir; returns its path."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                        "--quiet", "--wheel-dir", tmp, str(PROJECT)], check=True)
        built = next(Path(tmp).glob("pydigit-*.whl"))
        target = Path(out_dir) / built.name
        without_weights(built, target)
    return target


def without_weights(source, target):
    """Copy a wheel, leaving out LEFT_OUT and its lines in RECORD."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename.startswith(LEFT_OUT):
                continue
            data = src.read(info)
            if info.filename.endswith(".dist-info/RECORD"):
                lines = data.decode().splitlines(keepends=True)
                data = "".join(line for line in lines if not line.startswith(LEFT_OUT)).encode()
            dst.writestr(info, data)
