"""mkdocs_pydigit: the MkDocs plugin that puts the <digit-pad> widget, the
Pyodide runtime, NumPy, pydigit and its weights into a site.

    pip install "pydigit[mkdocs]"      # then, in mkdocs.yml:  plugins: [pydigit]

Build tooling only: it imports pydigit, pydigit never imports it.
"""
