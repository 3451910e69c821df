"""The issue's targets, each with its verdict. They are goals to report
against, not timed tests: the run never fails on them. Start-up is
measured against the floor: a bare page booting the same Pyodide and
importing NumPy, cold."""

from harness.pad import READY_TIMEOUT_MS
from pydigit import MODEL_NAMES

from .stats import ratio

MB = 1_000_000


def target(name, value, limit, unit, at_least=False):
    if value is None:
        verdict = "N/A"
    else:
        verdict = "PASS" if (value >= limit if at_least else value <= limit) else "FAIL"
    return {"name": name, "value": value, "limit": limit, "unit": unit,
            "comparison": ">=" if at_least else "<=", "verdict": verdict}


def evaluate(results):
    """results: the run's results dict -> list of target rows."""
    prediction, load, forward = results["prediction"], results["load"], results["forward"]
    floor = load["cold"]["floor"]["ready"]
    growth = results["memory"]["growth"]
    rows = [
        target("CNN prediction in Chromium, p50, end to end", prediction["cnn"]["end_to_end"]["p50"], 5, "ms"),
        target("CNN prediction in Chromium, p95, end to end", prediction["cnn"]["end_to_end"]["p95"], 16, "ms"),
        target("MLP prediction in Chromium, p50, end to end", prediction["mlp"]["end_to_end"]["p50"], 3, "ms"),
        target("5-digit number on the number pad, p50, end to end", results["numbers"]["end_to_end"]["p50"],
               16, "ms"),
        target("CNN answer with its layers explained, p50, end to end", results["layers"]["end_to_end"]["p50"],
               16, "ms"),
    ]
    for model in MODEL_NAMES:
        rows.append(target(f"{model.upper()} forward pass, pydigit / TF.js wasm (p50)",
                           forward[model]["ratio_tfjs_wasm"], 3, "x"))
    rows += [
        target("load -> ready above the Pyodide + NumPy floor (median)", load["above_floor"], 1500, "ms"),
        target("cold first visit -> ready, over the floor's (median)",
               ratio(load["cold"]["site"]["ready"], floor), 1, "x"),
        target("repeat visit -> ready, over the floor's cold one (median)",
               ratio(load["warm"]["static_host"]["ready"], floor), 0.5, "x"),
        target("repeat visit: requests answered by the service worker, of all",
               results["bytes"]["warm"]["static_host"].get("from_service_worker"),
               results["bytes"]["warm"]["static_host"]["requests"], "", at_least=True),
        target("after one visit, offline reload -> ready (median)", (load.get("offline") or {}).get("ready"),
               READY_TIMEOUT_MS, "ms"),
        target("canvas drawable after navigation (median)", load["cold"]["site"]["drawable"], 500, "ms"),
        target("first visit, brotli, all files", results["bytes"]["cold"]["totals"]["brotli"] / MB, 4.5, "MB"),
        target("replayed pen-stroke accuracy, CNN", results["accuracy"]["cnn"]["browser"] * 100, 97, "%",
               at_least=True),
        # "No growth trend": after warm-up (second half of the endurance run).
        target("JS heap growth, page + worker, second half of the endurance run",
               (growth["page_heap"]["second_half"] + growth["worker_heap"]["second_half"]) / 1024, 256, "KiB"),
        target("WebAssembly memory growth, second half of the endurance run",
               growth["wasm_memory"]["second_half"] / 1024, 0, "KiB"),
    ]
    return rows
