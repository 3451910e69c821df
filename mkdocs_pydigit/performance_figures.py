"""The Performance page's three figures, as inline SVG: the cold load's
waterfall beside the bare-Pyodide floor, the latency histograms and the first
visit's download per file. Each goes beside a table holding its numbers."""

from .svg import BAR, FAINT_BAR, ROW, W, axis, axis_top, label_position, rect, svg, text, text_width, vline
from .text import ms, size

LOAD_STEPS = {"before_worker": "page + worker start", "snapshot": "reading the snapshot",
              "runtime": "Pyodide runtime", "numpy": "NumPy",
              "import": "import numpy", "pydigit": "pydigit", "model": "CNN weights", "warmup": "warm-up"}


def figure(svg_markup, caption):
    """An SVG and its caption -> a figure (md_in_html), as wide as the column."""
    return (f'<figure markdown="span" style="width:100%">\n{svg_markup}\n'
            f"<figcaption>{caption}</figcaption>\n</figure>")


def waterfall_svg(loads, runs, loaded="cold loads"):
    """loads: [(title, [(step, ms)], ready ms)] -> each load's steps as bars, one after the other, on
    one ms axis, each labelled; a dashed line marks ready."""
    top = axis_top(max(max(ready, sum(ms for _, ms in steps)) for _, steps, ready in loads))
    x = lambda value: 2 + value / top * (W - 4)
    parts, y = [], 0
    for title, steps, ready in loads:
        style = BAR if title.startswith("This site") else FAINT_BAR
        parts.append(text(2, y + 14, f"{title}: ready at {ms(ready)} ms", bold=True))
        first_row, start = y + 18, 0.0
        for y, (step, value) in zip(range(first_row, first_row + ROW * len(steps), ROW), steps):
            words = f"{LOAD_STEPS.get(step, step)} {ms(value)} ms"
            ready_line = x(ready) - 3 if x(ready) - 3 > x(start) else W - 2  # labels stop short of it
            label_x, anchor = label_position(x(start), x(start + value), words, ready_line)
            parts += [text(label_x, y + 13, words, anchor), rect(x(start), y + 16, x(value) - 2, 10, style)]
            start += value
        y = first_row + ROW * len(steps)
        parts.append(vline(x(ready), first_row, y, 0.9, dashed=True))
        y += 8
    parts += axis(y + 4, top, f"ms after navigation (median of {runs} {loaded})")
    described = "; ".join(f"{title}: " + ", ".join(f"{LOAD_STEPS.get(k, k)} {ms(v)} ms" for k, v in steps)
                          + f", ready at {ms(ready)} ms" for title, steps, ready in loads)
    return svg(y + 42, f"Waterfall of the {loaded}. {described}", parts)


def histogram_svg(panels):
    """panels: [(model, samples, p50, p95)] -> a latency histogram each, on one shared ms axis,
    with p50 and p95 marked."""
    slowest = max(max(samples) for _, samples, _, _ in panels)
    reach = min(slowest, 3 * max(p95 for *_, p95 in panels))  # a far outlier would squash the rest
    top, bins, height = axis_top(reach), 40, 64
    x = lambda value: 2 + min(value, top) / top * (W - 4)
    parts, described, y = [], [], 0
    for model, samples, p50, p95 in panels:
        counts = [0] * bins
        for value in samples:
            counts[min(int(value / top * bins), bins - 1)] += 1
        beyond = sum(value > top for value in samples)
        note = f", {beyond} slower than {top:g} ms in the last bar" if beyond else ""
        parts.append(text(2, y + 14, f"{model.upper()}: {len(samples)} drawings{note}", bold=True))
        base = y + 50 + height
        for i, count in enumerate(counts):
            bar = count / max(counts) * height
            parts.append(rect(x(i * top / bins) + 0.5, base - bar, (W - 4) / bins - 1, bar, BAR))
        for row, (name, value) in enumerate((("p50", p50), ("p95", p95))):  # one line each: no overlap
            words = f"{name} {value:.2f} ms"
            fits = x(value) + 4 + text_width(words) <= W - 2
            parts += [vline(x(value), y + 22 + 14 * row, base, 0.9, dashed=True),
                      text(x(value) + (4 if fits else -4), y + 32 + 14 * row, words, "start" if fits else "end")]
        described.append(f"{model.upper()}: {len(samples)} drawings, p50 {p50:.2f} ms, p95 {p95:.2f} ms{note}")
        y = base + 8
    parts += axis(y, top, "ms, end to end (page: post → answer)")
    return svg(y + 40, "Histograms of end-to-end prediction latency. " + "; ".join(described), parts)


def download_svg(files, total):
    """files: [(name, bytes)], largest first -> a labelled horizontal bar each, and the total."""
    x = lambda n: 2 + n / max(files[0][1], 1) * (W - 4)
    parts = []
    for y, (name, n) in zip(range(0, ROW * len(files), ROW), files):
        words = f"{name} {size(n)}"
        label_x, anchor = label_position(2, x(n), words)
        parts += [text(label_x, y + 13, words, anchor), rect(2, y + 16, x(n) - 2, 10, BAR)]
    parts.append(text(2, ROW * len(files) + 14, f"total {size(total)}, brotli 11", bold=True))
    described = ", ".join(f"{name} {size(n)}" for name, n in files)
    return svg(ROW * len(files) + 22, f"First visit's download per file, brotli: {described}; "
                                      f"total {size(total)}", parts)


# -- the page's sections: each a list of Markdown blocks --------------------------------------
