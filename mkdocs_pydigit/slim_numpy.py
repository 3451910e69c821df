"""NumPy's Pyodide wheel without what the page never imports, byte-compiled
and stored uncompressed.

NumPy is the largest download of a first visit after the interpreter.
`import numpy` loads only the core, lib, linalg and matrixlib; random, fft,
polynomial, ma, f2py and testing load lazily and pydigit's inference never
touches them (layers draw random numbers only in training). Typing stubs, C
headers, static libraries and Cython declarations are for building against
NumPy, not for running it; lapack_lite and NumPy's own test extensions are
imported by nothing but its tests (but _multiarray_tests, which `import
numpy` documents).

numpy.linalg's Python modules stay (`import numpy` imports them), but its
LAPACK extension, _umath_linalg, the second largest WebAssembly module of
the wheel, is a stub (LINALG_STUB) that raises when a routine is called:
pydigit never calls one, and the build fails (PluginError) if its code
names numpy.linalg anywhere.

On the Python that Pyodide runs, modules are compiled as slim_stdlib
compiles the standard library (byte_compile, its docstrings kept; no
sources beside them):
`import numpy` then compiles nothing in the visitor's browser, on every
visit. Entries are stored, not deflated: a static host compresses the whole
file with brotli or gzip, which shrinks the WebAssembly modules much better
than per-file deflate does. tests/site/test_parity.py checks that the result
still imports and gives the same answers as CPython.
"""

import ast
import hashlib
import zipfile
from pathlib import Path

from mkdocs.exceptions import PluginError

from .browser_wheel import FIXED_TIME, package_sources, record_line, runs_pyodide_python
from .byte_compile import compiled

# Bumped when the way the wheel is made changes: old cached ones are not reused.
RECIPE = 2
LEFT_OUT_PACKAGES = ("random", "fft", "polynomial", "ma", "f2py", "testing", "typing",
                     "_pyinstaller", "doc")
LEFT_OUT_SUFFIXES = (".pyi", ".h", ".a", ".pxd", ".pyx", ".c", ".rst", ".md", "py.typed")
LEFT_OUT_DIRS = ("/include/", "/lib/npy-pkg-config/")
EXTENSION = ".cpython-312-wasm32-emscripten.so"
LEFT_OUT_EXTENSIONS = tuple(name + EXTENSION for name in (
    "numpy/_core/_rational_tests", "numpy/_core/_umath_tests",
    "numpy/_core/_operand_flag_tests", "numpy/_core/_struct_ufunc_tests", "numpy/_core/_simd",
    "numpy/linalg/lapack_lite"))
# The modules that hand their functions' docstrings to NumPy's C add_docstring,
# which refuses None unless sys.flags.optimize (0 in Pyodide) says so.
DOCUMENTING = ("numpy/_core/multiarray.py", "numpy/_core/overrides.py")
LINALG = "numpy/linalg/_umath_linalg"
LINALG_STUB = b'''"""numpy.linalg's LAPACK routines are left out of this site's NumPy
(mkdocs_pydigit/slim_numpy.py): pydigit calls none of them."""


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    raise ImportError(f"numpy.linalg's {name} is not in this site's NumPy (mkdocs_pydigit/slim_numpy.py)")
'''


def needed(name):
    if ".dist-info/" in name:
        return True
    parts = name.split("/")
    if len(parts) > 2 and parts[0] == "numpy" and parts[1] in LEFT_OUT_PACKAGES:
        return False
    return (not name.endswith(LEFT_OUT_SUFFIXES) and not any(d in name for d in LEFT_OUT_DIRS)
            and name not in LEFT_OUT_EXTENSIONS)


def linalg_in_pydigit():
    """-> pydigit's modules that name numpy.linalg (an attribute or an import)."""
    def names_it(node):
        return (isinstance(node, ast.Attribute) and node.attr == "linalg"
                or isinstance(node, ast.ImportFrom) and "linalg" in (node.module or "")
                or isinstance(node, ast.ImportFrom) and any(a.name == "linalg" for a in node.names)
                or isinstance(node, ast.Import) and any("linalg" in a.name for a in node.names))
    return sorted(path for path, source in package_sources().items()
                  if any(names_it(node) for node in ast.walk(ast.parse(source))))


def slimmed(source, cache_dir, pyodide_python):
    """The slim copy of the wheel ``source``, made once per wheel, set of
    rules and Python, and kept in ``cache_dir``. pyodide_python: the version
    Pyodide runs ("3.12.7"), from its lock."""
    users = linalg_in_pydigit()
    if users:
        raise PluginError("pydigit: the site's NumPy has no LAPACK (mkdocs_pydigit/slim_numpy.py), "
                          f"and these name numpy.linalg: {', '.join(users)}")
    compile_them = runs_pyodide_python(pyodide_python)
    rules = repr((RECIPE, LEFT_OUT_PACKAGES, LEFT_OUT_SUFFIXES, LEFT_OUT_DIRS, LEFT_OUT_EXTENSIONS,
                  LINALG_STUB, DOCUMENTING, compile_them)).encode()
    target = Path(cache_dir) / f"slim-{hashlib.sha256(rules).hexdigest()[:12]}" / Path(source).name
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".partial")
        slim(source, partial, compile_them)
        partial.replace(target)
    return target


def kept_entries(source, compile_them):
    """-> {path: bytes} of the slim wheel's files, its RECORD left out."""
    entries = {}
    with zipfile.ZipFile(source) as wheel:
        for info in wheel.infolist():
            name = info.filename
            if not needed(name) or name.endswith(".dist-info/RECORD"):
                continue
            data = wheel.read(info)
            if name == LINALG + EXTENSION:
                name, data = LINALG + ".py", LINALG_STUB
            entries[name] = data
    if compile_them:
        code = compiled_modules({name: data for name, data in entries.items() if name.endswith(".py")})
        entries = {name: data for name, data in entries.items() if not name.endswith(".py")} | code
    return entries


def compiled_modules(sources):
    """{name.py: source} -> {name.pyc: its code}, docstrings left out but DOCUMENTING's."""
    documenting = {name: source for name, source in sources.items() if name in DOCUMENTING}
    code = {**compiled({n: s for n, s in sources.items() if n not in documenting}, optimize=2),
            **compiled(documenting, optimize=0)}
    return {name + "c": code[name] for name in sources}


def slim(source, target, compile_them):
    """Write the slim copy of the wheel ``source`` to ``target``, with a
    RECORD of what it holds."""
    entries = kept_entries(source, compile_them)
    info = next(name.split("/")[0] for name in entries if ".dist-info/" in name)
    record = [record_line(name, data) for name, data in entries.items()] + [f"{info}/RECORD,,"]
    entries[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as archive:
        for name, data in entries.items():
            archive.writestr(zipfile.ZipInfo(name, FIXED_TIME), data)
