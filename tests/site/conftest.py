"""Fixtures for the site tests: the built site, served on 127.0.0.1 under
/pydigit/ by a server that can be told to answer 404 for chosen files, and
Debian's Chromium driven by Playwright (all from harness/). Building takes a
few seconds; set PYDIGIT_SITE_DIR to test an already built site instead."""

import os

import pytest

from harness import chromium
from harness.server import SiteServer
from harness.site import PROJECT, build_site, check_site

ARTIFACTS = PROJECT / "test-artifacts"


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory):
    if os.environ.get("PYDIGIT_SITE_DIR"):
        return check_site(os.environ["PYDIGIT_SITE_DIR"])
    return build_site(tmp_path_factory.mktemp("site"), strict=True)


@pytest.fixture(scope="session")
def server(site_dir):
    """A SiteServer of the site, as plain http.server serves it (no Cache-Control)."""
    with SiteServer(site_dir) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    with chromium.launch() as browser:
        yield browser


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
