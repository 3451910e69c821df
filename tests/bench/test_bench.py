"""The benchmark's pure parts: percentile math, the size/compression table,
the results schema, the TF.js export layout, the strokes as the worker gets
them and CPython's steps on them. No browser, no benchmark run."""

import gzip
import json
import zipfile

import numpy as np
import pytest

from bench import native, page_data, report, results, sizes, stats, step_timings, targets
from bench.drawings import flat_strokes
from bench.site import site_file
from pydigit.browser import split_strokes
from pydigit.layers import Conv2D, Dense
from pydigit.recognize import bundled_model, recognize_strokes

# Two drawings in 0..1 of the pad: a ring, and a stroke with a dot (a one-point stroke).
RING = [np.stack([0.5 + 0.3 * np.cos(np.linspace(0, 2 * np.pi, 40)),
                  0.5 + 0.35 * np.sin(np.linspace(0, 2 * np.pi, 40))], axis=1).astype(np.float32)]
STROKE_AND_DOT = [np.array([[0.3, 0.2], [0.5, 0.8], [0.7, 0.25]], np.float32), np.array([[0.5, 0.1]], np.float32)]


@pytest.mark.parametrize("q", [0, 5, 25, 50, 90, 95, 99, 100])
def test_percentile_matches_numpy_linear(q):
    values = list(np.random.default_rng(0).exponential(3.0, 37))
    assert stats.percentile(values, q) == pytest.approx(np.percentile(values, q))


def test_percentile_by_hand():
    assert stats.percentile([1, 2, 3, 4], 50) == 2.5
    assert stats.percentile([10, 0, 20], 95) == pytest.approx(19.0)  # 20 - 0.05 * 2 * 10
    assert stats.percentile([7], 95) == 7
    with pytest.raises(ValueError):
        stats.percentile([], 50)
    with pytest.raises(ValueError):
        stats.percentile([1], 101)


def test_summarize():
    summary = stats.summarize(range(1, 101))
    assert summary["n"] == 100 and summary["min"] == 1 and summary["max"] == 100
    assert summary["p50"] == pytest.approx(50.5) and summary["p95"] == pytest.approx(95.05)
    assert summary["mean"] == pytest.approx(50.5)
    assert stats.ratio(3.0, 0) is None and stats.ratio(3.0, 1.5) == 2.0


