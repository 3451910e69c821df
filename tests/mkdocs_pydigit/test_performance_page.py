"""The Performance page from the real bench/results.json: every figure there, readable tables,
well-formed SVG, optional parts left out gracefully and required ones missed loudly."""

import copy
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import markdown
import pytest

from mkdocs_pydigit import text
from mkdocs_pydigit.performance_page import performance_markdown

RESULTS = Path(__file__).resolve().parents[2] / "bench" / "results.json"
SITE_EXTENSIONS = ["tables", "attr_list", "md_in_html", "admonition", "pymdownx.superfences", "toc"]
SVG = re.compile(r"<svg\b.*?</svg>", re.S)
PHONE = 350  # px a figure gets on a 390 px wide phone, about


@pytest.fixture(scope="module")
def results():
    return json.loads(RESULTS.read_text())


@pytest.fixture(scope="module")
def page(results):
    return performance_markdown(results)


def tables(text):
    """Markdown -> each table as a list of rows of cells (the rule row left out)."""
    found, current = [], []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            current.append([cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]])
        elif current:
            found.append(current)
            current = []
    return found


def svgs(text):
    return [ET.fromstring(match) for match in SVG.findall(text)]


def without(results, *paths):
    """A deep copy of results with each dotted path deleted."""
    trimmed = copy.deepcopy(results)
    for path in paths:
        *parents, last = path.split(".")
        node = trimmed
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        del node[int(last) if isinstance(node, list) else last]
    return trimmed


def test_every_target_and_the_key_figures_are_on_the_page(results, page):
    for target in results["targets"]:
        assert target["name"].replace("|", "\\|") in page
    assert "**fail** (≤\u00a03×)" in page  # the CNN forward-pass ratio misses its target
    cnn, mlp = results["prediction"]["cnn"]["end_to_end"], results["prediction"]["mlp"]["end_to_end"]
    load, last = results["load"], results["memory"]["checkpoints"][-1]
    totals = results["bytes"]["cold"]["totals"]
    for figure in (f"{cnn['p50']:.2f} ms", f"{cnn['p50']:.2f} / {cnn['p95']:.2f}", f"{mlp['p50']:.2f} / {mlp['p95']:.2f}",
                   text.ms(load["cold"]["site"]["ready"]), text.ms(load["cold"]["floor"]["ready"]),
                   text.ms(load["above_floor"]), text.size(totals["brotli"]), text.size(totals["brotli_zips_as_is"]),
                   text.percent(results["prediction"]["cnn"]["accuracy"]),
                   text.times(results["forward"]["cnn"]["ratio_tfjs_wasm"]),
                   text.kib(last["wasm_memory"]), f"{last['python_objects']:,}"):
        assert figure in page, figure
    versions = results["versions"]
    for version in (versions["chromium"], versions["pyodide"], versions["numpy"], versions["python"]):
        assert version in page
    for title in ("Targets", "Load", "Prediction", "Forward pass against TensorFlow.js", "Download", "Memory",
                  "Accuracy in the browser"):
        assert f"\n## {title}\n" in page


def test_no_fixed_width_text_blocks(page):
    assert "```" not in page and "~~~" not in page


def test_no_template_text_is_left_unfilled(page):
    # An f missing before a string: its {name[...]} shows as written.
    assert not re.search(r"\{\w+\[", page), re.search(r".{40}\{\w+\[.{40}", page).group(0)


def test_three_figures_each_well_formed_accessible_and_scalable(page):
    figures = svgs(page)
    assert len(figures) == 4  # the cold and repeat loads' waterfalls, the latency histograms, the download per file
    for svg in figures:
        assert svg.get("role") == "img" and len(svg.get("aria-label")) > 40
        assert svg.get("width") == "100%" and "max-width" in svg.get("style")
        width = float(svg.get("viewBox").split()[2])
        assert float(svg.get("font-size")) * PHONE / width >= 11  # legible on a phone
    assert page.count("<figure markdown") == page.count("<figcaption") == 4


def test_figures_take_their_colours_from_the_page(page):
    for svg in svgs(page):
        for element in svg.iter():
            if element.tag.endswith("text"):
                assert element.get("fill") == "currentColor"
            if element.tag.endswith("rect"):
                assert "var(--md-primary-fg-color" in element.get("style") or "currentColor" in element.get("style")
    assert "font-family" not in page and "@font-face" not in page and "<script" not in page


def test_labels_stay_inside_the_figures(page):
    for svg in svgs(page):
        width = float(svg.get("viewBox").split()[2])
        for element in svg.iter():
            if element.tag.endswith("text"):
                x, span = float(element.get("x")), len(element.text) * 12 * 0.56
                left = {"start": x, "middle": x - span / 2, "end": x - span}[element.get("text-anchor")]
                assert -1 <= left and left + span <= width + 1, element.text


def test_figures_show_the_numbers_they_draw(results, page):
    waterfall, _, histograms, download = (" ".join(t.text for t in svg.iter() if t.tag.endswith("text"))
                                       for svg in svgs(page))
    site, floor = results["load"]["cold"]["site"]["timings"], results["load"]["cold"]["floor"]["timings"]
    assert f"Pyodide runtime {text.ms(site['runtime'])} ms" in waterfall
    assert f"import numpy {text.ms(floor['import'])} ms" in waterfall
    assert f"warm-up {text.ms(site['warmup'])} ms" in waterfall and "ms after navigation" in waterfall
    cnn, mlp = results["prediction"]["cnn"]["end_to_end"], results["prediction"]["mlp"]["end_to_end"]
    assert f"p50 {cnn['p50']:.2f} ms" in histograms and f"p95 {cnn['p95']:.2f} ms" in histograms
    assert f"p50 {mlp['p50']:.2f} ms" in histograms
    wasm = next(row for row in results["bytes"]["cold"]["rows"] if row["file"].endswith("pyodide.asm.wasm"))
    assert f"pyodide.asm.wasm {text.size(wasm['brotli'])}" in download and "other files" in download
    assert text.size(results["bytes"]["cold"]["totals"]["brotli"]) in download


