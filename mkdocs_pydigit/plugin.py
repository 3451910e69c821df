"""The pydigit MkDocs plugin: ``plugins: [pydigit]`` in mkdocs.yml, then
``<digit-pad></digit-pad>`` in any page.

At build time it puts into the site, under ``assets_dir``:
  digit-pad/  the widget (the element, its modules and its worker) and a
              config.js generated from the options and the models' metrics;
  pyodide/    the Pyodide runtime (its standard library trimmed), NumPy's
              wheel (slimmed), the pydigit wheel and a lock file naming
              them, every file checked against a pin;
  models/     the chosen bundled weights and the trajectory network's
              (for number pads), which the worker fetches as files;
and, at the site's root, the service worker that keeps them for repeat and
offline visits (service_worker.py; the option ``offline``);
adds the widget's module script to the pages that need it, and fills the
``{{ pydigit.… }}`` placeholders. Nothing is fetched from another origin at
page load: every URL in the site is relative.
"""

import json
import logging
import shutil
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.utils import get_relative_url

import pydigit
from pydigit import pen
from pydigit.weights_file import TRAJECTORY, bundled_weights_path, figures_path

from . import (model_card, numbers_page, performance_page, personalization_page, placeholders, service_worker,
               slim_numpy, slim_stdlib)
from .browser_wheel import build_wheel, site_lock
from .config import PydigitConfig
from .runtime import LOCK_FILE, PYODIDE_VERSION, RUNTIME_SHA256, STDLIB, build_id, fetch_package, fetch_runtime

log = logging.getLogger("mkdocs.plugins.pydigit")
WIDGET_SCRIPT = "digit-pad/digit-pad.js"
WIDGET_FILES = ("*.js",)    # the widget's run-time files (config.js is written anew)


def widget_dir():
    """The widget's files: package data of an installed plugin, or the
    checkout's ``widget/`` beside this package (an editable install, or the
    checkout on sys.path, where setuptools' mapping of widget/ to
    ``mkdocs_pydigit/widget`` does not apply)."""
    here = Path(__file__).resolve().parent
    installed = here / "widget"
    return installed if installed.is_dir() else here.parent / "widget"


