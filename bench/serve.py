"""The bench's server (a harness.server.SiteServer): one origin for everything.

    /pydigit/...                    the built site (a sub-path, as a project site is served)
    /bench/...                      bench/pages/ (bench-only HTML and JS)
    /bench/data/...                 files the run generates (weights for TF.js, inputs)
    /bench/node_modules/@tensorflow/...   TF.js from node_modules (never part of the site)
    /bench/node_modules/pyodide/...       the npm package pyodide: the floor's whole standard library

Every response carries ``Cache-Control: max-age=600`` unless the run sets the
"revalidate" policy (harness/server.py says what each means).
The bench pages that time code with performance.now() are cross-origin
isolated (COOP + COEP), which gives 5 µs timers instead of 100 µs; the site
and the floor page are served exactly like the site, without those headers.
"""

from pathlib import Path

from harness.server import SiteServer

PROJECT = Path(__file__).resolve().parent.parent
PAGES = Path(__file__).resolve().parent / "pages"
TFJS = PROJECT / "node_modules" / "@tensorflow"
PYODIDE = PROJECT / "node_modules" / "pyodide"
# Pages that must load like the site (no isolation): the floor is compared with it.
NOT_ISOLATED = ("/bench/floor",)


def isolated(path):
    """URL path -> whether its response makes its page cross-origin isolated."""
    return path.startswith("/bench/") and not path.startswith(NOT_ISOLATED)


def bench_server(site_dir, data_dir, cache_policy="static-host"):
    """-> a SiteServer of ``site_dir`` and the bench's routes (see above),
    serving on 127.0.0.1 until closed; a context manager."""
    routes = {"/bench/": PAGES, "/bench/data/": Path(data_dir), "/bench/node_modules/@tensorflow/": TFJS,
              "/bench/node_modules/pyodide/": PYODIDE}
    return SiteServer(site_dir, routes, cache_policy=cache_policy, isolated=isolated)
