"""The ``{{ pydigit.numbers }}`` placeholder and the model card's trajectory
section: made from the JSON the evaluations wrote, every figure from there."""

import json

import pytest
from mkdocs.exceptions import PluginError

from mkdocs_pydigit import numbers_page
from mkdocs_pydigit.model_card import percent, trajectory_section
from pydigit.weights_file import TRAJECTORY, bundled_weights_path, figures_path


def bundled(name, kind):
    return json.loads(figures_path(bundled_weights_path(name), kind).read_text())


def test_every_spacing_and_path_is_a_row_with_its_verdict():
    numbers, trajectory = bundled("cnn", "numbers"), bundled(TRAJECTORY, "metrics")
    markdown = numbers_page.numbers_markdown(numbers, trajectory, ["cnn", "mlp"])
    for spacing, paths in numbers["classes"].items():
        for path, figures in paths.items():
            row = next(line for line in markdown.splitlines()
                       if line.startswith(f"| {spacing} | {numbers_page.PATHS[path]} |"))
            assert numbers_page.percent(figures["whole_number"]) in row
            assert row.count("met |") == 1
            assert ("not met" in row) == (figures["whole_number"] < figures["target_whole_number"])
    assert f"| CNN × trajectory | {numbers_page.percent(trajectory['held_out']['cnn+trajectory']['accuracy'])} |" \
        in markdown


def test_a_target_missed_is_said_so():
    numbers, trajectory = bundled("cnn", "numbers"), bundled(TRAJECTORY, "metrics")
    numbers["classes"]["spaced"]["strokes"]["whole_number"] = 0.5
    row = next(line for line in numbers_page.numbers_markdown(numbers, trajectory, ["cnn", "mlp"]).splitlines()
               if line.startswith("| spaced | strokes, with"))
    assert "| 50.0% | 97.0% not met |" in row


def test_missing_figures_name_the_command_that_makes_them(tmp_path, monkeypatch):
    monkeypatch.setattr(numbers_page, "figures_path", lambda weights, kind: tmp_path / f"none.{kind}.json")
    with pytest.raises(PluginError, match="python -m train.numbers_eval --model cnn"):
        numbers_page.numbers_section(["cnn"])


def test_only_the_networks_the_site_ships_are_rows():
    markdown = numbers_page.numbers_markdown(bundled("cnn", "numbers"), bundled(TRAJECTORY, "metrics"), ["cnn"])
    assert "| CNN × trajectory |" in markdown and "| trajectory |" in markdown and "MLP" not in markdown


def test_the_model_card_says_what_the_trajectory_network_adds():
    trajectory = bundled(TRAJECTORY, "metrics")
    lines = trajectory_section(["cnn", "mlp"])
    for name in ("cnn", "mlp"):
        alone, voted = (percent(trajectory["held_out"][key]["accuracy"]) for key in (name, f"{name}+{TRAJECTORY}"))
        assert f"| {name.upper()} | {alone} | **{voted}** |" in lines
