"""The service worker the plugin writes at the site's root: what it names,
its cache's hash, and the option that turns it off (in the browser:
tests/site/test_offline.py)."""

import hashlib
import json

from mkdocs_pydigit import service_worker
from mkdocs_pydigit.plugin import PydigitPlugin


def fake_site(root):
    """A built site's layout, with a page and a file outside what is precached."""
    files = {"index.html": b"<p>page</p>", "assets/site.css": b"p {}",
             "assets/digit-pad/digit-pad.js": b"// widget", "assets/digit-pad/service-worker.js": b"// worker",
             "assets/pyodide/pyodide-lock.json": b"{}", "assets/models/cnn.npz": b"weights"}
    for path, data in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(data)
    return root


def written_build(script):
    text = script.read_text()
    return json.loads(text[text.index("{"):text.rindex("}") + 1])


def test_it_names_the_build_files_with_their_sha256(tmp_path):
    site = fake_site(tmp_path)
    script = service_worker.write(site, "assets")
    assert script == site / "pydigit-service-worker.js"
    build = written_build(script)
    assert build["files"] == {path: hashlib.sha256((site / path).read_bytes()).hexdigest() for path in (
        "assets/digit-pad/digit-pad.js", "assets/digit-pad/service-worker.js",
        "assets/models/cnn.npz", "assets/pyodide/pyodide-lock.json")}
    assert build["prefix"] == service_worker.CACHE_PREFIX
    assert script.read_text().endswith('importScripts("assets/digit-pad/service-worker.js");\n')


def test_any_change_to_those_files_is_a_new_cache(tmp_path):
    site = fake_site(tmp_path)
    before = service_worker.build(site, "assets")["hash"]
    (site / "index.html").write_text("<p>another page</p>")   # network-first: the same build
    assert service_worker.build(site, "assets")["hash"] == before
    (site / "assets/models/cnn.npz").write_bytes(b"retrained")
    assert service_worker.build(site, "assets")["hash"] != before


def widget_offline(options, command="build"):
    plugin = PydigitPlugin()
    errors, warnings = plugin.load_config(options)
    assert errors == [] and warnings == []
    plugin.on_startup(command=command, dirty=False)
    return plugin.widget_config("0123456789abcdef")["offline"]


def test_the_widget_finds_it_from_its_own_folder():
    assert widget_offline({}) == {"enabled": True, "cachePrefix": "pydigit-",
                                  "serviceWorker": "../../pydigit-service-worker.js"}
    assert widget_offline({"assets_dir": "static/demo"})["serviceWorker"] == "../../../pydigit-service-worker.js"


def test_off_by_option_and_under_mkdocs_serve():
    assert widget_offline({"offline": False})["enabled"] is False
    assert widget_offline({}, command="serve")["enabled"] is False
