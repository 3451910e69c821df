"""python -m bench [--quick] [--site DIR] [--out PATH]

Builds the site (unless --site), serves it on 127.0.0.1, drives Debian's
Chromium with Playwright, prints a table and writes bench/results.json.
What each figure is and how it is measured: bench/__init__.py.
"""

import os

# One BLAS thread for CPython's NumPy, as the browser's NumPy (no BLAS, one
# thread): set before NumPy is imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from dataclasses import asdict, dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

from harness.chromium import new_page  # noqa: E402
from harness.pad import wait_ready  # noqa: E402
from harness.server import CACHE_POLICIES, SITE_PREFIX  # noqa: E402
from harness.site import build_site, check_site  # noqa: E402
from pydigit import MODEL_NAMES, load_model  # noqa: E402

from . import layers, machine, native, numbers, page_data, report, results, sizes, stats, targets  # noqa: E402
from .browser import launch_chromium  # noqa: E402
from .drawings import network_inputs, sample_drawings  # noqa: E402
from .endurance import endurance  # noqa: E402
from .latency import replay_models  # noqa: E402
from .load import floor_visit, site_visit, summarize_loads, transfer  # noqa: E402
from .peer import peer_forward  # noqa: E402
from .serve import bench_server  # noqa: E402
from .site import site_file  # noqa: E402

DEFAULT_OUT = Path(__file__).resolve().parent / "results.json"


@dataclass(frozen=True)
class Plan:
    accuracy_drawings: int   # CNN drawings replayed in Chromium (a multiple of 10)
    cnn_mouse: int           # of those, replayed as mouse input: the latency sample
    mlp_drawings: int        # MLP drawings, all mouse input
    peer_inputs: int         # 28x28 inputs for the forward-pass comparison
    warmup: int              # untimed forward passes first
    cold_runs: int           # cold loads of the site and of the floor, each
    checkpoints: tuple       # prediction counts at which memory is read
    numbers: int             # 5-digit numbers replayed on the number pad (bench/numbers.py)
    layer_drawings: int      # drawings replayed on a pad showing its layers (bench/layers.py), warm-up included


# Warm-up: one untimed pass over the inputs. V8 first runs WebAssembly with its
# baseline compiler and optimises hot functions in the background: the first
# hundred CNN passes in a fresh worker can be several times slower.
# Mouse input replays at one point per frame (~0.75 s a drawing, as fast as a
# person draws): 200 drawings per model as mouse input; the rest of the CNN's
# 1000 accuracy drawings as dispatched pointer events (replay.py).
FULL = Plan(accuracy_drawings=1000, cnn_mouse=200, mlp_drawings=200, peer_inputs=200, warmup=200,
            cold_runs=3, checkpoints=(10, 100, 250, 500, 1000), numbers=30, layer_drawings=110)
QUICK = Plan(accuracy_drawings=50, cnn_mouse=20, mlp_drawings=20, peer_inputs=20, warmup=50,
             cold_runs=1, checkpoints=(10, 50), numbers=5, layer_drawings=20)


class Progress:
    def __init__(self):
        self.started = time.monotonic()

    def __call__(self, message):
        print(f"[{time.monotonic() - self.started:6.1f} s] {message}", flush=True)


def fail_on_foreign(*visits):
    foreign = sorted({url for visit in visits for url in visit.get("foreign", [])})
    if foreign:
        raise SystemExit(f"requests left the site's origin: {foreign}")


def by_model(plan, drawings):
    """Each model's drawings: the CNN all of them, the MLP the first plan.mlp_drawings."""
    return {"cnn": drawings, "mlp": drawings[:plan.mlp_drawings]}


def first_visit_files(visit, site_dir):
    """Every URL the cold load requested, and every file its service worker
    fetched when it installed -> the site file served for it, each file
    once (the service worker's install finds the page's downloads in the
    HTTP cache). Not the weights of a model the visitor did not pick (the
    bench's first visit switches to the MLP to time its first answer)."""
    precached = [SITE_PREFIX + path for path in sizes.precached_paths(site_dir)]
    not_picked = {site_file(site_dir, SITE_PREFIX + path, SITE_PREFIX)
                  for path in sizes.precached_paths(site_dir, "later")}
    urls = dict.fromkeys(visit["requests"] + [e["url"] for e in visit["cold_resources"]] + precached)
    files = {url: site_file(site_dir, url, SITE_PREFIX) for url in urls}
    missing = [url for url, path in files.items() if path is None]
    if missing:
        raise SystemExit(f"requests of the cold load that no site file answers: {missing}")
    by_file = {path: url for url, path in files.items() if path not in not_picked}
    return {url: path for path, url in by_file.items()}


