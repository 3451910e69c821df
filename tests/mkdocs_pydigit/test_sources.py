"""Pinned files: the first source with the right bytes wins, the cache keeps
them, and a file found nowhere stops the build saying what was tried."""

import hashlib
from pathlib import Path

import pytest

from mkdocs_pydigit import runtime
from mkdocs_pydigit.sources import Unavailable, at_url, fetch_verified, in_directory

GOOD = b"the real file"
PIN = hashlib.sha256(GOOD).hexdigest()


def source(data, label):
    def read(file_name):
        if isinstance(data, Exception):
            raise data
        return data
    read.label = label
    return read


def test_the_first_source_with_the_pinned_bytes_wins_and_is_cached(tmp_path):
    sources = [source(OSError("unreachable"), "first"), source(b"tampered", "second"),
               source(GOOD, "third"), source(AssertionError("never asked"), "fourth")]
    path = fetch_verified("file.bin", PIN, sources, tmp_path / "cache")
    assert path == tmp_path / "cache" / "file.bin" and path.read_bytes() == GOOD
    # Next time the cache answers: no source is asked.
    assert fetch_verified("file.bin", PIN, [source(AssertionError(), "x")], tmp_path / "cache") == path


def test_a_file_found_nowhere_names_every_source_tried(tmp_path):
    (tmp_path / "file.bin").write_bytes(b"stale")
    sources = [in_directory(tmp_path / "missing", "npm package pyodide in"),
               at_url("http://127.0.0.1:9/{file_name}", "Pyodide release files"),
               source(b"tampered", "a carrier")]
    with pytest.raises(Unavailable) as stop:
        fetch_verified("file.bin", PIN, sources, tmp_path)
    message = str(stop.value)
    assert "file.bin" in message and PIN in message
    assert f"cache {tmp_path / 'file.bin'}: sha256 mismatch" in message
    assert "npm package pyodide in" in message and "Pyodide release files" in message
    assert f"a carrier: sha256 {hashlib.sha256(b'tampered').hexdigest()}" in message


def test_the_runtime_comes_from_the_npm_package_when_offline(tmp_path):
    npm = Path(__file__).resolve().parents[2] / "node_modules" / "pyodide"
    files = runtime.fetch_runtime(tmp_path, npm, download=False)
    assert set(files) == {*runtime.RUNTIME_SHA256, runtime.LOCK_FILE}
    assert all(path.parent == tmp_path for path in files.values())


def test_a_wrong_pyodide_package_stops_the_build(tmp_path):
    fake = tmp_path / "pyodide"
    fake.mkdir()
    for name in (*runtime.RUNTIME_SHA256, runtime.LOCK_FILE):
        (fake / name).write_text("not Pyodide")
    with pytest.raises(Unavailable) as stop:
        runtime.fetch_runtime(tmp_path / "cache", fake, download=False)
    message = str(stop.value)
    assert message.startswith("cannot get pyodide.mjs") and f"in {fake}: sha256" in message
    assert "is not the pinned" in message
