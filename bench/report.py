"""The printed report, made from the results dict alone (so that
``python -m bench.report bench/results.json`` prints a past run again; a
figure a past run's schema did not have, such as version 1's render step,
prints as "–")."""

import sys

from pydigit import MODEL_NAMES

from .results import read

MB = 1_000_000
MODEL_COLUMNS = ["", *(name.upper() for name in MODEL_NAMES)]


def ms(value):
    return "–" if value is None else f"{value:,.1f}"


def pair(summary):
    """A summary -> "p50 / p95" in ms."""
    return "–" if summary is None else f"{summary['p50']:.2f} / {summary['p95']:.2f}"


def times(value):
    return "–" if value is None else f"{value:.1f}x"


def table(title, header, rows):
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]
    line = lambda cells: "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                                   for i, (c, w) in enumerate(zip(cells, widths)))
    return "\n".join([f"\n{title}", line(header), line(["-" * w for w in widths])]
                     + [line(row) for row in rows])


def header(r):
    m, v = r["machine"], r["versions"]
    return (f"pydigit benchmark, {r['date']}{' (--quick)' if r['quick'] else ''}\n"
            f"{m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; Chromium {v['chromium']}, "
            f"Pyodide {v['pyodide']} (Python {v['pyodide_python']}, NumPy {v['pyodide_numpy']}), "
            f"CPython {v['python']} + NumPy {v['numpy']}, TF.js {v['tfjs']}\n"
            f"server: {r['server']['cold_and_warm']}")


def load_section(r):
    load, byte = r["load"], r["bytes"]
    site, floor = load["cold"]["site"], load["cold"]["floor"]
    t = site["timings"]
    first = load["first_answers"]
    warm, third = load["warm"]["static_host"], load["warm"]["static_host_third"]
    revalidate = load["warm"]["revalidate"]
    steps = lambda visit: " / ".join(ms(visit["timings"][k]) for k in ("runtime", "numpy", "pydigit", "model"))
    kb = lambda transfer: f"{transfer['bytes'] / 1024:,.0f} KiB in {transfer['requests']} requests " \
                          f"({transfer['from_cache']} cached, {transfer['revalidated']} revalidated, " \
                          f"{transfer.get('from_service_worker', '–')} by the service worker)"
    offline = load.get("offline") or {"ready": None, "timings": {}}
    rows = [
        ["cold: navigation -> widget ready", ms(site["ready"])],
        ["  page, its scripts, worker start", ms(site["before_worker"])],
        ["  runtime boot (Pyodide)", ms(t["runtime"])],
        ["  NumPy (fetch + install)", ms(t["numpy"])],
        ["  pydigit (fetch + install + import, with numpy)", ms(t["pydigit"])],
        ["  weights (CNN)", ms(t["model"])],
        ["  warm-up: predictions of a made-up drawing", ms(t.get("warmup"))],
        ["floor: bare page, Pyodide + NumPy + import numpy", ms(floor["ready"])],
        ["  runtime / NumPy / import numpy",
         " / ".join(ms(floor["timings"][k]) for k in ("runtime", "numpy", "import"))],
        ["ready above the floor", ms(load["above_floor"])],
        ["canvas drawable (element defined, canvas laid out)", ms(site["drawable"])],
        ["first contentful paint", ms(site.get("firstContentfulPaint"))],
        ["first CNN prediction after ready (round trip)", ms(first["cnn"]["ms"])],
        ["  render / preprocess / forward / messaging", " / ".join(ms(x) for x in (
            first["cnn"]["timings"].get("render"), first["cnn"]["timings"]["preprocess"],
            first["cnn"]["timings"]["forward"],
            first["cnn"]["timings"]["total"] - first["cnn"]["timings"]["worker"]))],
        ["  its final answer at pen up", ms(first["cnn_final"]["ms"])],
        ["first MLP prediction (fetches + loads its weights)", ms(first["mlp"]["ms"])],
        ["2nd visit (reload), max-age=600: -> ready", ms(warm["ready"])],
        ["  from the memory snapshot: reading it", ms(warm["timings"].get("snapshot"))],
        ["  runtime / NumPy / pydigit / weights", steps(warm)],
        ["  transferred", kb(byte["warm"]["static_host"])],
        ["  over the floor's cold ready", times(warm["ready"] / floor["ready"])],
        ["3rd visit (reload): -> ready", ms(third["ready"])],
        ["  runtime / NumPy / pydigit / weights", steps(third)],
        ["2nd visit, no Cache-Control (revalidate): -> ready", ms(revalidate["ready"])],
        ["  transferred", kb(byte["warm"]["revalidate"])],
        ["offline reload (network off): -> ready", ms(offline["ready"])],
        ["floor, 2nd / 3rd visit", f"{ms(load['warm']['floor']['ready'])} / "
                                   f"{ms(load['warm']['floor_third']['ready'])}"],
    ]
    return table(f"Load, ms after navigation (median of {load['runs']} runs, each in a new browser profile)",
                 ["", "ms"], rows)


