"""bench/results.json: what it must hold, checked before it is written.

SCHEMA maps each required key to the type of its value, or to the schema of
a nested dict; extra keys are allowed (the figures carry more detail than
the report prints).
"""

import json
from pathlib import Path

from pydigit import MODEL_NAMES

# 2: the worker renders the strokes the page sends: "render" in prediction, native and
# browser_over_native; CPython recognises the very strokes the worker was sent (accuracy.agreement).
SCHEMA_VERSION = 2
NUMBER = (int, float)
SUMMARY = {"n": int, "p50": NUMBER, "p95": NUMBER, "mean": NUMBER, "min": NUMBER, "max": NUMBER}
RATIO = (*NUMBER, type(None))  # stats.ratio: None when the denominator is too fast to time
LOAD = {"ready": NUMBER, "timings": dict}

SCHEMA = {
    "schema_version": int,
    "date": str,
    "quick": bool,
    "machine": {"cpu": str, "cores": int, "memory_gib": NUMBER},
    "versions": {"python": str, "numpy": str, "pyodide": str, "chromium": str, "tfjs": str},
    "server": {"cold_and_warm": str, "headers": dict},
    "load": {"cold": {"site": {**LOAD, "drawable": NUMBER, "before_worker": NUMBER},
                      "floor": LOAD},
             "above_floor": NUMBER,
             "warm": {"static_host": LOAD, "static_host_third": LOAD, "revalidate": LOAD,
                      "floor": LOAD, "floor_third": LOAD},
             "first_answers": {"cnn": dict, "cnn_final": dict, "mlp": dict}},
    "bytes": {"cold": {"rows": list, "totals": {"raw": int, "gzip": int, "brotli": int},
                       "transfer": dict},
              "warm": {"static_host": dict, "revalidate": dict}},
    "prediction": {model: {"end_to_end": SUMMARY, "render": SUMMARY, "preprocess": SUMMARY,
                           "forward": SUMMARY, "messaging": SUMMARY, "pen_up_to_answer": SUMMARY,
                           "mouse_drawings": int, "accuracy_mouse": NUMBER}
                   for model in MODEL_NAMES},
    "native": {model: {"render": SUMMARY, "preprocess": SUMMARY, "forward": SUMMARY, "total": SUMMARY}
               for model in MODEL_NAMES},
    "browser_over_native": {model: {key: RATIO for key in ("total", "render", "preprocess", "forward")}
                            for model in MODEL_NAMES},
    "forward": {model: {"pydigit": dict, "tfjs_cpu": dict, "tfjs_wasm": dict, "cpython": SUMMARY,
                        "ratio_tfjs_wasm": NUMBER, "ratio_tfjs_cpu": NUMBER}
                for model in MODEL_NAMES},
    "memory": {"checkpoints": list, "growth": dict},
    "accuracy": {model: {"browser": NUMBER, "cpython": NUMBER, "agreement": NUMBER, "drawings": int}
                 for model in MODEL_NAMES},
    "numbers": {"end_to_end": SUMMARY, "python": SUMMARY, "worker": SUMMARY, "numbers": int, "read_right": int},
    "layers": {"end_to_end": SUMMARY, "python": SUMMARY, "forward": SUMMARY, "backward": SUMMARY,
               "messaging": SUMMARY, "drawings": int, "correct": int},
    "targets": list,
}


def problems(value, schema=SCHEMA, where="results"):
    """-> list of what is missing or of the wrong type (empty when valid)."""
    if isinstance(schema, dict):
        if not isinstance(value, dict):
            return [f"{where} is {type(value).__name__}, not an object"]
        found = []
        for key, sub in schema.items():
            if key not in value:
                found.append(f"{where}.{key} is missing")
            else:
                found += problems(value[key], sub, f"{where}.{key}")
        return found
    if schema in (int, NUMBER, RATIO) and isinstance(value, bool):
        return [f"{where} is a boolean, not a number"]
    if not isinstance(value, schema):
        names = "/".join(t.__name__ for t in (schema if isinstance(schema, tuple) else (schema,)))
        return [f"{where} is {type(value).__name__}, not {names}"]
    return []


def write(results, path):
    found = problems(results)
    if found:
        raise ValueError("results do not match the schema:\n  " + "\n  ".join(found))
    Path(path).write_text(json.dumps(results, indent=1) + "\n")


def read(path):
    return json.loads(Path(path).read_text())
