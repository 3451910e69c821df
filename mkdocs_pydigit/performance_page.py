"""The Performance page, for people: bench/results.json -> Markdown.

``performance_markdown(results)`` turns the parsed results of ``python -m
bench`` into the Markdown that replaces ``{{ pydigit.performance }}``: where
and with what it was measured, the targets, then load, prediction, forward
pass, download, memory and accuracy as Markdown tables narrow enough for a
phone, with three inline SVG figures drawn here (the cold load's waterfall,
the latency histograms, the first visit's download per file), each beside a
table holding its numbers. The figures are those bench/report.py prints.

Standard library only. A key that bench/results.py's schema requires raises
KeyError naming it; one it leaves optional prints as "–", or its figure is
left out. The SVGs take their colours from mkdocs-material's scheme.
"""

from datetime import datetime

from .performance_figures import LOAD_STEPS, download_svg, figure, histogram_svg, waterfall_svg
from .text import DASH, kib, ms, pair, percent, size, table, times, with_unit

MODELS = ("cnn", "mlp")
SUB = "&emsp;"  # indents a row that splits the row above it

# What the page reads and bench/results.py requires ({m}: each model); summaries need p50 and p95.
REQUIRED = """date quick machine.cpu machine.cores machine.memory_gib versions.python versions.numpy
versions.pyodide versions.chromium versions.tfjs server.cold_and_warm load.cold.site.ready
load.cold.site.timings load.cold.site.drawable load.cold.site.before_worker load.cold.floor.ready
load.cold.floor.timings load.above_floor load.warm.static_host.ready load.warm.static_host_third.ready
load.warm.revalidate.ready load.warm.floor.ready load.warm.floor_third.ready load.first_answers.cnn
load.first_answers.cnn_final load.first_answers.mlp bytes.cold.rows bytes.cold.totals.raw
bytes.cold.totals.gzip bytes.cold.totals.brotli memory.checkpoints memory.growth targets""".split()
REQUIRED_PER_MODEL = """prediction.{m}.mouse_drawings prediction.{m}.accuracy_mouse browser_over_native.{m}
forward.{m}.pydigit forward.{m}.tfjs_cpu forward.{m}.tfjs_wasm forward.{m}.ratio_tfjs_wasm
forward.{m}.ratio_tfjs_cpu accuracy.{m}.browser accuracy.{m}.drawings""".split()
REQUIRED_SUMMARIES = """prediction.{m}.end_to_end prediction.{m}.preprocess prediction.{m}.forward
prediction.{m}.messaging prediction.{m}.pen_up_to_answer native.{m}.preprocess native.{m}.forward
native.{m}.total forward.{m}.cpython""".split()
# ...and in every item of these lists (the schema checks only that they are lists).
REQUIRED_IN_LISTS = {"bytes.cold.rows": ("raw", "gzip", "brotli"),
                     "targets": ("name", "limit", "unit", "comparison", "verdict")}
# The worker's render step is shown where present but not required, although the schema requires it since
# version 2: the page must still render a version 1 run, from before the worker rendered the strokes.

def get(tree, path):
    """The value at a dotted path (a number indexes a list), or None where any part is missing."""
    for key in path.split("."):
        if isinstance(tree, list) and key.isdigit():
            tree = tree[int(key)] if int(key) < len(tree) else None
        else:
            tree = tree.get(key) if isinstance(tree, dict) else None
    return tree


def check_required(results):
    """Raise KeyError naming the first required key that results lack (or hold as null)."""
    paths = REQUIRED + [p.format(m=m) for p in REQUIRED_PER_MODEL for m in MODELS]
    paths += [f"{p.format(m=m)}.{q}" for p in REQUIRED_SUMMARIES for m in MODELS for q in ("p50", "p95")]
    paths += [f"{path}.{i}.{key}" for path, keys in REQUIRED_IN_LISTS.items()
              for i in range(len(get(results, path) or ())) for key in keys]
    for path in paths:
        if get(results, path) is None:
            raise KeyError(f"results.{path} is missing: bench/results.py's schema requires it")


