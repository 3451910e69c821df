"""The modules of Pyodide's standard library that the page imports: the
roots of what slim_stdlib keeps. One source of truth: the trimmed zip holds
these, what pydigit's code imports, and their packages.

Found by tracing, not by reading code: tests/site/worker_in_node.js runs the
widget's own worker (worker.js) under Node through all a page asks of it
(load, predictions with each model, teaching, scoring, a personal model,
malformed requests) on Pyodide's whole standard library and lists the
modules Python imported from its zip. That is exactly this list, grouped
below by the step that first imports them; tests/site/test_trimmed_runtime.py
fails naming any module it imports that is not here. Update it after a
Pyodide or NumPy upgrade, or when that test names one.
"""

IMPORTED = (
    # Pyodide's boot (finalizeBootstrap in pyodide.asm.js imports _pyodide._base,
    # pyodide, pyodide.code, pyodide.ffi, pyodide._package_loader; they import
    # asyncio, inspect, zipfile, ...) and Python's own start-up (encodings)
    "_compression", "_pyodide", "_pyodide._base", "_pyodide._core_docs",
    "_pyodide._future_helper", "_pyodide._importhook", "_pyodide.docs_argspec",
    "_pyodide.docstring", "_pyodide.jsbind", "_weakrefset", "ast", "asyncio",
    "asyncio.base_events", "asyncio.base_futures", "asyncio.base_subprocess",
    "asyncio.base_tasks", "asyncio.constants", "asyncio.coroutines", "asyncio.events",
    "asyncio.exceptions", "asyncio.format_helpers", "asyncio.futures", "asyncio.locks",
    "asyncio.log", "asyncio.mixins", "asyncio.protocols", "asyncio.queues", "asyncio.runners",
    "asyncio.selector_events", "asyncio.sslproto", "asyncio.staggered", "asyncio.streams",
    "asyncio.subprocess", "asyncio.taskgroups", "asyncio.tasks", "asyncio.threads",
    "asyncio.timeouts", "asyncio.transports", "asyncio.trsock", "asyncio.unix_events", "bisect",
    "bz2", "collections", "collections.abc", "concurrent", "concurrent.futures",
    "concurrent.futures._base", "contextlib", "contextvars", "copy", "copyreg", "dis",
    "encodings", "encodings.aliases", "encodings.utf_8", "enum", "fnmatch", "functools",
    "heapq", "importlib", "importlib._abc", "importlib.abc", "importlib.resources",
    "importlib.resources._adapters", "importlib.resources._common",
    "importlib.resources._legacy", "importlib.resources.abc", "inspect", "ipaddress", "keyword",
    "linecache", "locale", "logging", "opcode", "operator", "pathlib", "pyodide",
    "pyodide._package_loader", "pyodide._state", "pyodide.code", "pyodide.common",
    "pyodide.ffi", "pyodide.webloop", "random", "re", "re._casefix", "re._compiler",
    "re._constants", "re._parser", "reprlib", "selectors", "shutil", "signal", "socket",
    "string", "struct", "subprocess", "tempfile", "textwrap", "threading", "token", "tokenize",
    "traceback", "types", "typing", "urllib", "urllib.parse", "warnings", "weakref", "zipfile",
    "zipfile._path", "zipfile._path.glob",
    # loadPackage: unpacking a wheel (tarfile, zipfile: cp437 for its names)
    # and reading its metadata (importlib.metadata, which imports email)
    "base64", "calendar", "csv", "datetime", "email", "email._encoded_words",
    "email._parseaddr", "email._policybase", "email.base64mime", "email.charset",
    "email.encoders", "email.errors", "email.header", "email.iterators", "email.message",
    "email.quoprimime", "email.utils", "encodings.cp437", "importlib.metadata",
    "importlib.metadata._adapters", "importlib.metadata._collections",
    "importlib.metadata._functools", "importlib.metadata._itertools",
    "importlib.metadata._meta", "importlib.metadata._text", "quopri", "tarfile",
    # import numpy
    "__future__", "_compat_pickle", "ctypes", "ctypes._endian", "numbers", "pickle", "platform",
    # import pydigit, pydigit.browser (its own imports, which slim_stdlib also
    # reads from its code)
    "dataclasses", "json", "json.decoder", "json.encoder", "json.scanner",
)
