"""Python sources -> .pyc files for the browser, compiled as
``python -X no_debug_ranges`` would: without the column ranges of every
instruction (tracebacks keep their lines, not their ^^^ markers), and with
optimize=2 (``-OO``) without docstrings and asserts. Ranges and docstrings
are over half the bytes a visitor downloads for the standard library, and
nothing on the page reads them. Not NumPy's docstrings: it attaches them to
its functions at import, unless sys.flags.optimize (0 in Pyodide) says
they were left out.

Python reads the ranges setting when it starts, so the compiling runs in a
child interpreter started with it: ``compiled`` pickles the sources to this
module run as a script, which pickles the .pyc bytes back. Each is
unchecked-hash based (no timestamp: the same source gives the same bytes),
as browser_wheel compiles pydigit's own modules.
"""

import importlib.util
import pickle
import subprocess
import sys
from importlib._bootstrap_external import _code_to_hash_pyc


def compiled(sources, optimize):
    """{path the code says it comes from: source bytes}, compile()'s optimize
    -> {that path: .pyc bytes}."""
    done = subprocess.run([sys.executable, "-X", "no_debug_ranges", __file__],
                          input=pickle.dumps((sources, optimize)), capture_output=True, check=True)
    return pickle.loads(done.stdout)


def compile_all(sources, optimize):
    """What compiled() returns, compiled in this interpreter."""
    return {path: _code_to_hash_pyc(compile(source, path, "exec", optimize=optimize, dont_inherit=True),
                                    importlib.util.source_hash(source), checked=False)
            for path, source in sources.items()}


if __name__ == "__main__":
    sys.stdout.buffer.write(pickle.dumps(compile_all(*pickle.loads(sys.stdin.buffer.read()))))
