"""The plugin in a throwaway MkDocs project of MkDocs' own theme: what it
ships, where it puts the widget's script, and what stops the build."""

import json
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from mkdocs_pydigit import runtime

PROJECT = Path(__file__).resolve().parents[2]
CACHE = PROJECT / ".cache" / "plugin" / "pydigit"  # shared with the site build: verified files only
NPM_PYODIDE = PROJECT / "node_modules" / "pyodide"


def make_project(root, pages, options="", theme="mkdocs"):
    """A project in ``root``: mkdocs.yml with only the plugin, ``pages`` {name: Markdown}."""
    (root / "docs").mkdir(parents=True)
    for name, text in pages.items():
        (root / "docs" / name).write_text(text)
    (root / "mkdocs.yml").write_text(
        f"site_name: throwaway\ntheme: {theme}\nplugins:\n  - pydigit:\n"
        f"      cache_dir: {CACHE}\n      pyodide_dir: {NPM_PYODIDE}\n{options}")
    return root / "mkdocs.yml"


def build_project(config_file):
    config = load_config(config_file=str(config_file))
    build(config)
    return Path(config.site_dir)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    config_file = make_project(tmp_path_factory.mktemp("throwaway"), {
        "index.md": "# Draw\n\nSome text.\n\n<digit-pad></digit-pad>\n",
        "about.md": "# About\n\nNo pad here.\n"})
    return build_project(config_file)


def test_the_site_gets_widget_runtime_and_models(built):
    assets = built / "assets"
    assert (assets / "digit-pad" / "digit-pad.js").is_file()
    assert (assets / "digit-pad" / "worker.js").is_file()
    assert (assets / "pyodide" / "pyodide.asm.wasm").is_file()
    lock = json.loads((assets / "pyodide" / "pyodide-lock.json").read_text())
    assert set(lock["packages"]) == {"numpy", "pydigit"}
    assert sorted(p.name for p in (assets / "models").iterdir()) == ["cnn.npz", "mlp.npz", "trajectory.npz"]


def test_the_trajectory_network_is_configured_and_kept_offline_once_used(built):
    config = (built / "assets" / "digit-pad" / "config.js").read_text()
    widget = json.loads(config[config.index("{"):config.rindex("}") + 1])
    assert widget["trajectory"] == {"url": "../models/trajectory.npz"}
    assert "trajectory" not in widget["models"]  # not a network a visitor chooses
    script = (built / "pydigit-service-worker.js").read_text()
    kept = json.loads(script[script.index("{"):script.rindex("}") + 1])
    # Only a number pad fetches it: a first visit downloads it only then.
    assert "assets/models/trajectory.npz" in kept["later"] and "assets/models/trajectory.npz" not in kept["files"]


def test_the_script_goes_only_where_a_pad_is(built):
    index = (built / "index.html").read_text()
    assert '<script type="module" src="assets/digit-pad/digit-pad.js"></script>' in index
    assert index.count("digit-pad.js") == 1
    assert "digit-pad.js" not in (built / "about" / "index.html").read_text()


def test_models_option_chooses_what_ships(tmp_path):
    site = build_project(make_project(tmp_path, {"index.md": "<digit-pad></digit-pad>\n"},
                                      "      models: [mlp]\n"))
    assert sorted(p.name for p in (site / "assets" / "models").iterdir()) == ["mlp.npz", "trajectory.npz"]
    config = (site / "assets" / "digit-pad" / "config.js").read_text()
    data = json.loads(config[config.index("{"):config.rindex("}") + 1])
    assert data["defaultModel"] == "mlp" and list(data["models"]) == ["mlp"]


def test_slim_stdlib_false_ships_pyodides_whole_stdlib(tmp_path):
    site = build_project(make_project(tmp_path, {"index.md": "<digit-pad></digit-pad>\n"},
                                      "      slim_stdlib: false\n"))
    served = (site / "assets" / "pyodide" / runtime.STDLIB).read_bytes()
    assert served == (NPM_PYODIDE / runtime.STDLIB).read_bytes()


def build_errors(config_file, caplog):
    """Build, expecting MkDocs to abort -> what it logged as errors."""
    with pytest.raises(Abort):
        build_project(config_file)
    return "\n".join(r.getMessage() for r in caplog.records if r.levelname == "ERROR")


def test_an_unknown_model_is_a_configuration_error(tmp_path, caplog):
    config_file = make_project(tmp_path, {"index.md": "x\n"}, "      models: [resnet]\n")
    assert "resnet" in build_errors(config_file, caplog)


def test_a_placeholder_typo_fails_the_build_naming_it(tmp_path, caplog):
    config_file = make_project(tmp_path, {"index.md": "# Card\n\n{{ pydigit.model_crd }}\n"})
    errors = build_errors(config_file, caplog)
    assert "{{ pydigit.model_crd }}" in errors and "index.md" in errors


def test_the_performance_placeholder_needs_its_results(tmp_path, caplog):
    config_file = make_project(tmp_path, {"index.md": "{{ pydigit.performance }}\n"})
    assert "performance_results" in build_errors(config_file, caplog)


def test_a_disabled_plugin_adds_nothing(tmp_path):
    site = build_project(make_project(tmp_path, {"index.md": "<digit-pad></digit-pad>\n"},
                                      "      enabled: false\n"))
    assert not (site / "assets" / "pyodide").exists()
    assert "digit-pad.js" not in (site / "index.html").read_text()