def header_section(r):
    try:
        when = datetime.fromisoformat(r["date"]).strftime("%-d %B %Y, %H:%M UTC%z").replace("UTC+0000", "UTC")
    except ValueError:
        when = r["date"]
    m, v = r["machine"], r["versions"]
    inside = ", ".join(f"{name} {v[key]}" for key, name in (("pyodide_python", "Python"), ("pyodide_numpy", "NumPy"))
                       if v.get(key))
    blocks = [f"Measured {when}, on {m['cpu']} with {m['cores']} cores and {m['memory_gib']} GiB of memory: "
              f"Chromium {v['chromium']} running Pyodide {v['pyodide']}{f' ({inside})' if inside else ''}, beside "
              f"CPython {v['python']} with NumPy {v['numpy']} and TensorFlow.js {v['tfjs']}. "
              f"Server: {r['server']['cold_and_warm']}."]
    if r["quick"]:
        blocks.append('!!! warning "A quick run"\n    Fewer drawings and loads than a full run: rough figures.')
    return blocks


def targets_section(r):
    verdicts = {"PASS": "pass", "FAIL": "**fail**", "N/A": "n/a"}
    sign = {"<=": "≤", ">=": "≥"}
    goal = lambda t: (f"{sign.get(t['comparison'], t['comparison'])}\u00a0{t['limit']:,g}"  # no break inside
                      + ("×" if t["unit"] == "x" else f"\u00a0{t['unit']}"))
    rows = [[t["name"], with_unit(t.get("value"), t["unit"]),
             f"{verdicts.get(t['verdict'], str(t['verdict']).lower())} ({goal(t)})"] for t in r["targets"]]
    met = sum(t["verdict"] == "PASS" for t in r["targets"])
    return ["## Targets", f"{met} of {len(rows)} met.", table(["target", "measured", "verdict (goal)"], rows, "lrl")]


def load_steps(visit):
    """A load's steps in load order, [(step, ms)], from the page's own part before the worker's
    (for the floor, which does not time it: its ready minus its steps)."""
    timings = {k: v for k, v in visit["timings"].items() if v is not None}
    ordered = [k for k in LOAD_STEPS if k in timings] + [k for k in timings if k not in LOAD_STEPS]
    before = visit.get("before_worker", visit["ready"] - sum(timings.values()))
    return ([("before_worker", before)] if before is not None and before >= 0 else []) + \
        [(k, timings[k]) for k in ordered]


def cold_load(r):
    """The waterfall of the cold load, site beside floor, and its table."""
    site, floor, runs = r["load"]["cold"]["site"], r["load"]["cold"]["floor"], r["load"].get("runs", DASH)
    site_steps, floor_steps = dict(load_steps(site)), dict(load_steps(floor))
    caption = "The cold load's steps, one after the other; the dashed line is ready."
    shortfall = site["ready"] - sum(site_steps.values())
    if abs(shortfall) >= 1:
        caption += (f" Each step is a median of its own, so the site's add up to {ms(sum(site_steps.values()))}"
                    f" ms, {ms(abs(shortfall))} ms {'short of' if shortfall > 0 else 'past'} its median ready.")
    loads = [("This site", list(site_steps.items()), site["ready"]),
             ("Pyodide + NumPy floor", list(floor_steps.items()), floor["ready"])]
    steps = [k for k in LOAD_STEPS if k in site_steps or k in floor_steps]
    steps += [k for k in {**site_steps, **floor_steps} if k not in steps]
    rows = [[LOAD_STEPS.get(k, k), ms(site_steps.get(k)), ms(floor_steps.get(k))] for k in steps]
    rows.append(["**ready**", f"**{ms(site['ready'])}**", f"**{ms(floor['ready'])}**"])
    return [f"Cold load, ms after navigation: each figure the median of {runs} loads in a new browser profile, "
            "beside the floor, a bare page loading Pyodide and NumPy from the same files in a worker.",
            figure(waterfall_svg(loads, runs), caption), table(["cold load, ms", "site", "floor"], rows),
            "The floor's page + worker start is its ready minus its steps."]


