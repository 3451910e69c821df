"""Forward passes alone, in workers of one cross-origin isolated bench page
(pages/peer.html): pydigit under Pyodide (the site's files) and the same
network with the same weights in TF.js, cpu and wasm backends, on the same
28x28 inputs. Every output is checked against CPython pydigit's.
"""

import numpy as np

from . import stats

TOLERANCE = 1e-4
RUN = "([script, message]) => runWorker(script, message)"


class PeerMismatch(AssertionError):
    """A network in the browser does not compute what pydigit computes."""


def check_outputs(label, probabilities, reference, tolerance=TOLERANCE):
    """probabilities: flat list of N*10; reference: (N, 10) -> max |difference|;
    raises PeerMismatch beyond tolerance."""
    got = np.asarray(probabilities, np.float64).reshape(reference.shape)
    difference = float(np.abs(got - reference).max())
    if not difference <= tolerance:
        raise PeerMismatch(f"{label}: outputs differ from CPython pydigit's by {difference:.2e} "
                           f"(> {tolerance:.0e}): the networks are not the same")
    return difference


def peer_forward(chromium, server, references, count, warmup, progress=print):
    """references: {model: (N, 10) CPython probabilities of data/inputs.bin}
    -> {model: {pydigit: {...}, tfjs_cpu: {...}, tfjs_wasm: {...}}} with
    forward summaries (ms), max_difference and each run's facts."""
    context = chromium.browser.new_context()
    page = context.new_page()
    results = {}
    try:
        page.goto(server.url("bench/peer.html"))
        if not page.evaluate("crossOriginIsolated"):
            raise RuntimeError("bench/peer.html is not cross-origin isolated: check bench/serve.py")
        inputs_url = server.url("bench/data/inputs.bin")
        for model, reference in references.items():
            runs = {}
            progress(f"  {model}: pydigit (Pyodide)")
            answer = page.evaluate(RUN, ["pydigit-worker.js", {
                "indexURL": server.url("pydigit/assets/pyodide/"),
                "modelURL": server.url(f"pydigit/assets/models/{model}.npz"),
                "inputsURL": inputs_url, "count": count, "warmup": warmup}])
            runs["pydigit"] = {"forward": stats.summarize(answer["ms"]), "isolated": answer["isolated"],
                               "max_difference": check_outputs(f"pydigit {model} in Pyodide",
                                                               answer["probabilities"], reference)}
            for backend in ("cpu", "wasm"):
                progress(f"  {model}: TF.js {backend}")
                answer = page.evaluate(RUN, ["tfjs-worker.js", {
                    "backend": backend, "manifestURL": server.url(f"bench/data/{model}.json"),
                    "weightsURL": server.url(f"bench/data/{model}.bin"), "inputsURL": inputs_url,
                    "count": count, "warmup": warmup}])
                runs[f"tfjs_{backend}"] = {
                    "forward": stats.summarize(answer["ms"]), "backend": answer["backend"],
                    "flags": answer["flags"], "leaked_tensors": answer["leakedTensors"],
                    "isolated": answer["isolated"],
                    "max_difference": check_outputs(f"TF.js {backend} {model}", answer["probabilities"],
                                                    reference)}
            results[model] = runs
        return results
    finally:
        context.close()
