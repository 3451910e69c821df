"""The built site the bench serves: given (``--site DIR``) or built now."""

import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

PROJECT = Path(__file__).resolve().parent.parent
NEEDED = ("index.html", "assets/digit-pad/config.js", "assets/pyodide/pyodide-lock.json")


def check_site(site_dir):
    site_dir = Path(site_dir)
    missing = [name for name in NEEDED if not (site_dir / name).is_file()]
    if missing:
        raise SystemExit(f"{site_dir} is not a built pydigit site: missing {', '.join(missing)}")
    return site_dir


def build_site(out):
    """mkdocs build into the directory ``out`` -> its Path."""
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(out)],
                          cwd=PROJECT, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"mkdocs build failed:\n{done.stderr[-3000:]}\n"
                         "(an already built site can be given with --site DIR)")
    return check_site(out)


def site_file(site_dir, url, prefix):
    """The file behind a URL of the site served under ``prefix`` (e.g.
    "/pydigit/"), index.html for a directory; None for other URLs."""
    path = unquote(urlsplit(url).path)
    if not path.startswith(prefix):
        return None
    local = Path(site_dir) / path[len(prefix):]
    if local.is_dir():
        local = local / "index.html"
    return local if local.is_file() else None
