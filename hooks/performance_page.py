"""MkDocs hook: fills ``{{ performance }}`` from ``bench/results.json``, the
figures ``python -m bench`` measured, with the benchmark's own report, so the
page and the terminal say the same thing and no number is typed by hand."""

import json
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
RESULTS = PROJECT / "bench" / "results.json"
sys.path.insert(0, str(PROJECT))  # the bench package lives beside pydigit, not installed
from bench import report  # noqa: E402

BAR_WIDTH, BAR_HEIGHT, BINS = 14, 120, 24


def targets_table(results):
    rows = ["| target | measured | goal | verdict |", "|---|--:|--:|---|"]
    for t in results["targets"]:
        value = "–" if t["value"] is None else f"{t['value']:.2f} {t['unit']}"
        verdict = {"PASS": "pass", "FAIL": "**fail**"}.get(t["verdict"], t["verdict"])
        rows.append(f"| {t['name']} | {value} | {t['comparison']} {t['limit']} {t['unit']} | {verdict} |")
    return "\n".join(rows)


def histogram_svg(samples, label):
    """Latency samples (ms) -> an inline SVG bar chart, drawn at build time."""
    top = sorted(samples)[int(0.99 * (len(samples) - 1))]  # the last 1% would squash the rest
    step = max(top, 1e-9) / BINS
    counts = [0] * BINS
    for value in samples:
        counts[min(int(value / step), BINS - 1)] += 1
    tallest = max(counts)
    bars = "".join(
        f'<rect x="{i * BAR_WIDTH}" y="{BAR_HEIGHT - c / tallest * BAR_HEIGHT:.1f}" '
        f'width="{BAR_WIDTH - 2}" height="{c / tallest * BAR_HEIGHT:.1f}" fill="currentColor">'
        f'<title>{i * step:.1f}-{(i + 1) * step:.1f} ms: {c}</title></rect>' for i, c in enumerate(counts))
    width = BINS * BAR_WIDTH
    return (f'<figure markdown><svg role="img" aria-label="{label}" viewBox="0 -4 {width} {BAR_HEIGHT + 24}" '
            f'width="{width}" style="max-width:100%;color:var(--md-primary-fg-color)">{bars}'
            f'<text x="0" y="{BAR_HEIGHT + 18}" font-size="11" fill="currentColor">0 ms</text>'
            f'<text x="{width}" y="{BAR_HEIGHT + 18}" font-size="11" text-anchor="end" '
            f'fill="currentColor">{top:.1f} ms (p99)</text></svg>'
            f'<figcaption>{label}</figcaption></figure>')


def performance(results):
    out = [f"```text\n{report.header(results)}\n```", "", "## Targets", "", targets_table(results), ""]
    for model in ("cnn", "mlp"):
        samples = results["prediction"][model].get("samples")
        if samples:
            out += [histogram_svg(samples, f"{model.upper()}: end-to-end prediction latency in Chromium, "
                                           f"{len(samples)} replayed drawings"), ""]
    for title, section in (("Load", report.load_section), ("Prediction", report.prediction_section),
                           ("Forward pass against TensorFlow.js", report.forward_section),
                           ("Download", report.bytes_section), ("Memory", report.memory_section),
                           ("Accuracy in the browser", report.accuracy_section)):
        out += [f"## {title}", "", f"```text{section(results)}\n```", ""]
    return "\n".join(out)


def on_page_markdown(markdown, page, config, files):
    if "{{ performance }}" in markdown:
        markdown = markdown.replace("{{ performance }}", performance(json.loads(RESULTS.read_text())))
    return markdown