def in_browser(plan, site_dir, data_dir, drawings, references, say):
    """Every browser measurement, in one Chromium -> the raw parts."""
    drawn = by_model(plan, drawings)
    raw = {"site_visits": [], "floor_visits": []}
    with bench_server(site_dir, data_dir) as server, launch_chromium() as chromium:
        say(f"Chromium {chromium.version} at {server.site_url}")
        raw["chromium"] = chromium.version
        for run in range(plan.cold_runs):
            say(f"load {run + 1}/{plan.cold_runs}: site cold + 2 reloads + 1 offline, floor cold + 2 reloads "
                "(new browser profile each)")
            raw["site_visits"].append(site_visit(chromium, server, drawings[0] if run == 0 else None,
                                                 offline=True))
            raw["floor_visits"].append(floor_visit(chromium, server))
        say("load: site cold + reload, served without Cache-Control (plain http.server)")
        server.set_cache_policy("revalidate")
        raw["revalidate_visit"] = site_visit(chromium, server, reloads=1)
        server.set_cache_policy("static-host")
        fail_on_foreign(*raw["site_visits"], *raw["floor_visits"], raw["revalidate_visit"])

        say(f"replaying {len(drawings)} CNN drawings ({plan.cnn_mouse} as mouse input), "
            f"{len(drawn['mlp'])} MLP drawings")
        raw["replays"] = replay_models(chromium, server, {"cnn": (drawn["cnn"], plan.cnn_mouse),
                                                          "mlp": (drawn["mlp"], len(drawn["mlp"]))},
                                       progress=say)
        fail_on_foreign(raw["replays"])
        say(f"numbers: {plan.numbers} {numbers.DIGITS}-digit numbers on the Embed page's number pad; "
            f"layers: {plan.layer_drawings} drawings on How it works' pad, which shows them")
        raw["numbers"], raw["layers"], raw["features_visit"] = features(chromium, server,
                                                                        drawings[:plan.layer_drawings], plan, say)
        fail_on_foreign(raw["features_visit"])
        say(f"endurance: {plan.checkpoints[-1]} predictions, memory at {plan.checkpoints}")
        raw["memory"] = endurance(chromium, server, drawings[1], plan.checkpoints)
        say(f"forward passes: pydigit in Pyodide, TF.js cpu and wasm, {plan.peer_inputs} inputs each")
        raw["peer"] = peer_forward(chromium, server, references, plan.peer_inputs, plan.warmup, progress=say)
    return raw