def test_tables_have_consistent_columns_and_only_one_is_wide(page):
    found = tables(page)
    assert len(found) >= 12
    for rows in found:
        assert len({len(row) for row in rows}) == 1, rows[0]
    assert sum(len(rows[0]) > 3 for rows in found) <= 1  # wider than a phone: the download table only


def test_optional_parts_left_out_still_render(results):
    trimmed = without(results, "prediction.cnn.samples", "prediction.mlp.samples", "load.cold.site.timings.warmup",
                      "load.cold.site.firstContentfulPaint", "prediction.cnn.first_10_drawings",
                      "prediction.mlp.during_stroke", "prediction.cnn.messaging_to_page", "memory.repeated",
                      "bytes.cold.totals.brotli_zips_as_is", "bytes.warm", "accuracy.mlp.cpython",
                      "forward.cnn.tfjs_cpu.max_difference", "versions.pyodide_python", "load.runs", "plan")
    trimmed["targets"][0].update(value=None, verdict="N/A")
    trimmed["load"]["first_answers"]["cnn"] = {}
    trimmed["prediction"]["mlp"]["idle_end_to_end"] = None
    page = performance_markdown(trimmed)
    assert len(svgs(page)) == 3  # no samples, no histograms
    assert "warm-up" not in " ".join(t.text for t in svgs(page)[0].iter() if t.tag.endswith("text"))
    assert "| n/a (≤\u00a05\u00a0ms) |" in page and "| – |" in page
    for rows in tables(page):
        assert len({len(row) for row in rows}) == 1


@pytest.mark.parametrize("path", ["date", "versions.chromium", "load.cold.site.ready", "load.cold.floor.timings",
                                  "prediction.cnn.end_to_end", "prediction.mlp.end_to_end.p95",
                                  "bytes.cold.totals.brotli", "forward.mlp.ratio_tfjs_wasm", "memory.checkpoints",
                                  "targets", "targets.3.verdict", "bytes.cold.rows.0.brotli"])
def test_a_missing_required_key_is_named(results, path):
    with pytest.raises(KeyError, match=re.escape(f"results.{path}")):
        performance_markdown(without(results, path))


def test_a_null_required_value_is_named(results):
    broken = copy.deepcopy(results)
    broken["load"]["above_floor"] = None
    with pytest.raises(KeyError, match="results.load.above_floor"):
        performance_markdown(broken)


def test_a_far_outlier_does_not_squash_the_histogram(results):
    slow = copy.deepcopy(results)
    slow["prediction"]["cnn"]["samples"] = slow["prediction"]["cnn"]["samples"] + [900.0]
    histograms = svgs(performance_markdown(slow))[2]
    assert "1 slower than" in " ".join(t.text for t in histograms.iter() if t.tag.endswith("text"))


def test_the_workers_render_step_is_shown_and_optional(results):
    """Schema version 2 has the worker's render step; a version 1 run has none and still renders."""
    rows = lambda page: [row for rows in tables(page) for row in rows if row[0] in ("render", "&emsp;render")]
    rendered = copy.deepcopy(results)
    for m, p50 in (("cnn", 0.61), ("mlp", 0.52)):
        rendered["prediction"][m]["render"] = {"n": 20, "p50": p50, "p95": 2 * p50}
        rendered["native"][m]["render"] = {"n": 20, "p50": 0.1, "p95": 0.2}
        rendered["browser_over_native"][m]["render"] = p50 / 0.1
    rendered["load"]["first_answers"]["cnn"]["timings"]["render"] = 0.75
    assert rows(performance_markdown(rendered)) == [
        ["&emsp;render", "0.8"], ["&emsp;render", "0.61 / 1.22", "0.52 / 1.04"],
        ["&emsp;render", "0.10 / 0.20", "0.10 / 0.20"], ["render", "6.10×", "5.20×"]]
    version_1 = copy.deepcopy(results)
    for part in ("prediction", "native", "browser_over_native"):
        for m in ("cnn", "mlp"):
            version_1[part][m].pop("render", None)
    version_1["load"]["first_answers"]["cnn"]["timings"].pop("render", None)
    assert rows(performance_markdown(version_1)) == [["&emsp;render", "–"], ["&emsp;render", "–", "–"],
                                                     ["&emsp;render", "–", "–"], ["render", "–", "–"]]


def test_a_quick_run_says_so(results):
    quick = dict(results, quick=True)
    assert 'class="admonition warning"' in markdown.markdown(performance_markdown(quick),
                                                           extensions=SITE_EXTENSIONS)


def test_converts_with_the_sites_extensions_into_tables_and_intact_figures(page):
    body = markdown.markdown(page, extensions=SITE_EXTENSIONS)
    assert body.count("<table>") == len(tables(page))
    assert not re.search(r"^\s*\|", body, re.M) and "|:--" not in body and "--:|" not in body
    assert "<pre" not in body and "<code" not in body
    figures = svgs(body)
    assert len(figures) == 4 and all(svg.get("role") == "img" for svg in figures)
    assert body.count("<figcaption>") == 4 and "&lt;svg" not in body
