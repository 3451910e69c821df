"""What a first visit downloads, file by file, as a static host would serve
it: raw, gzip -9 and brotli -q 11.

Hosts compress by content type. Zip-based files (.whl, .zip, .npz) are
usually sent as they are (application/zip, application/octet-stream), and
whether compressing them helps depends on how they were zipped: entries that
are deflated already do not shrink again; stored entries (the slimmed NumPy
wheel, Pyodide's stdlib zip) do. ``zip_storage`` says which.
"""

import gzip
import io
import json
import zipfile
from pathlib import Path

from mkdocs_pydigit import service_worker

ZIP_SUFFIXES = (".whl", ".zip", ".npz")


def compressed_sizes(data):
    """data: bytes -> {raw, gzip, brotli} sizes in bytes."""
    try:
        import brotli
    except ImportError:
        raise SystemExit("the bench needs brotli: pip install -e '.[bench]'") from None
    return {"raw": len(data),
            "gzip": len(gzip.compress(data, compresslevel=9, mtime=0)),
            "brotli": len(brotli.compress(data, quality=11))}


def zip_storage(path, data):
    """For a zip-based file: "deflated", "stored" or "mixed" by its entries'
    bytes; None for other files."""
    if Path(path).suffix not in ZIP_SUFFIXES:
        return None
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sizes = {"deflated": 0, "stored": 0}
        for info in archive.infolist():
            kind = "stored" if info.compress_type == zipfile.ZIP_STORED else "deflated"
            sizes[kind] += info.file_size
    if not sizes["deflated"]:
        return "stored"
    return "deflated" if sizes["stored"] < 0.05 * sum(sizes.values()) else "mixed"


def precached_paths(site_dir, which="files"):
    """-> the paths (from the site's root) of the files the site's service
    worker fetches when it installs (which="files"), or keeps the first time
    a page asks for them ("later": the weights of the models not shown
    first), as its script names them; none without one."""
    script = Path(site_dir) / service_worker.SCRIPT
    if not script.is_file():
        return []
    text = script.read_text()
    start = text.index("const BUILD = ") + len("const BUILD = ")
    return list(json.loads(text[start:text.index(";\nimportScripts")]).get(which, {}))


def size_rows(files):
    """files: {url: Path of the file the server sent} -> one row per file:
    {url, file, raw, gzip, brotli, zip}, largest raw first."""
    rows = []
    for url, path in files.items():
        data = Path(path).read_bytes()
        rows.append({"url": url, "file": Path(path).name, **compressed_sizes(data),
                     "zip": zip_storage(path, data)})
    return sorted(rows, key=lambda row: -row["raw"])


def size_totals(rows):
    """rows from size_rows -> totals in bytes:
    raw, gzip, brotli: every file compressed (a host sends the smaller of raw
      and compressed; brotli is the headline figure);
    brotli_zips_as_is: zip-based files sent uncompressed, the rest brotli,
      what a host that compresses by content type sends."""
    return {
        "files": len(rows),
        "raw": sum(r["raw"] for r in rows),
        "gzip": sum(min(r["raw"], r["gzip"]) for r in rows),
        "brotli": sum(min(r["raw"], r["brotli"]) for r in rows),
        "brotli_zips_as_is": sum(r["raw"] if r["zip"] else min(r["raw"], r["brotli"]) for r in rows),
    }
