"""pydigit's benchmark suite: ``python -m bench [--quick] [--site DIR] [--out PATH]``.

One run measures the built site in Debian's Chromium (Playwright), served by
the bench's own server on 127.0.0.1 (serve.py) and driven as the site tests
drive it (harness/: the browser, the server, the pad), next to CPython on
the same machine and TF.js in the same browser, prints a table (report.py)
and writes bench/results.json (results.py has its schema). Every figure,
and where it is measured:

  load.py       cold load in a new browser profile: navigation -> the widget's
                "ready", split by its detail.timings (runtime, numpy, pydigit,
                model); canvas drawable; first predictions; 2nd and 3rd visit
                (reloads, warm disk cache); the floor (pages/floor.html:
                Pyodide + NumPy only, same files) loaded the same way.
  latency.py    pen strokes (drawings.py) replayed as mouse input
                (harness.pad, replay.py): per answer the page's round trip, the worker's
                render / preprocess / forward / whole step, messaging; accuracy.
  native.py     the very strokes the page sent the worker for each final
                answer, through the same pydigit call in CPython.
  peer.py       forward passes alone on the same 28x28 inputs in workers of
                a cross-origin isolated page: pydigit under Pyodide, and the
                same network and weights in TF.js (cpu, wasm), outputs
                checked against CPython's within 1e-4.
  sizes.py      the first visit's files: raw, gzip -9, brotli -q 11.
  endurance.py  1000 predictions in one page; page and worker heaps,
                WebAssembly memory, Python objects (memory.py) along the way.
  targets.py    the issue's targets, each with PASS/FAIL.

Nothing here is part of the site: the bench pages and TF.js (node_modules,
a devDependency) are served by the bench server only.
"""