def features(chromium, server, drawings, plan, say):
    """The number pad and the pad that shows its layers -> (numbers figures,
    layers figures, {problems, foreign} of the page)."""
    context = chromium.context(server.origin)
    page = new_page(context)
    try:
        figures = [numbers.measure(page, server.site_url + numbers.EMBED_PAGE, plan.numbers, progress=say)]
        page.goto(server.site_url + layers.PAGE)
        if wait_ready(page) != "ready":
            raise SystemExit("the How it works pad did not get ready")
        figures.append(layers.measure(page, drawings, warmup=min(layers.WARMUP_DRAWINGS, len(drawings) // 2)))
        return (*figures, {"problems": list(page.problems), "foreign": list(context.foreign)})
    finally:
        context.close()


def assemble(plan, args, site_dir, drawings, raw, native_rows, native_forward, size_rows):
    """The raw parts -> the results dict (see results.SCHEMA)."""
    drawn = by_model(plan, drawings)
    replays, peer = raw["replays"], raw["peer"]
    prediction = {name: {k: v for k, v in replays[name].items() if k not in ("digits", "sent")}
                  for name in MODEL_NAMES}
    mouse = {"cnn": plan.cnn_mouse, "mlp": len(drawn["mlp"])}
    native_summary = {name: native.summarize_recognize(native_rows[name][:mouse[name]],
                                                       [d.label for d in drawn[name][:mouse[name]]])
                      for name in MODEL_NAMES}
    over_native = {name: {
        "total": stats.ratio(prediction[name]["end_to_end"]["p50"], native_summary[name]["total"]["p50"]),
        **{step: stats.ratio(prediction[name][step]["p50"], native_summary[name][step]["p50"])
           for step in native.STEPS},
    } for name in MODEL_NAMES}
    forward = {}
    for name in MODEL_NAMES:
        p50 = peer[name]["pydigit"]["forward"]["p50"]
        forward[name] = {**peer[name], "cpython": native_forward[name][0],
                         "ratio_tfjs_wasm": stats.ratio(p50, peer[name]["tfjs_wasm"]["forward"]["p50"]),
                         "ratio_tfjs_cpu": stats.ratio(p50, peer[name]["tfjs_cpu"]["forward"]["p50"])}
    accuracy = {}
    for name in MODEL_NAMES:
        labels = [d.label for d in drawn[name]]
        browser_digits, cpython_digits = replays[name]["digits"], [r["digit"] for r in native_rows[name]]
        accuracy[name] = {
            "drawings": len(labels), "browser": replays[name]["accuracy"],
            "cpython": sum(d == y for d, y in zip(cpython_digits, labels)) / len(labels),
            "agreement": sum(a == b for a, b in zip(browser_digits, cpython_digits)) / len(labels)}
    first_visit, revalidate = raw["site_visits"][0], raw["revalidate_visit"]
    visits = (*raw["site_visits"], *raw["floor_visits"], revalidate, replays, raw["memory"], raw["features_visit"])
    out = {
        "schema_version": results.SCHEMA_VERSION, "date": machine.today(), "quick": args.quick,
        "plan": asdict(plan), "machine": machine.machine(), "versions": machine.versions(site_dir, raw["chromium"]),
        "server": {"cold_and_warm": "Cache-Control: max-age=600 on every file (what GitHub Pages sends); "
                                    "one more visit as plain http.server (Last-Modified, no Cache-Control)",
                   "headers": CACHE_POLICIES},
        "load": summarize_loads(raw["site_visits"], raw["floor_visits"], revalidate),
        "bytes": {"cold": {"rows": size_rows, "totals": sizes.size_totals(size_rows),
                           "transfer": transfer(first_visit["cold_resources"])},
                  "warm": {"static_host": transfer(first_visit["warm_resources"][0]),
                           "static_host_third": transfer(first_visit["warm_resources"][-1]),
                           "revalidate": transfer(revalidate["warm_resources"][0])}},
        "prediction": prediction, "native": native_summary, "browser_over_native": over_native,
        "forward": forward, "memory": raw["memory"], "accuracy": accuracy,
        "numbers": raw["numbers"], "layers": raw["layers"],
        "problems": sorted({p for visit in visits for p in visit.get("problems", [])}),
    }
    out["targets"] = targets.evaluate(out)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions: a smoke run")
    parser.add_argument("--site", type=Path, help="an already built site (default: build one now)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="results JSON (default: %(default)s)")
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    say = Progress()

    with tempfile.TemporaryDirectory(prefix="pydigit-bench-") as scratch:
        say("site: " + (f"using {args.site}" if args.site else "building with mkdocs"))
        site_dir = check_site(args.site) if args.site else build_site(Path(scratch) / "site")
        data_dir = Path(scratch) / "data"
        data_dir.mkdir()
        say(f"drawings: {plan.accuracy_drawings} from pendigits; exporting weights and inputs for TF.js")
        drawings = sample_drawings(plan.accuracy_drawings)
        models = {name: page_data.export_model(site_dir / "assets" / "models" / f"{name}.npz", data_dir, name)
                  for name in MODEL_NAMES}
        inputs = network_inputs(drawings[:plan.peer_inputs])
        page_data.export_inputs(inputs, data_dir)

        say("CPython: forward passes on the same inputs")
        native_forward = {name: native.time_forward(models[name], inputs) for name in MODEL_NAMES}

        raw = in_browser(plan, site_dir, data_dir, drawings,
                         {name: native_forward[name][1] for name in MODEL_NAMES}, say)
        say("CPython: predict_strokes on the strokes the worker was sent, with the weights it loaded")
        native_rows = {name: native.time_recognize(load_model(site_dir / "assets" / "models" / f"{name}.npz"),
                                                   raw["replays"][name]["sent"])
                       for name in MODEL_NAMES}
        say("first-visit bytes: gzip -9 and brotli -q 11 of every file")
        size_rows = sizes.size_rows(first_visit_files(raw["site_visits"][0], site_dir))
        out = assemble(plan, args, site_dir, drawings, raw, native_rows, native_forward, size_rows)

    results.write(out, args.out)
    say(f"wrote {args.out}")
    print(report.render(out))
    if out["problems"]:
        print("\nconsole errors during the run:\n  " + "\n  ".join(out["problems"]), file=sys.stderr)


if __name__ == "__main__":
    main()