def prediction_section(r):
    p, n, ratio = r["prediction"], r["native"], r["browser_over_native"]
    rows = []
    for key, label in (("end_to_end", "end to end (page: post -> answer)"),
                       ("first_10_drawings", "  the model's first 10 drawings"),
                       ("render", "  render (strokes -> ink)"), ("preprocess", "  preprocess"),
                       ("forward", "  forward pass"), ("worker", "  whole worker step"),
                       ("messaging", "  messaging (total - worker)"),
                       ("messaging_to_worker", "    page -> worker"),
                       ("messaging_to_page", "    worker -> page"),
                       ("pen_up_to_answer", "pen up -> answer shown"),
                       ("during_stroke", "answers while the pen moves"),
                       ("idle_end_to_end", "same drawing again, page idle: end to end"),
                       ("idle_messaging", "  messaging")):
        rows.append([label, *(pair(p[m].get(key)) for m in MODEL_NAMES)])
    for key, label in (("total", "CPython, same strokes: predict_strokes"),
                       ("render", "  render"), ("preprocess", "  preprocess"), ("forward", "  forward pass")):
        rows.append([label, *(pair(n[m].get(key)) for m in MODEL_NAMES)])
    for key, label in (("total", "Chromium / CPython: end to end vs predict_strokes"), ("render", "  render"),
                       ("preprocess", "  preprocess"), ("forward", "  forward pass")):
        rows.append([label, *(times(ratio[m].get(key)) for m in MODEL_NAMES)])
    counts = ", ".join(f"{p[m]['mouse_drawings']} {m.upper()}" for m in MODEL_NAMES) + " drawings"
    return table(f"Prediction, ms p50 / p95 (pen strokes replayed as mouse input: {counts})",
                 MODEL_COLUMNS, rows)


def forward_section(r):
    f = r["forward"]
    rows = []
    for key, label in (("pydigit", "pydigit in Pyodide (worker)"), ("tfjs_wasm", "TF.js wasm (SIMD, 1 thread)"),
                       ("tfjs_cpu", "TF.js cpu")):
        rows.append([label] + [pair(f[m][key]["forward"]) for m in MODEL_NAMES])
    rows.append(["pydigit in CPython"] + [pair(f[m]["cpython"]) for m in MODEL_NAMES])
    rows.append(["pydigit / TF.js wasm (p50)"] + [times(f[m]["ratio_tfjs_wasm"]) for m in MODEL_NAMES])
    rows.append(["pydigit / TF.js cpu (p50)"] + [times(f[m]["ratio_tfjs_cpu"]) for m in MODEL_NAMES])
    rows.append(["max |p - p(CPython)|, all three"] + [
        f"{max(f[m][k]['max_difference'] for k in ('pydigit', 'tfjs_cpu', 'tfjs_wasm')):.1e}"
        for m in MODEL_NAMES])
    n = f["cnn"]["pydigit"]["forward"]["n"]
    return table(f"Forward pass alone, ms p50 / p95 ({n} inputs, same 28x28 batch, one at a time)",
                 MODEL_COLUMNS, rows)


