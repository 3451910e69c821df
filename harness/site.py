"""The built site: built now with mkdocs, or one built before, checked.

Both raise SystemExit with the reason: their callers, ``python -m bench``
and the site tests' fixtures, report it as it is.
"""

import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
NEEDED = ("index.html", "assets/digit-pad/config.js", "assets/pyodide/pyodide-lock.json")


def check_site(site_dir):
    """-> site_dir as a Path, if it holds a built pydigit site."""
    site_dir = Path(site_dir)
    missing = [name for name in NEEDED if not (site_dir / name).is_file()]
    if missing:
        raise SystemExit(f"{site_dir} is not a built pydigit site: missing {', '.join(missing)}")
    return site_dir


def build_site(out, strict=False):
    """mkdocs build into the directory ``out`` -> its Path. strict: warnings fail the build."""
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(out)]
                          + ["--strict"] * strict, cwd=PROJECT, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"mkdocs build failed:\n{done.stderr[-3000:]}\n(an already built site can be "
                         "given instead: --site DIR to the bench, PYDIGIT_SITE_DIR to the tests)")
    return check_site(out)