def first_visit(r):
    """After the cold load: the canvas, the first paint, the first answers."""
    first, site = r["load"]["first_answers"], r["load"]["cold"]["site"]
    cnn = first["cnn"].get("timings") or {}
    messaging = None if None in (cnn.get("total"), cnn.get("worker")) else cnn["total"] - cnn["worker"]
    rows = [["ready above the floor", ms(r["load"]["above_floor"])],
            ["canvas drawable (element defined, laid out)", ms(site["drawable"])],
            ["first contentful paint", ms(site.get("firstContentfulPaint"))],
            ["first CNN prediction after ready (round trip)", ms(first["cnn"].get("ms"))],
            [f"{SUB}render", ms(cnn.get("render"))], [f"{SUB}preprocess", ms(cnn.get("preprocess"))],
            [f"{SUB}forward pass", ms(cnn.get("forward"))],
            [f"{SUB}messaging", ms(messaging)], [f"{SUB}its final answer at pen up", ms(first["cnn_final"].get("ms"))],
            ["first MLP prediction (fetches its weights)", ms(first["mlp"].get("ms"))]]
    return [table(["first visit", "ms"], rows)]


def repeat_visits(r):
    """Reloads once the first visit's service worker and snapshot are in place, and offline: the
    waterfall of the 2nd visit and the offline one beside the floor's cold load, ready, what
    crossed the network, and the steps."""
    load, warm = r["load"], r["load"]["warm"]
    floor = load["cold"]["floor"]
    offline = load.get("offline")
    sent = lambda t: DASH if not t else (f"{size(t.get('bytes'))}: {t.get('from_cache', DASH)} of "
                                         f"{t.get('requests', DASH)} cached, {t.get('revalidated', DASH)} revalidated, "
                                         f"{t.get('from_service_worker', DASH)} by the service worker")
    visits = [("2nd visit (reload), max-age=600", "static_host"), ("3rd visit (reload)", "static_host_third"),
              ("2nd visit, no Cache-Control", "revalidate"), ("floor, 2nd visit", "floor"),
              ("floor, 3rd visit", "floor_third")]
    rows = [[name, ms(warm[key]["ready"]), sent(get(r, f"bytes.warm.{key}"))] for name, key in visits]
    if offline:
        rows.insert(2, ["offline reload (network off)", ms(offline["ready"]), DASH])
    over_floor = [["2nd visit / floor's cold ready", times(warm["static_host"]["ready"] / floor["ready"])],
                  ["cold visit / floor's cold ready", times(load["cold"]["site"]["ready"] / floor["ready"])]]
    loads = [("This site, 2nd visit", load_steps(warm["static_host"]), warm["static_host"]["ready"])]
    if offline:
        loads.append(("This site, offline", load_steps(offline), offline["ready"]))
    loads.append(("Pyodide + NumPy floor, cold", load_steps(floor), floor["ready"]))
    caption = ("Repeat visits start Python from the memory snapshot the first visit's browser made "
               "(reading the snapshot), and take every file from the service worker's cache; the dashed "
               "line is ready.")
    # The 2nd visit's steps (the 3rd's ready is above) and the offline one's: a table narrow enough for a phone.
    visited = [warm["static_host"]] + ([offline] if offline else [])
    steps = [[LOAD_STEPS[k]] + [ms(v["timings"].get(k)) for v in visited]
             for k in ("snapshot", "runtime", "numpy", "pydigit", "model", "warmup")]
    return ["Repeat visits, once the first has left its service worker and snapshot:",
            figure(waterfall_svg(loads, load.get("runs", DASH), "repeat visits"), caption),
            table(["visit", "ready, ms", "downloaded"], rows, "lrl"), table(["ready", "ratio"], over_floor),
            table(["repeat visit, ms", "2nd"] + (["offline"] if offline else []), steps)]


def load_section(r):
    return ["## Load"] + cold_load(r) + first_visit(r) + repeat_visits(r)


