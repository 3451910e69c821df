"""What a user of the plugin does, end to end: pip install this checkout with
its ``mkdocs`` extra into a fresh venv, write a throwaway MkDocs project (the
built-in ``mkdocs`` theme, only this plugin, one page with text and a pad),
``npm i pyodide``, ``mkdocs build``, and in Chromium the pad gets ready and
reads replayed pen digits, every request on the site's own origin."""

import subprocess
import sys
from pathlib import Path

import pytest

from harness.chromium import launch, new_page, watch_requests
from harness.pad import replay_pendigits, wait_ready
from harness.server import SiteServer
from mkdocs_pydigit.runtime import PYODIDE_VERSION
from train.pendigits import balanced_sample, load_pendigits

pytestmark = pytest.mark.browser
PROJECT = Path(__file__).resolve().parents[2]
DIGITS = 30
MIN_ACCURACY = 0.9


def run(*command, cwd=None):
    done = subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True)
    assert done.returncode == 0, f"{' '.join(map(str, command))} failed:\n{done.stdout[-2000:]}{done.stderr[-3000:]}"
    return done.stdout


def checkout_copy(target):
    """The working tree's files (tracked or new, not ignored): what a user's clone holds."""
    listed = run("git", "ls-files", "--cached", "--others", "--exclude-standard", "-z", cwd=PROJECT)
    for name in filter(None, listed.split("\0")):
        source = PROJECT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            (target / name).write_bytes(source.read_bytes())
    return target


@pytest.fixture(scope="module")
def throwaway_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("user")
    checkout = checkout_copy(root / "pydigit")
    run(sys.executable, "-m", "venv", root / "venv")
    python = root / "venv" / "bin" / "python"
    run(python, "-m", "pip", "install", "--quiet", f"{checkout}[mkdocs]")
    installed = run(python, "-c", "import mkdocs_pydigit; print(mkdocs_pydigit.__file__)", cwd=root)
    assert installed.startswith(str(root / "venv")), installed  # not the checkout's own files

    project = root / "project"
    (project / "docs").mkdir(parents=True)
    # The theme itself would fetch highlight.js from a CDN: told not to, so
    # that every request the page makes is the site's own.
    (project / "mkdocs.yml").write_text("site_name: A throwaway site\n"
                                        "theme: {name: mkdocs, highlightjs: false}\n"
                                        "plugins:\n  - pydigit\n")
    (project / "docs" / "index.md").write_text(
        "# My digits\n\nSome text of my own.\n\n<digit-pad></digit-pad>\n\nMore text.\n")
    run("npm", "install", "--no-audit", "--no-fund", "--loglevel=error", f"pyodide@{PYODIDE_VERSION}",
        cwd=project)
    run(root / "venv" / "bin" / "mkdocs", "build", "--strict", cwd=project)
    return project / "site"


def test_a_throwaway_site_recognizes_pen_digits(throwaway_site):
    digits = balanced_sample(load_pendigits(), DIGITS)
    with SiteServer(throwaway_site) as server, launch() as browser:
        context = watch_requests(browser.new_context(viewport={"width": 1280, "height": 800}),
                                 server.origin)
        page = new_page(context)
        page.goto(server.site_url)
        assert wait_ready(page) == "ready"
        assert "Some text of my own." in page.text_content("body")
        correct = replay_pendigits(page, digits)
        context.close()
    print(f"\nthrowaway site: {correct}/{DIGITS} replayed pen digits right")
    assert correct / DIGITS >= MIN_ACCURACY
    assert context.foreign == [], f"requests left the site's origin: {context.foreign}"
    assert any(url.endswith("pyodide.asm.wasm") for url in context.requests)
    # MkDocs' own theme, without its search plugin, fails to set up its
    # search dialog (bootstrap's Modal finds no element): not the widget's doing.
    theme_without_search = "Cannot read properties of undefined (reading 'backdrop')"
    assert [p for p in page.problems if p != theme_without_search] == []
