"""What ran the benchmark: the machine and every version that shapes a figure."""

import datetime
import json
import os
import platform
from importlib import metadata
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def cpu_model(cpuinfo=Path("/proc/cpuinfo")):
    """The CPU's model name from /proc/cpuinfo, or platform's guess."""
    try:
        for line in cpuinfo.read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def memory_gib(meminfo=Path("/proc/meminfo")):
    try:
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 ** 2, 1)  # kB -> GiB
    except OSError:
        pass
    return None


def machine():
    return {"cpu": cpu_model(), "cores": os.cpu_count(), "memory_gib": memory_gib(),
            "os": platform.platform()}


def npm_version(package):
    manifest = PROJECT / "node_modules" / package / "package.json"
    return json.loads(manifest.read_text())["version"] if manifest.is_file() else None


def versions(site_dir, chromium):
    """site_dir: the built site (its lock says what the browser runs);
    chromium: the browser's version string."""
    import numpy

    lock = json.loads((Path(site_dir) / "assets" / "pyodide" / "pyodide-lock.json").read_text())
    return {
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "pyodide": lock["info"]["version"],
        "pyodide_python": lock["info"]["python"],
        "pyodide_numpy": lock["packages"]["numpy"]["version"],
        "chromium": chromium,
        "playwright": metadata.version("playwright"),
        "tfjs": npm_version("@tensorflow/tfjs"),
        "tfjs_backend_wasm": npm_version("@tensorflow/tfjs-backend-wasm"),
    }


def today():
    return datetime.datetime.now().astimezone().isoformat(timespec="seconds")