class PydigitPlugin(BasePlugin[PydigitConfig]):

    serving = False  # under `mkdocs serve`

    def on_startup(self, *, command, dirty):
        # Under `mkdocs serve` a cache-first service worker would show each
        # edit of the widget one reload late.
        self.serving = command == "serve"

    @property
    def offline(self):
        return self.config.offline and not self.serving

    def on_config(self, config):
        if not self.config.enabled:
            return
        if not self.config.models:
            raise PluginError("pydigit: `models` must name at least one bundled model")
        root = Path(config.config_file_path).parent
        self.cache_dir = root / self.config.cache_dir
        self.pyodide_dir = root / (self.config.pyodide_dir or "node_modules/pyodide")
        self.results = root / self.config.performance_results if self.config.performance_results else None
        self.teach_results = root / self.config.teach_results if self.config.teach_results else None
        # Instant navigation (mkdocs-material) swaps page bodies without
        # loading their scripts: the widget's script must then be on every page.
        self.every_page = "navigation.instant" in (config.theme.get("features") or [])
        # With the macros plugin, other {{ … }} are its own.
        self.own_placeholders_only = "macros" in config.plugins

    def on_serve(self, server, config, builder):
        if self.config.enabled:
            for source in (widget_dir(), Path(pydigit.__file__).parent):
                server.watch(str(source))
        return server

    # --- pages --------------------------------------------------------------

    def on_page_markdown(self, markdown, page, config, files):
        if not self.config.enabled:
            return markdown
        fillers = {
            "architecture": lambda: model_card.architecture_section(self.config.models),
            "model_card": lambda: model_card.model_card(self.config.models,
                                                        self.config.model_card_figures),
            "performance": self.performance,
            "numbers": lambda: numbers_page.numbers_section(self.config.models),
            "personalization": lambda: personalization_page.personalization_section(
                self.config.models[0], self.teach_results),
        }
        return placeholders.fill(markdown, fillers, page.file.src_uri, self.own_placeholders_only)

    def performance(self):
        if self.results is None:
            raise PluginError("{{ pydigit.performance }} needs the plugin's `performance_results` "
                              "option: the JSON that `python -m bench` writes")
        if not self.results.is_file():
            raise PluginError(f"{self.results} does not exist: run `python -m bench`")
        return performance_page.performance_markdown(json.loads(self.results.read_text()))

    def on_post_page(self, output, page, config):
        if not self.config.enabled or not (self.every_page or "<digit-pad" in output):
            return output
        src = get_relative_url(f"{self.config.assets_dir}/{WIDGET_SCRIPT}", page.url)
        script = f'<script type="module" src="{src}"></script>'
        return output.replace("</head>", f"{script}\n</head>", 1)

    # --- the site's files -----------------------------------------------------

    def on_post_build(self, config):
        if not self.config.enabled:
            return
        assets = Path(config.site_dir) / self.config.assets_dir
        wheel = self.copy_runtime(assets / "pyodide")
        self.copy_widget(assets / "digit-pad", build_id(assets / "pyodide"))
        self.copy_models(assets / "models")
        if self.offline:
            service_worker.write(config.site_dir, self.config.assets_dir,
                                 later=[f"models/{name}.npz" for name in (*self.config.models[1:], TRAJECTORY)])
        log.info("pydigit: Pyodide %s, %s, models %s", PYODIDE_VERSION, wheel.name,
                 ", ".join(self.config.models))

    def copy_widget(self, target, runtime_build):
        target.mkdir(parents=True, exist_ok=True)
        for pattern in WIDGET_FILES:
            for source in widget_dir().glob(pattern):
                shutil.copyfile(source, target / source.name)
        (target / "config.js").write_text("// Written by the pydigit MkDocs plugin at build time.\n"
                                          f"export default {json.dumps(self.widget_config(runtime_build), indent=2)};\n")

    def widget_config(self, runtime_build):
        """The widget's config.js: the pen from pydigit.pen, each model's
        "not sure" threshold from its metrics JSON (train.evaluate), paths
        relative to the widget; runtime_build: runtime.build_id of the served
        runtime, which the widget's memory snapshots are made of."""
        models = {}
        for name in self.config.models:
            metrics = json.loads(figures_path(bundled_weights_path(name), "metrics").read_text())
            models[name] = {"url": f"../models/{name}.npz", "label": name.upper(),
                            "notSure": metrics["not_sure_threshold"]["value"]}
        # Named even when off: the widget then unregisters a worker an earlier build installed.
        offline = {"enabled": self.offline, "cachePrefix": service_worker.CACHE_PREFIX,
                   "serviceWorker": get_relative_url(service_worker.SCRIPT,
                                                     f"{self.config.assets_dir}/digit-pad/config.js")}
        return {"pen": {"canvasSize": pen.CANVAS_SIZE, "width": pen.PEN_WIDTH},
                "defaultModel": self.config.models[0], "models": models,
                "trajectory": {"url": f"../models/{TRAJECTORY}.npz"},
                "pyodide": {"version": PYODIDE_VERSION, "indexURL": "../pyodide/",
                            "lockFileURL": f"../pyodide/{LOCK_FILE}", "build": runtime_build},
                "offline": offline}

    def copy_runtime(self, target):
        """Pyodide (its standard library trimmed), NumPy (slimmed), the pydigit
        wheel and the site's lock -> the path of the pydigit wheel in ``target``."""
        if target.exists():
            shutil.rmtree(target)  # no wheel of an earlier build may linger
        target.mkdir(parents=True)
        runtime = fetch_runtime(self.cache_dir / "pyodide", self.pyodide_dir, self.config.download)
        for name in RUNTIME_SHA256:
            shutil.copyfile(runtime[name], target / name)
        upstream = json.loads(runtime[LOCK_FILE].read_text())
        if self.config.slim_stdlib:
            shutil.copyfile(slim_stdlib.slimmed(runtime[STDLIB], upstream, self.cache_dir), target / STDLIB)
        numpy = fetch_package(upstream["packages"]["numpy"], self.cache_dir / "pyodide",
                              self.config.download)
        served = {"numpy": target / numpy.name}
        shutil.copyfile(slim_numpy.slimmed(numpy, self.cache_dir, upstream["info"]["python"]), served["numpy"])
        wheel = build_wheel(self.cache_dir, upstream["info"]["python"])
        shutil.copyfile(wheel, target / wheel.name)
        lock = site_lock(upstream, served, target / wheel.name)
        (target / LOCK_FILE).write_text(json.dumps(lock, sort_keys=True))
        return target / wheel.name

    def copy_models(self, target):
        target.mkdir(parents=True, exist_ok=True)
        for name in (*self.config.models, TRAJECTORY):
            shutil.copyfile(bundled_weights_path(name), target / f"{name}.npz")