def test_size_table_on_a_tiny_site(tmp_path):
    brotli = pytest.importorskip("brotli")  # the `bench` extra
    text = ("the same words again and again, " * 200).encode()
    (tmp_path / "page.html").write_bytes(text)
    noise = np.random.default_rng(0).bytes(5000)
    with zipfile.ZipFile(tmp_path / "stored.whl", "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("a.txt", text)
    with zipfile.ZipFile(tmp_path / "deflated.npz", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.npy", text)
    (tmp_path / "noise.bin").write_bytes(noise)

    rows = sizes.size_rows({f"http://x/{p.name}": p for p in tmp_path.iterdir()})
    by_file = {row["file"]: row for row in rows}
    page = by_file["page.html"]
    assert page["raw"] == len(text)
    assert page["gzip"] == len(gzip.compress(text, compresslevel=9, mtime=0))
    assert page["brotli"] == len(brotli.compress(text, quality=11))
    assert page["brotli"] < page["gzip"] < page["raw"]
    assert page["zip"] is None and by_file["noise.bin"]["zip"] is None
    assert by_file["stored.whl"]["zip"] == "stored" and by_file["deflated.npz"]["zip"] == "deflated"
    assert [row["raw"] for row in rows] == sorted((row["raw"] for row in rows), reverse=True)

    totals = sizes.size_totals(rows)
    assert totals["files"] == 4 and totals["raw"] == sum(r["raw"] for r in rows)
    # Incompressible noise counts at its raw size, not a few bytes larger.
    assert totals["brotli"] == sum(min(r["raw"], r["brotli"]) for r in rows)
    zips = by_file["stored.whl"]["raw"] + by_file["deflated.npz"]["raw"]
    rest = sum(min(r["raw"], r["brotli"]) for r in rows if not r["zip"])
    assert totals["brotli_zips_as_is"] == zips + rest


def test_site_file(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "a b.js").write_text("x")
    (tmp_path / "index.html").write_text("x")
    assert site_file(tmp_path, "http://h/pydigit/", "/pydigit/") == tmp_path / "index.html"
    assert site_file(tmp_path, "http://h/pydigit/assets/a%20b.js?v=1", "/pydigit/") == tmp_path / "assets" / "a b.js"
    assert site_file(tmp_path, "http://h/bench/floor.html", "/pydigit/") is None
    assert site_file(tmp_path, "http://h/pydigit/missing.js", "/pydigit/") is None


def summary(p50=1.0):
    return {"n": 3, "p50": p50, "p95": 2 * p50, "mean": p50, "min": 0.5 * p50, "max": 3 * p50}


def load(ready, **extra):
    return {"ready": ready, "timings": {"runtime": 1.0, "numpy": 1.0, "pydigit": 1.0, "model": 1.0,
                                        "import": 1.0}, **extra}


def example_results():
    """A complete results dict with made-up numbers, as __main__ assembles it."""
    transfer = {"requests": 20, "bytes": 100, "from_cache": 18, "revalidated": 1, "from_network": 1}
    step = {"end_to_end": summary(5), "render": summary(0.5), "preprocess": summary(1), "forward": summary(2),
            "worker": summary(3),
            "messaging": summary(2), "pen_up_to_answer": summary(6), "during_stroke": summary(5),
            "idle_end_to_end": summary(3), "idle_messaging": summary(0.3), "mouse_drawings": 200,
            "accuracy_mouse": 0.98}
    runs = {"forward": summary(2), "max_difference": 1e-7}
    r = {
        "schema_version": results.SCHEMA_VERSION, "date": "2025-01-01T00:00:00+00:00", "quick": False,
        "machine": {"cpu": "a CPU", "cores": 2, "memory_gib": 23.5},
        "versions": {"python": "3.12.1", "numpy": "2.0.2", "pyodide": "0.27.7", "pyodide_python": "3.12.7",
                     "pyodide_numpy": "2.0.2", "chromium": "156", "tfjs": "4.22.0"},
        "server": {"cold_and_warm": "max-age=600", "headers": {"static-host": "max-age=600"}},
        "load": {"runs": 3, "cold": {"site": load(1800.0, drawable=300.0, before_worker=200.0),
                                     "floor": load(1000.0)},
                 "above_floor": 800.0,
                 "warm": {key: load(900.0) for key in ("static_host", "static_host_third", "revalidate",
                                                       "floor", "floor_third")},
                 "first_answers": {"cnn": {"ms": 9.0, "timings": {"render": 0.5, "preprocess": 1.0,
                                                                  "forward": 2.0, "worker": 4.0, "total": 9.0}},
                                   "cnn_final": {"ms": 6.0}, "mlp": {"ms": 30.0}}},
        "bytes": {"cold": {"rows": [{"url": "http://h/pydigit/", "file": "index.html", "raw": 10, "gzip": 5,
                                     "brotli": 4, "zip": None}],
                           "totals": {"files": 1, "raw": 10, "gzip": 5, "brotli": 4, "brotli_zips_as_is": 4},
                           "transfer": transfer},
                  "warm": {"static_host": transfer, "static_host_third": transfer, "revalidate": transfer}},
        "prediction": {"cnn": step, "mlp": {**step, "end_to_end": summary(2.5)}},
        "native": {m: {"render": summary(0.1), "preprocess": summary(0.2), "forward": summary(0.4),
                       "total": summary(0.7)} for m in ("cnn", "mlp")},
        "browser_over_native": {m: {"total": 8.0, "render": 5.0, "preprocess": 5.0, "forward": 5.0}
                                for m in ("cnn", "mlp")},
        "forward": {m: {"pydigit": runs, "tfjs_cpu": runs, "tfjs_wasm": runs, "cpython": summary(0.4),
                        "ratio_tfjs_wasm": 2.0, "ratio_tfjs_cpu": 0.5} for m in ("cnn", "mlp")},
        "memory": {"checkpoints": [{"predictions": n, "page_heap": 2e6, "worker_heap": 9e6, "wasm_memory": 36e6,
                                    "python_objects": 27000} for n in (10, 1000)],
                   "growth": {k: {"first_to_last": 0, "second_half": 0}
                              for k in ("page_heap", "worker_heap", "wasm_memory", "python_objects")},
                   "repeated": summary(4)},
        "accuracy": {m: {"drawings": 1000, "browser": 0.98, "cpython": 0.98, "agreement": 1.0}
                     for m in ("cnn", "mlp")},
        "numbers": {"digits": 5, "numbers": 30, "end_to_end": summary(12), "during_stroke": summary(10),
                    "python": summary(8), "worker": summary(9), "steps": {"forward": summary(4)},
                    "read_right": 29},
        "layers": {"drawings": 100, "end_to_end": summary(17), "python": summary(6), "render": summary(0.5),
                   "preprocess": summary(0.2), "forward": summary(2), "backward": summary(3),
                   "worker": summary(7), "messaging": summary(2), "correct": 97},
    }
    r["targets"] = targets.evaluate(r)
    return r


def test_results_schema_accepts_a_complete_run_and_round_trips(tmp_path):
    r = example_results()
    assert results.problems(r) == []
    results.write(r, tmp_path / "results.json")
    assert results.read(tmp_path / "results.json") == json.loads(json.dumps(r))
    assert "Targets" in report.render(r)


def test_the_report_shows_the_render_step():
    rows = [line.split() for line in report.render(example_results()).splitlines()
            if line.strip().startswith("render")]
    assert rows == [["render", "/", "preprocess", "/", "forward", "/", "messaging", "0.5", "/", "1.0", "/", "2.0",
                     "/", "5.0"],                                                  # the first answer, split
                    ["render", "(strokes", "->", "ink)", "0.50", "/", "1.00", "0.50", "/", "1.00"],  # in the worker
                    ["render", "0.10", "/", "0.20", "0.10", "/", "0.20"],          # in CPython
                    ["render", "5.0x", "5.0x"]]                                    # their ratio


def test_results_schema_requires_the_render_step():
    r = example_results()
    del r["native"]["mlp"]["render"]
    r["browser_over_native"]["cnn"]["render"] = None  # stats.ratio of a step too fast to time
    assert results.problems(r) == ["results.native.mlp.render is missing"]


def test_results_schema_names_what_is_wrong(tmp_path):
    r = example_results()
    del r["machine"]["cpu"]
    r["prediction"]["cnn"]["end_to_end"]["p50"] = "fast"
    r["quick"] = 1
    found = results.problems(r)
    assert "results.machine.cpu is missing" in found
    assert any(p.startswith("results.prediction.cnn.end_to_end.p50 is str") for p in found)
    assert any(p.startswith("results.quick is int") for p in found)
    with pytest.raises(ValueError, match="machine.cpu"):
        results.write(r, tmp_path / "results.json")
    assert not (tmp_path / "results.json").exists()


def test_targets_verdicts():
    verdicts = {t["name"]: t["verdict"] for t in example_results()["targets"]}
    assert verdicts["CNN prediction in Chromium, p50, end to end"] == "PASS"   # 5 <= 5
    assert verdicts["5-digit number on the number pad, p50, end to end"] == "PASS"       # 12 <= 16
    assert verdicts["CNN answer with its layers explained, p50, end to end"] == "FAIL"  # 17 > 16
    assert verdicts["MLP prediction in Chromium, p50, end to end"] == "PASS"   # 2.5 <= 3
    assert verdicts["first visit, brotli, all files"] == "PASS"
    assert verdicts["replayed pen-stroke accuracy, CNN"] == "PASS"             # 98% >= 97%
    assert targets.target("x", 97.0, 97, "%", at_least=True)["verdict"] == "PASS"
    assert targets.target("x", 8.01, 8, "ms")["verdict"] == "FAIL"
    assert targets.target("x", None, 8, "ms")["verdict"] == "N/A"


def test_tfjs_export_layouts(tmp_path):
    """TF.js wants Conv2D filters as (k, k, C, F) and Dense kernels as
    (in, out); whatever pydigit stores, the exported arrays must compute the
    same function."""
    rng = np.random.default_rng(0)
    conv = Conv2D(3, 4, 3, padding=1)
    conv.params["W"] = rng.standard_normal(conv.params["W"].shape).astype(np.float32)
    conv.params["b"] = rng.standard_normal(4).astype(np.float32)
    x = rng.standard_normal((1, 5, 5, 3)).astype(np.float32)
    hwio = page_data.conv_filter_hwio(conv)
    assert hwio.shape == (3, 3, 3, 4)
    padded = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))
    by_hand = np.zeros((1, 5, 5, 4), np.float32)
    for i in range(5):
        for j in range(5):
            by_hand[0, i, j] = np.einsum("hwc,hwcf->f", padded[0, i:i + 3, j:j + 3], hwio) + conv.params["b"]
    np.testing.assert_allclose(conv.forward(x), by_hand, rtol=1e-5, atol=1e-5)

    dense = Dense(6, 2)
    dense.params["W"] = rng.standard_normal(dense.params["W"].shape).astype(np.float32)
    dense.params["b"] = rng.standard_normal(2).astype(np.float32)
    v = rng.standard_normal((3, 6)).astype(np.float32)
    matrix = page_data.dense_matrix(dense)
    assert matrix.shape == (6, 2)
    np.testing.assert_allclose(dense.forward(v), v @ matrix + dense.params["b"], rtol=1e-5, atol=1e-5)



