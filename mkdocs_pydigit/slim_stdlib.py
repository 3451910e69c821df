"""Pyodide's standard library trimmed to what the page imports, byte-compiled
and stored uncompressed.

Pyodide's python_stdlib.zip is 2.3 MB brotli and the page imports a small
part of it. The trimmed zip keeps, with their packages' ``__init__``:
  - stdlib_imports.IMPORTED: what Pyodide's boot, ``loadPackage``, NumPy and
    the worker's whole workload import from it, found by tracing;
  - every module pydigit's code imports, anywhere in it;
  - recursively, what the kept modules that were not traced import outside
    their functions (read with ast): an import added to pydigit is kept with
    all it pulls in. (A traced module's imports were traced too. Imports
    inside functions are not followed: they reach most of the library.)
A module the page would miss fails the build (PluginError, naming it): a
traced one not in Pyodide's zip, or one pydigit imports that this Pyodide
does not have, or has only as a package of its own (ssl, sqlite3...) that the
page does not load. tests/site/test_trimmed_runtime.py runs the worker on it.

The site serves it under Pyodide's own name, python_stdlib.zip, so every
loadPyodide (the widget's worker, the parity script, the bench's pydigit
pages) takes it without an option. On the Python that Pyodide runs, modules
are compiled as browser_wheel compiles pydigit's; else they ship as source.
Pyodide's boot imports some hundred modules from the zip, which it otherwise
compiles at every start: compiled, they cost more bytes than their sources
but boot Pyodide several times faster (measured under Node; the Performance
page has the browser's figures). Compiled by byte_compile without
docstrings, asserts or column ranges, which halves the zip's download (a
sourceless .pyc loads whatever Python's own -O setting).
No .py beside a .pyc: tracebacks show no standard library lines. Entries
are stored, not deflated: the host's brotli compresses the whole file far
better (see slim_numpy).
"""

import ast
import hashlib
import json
import sys
import zipfile
from pathlib import Path

from mkdocs.exceptions import PluginError

from . import stdlib_imports
from .browser_wheel import FIXED_TIME, package_sources, runs_pyodide_python
from .byte_compile import compiled

# Bumped when the way the zip is made changes: old cached ones are not reused.
RECIPE = 3
OPTIMIZE = 2  # compile()'s: no docstrings, no asserts


def module_name(entry):
    """A zip entry's path -> its module's name, or None for other files."""
    if not entry.endswith(".py"):
        return None
    parts = entry[:-3].split("/")
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def with_parents(name):
    """"a.b.c" -> a, a.b, a.b.c: importing a module runs its packages' __init__ first."""
    parts = name.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts) + 1)}


