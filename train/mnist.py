"""The MNIST loader: the four original IDX files, found locally or downloaded
and checked against their md5.

Where the files are looked for, in order: the ``data_dir`` argument
(``--data DIR``), the ``PYDIGIT_MNIST_DIR`` environment variable, ``data/mnist/``
in the project, ``../shared/data/mnist/`` beside it; then a download into
``data/mnist/`` from the usual public mirrors. If none works the error lists
everything that was tried.
"""

import gzip
import hashlib
import os
import urllib.request
from pathlib import Path

import numpy as np

PROJECT = Path(__file__).resolve().parent.parent
FILES = {  # name: md5 of the original distribution's .gz
    "train-images-idx3-ubyte.gz": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
    "train-labels-idx1-ubyte.gz": "d53e105ee54ea40749a09fcbcd1e9432",
    "t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
    "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c",
}
MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)
DOWNLOAD_DIR = PROJECT / "data" / "mnist"


class MnistNotFound(FileNotFoundError):
    pass


def md5(path):
    return hashlib.md5(Path(path).read_bytes()).hexdigest()


def candidate_dirs(data_dir=None):
    dirs = [data_dir, os.environ.get("PYDIGIT_MNIST_DIR"), DOWNLOAD_DIR,
            PROJECT.parent / "shared" / "data" / "mnist"]
    return [Path(d) for d in dirs if d]


def has_all_files(directory):
    return all((directory / name).is_file() for name in FILES)


def download(directory, mirrors=None, timeout=30):
    """Download the four files into ``directory``, checking each md5.
    Returns a list of failures (empty when all went well)."""
    mirrors = MIRRORS if mirrors is None else mirrors
    directory.mkdir(parents=True, exist_ok=True)
    failures = []
    for name, expected in FILES.items():
        target = directory / name
        if target.is_file() and md5(target) == expected:
            continue
        for mirror in mirrors:
            try:
                with urllib.request.urlopen(mirror + name, timeout=timeout) as response:
                    data = response.read()
            except OSError as error:
                failures.append(f"{mirror}{name}: {error}")
                continue
            if hashlib.md5(data).hexdigest() != expected:
                failures.append(f"{mirror}{name}: md5 mismatch")
                continue
            target.write_bytes(data)
            break
    complete = all((directory / name).is_file() and md5(directory / name) == expected
                   for name, expected in FILES.items())
    return [] if complete else failures


def find_mnist(data_dir=None, allow_download=True):
    """The directory holding the four files, checked; downloads if needed."""
    tried = []
    for directory in candidate_dirs(data_dir):
        if has_all_files(directory):
            bad = [name for name, digest in FILES.items() if md5(directory / name) != digest]
            if not bad:
                return directory
            tried.append(f"{directory}: md5 mismatch for {', '.join(bad)}")
        else:
            tried.append(f"{directory}: files missing")
    if allow_download:
        failures = download(DOWNLOAD_DIR)
        if not failures:
            return DOWNLOAD_DIR
        tried += [f"download: {failure}" for failure in failures]
    raise MnistNotFound(
        "MNIST not found. Put the four IDX .gz files in a directory and pass "
        "--data DIR or set PYDIGIT_MNIST_DIR. Tried:\n  " + "\n  ".join(tried))


def read_idx(path):
    """An IDX .gz file -> uint8 array of the shape its header gives."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    if data[:2] != b"\x00\x00" or data[2] != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    ndim = data[3]
    shape = tuple(int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    return np.frombuffer(data, np.uint8, offset=4 + 4 * ndim).reshape(shape)


def load_mnist(split, data_dir=None, allow_download=True):
    """split: "train" or "test" -> images (N, 28, 28) uint8, labels (N,) uint8."""
    prefix = {"train": "train", "test": "t10k"}[split]
    directory = find_mnist(data_dir, allow_download)
    images = read_idx(directory / f"{prefix}-images-idx3-ubyte.gz")
    labels = read_idx(directory / f"{prefix}-labels-idx1-ubyte.gz")
    return images, labels