def prediction_section(r):
    p = r["prediction"]
    blocks = ["## Prediction", f"Pen strokes replayed as mouse input: {p['cnn']['mouse_drawings']} CNN and "
              f"{p['mlp']['mouse_drawings']} MLP drawings; ms, p50 / p95."]
    panels = [(m, p[m]["samples"], p[m]["end_to_end"]["p50"], p[m]["end_to_end"]["p95"])
              for m in MODELS if p[m].get("samples")]
    if panels:
        blocks.append(figure(histogram_svg(panels), "End-to-end latency of each mouse-drawn drawing's final "
                                                    "answer; dashed: p50 and p95."))
    spread = [[s] + [ms(p[m]["end_to_end"].get(s), 0 if s == "n" else 2) for m in MODELS]
              for s in ("n", "min", "p50", "mean", "p95", "max")]
    browser = [[label] + [pair(p[m].get(key)) for m in MODELS] for key, label in (
        ("end_to_end", "end to end (page: post → answer)"), ("first_10_drawings", f"{SUB}the first 10 drawings"),
        ("render", f"{SUB}render"), ("preprocess", f"{SUB}preprocess"), ("forward", f"{SUB}forward pass"),
        ("worker", f"{SUB}whole worker step"),
        ("messaging", f"{SUB}messaging (total − worker)"), ("messaging_to_worker", f"{SUB}{SUB}page → worker"),
        ("messaging_to_page", f"{SUB}{SUB}worker → page"), ("pen_up_to_answer", "pen up → answer shown"),
        ("during_stroke", "answers while the pen moves"), ("idle_end_to_end", "same drawing, page idle"),
        ("idle_messaging", f"{SUB}messaging"))]
    native = [[label] + [pair(r["native"][m].get(key)) for m in MODELS] for key, label in (
        ("total", "recognize"), ("render", f"{SUB}render"), ("preprocess", f"{SUB}preprocess"),
        ("forward", f"{SUB}forward pass"))]
    ratio = [[label] + [times(r["browser_over_native"][m].get(key)) for m in MODELS] for key, label in (
        ("total", "end to end ÷ recognize"), ("render", "render"), ("preprocess", "preprocess"),
        ("forward", "forward pass"))]
    return blocks + [table(["end to end, ms", "CNN", "MLP"], spread), table(["in Chromium, ms", "CNN", "MLP"], browser),
                     table(["CPython, same drawings, ms", "CNN", "MLP"], native),
                     table(["Chromium ÷ CPython, p50", "CNN", "MLP"], ratio)]


def forward_section(r):
    f = r["forward"]
    runs = (("pydigit", "pydigit in Pyodide"), ("tfjs_wasm", "TF.js wasm (SIMD, 1 thread)"), ("tfjs_cpu", "TF.js cpu"))
    rows = [[label] + [pair(f[m][key].get("forward")) for m in MODELS] for key, label in runs]
    rows.append(["pydigit in CPython"] + [pair(f[m]["cpython"]) for m in MODELS])
    rows += [[label] + [times(f[m][key]) for m in MODELS] for key, label in (
        ("ratio_tfjs_wasm", "pydigit ÷ TF.js wasm, p50"), ("ratio_tfjs_cpu", "pydigit ÷ TF.js cpu, p50"))]
    differences = lambda m: [f[m][k]["max_difference"] for k, _ in runs if f[m][k].get("max_difference") is not None]
    rows.append(["largest difference from CPython's probabilities"]
                + [f"{max(differences(m)):.1e}" if differences(m) else DASH for m in MODELS])
    inputs = get(f, "cnn.pydigit.forward.n") or DASH
    return ["## Forward pass against TensorFlow.js", f"The forward pass alone, ms p50 / p95: {inputs} inputs, the "
            "same 28×28 batch, one at a time, in workers of a cross-origin isolated page.",
            table(["forward pass, ms", "CNN", "MLP"], rows)]


def download_section(r):
    cold, totals = r["bytes"]["cold"], r["bytes"]["cold"]["totals"]
    name = lambda row: row.get("file") or (row.get("url") or "").rstrip("/").rsplit("/", 1)[-1] or "(page)"
    short = lambda n: " ".join(n.split("-")[:2]) + " (wheel)" if n.endswith(".whl") else n
    sent = sorted(((short(name(row)), min(row["raw"], row["brotli"])) for row in cold["rows"]), key=lambda f: -f[1])
    shown = [file for file in sent if file[1] >= 0.02 * totals["brotli"]]  # the rest make one bar
    others = sent[len(shown):]
    if others:
        shown.append((f"{len(others)} other files", sum(n for _, n in others)))
    zipped = lambda row: f" (zip, {row['zip']})" if row.get("zip") else ""
    rows = [[name(row) + zipped(row)] + [size(row[k]) for k in ("brotli", "gzip", "raw")]
            for row in sorted(cold["rows"], key=lambda row: -row["brotli"])]
    rows.append([f"**total ({totals.get('files', len(rows))} files)**"]
                + [f"**{size(totals[k])}**" for k in ("brotli", "gzip", "raw")])
    transfer = cold.get("transfer") or {}
    blocks = ["## Download", "The first visit, file by file, as a static host would serve it (1 MB = 1,000,000 bytes)."]
    if shown:
        blocks.append(figure(download_svg(shown, totals["brotli"]), "What each file costs over the network: brotli, "
                                                                     "or the file as it is when that is smaller."))
    return blocks + [table(["file", "brotli 11", "gzip -9", "raw"], rows),
                     f"Brotli, all files: **{size(totals['brotli'])}**; if the host sends .whl, .zip and .npz files "
                     f"as they are: {size(totals.get('brotli_zips_as_is'))}. The bench server sent "
                     f"{size(transfer.get('bytes'))} uncompressed, in {transfer.get('requests', DASH)} requests."]


