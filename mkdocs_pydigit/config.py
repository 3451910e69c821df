"""The plugin's options, as written under ``plugins: - pydigit:`` in mkdocs.yml.

Paths are relative to the directory of mkdocs.yml.
"""

from mkdocs.config.base import Config
from mkdocs.config.config_options import Choice, ListOfItems, Optional, Type

from pydigit.weights_file import MODEL_NAMES


class PydigitConfig(Config):
    enabled = Type(bool, default=True)

    # The bundled models the site ships, in the order of the widget's
    # buttons; the first is what <digit-pad> uses without a model attribute.
    models = ListOfItems(Choice(MODEL_NAMES), default=list(MODEL_NAMES))

    # Where the site gets its files. The cache keeps every verified download
    # and the pydigit wheels it built; pyodide_dir is the npm package
    # `pyodide` (default: node_modules/pyodide); download allows Pyodide's
    # release files and PyPI for what is in neither.
    cache_dir = Type(str, default=".cache/plugin/pydigit")
    pyodide_dir = Optional(Type(str))
    download = Type(bool, default=True)

    # Where in the site the widget, the runtime and the weights go.
    assets_dir = Type(str, default="assets")

    # Pyodide's standard library trimmed to what the page imports
    # (slim_stdlib.py); False: the whole of it, as Pyodide publishes it.
    slim_stdlib = Type(bool, default=True)

    # A service worker at the site's root (service_worker.py) keeps the
    # runtime, the weights and the pages visited: repeat visits start from
    # the browser's cache, and the site works offline. False: none, and the
    # widget unregisters one an earlier build installed (a site with a
    # service worker of its own at its root needs this: one per scope).
    offline = Type(bool, default=True)

    # Placeholders: the docs path of train.figures' figures, for
    # {{ pydigit.model_card }}; the benchmark's results JSON (python -m
    # bench), for {{ pydigit.performance }}; the teaching benchmark's JSON
    # (python -m bench.teach), for {{ pydigit.personalization }}.
    model_card_figures = Optional(Type(str))
    performance_results = Optional(Type(str))
    teach_results = Optional(Type(str))