def imported_names(source, name, is_package, everywhere=False):
    """-> {absolute name: whether the import fails without it}: ``from a
    import b`` needs a, and loads a.b too when b is a module, not a name in a.
    everywhere: also the imports inside functions."""
    package = name if is_package else name.rpartition(".")[0]
    names = {}
    for node in walk(ast.parse(source), everywhere):
        if isinstance(node, ast.Import):
            names.update((alias.name, True) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join([*parts[:len(parts) - node.level + 1], *([base] if base else [])])
            names.update((f"{base}.{alias.name}", names.get(f"{base}.{alias.name}", False))
                         for alias in node.names)
            names[base] = True
    return names


def walk(tree, everywhere):
    """ast.walk, entering functions only when ``everywhere``."""
    todo = [tree]
    while todo:
        node = todo.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if everywhere or not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                todo.append(child)


def closure(roots, sources, traced):
    """roots: module names; sources: {module name: (source bytes, is package)}
    of the zip; traced: names whose imports the trace saw run -> the names of
    ``sources`` the roots load, following the imports of the others."""
    kept, todo = set(), [n for root in roots for n in with_parents(root) if n in sources]
    while todo:
        name = todo.pop()
        if name in kept:
            continue
        kept.add(name)
        if name in traced:
            # What it imports at run time was traced too; reading its source
            # would add what it imports only on Windows, for type checkers or
            # when something else is missing.
            continue
        source, is_package = sources[name]
        for imported in imported_names(source, name, is_package):
            todo.extend(n for n in with_parents(imported) if n in sources and n not in kept)
    return kept


def pydigit_imports():
    """-> {name: needed} (see imported_names) of every import in pydigit's
    code, its own modules left out."""
    names = {}
    for path, source in package_sources().items():
        for name, needed in imported_names(source, module_name(path), path.endswith("__init__.py"),
                                           everywhere=True).items():
            names[name] = names.get(name, False) or needed
    return {name: needed for name, needed in names.items() if name.split(".")[0] != "pydigit"}


def missing(names, sources, upstream_lock):
    """names: {module name: needed} the page imports -> messages for the
    needed ones it would not find."""
    separate = {name for entry in upstream_lock["packages"].values()
                if entry.get("package_type") == "cpython_module" for name in entry["imports"]}
    problems = []
    for name in sorted(n for n, needed in names.items() if needed):
        top = name.split(".")[0]
        if name in sources or top == "numpy":  # NumPy: the page loads its wheel
            continue
        if top in separate:
            problems.append(f"{name}: Pyodide ships it as a package of its own, which the page does not load")
        elif top in sources or top not in sys.stdlib_module_names:
            # A module of a kept package that is not there, or not Python's at all.
            problems.append(f"{name}: not in Pyodide's standard library")
        # else compiled into Pyodide's interpreter (math, zlib, _struct, ...)
    return problems


def zip_sources(path):
    """-> {module name: (source bytes, is package)} of Pyodide's stdlib zip."""
    with zipfile.ZipFile(path) as archive:
        return {module_name(entry): (archive.read(entry), entry.endswith("__init__.py"))
                for entry in archive.namelist() if module_name(entry)}


def kept_modules(sources, upstream_lock):
    """-> the module names the trimmed zip keeps; PluginError if the page would miss one."""
    traced_missing = [f"{name}: traced, but not in Pyodide's python_stdlib.zip"
                      for name in stdlib_imports.IMPORTED if name not in sources]
    ours = pydigit_imports()
    problems = traced_missing + missing(ours, sources, upstream_lock)
    if problems:
        raise PluginError("pydigit: the trimmed standard library would miss modules the page imports "
                          "(see mkdocs_pydigit/stdlib_imports.py):\n  " + "\n  ".join(problems))
    return closure({*stdlib_imports.IMPORTED, *ours}, sources, set(stdlib_imports.IMPORTED))


def mount(pyodide_python):
    """Where Pyodide mounts the zip (pyodide.mjs: /lib/python{major}{minor}.zip):
    compiled code names its files there, as code compiled from the zip would."""
    return "/lib/python{}{}.zip/".format(*pyodide_python.split(".")[:2])


def write_zip(target, kept, sources, pyodide_python, compile_them):
    entries = {name.replace(".", "/") + ("/__init__.py" if sources[name][1] else ".py"): sources[name][0]
               for name in sorted(kept)}
    if compile_them:
        code = compiled({mount(pyodide_python) + entry: source for entry, source in entries.items()}, OPTIMIZE)
        entries = {entry + "c": code[mount(pyodide_python) + entry] for entry in entries}
    with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as archive:
        for entry, data in entries.items():
            archive.writestr(zipfile.ZipInfo(entry, FIXED_TIME), data)


def slimmed(upstream_zip, upstream_lock, cache_dir):
    """The trimmed copy of Pyodide's ``upstream_zip``, made once per zip,
    kept list, pydigit's imports and Python, and kept in ``cache_dir``."""
    sources = zip_sources(upstream_zip)
    kept = kept_modules(sources, upstream_lock)
    python = upstream_lock["info"]["python"]
    compiled = runs_pyodide_python(python)
    key = json.dumps([RECIPE, sorted(kept), compiled, sys.version_info[:2],
                      hashlib.sha256(Path(upstream_zip).read_bytes()).hexdigest()])
    target = Path(cache_dir) / f"stdlib-{hashlib.sha256(key.encode()).hexdigest()[:12]}" / Path(upstream_zip).name
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".partial")
        write_zip(partial, kept, sources, python, compiled)
        partial.replace(target)
    return target
