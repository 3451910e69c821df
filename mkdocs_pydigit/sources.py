"""Getting a pinned file: try each source in turn, keep the first whose bytes
match the pinned sha256, and say everything that was tried when none does.

Every file the plugin puts into a site (the Pyodide runtime, NumPy's wheel)
comes through here, so a wrong or tampered file can never reach a visitor:
it stops the build instead.
"""

import hashlib
import urllib.request
from pathlib import Path

from mkdocs.exceptions import PluginError


def sha256(data):
    return hashlib.sha256(data).hexdigest()


class Unavailable(PluginError):
    """No source had the file with the pinned sha256."""


def in_directory(directory, label):
    """A source reading files from ``directory`` (skipped when it does not exist)."""
    def read(file_name):
        path = Path(directory) / file_name
        if not path.is_file():
            raise FileNotFoundError(f"no {path}")
        return path.read_bytes()
    read.label = f"{label} {directory}"
    return read


def at_url(url_template, label):
    """A source downloading ``url_template.format(file_name=...)``."""
    def read(file_name):
        with urllib.request.urlopen(url_template.format(file_name=file_name), timeout=30) as response:
            return response.read()
    read.label = label
    return read


def describe(error):
    """The last line of what went wrong (pip's stderr ends with the reason)."""
    text = str(getattr(error, "stderr", None) or error).strip()
    return text.splitlines()[-1] if text else type(error).__name__


def fetch_verified(file_name, expected_sha256, sources, cache_dir):
    """The path of ``file_name`` with sha256 ``expected_sha256``: from
    ``cache_dir`` if it is there, else from the first of ``sources`` (callables
    file_name -> bytes, each with a ``label``) that has it, then kept in
    ``cache_dir``. Raises Unavailable naming the file and every source tried."""
    cache_dir = Path(cache_dir)
    cached = cache_dir / file_name
    tried = []
    if cached.is_file():
        if sha256(cached.read_bytes()) == expected_sha256:
            return cached
        tried.append(f"cache {cached}: sha256 mismatch")
    for source in sources:
        try:
            data = source(file_name)
        except Exception as error:  # noqa: BLE001 - any failure of a source means: try the next
            tried.append(f"{source.label}: {describe(error)}")
            continue
        if sha256(data) != expected_sha256:
            tried.append(f"{source.label}: sha256 {sha256(data)} is not the pinned {expected_sha256}")
            continue
        cache_dir.mkdir(parents=True, exist_ok=True)
        cached.write_bytes(data)
        return cached
    raise Unavailable(f"cannot get {file_name} with sha256 {expected_sha256}. Tried:\n  "
                      + "\n  ".join(tried or ["no source"]))
