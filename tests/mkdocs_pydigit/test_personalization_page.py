"""The "Teach it your handwriting" figures: Markdown made from the JSON
train.personalize_eval writes, every number from it."""

import json

from mkdocs_pydigit.personalization_page import personalization_markdown, results_path


def test_the_committed_results_make_the_table():
    result = json.loads(results_path("cnn").read_text())
    markdown = personalization_markdown(result)
    at5 = result["taught"]["5"]["summary"]
    assert f"{100 * at5['mean_before']:.2f}% → **{100 * at5['mean_after']:.2f}%**" in markdown
    assert f"{100 * at5['worst_after']:.2f}%" in markdown
    for label in result["ablations"]:
        assert f"| 5, {label} |" in markdown
    assert markdown.count("\n    | ") == 1 + len(result["taught"]["5"]["writers"])  # header + a row each
    assert len(result["taught"]["5"]["writers"]) == result["writers"] == 30


def test_a_missed_target_says_so():
    result = json.loads(results_path("cnn").read_text())
    result["targets"] = {"mean_after": {"target": 0.999, "value": 0.99, "met": False}}
    assert "| 99.00% | **not met** |" in personalization_markdown(result)


def test_the_teaching_time_in_the_browser_comes_from_its_json():
    from pathlib import Path

    from mkdocs_pydigit.personalization_page import personalization_section
    teach_json = Path(__file__).resolve().parents[2] / "bench" / "teach.json"
    teach = json.loads(teach_json.read_text())
    markdown = personalization_section("cnn", teach_json)
    assert f"**{teach['p50_s']:.2f} s**" in markdown and f"on {teach['drawings_learned']} of a writer" in markdown