def memory_section(r):
    checkpoints = [c for c in r["memory"]["checkpoints"] if isinstance(c, dict)]
    growth = r["memory"]["growth"]
    count = lambda n: DASH if n is None else f"{n:,}"
    heaps = [[count(c.get("predictions")), kib(c.get("page_heap")), kib(c.get("worker_heap"))] for c in checkpoints]
    others = [[count(c.get("predictions")), kib(c.get("wasm_memory")), count(c.get("python_objects"))]
              for c in checkpoints]
    change = lambda value, in_kib: DASH if value is None else f"{value / 1024:+,.1f}" if in_kib else f"{value:+,}"
    grown = [[label] + [change(get(growth, f"{key}.{part}"), in_kib) for part in ("first_to_last", "second_half")]
             for key, label, in_kib in (("page_heap", "page JS heap, KiB", True),
                                        ("worker_heap", "worker JS heap, KiB", True),
                                        ("wasm_memory", "wasm memory, KiB", True),
                                        ("python_objects", "Python objects", False))]
    last = max((c.get("predictions") or 0 for c in checkpoints), default=0)
    return ["## Memory", f"{last:,} predictions in one page; JS heaps after garbage collection, in KiB. Those "
            f"predictions took {pair(get(r, 'memory.repeated'))} ms, p50 / p95.",
            table(["predictions", "page JS heap", "worker JS heap"], heaps),
            table(["predictions", "wasm memory, KiB", "Python objects"], others),
            table(["growth", "whole run", "second half"], grown)]


def accuracy_section(r):
    a, p = r["accuracy"], r["prediction"]
    rows = [["drawings"] + [f"{a[m]['drawings']:,}" for m in MODELS],
            ["in Chromium"] + [percent(a[m]["browser"]) for m in MODELS],
            ["mouse-drawn only"] + [f"{percent(p[m]['accuracy_mouse'])} of {p[m]['mouse_drawings']}" for m in MODELS],
            ["CPython's render"] + [percent(a[m].get("cpython")) for m in MODELS],
            ["same answer as CPython"] + [percent(a[m].get("agreement")) for m in MODELS]]
    return ["## Accuracy in the browser", "Replayed pen strokes (pendigits-orig.tra, class-balanced, seed 0); the "
            "drawings past the mouse-replayed ones are dispatched pointer events.",
            table(["right answers", "CNN", "MLP"], rows)]


def features_section(r):
    """Numbers and layers: figures of runs that measured them (older results have none)."""
    if "numbers" not in r or "layers" not in r:
        return []
    n, lay = r["numbers"], r["layers"]
    ms = lambda s: f"{s['p50']:.1f} / {s['p95']:.1f}"
    rows = [[f"a {n['digits']}-digit number, number pad", ms(n["end_to_end"]), ms(n["python"])],
            ["a digit with its layers explained", ms(lay["end_to_end"]), ms(lay["python"])]]
    return ["## Numbers and layers", f"Recorded pen digits replayed with the mouse: {n['numbers']} numbers of "
            f"{n['digits']} digits, each by one writer, on the Embed page's number pad ({n['read_right']} read "
            "right: a check that the pad works, not a measure of accuracy, for its trajectory network learnt from "
            f"these writers; How it works has the figures for writers it never saw), and {lay['drawings']} digits "
            f"on How it works' pad, which shows its layers ({lay['correct']} read right); ms p50 / p95 of the "
            "final answer.",
            table(["pad", "end to end", "Python"], rows)]


def performance_markdown(results: dict) -> str:
    """bench/results.json, parsed -> the Performance page's Markdown. KeyError if a required key is missing."""
    check_required(results)
    sections = (header_section, targets_section, load_section, prediction_section, forward_section,
                features_section, download_section, memory_section, accuracy_section)
    return "\n\n".join(block for section in sections for block in section(results)) + "\n"
