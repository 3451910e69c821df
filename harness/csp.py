"""The Content-Security-Policy the site is served with, in one place.

SITE_POLICY is the header value that docs/embed.md gives hosts (its code
block must equal it: tests/site/test_csp.py checks) and that the test
server (harness/server.py) sends on every response of a built site, by
default. Each source is one the site was seen to need, in Chromium, Firefox
and WebKit:

  default-src 'self', not 'none': Firefox prefetches the pages named by
              mkdocs-material's <link rel="next"/"prev">, a load that only
              default-src governs (under 'none': a violation on every page);
  script-src  'self': the site's own scripts, the widget's modules, the
              workers' scripts and Pyodide's pyodide.mjs / pyodide.asm.js;
              'wasm-unsafe-eval': compiling WebAssembly (Pyodide's
              pyodide.asm.wasm, NumPy's .so side modules, the small modules
              Emscripten builds for function pointers), nothing else;
              no 'unsafe-eval': nothing the site runs calls eval or new
              Function (Pyodide's dynamic linker would, for a side module
              with EM_JS/EM_ASM code; NumPy's have none);
              sha256-...: mkdocs-material's inline scripts, by hash (see
              MATERIAL_SCRIPTS); no 'unsafe-inline'.
  style-src   'self' and 'unsafe-inline': the widget's shadow root has a
              <style> element, and the pages have style attributes (Python-
              Markdown's aligned table cells, the plugin's SVG figures).
  img-src     'self' and data: mkdocs-material's icons are data: SVGs in its CSS.
  connect-src 'self': the Pyodide worker's fetches (runtime, stdlib, lock,
              wheels, weights), the search index, instant navigation.
  worker-src  'self': the pad's worker and mkdocs-material's search worker.
  object-src 'none', base-uri 'self', form-action 'self', frame-ancestors
  'none': no plugins, no <base> elsewhere, forms post nowhere else, and no
  page of the site may be framed (a header only: browsers ignore it in <meta>).
  Fonts: none are loaded (mkdocs.yml has font: false), media and frames neither.

    python -m harness.csp SITE_DIR     the policy a built site needs: SITE_POLICY
                                       with the hashes of that build's inline scripts
"""

import base64
import hashlib
import re
import sys
from pathlib import Path

# mkdocs-material 9.x's inline scripts in this site's pages: its first one
# names the page's way up to the site (base_url), so it differs by depth.
MATERIAL_SCRIPTS = {
    "scope, home page": "'sha256-apoQPHefCNWjxbCm+HzVDOAW4CSVWhY7VylQjgOFyfk='",    # new URL(".", ...)
    "scope, other pages": "'sha256-/K9p2JtEqCycL2fSbEonMakkteWpAHv57x2wndLqMNo='",  # new URL("..", ...)
    "scope, 404 page": "'sha256-exqRXrW/0laiImCrTE8a70vxyyY10FJVIppytLf/dbY='",     # new URL("/", ...): site_url's path
    "palette": "'sha256-DrEMJJ29sL7vIloQzly+VUGMxKcBTMII+OfW7Y8AkG4='",
    "tabbed content": "'sha256-/8wPdzX9q0NNJXyA5lzsLojXFpkeaXVxhbfkUOQaWy8='",
}

SITE_POLICY = "; ".join([
    "default-src 'self'",
    " ".join(["script-src 'self' 'wasm-unsafe-eval'", *MATERIAL_SCRIPTS.values()]),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

INLINE_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.IGNORECASE | re.DOTALL)
DATA_BLOCK = re.compile(r"""\btype\s*=\s*["']?(?!(?:text/javascript|module)\b)""", re.IGNORECASE)


def sha256_source(text):
    """A script's or style's text -> its CSP hash source, e.g. "'sha256-...='"."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def parse(policy):
    """A policy string -> {directive: [sources]} (in order)."""
    out = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            out.setdefault(words[0].lower(), words[1:])
    return out


def unparse(directives):
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


def add_sources(policy, directive, *sources):
    """policy with ``sources`` added to ``directive`` (created if missing)."""
    directives = parse(policy)
    directives.setdefault(directive, [])
    directives[directive] += [s for s in sources if s not in directives[directive]]
    return unparse(directives)


def inline_scripts(html):
    """The texts of the inline scripts a page runs (not JSON or other data blocks)."""
    return [body for attrs, body in INLINE_SCRIPT.findall(html)
            if body.strip() and "src=" not in attrs.lower() and not DATA_BLOCK.search(attrs)]


def site_script_hashes(site_dir):
    """{hash source: [pages that run it]} for every HTML file of a built site."""
    found = {}
    for page in sorted(Path(site_dir).rglob("*.html")):
        for body in inline_scripts(page.read_text()):
            found.setdefault(sha256_source(body), []).append(str(page.relative_to(site_dir)))
    return found


def main(argv):
    if len(argv) != 1:
        raise SystemExit("usage: python -m harness.csp SITE_DIR")
    print(add_sources(SITE_POLICY, "script-src", *site_script_hashes(argv[0])))


if __name__ == "__main__":
    main(sys.argv[1:])
