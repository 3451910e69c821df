"""The MNIST loader, on the real files: where it looks, what it checks, and
what it says when it cannot find them.

Tests that must not find the shared copy point the loader's other places
(``DOWNLOAD_DIR``, ``PROJECT``, ``PYDIGIT_MNIST_DIR``) at empty temporary
directories and its mirrors at a local port where nothing listens.
"""

import gzip
import shutil

import numpy as np
import pytest

from train import mnist
from train.mnist import FILES, MnistNotFound, find_mnist, load_mnist, read_idx

UNREACHABLE = ("http://127.0.0.1:9/",)  # the discard port: connection refused at once


@pytest.fixture
def isolated(monkeypatch, tmp_path):
    """Only what a test passes explicitly can be found; downloads fail fast."""
    monkeypatch.delenv("PYDIGIT_MNIST_DIR", raising=False)
    monkeypatch.setattr(mnist, "DOWNLOAD_DIR", tmp_path / "download")
    monkeypatch.setattr(mnist, "PROJECT", tmp_path / "project")  # ../shared/data/mnist from here
    monkeypatch.setattr(mnist, "MIRRORS", UNREACHABLE)
    return tmp_path


def copy_of_mnist(mnist_dir, directory, broken=None):
    """``directory`` with the four files as symlinks to the real ones, except
    ``broken``, written with the right format and the wrong bytes."""
    directory.mkdir(parents=True)
    for name in FILES:
        if name == broken:
            (directory / name).write_bytes(gzip.compress(b"\x00\x00\x08\x01" + bytes(8)))
        else:
            (directory / name).symlink_to(mnist_dir / name)
    return directory


def test_reads_the_real_files(mnist_train, mnist_test):
    for (images, labels), n in ((mnist_train, 60_000), (mnist_test, 10_000)):
        assert images.shape == (n, 28, 28) and images.dtype == np.uint8
        assert labels.shape == (n,) and labels.dtype == np.uint8
        assert labels.min() == 0 and labels.max() == 9
        assert set(np.unique(labels)) == set(range(10))
        assert images.max() == 255 and images.min() == 0
    # MNIST's well-known facts: the first training label is a 5, the test set
    # has 1135 ones, and the mean pixel is 0.1307 (the normalisation constant).
    assert mnist_train[1][0] == 5
    assert (mnist_test[1] == 1).sum() == 1135
    assert mnist_train[0].mean() / 255 == pytest.approx(0.1307, abs=1e-4)


def test_found_through_the_environment_variable(isolated, monkeypatch, mnist_dir):
    copy = copy_of_mnist(mnist_dir, isolated / "from-env")
    monkeypatch.setenv("PYDIGIT_MNIST_DIR", str(copy))
    assert find_mnist(allow_download=False) == copy
    images, labels = load_mnist("test", allow_download=False)
    assert images.shape == (10_000, 28, 28) and labels.shape == (10_000,)


def test_found_through_an_explicit_directory(isolated, monkeypatch, mnist_dir):
    explicit = copy_of_mnist(mnist_dir, isolated / "explicit")
    assert find_mnist(explicit, allow_download=False) == explicit
    assert find_mnist(str(explicit), allow_download=False) == explicit
    # The explicit directory comes before the environment variable.
    monkeypatch.setenv("PYDIGIT_MNIST_DIR", str(copy_of_mnist(mnist_dir, isolated / "env")))
    assert find_mnist(explicit, allow_download=False) == explicit
    images, _ = load_mnist("train", explicit, allow_download=False)
    assert images.shape == (60_000, 28, 28)


def test_the_shared_copy_is_found_without_configuration(monkeypatch, mnist_dir):
    monkeypatch.delenv("PYDIGIT_MNIST_DIR", raising=False)
    assert find_mnist(allow_download=False) == mnist_dir


def test_a_file_with_the_wrong_md5_is_rejected(isolated, mnist_dir):
    broken = copy_of_mnist(mnist_dir, isolated / "broken", broken="train-labels-idx1-ubyte.gz")
    with pytest.raises(MnistNotFound) as error:
        find_mnist(broken, allow_download=False)
    message = str(error.value)
    assert f"{broken}: md5 mismatch for train-labels-idx1-ubyte.gz" in message
    assert "t10k" not in message.split("md5 mismatch for")[1].splitlines()[0]


def test_a_bad_directory_is_skipped_for_a_good_one(monkeypatch, tmp_path, mnist_dir):
    monkeypatch.delenv("PYDIGIT_MNIST_DIR", raising=False)
    broken = copy_of_mnist(mnist_dir, tmp_path / "broken", broken="t10k-images-idx3-ubyte.gz")
    assert find_mnist(broken, allow_download=False) == mnist_dir


def test_nothing_found_and_no_download(isolated):
    with pytest.raises(MnistNotFound) as error:
        find_mnist(isolated / "nothing-here", allow_download=False)
    message = str(error.value)
    assert isinstance(error.value, FileNotFoundError)
    assert "PYDIGIT_MNIST_DIR" in message and "--data" in message  # how to fix it
    for directory in (isolated / "nothing-here", isolated / "download",
                      isolated / "shared" / "data" / "mnist"):
        assert f"{directory}: files missing" in message
    assert "\n  download: " not in message and "127.0.0.1" not in message  # no download tried


def test_nothing_found_and_the_download_fails(isolated):
    with pytest.raises(MnistNotFound) as error:
        load_mnist("test", allow_download=True)
    message = str(error.value)
    assert f"{isolated / 'download'}: files missing" in message
    for name in FILES:  # every file was tried on the (unreachable) mirror
        assert f"download: http://127.0.0.1:9/{name}:" in message
    assert not any((isolated / "download").glob("*.gz")), "nothing half-downloaded is left"


def test_a_corrupt_file_in_the_download_directory_is_not_accepted(isolated, mnist_dir):
    # The download directory holds all four files, one corrupt, and the mirror
    # cannot replace it: that must fail, not return the directory.
    shutil.rmtree(isolated / "download", ignore_errors=True)
    copy_of_mnist(mnist_dir, isolated / "download", broken="t10k-labels-idx1-ubyte.gz")
    with pytest.raises(MnistNotFound) as error:
        find_mnist(allow_download=True)
    message = str(error.value)
    assert "md5 mismatch for t10k-labels-idx1-ubyte.gz" in message
    assert "download: http://127.0.0.1:9/t10k-labels-idx1-ubyte.gz:" in message


def test_read_idx_rejects_a_non_idx_file(tmp_path):
    path = tmp_path / "not-idx.gz"
    path.write_bytes(gzip.compress(b"PK\x03\x04 not an IDX file"))
    with pytest.raises(ValueError, match="not an unsigned-byte IDX file"):
        read_idx(path)