def test_flat_strokes_are_what_the_worker_splits():
    points, lengths = flat_strokes(STROKE_AND_DOT)
    assert points.dtype == np.float64 and lengths.dtype == np.uint32 and list(lengths) == [3, 1]
    for got, stroke in zip(split_strokes(points, lengths), STROKE_AND_DOT, strict=True):
        np.testing.assert_array_equal(got, stroke)


def test_native_recognises_the_strokes_sent_as_the_worker_does():
    model = bundled_model("cnn")
    sent = [{"points": flat_strokes(d)[0].tolist(), "lengths": flat_strokes(d)[1].tolist()}
            for d in (RING, STROKE_AND_DOT)]
    rows = native.time_recognize(model, sent)
    assert [r["digit"] for r in rows] == [recognize_strokes(d, model).digit for d in (RING, STROKE_AND_DOT)]
    assert all(r[key] >= 0 for r in rows for key in (*native.STEPS, "total"))
    summary = native.summarize_recognize(rows, [r["digit"] for r in rows])
    assert summary["accuracy"] == 1 and set(native.STEPS) <= set(summary)


def test_step_timings_start_from_the_strokes_and_round_trip_through_a_file(tmp_path):
    requests = [flat_strokes(d) for d in (RING, STROKE_AND_DOT)]
    step_timings.save_strokes(tmp_path / "strokes.npz", requests)
    loaded = step_timings.load_strokes(tmp_path / "strokes.npz")
    for (points, lengths), (want_points, want_lengths) in zip(loaded, requests, strict=True):
        np.testing.assert_array_equal(points, want_points)
        np.testing.assert_array_equal(lengths, want_lengths)
    model = bundled_model("mlp")
    steps = step_timings.step_times(model, loaded)  # checks that it computes what predict_strokes does
    names = [name for name, _ in steps]
    assert names[0].startswith("split_strokes") and names[1].startswith("render_ink")
    assert names[-1] == "softmax" and len(names) == 7 + len(model.layers) + 1
    assert all(ms >= 0 for _, ms in steps)