def bytes_section(r):
    cold = r["bytes"]["cold"]
    kib = lambda n: f"{n / 1024:,.1f}"
    rows = [[row["url"].split("/pydigit/", 1)[-1] or "(page)", kib(row["raw"]), kib(row["gzip"]),
             kib(row["brotli"]), row["zip"] or ""] for row in cold["rows"]]
    totals = cold["totals"]
    rows.append([f"total ({totals['files']} files)", kib(totals["raw"]), kib(totals["gzip"]),
                 kib(totals["brotli"]), ""])
    note = (f"\nbrotli total {totals['brotli'] / MB:.2f} MB; if the host sends .whl/.zip/.npz as they are: "
            f"{totals['brotli_zips_as_is'] / MB:.2f} MB. Transferred by the bench server (uncompressed): "
            f"{cold['transfer']['bytes'] / MB:.2f} MB in {cold['transfer']['requests']} requests.")
    return table("First visit, per file, KiB (as a static host would serve it)",
                 ["file", "raw", "gzip -9", "brotli 11", "zip entries"], rows) + note


def memory_section(r):
    m = r["memory"]
    rows = [[c["predictions"], f"{c['page_heap'] / 1024:,.0f}", f"{c['worker_heap'] / 1024:,.0f}",
             f"{c['wasm_memory'] / 1024:,.0f}", c["python_objects"]] for c in m["checkpoints"]]
    return table(f"Memory after N predictions (KiB; JS heaps after GC). Repeated predictions: "
                 f"{pair(m['repeated'])} ms",
                 ["predictions", "page JS heap", "worker JS heap", "wasm memory", "Python objects"], rows)


def accuracy_section(r):
    a = r["accuracy"]
    p = r["prediction"]
    rows = [[m.upper(), a[m]["drawings"], f"{a[m]['browser']:.1%}",
             f"{p[m]['accuracy_mouse']:.1%} of {p[m]['mouse_drawings']}", f"{a[m]['cpython']:.1%}",
             f"{a[m]['agreement']:.1%}"] for m in MODEL_NAMES]
    return table("Accuracy on replayed pen strokes (pendigits-orig.tra, class-balanced, seed 0; the "
                 "drawings past the mouse-replayed ones are dispatched pointer events)",
                 ["model", "drawings", "Chromium", "mouse-drawn only", "CPython, same strokes", "same answer"],
                 rows)


def features_section(r):
    n, lay = r["numbers"], r["layers"]
    ms = lambda s: f"{s['p50']:.2f} / {s['p95']:.2f}"
    rows = [[f"{n['digits']}-digit number (number pad)", n["numbers"], ms(n["end_to_end"]), ms(n["python"]),
             ms(n["worker"]), f"{n['read_right']} of {n['numbers']} numbers"],
            ["digit with its layers explained", lay["drawings"], ms(lay["end_to_end"]), ms(lay["python"]),
             ms(lay["worker"]), f"{lay['correct']} of {lay['drawings']} digits"]]
    return table("Numbers and layers, replayed with the mouse in Chromium, ms p50 / p95",
                 ["pad", "drawings", "end to end", "Python", "worker", "read right"], rows)


def targets_section(r):
    rows = []
    for t in r["targets"]:
        value = "–" if t["value"] is None else f"{t['value']:.2f}"
        rows.append([t["name"], f"{value} {t['unit']}", f"{t['comparison']} {t['limit']} {t['unit']}",
                     t["verdict"]])
    return table("Targets", ["", "measured", "target", "verdict"], rows)


def render(r):
    return "\n".join([header(r), load_section(r), prediction_section(r), forward_section(r),
                      bytes_section(r), memory_section(r), accuracy_section(r), features_section(r),
                      targets_section(r)])


if __name__ == "__main__":
    print(render(read(sys.argv[1] if len(sys.argv) > 1 else "bench/results.json")))
