"""The site's pyodide-lock.json: Pyodide's own entries for the packages the
page uses, plus pydigit."""

import hashlib
import json
import zipfile
from pathlib import Path


def wheel_dependencies(wheel):
    """Requires-Dist names from a wheel's METADATA."""
    with zipfile.ZipFile(wheel) as archive:
        metadata = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        lines = archive.read(metadata).decode().splitlines()
    return [line.split(":", 1)[1].split(";")[0].strip().split("=")[0].split("<")[0].split(">")[0].strip().lower()
            for line in lines if line.startswith("Requires-Dist:") and "extra ==" not in line]


def write_site_lock(upstream, packages, wheel, path):
    wheel = Path(wheel)
    name, version = wheel.name.split("-")[:2]
    lock = {"info": upstream["info"],
            "packages": {p: upstream["packages"][p] for p in packages}}
    lock["packages"][name] = {
        "name": name, "version": version, "file_name": wheel.name, "install_dir": "site",
        "sha256": hashlib.sha256(wheel.read_bytes()).hexdigest(), "package_type": "package",
        "imports": [name], "depends": wheel_dependencies(wheel), "unvendored_tests": False,
        "shared_library": False,
    }
    Path(path).write_text(json.dumps(lock, indent=1))
