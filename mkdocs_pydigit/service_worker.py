"""The site's service worker: repeat visits start from the browser's Cache
Storage, and after one visit the site works with the network off.

A service worker controls only the pages under its own script's directory,
so the plugin writes SCRIPT at the site's root: this build's files with
their sha256s, and the widget's code (``widget/service-worker.js``, shipped
in ``digit-pad/`` with the rest of the widget), which it imports. Any change
to those files changes the script, so browsers install the new build's
worker, whose cache's name holds the new hash.
"""

import hashlib
import json
from pathlib import Path

SCRIPT = "pydigit-service-worker.js"
CODE = "digit-pad/service-worker.js"   # under assets_dir: the widget's service worker
CACHE_PREFIX = "pydigit-"
# Under assets_dir: what the pad needs to start (the widget, the runtime,
# its wheels and lock, the weights), cached whole when the worker installs,
# but for the files kept only once a page asks for them (``later``: the
# weights of the models other than the default and the trajectory network's,
# which only a number pad fetches: a first visit would otherwise download
# them for nothing).
PRECACHED = ("digit-pad", "pyodide", "models")


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def precached_files(site_dir, assets_dir):
    """-> {path from the site's root: sha256} of every file of PRECACHED."""
    site_dir = Path(site_dir)
    return {path.relative_to(site_dir).as_posix(): sha256(path)
            for folder in PRECACHED for path in sorted((site_dir / assets_dir / folder).rglob("*"))
            if path.is_file()}


def build(site_dir, assets_dir, later=()):
    """What the worker is told of this build: {hash, prefix, files, later}
    (later: those of PRECACHED's files, paths under assets_dir, kept on first use)."""
    files = precached_files(site_dir, assets_dir)
    later = {path: files.pop(path) for path in [f"{assets_dir}/{name}" for name in later]}
    digest = hashlib.sha256(json.dumps([files, later], sort_keys=True).encode()).hexdigest()[:16]
    return {"hash": digest, "prefix": CACHE_PREFIX, "files": files, "later": later}


def write(site_dir, assets_dir, later=()):
    """SCRIPT at the root of the built site ``site_dir`` -> its Path. Written
    last: it must name every file the build put under assets_dir."""
    script, code = Path(site_dir) / SCRIPT, f"{assets_dir}/{CODE}"
    script.write_text("// Written by the pydigit MkDocs plugin at build time: this build's files, which\n"
                      f"// {code} caches and serves.\n"
                      f"const BUILD = {json.dumps(build(site_dir, assets_dir, later), indent=1)};\n"
                      f"importScripts({json.dumps(code)});\n")
    return script
