"""The site under its Content-Security-Policy (harness/csp.py's SITE_POLICY):
the Embed page gives hosts the very policy the test server sends, the server
sends it on every response of the site (HTML, JS, wasm, JSON, errors), it
allows every inline script of the build by hash, and in Chromium, Firefox
and WebKit every page runs under it with no violation: the pad gets ready
and reads a recorded pen digit (on the pages without a pad, one added to
the page), search answers, and instant navigation swaps pages.

Violations are looked for three ways: the reports browsers POST to the
server's report-uri (harness.server: the page's and, in Chromium and
Firefox, the workers'), securitypolicyviolation events on the page's
document (from document start in Chromium, after load elsewhere), and the
console errors each engine reports (Chromium's include its workers', and
Firefox's, through BiDi, every CSP message). WebKitGTK reports none of its
workers' violations: there the pad working is the evidence.

The waits poll with evaluate (harness.engines), never Playwright's
wait_for_function with an expression: that one polls through eval(), which
the policy refuses.
"""

import http.client
import re
import time

import pytest

from harness import csp, engines
from harness.chromium import VIEWPORT
from harness.chromium_page import ChromiumPage
from harness.pad import pendigit_strokes01
from harness.server import CSP_REPORTS_PATH, SiteServer
from harness.site import PROJECT
from train.pendigits import balanced_sample, load_pendigits

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300),
              pytest.mark.filterwarnings("ignore:setting remote_server_addr:DeprecationWarning")]

PAGES = ("", "how-it-works/", "model-card/", "performance/", "embed/", "development/")
EMBED_MD = PROJECT / "docs" / "embed.md"
SEARCH_WORDS = "pyodide"

# Kept in window.__csp from document start (Chromium), or from when it is run.
LISTEN = r"""(() => {
  if (window.__csp) return true;
  const seen = window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => seen.push(
    `${e.disposition} ${e.effectiveDirective}: ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber} ${e.sample}`));
  return true;
})()"""
ADD_PAD = ("const article = document.querySelector('article.md-content__inner');"
           " if (!document.querySelector('digit-pad')) article.prepend(document.createElement('digit-pad'));"
           " return true;")
# A string run as code, later (not while DevTools evaluates: Chromium lets its
# own evaluations eval), where the policy is in force: -> "ran" or "refused".
# A pad outside the article, which instant navigation keeps: the pages without
# a pad of their own keep the warm worker (a page without pads releases it).
KEEP_PAD = ("const pad = document.createElement('digit-pad'); pad.id = 'kept';"
            " document.body.append(pad); return true;")
EVAL_LATER = """() => new Promise((resolve) => {
  self.__ran = () => resolve('ran');
  setTimeout('self.__ran()', 0);
  setTimeout(() => resolve('refused'), 500);
})"""


@pytest.fixture(scope="module")
def csp_server(site_dir):
    """The site under SITE_POLICY (whatever SiteServer's default), reports collected."""
    with SiteServer(site_dir, csp=csp.SITE_POLICY, csp_reports=True) as server:
        yield server


@pytest.fixture(scope="module")
def digits():
    sample = balanced_sample(load_pendigits(), 10)
    return [sample[(3 * i) % 10] for i in range(len(PAGES))]  # 0, 3, 6, 9, 2, 5


def embed_policy():
    """The header line the Embed page gives hosts -> its policy."""
    section = EMBED_MD.read_text().split("## Content-Security-Policy\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```[a-z]*\n(.*?)\n```", section, re.DOTALL).group(1).strip()
    name, _, policy = block.partition(":")
    assert name == "Content-Security-Policy" and "\n" not in block, block
    return policy.strip()


def head(server, path):
    connection = http.client.HTTPConnection(server.origin.removeprefix("http://"))
    try:
        connection.request("HEAD", "/pydigit/" + path)
        response = connection.getresponse()
        response.read()
        return response.status, response.headers
    finally:
        connection.close()


# -- the policy, the docs and the server ------------------------------------------

def test_the_embed_page_gives_the_policy_the_server_sends(site_dir):
    assert embed_policy() == csp.SITE_POLICY
    with SiteServer(site_dir, csp=csp.SITE_POLICY) as server:
        assert head(server, "")[1]["Content-Security-Policy"] == embed_policy()
    with SiteServer(site_dir, csp=None) as server:  # the way to turn it off
        assert "Content-Security-Policy" not in head(server, "")[1]


def test_the_policy_is_strict():
    directives = csp.parse(csp.SITE_POLICY)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"][:2] == ["'self'", "'wasm-unsafe-eval'"]
    assert all(s.startswith("'sha256-") for s in directives["script-src"][2:])
    for directive in ("connect-src", "worker-src", "base-uri", "form-action"):
        assert directives[directive] == ["'self'"], directive
    assert directives["object-src"] == directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-eval'" not in csp.SITE_POLICY and "*" not in csp.SITE_POLICY


def test_the_server_sends_it_on_every_response_of_the_site(csp_server, site_dir):
    search_worker = next((site_dir / "assets" / "javascripts" / "workers").glob("search.*.js")).name
    expected = csp.add_sources(csp.SITE_POLICY, "report-uri", CSP_REPORTS_PATH)
    for path, content_type in [("", "text/html"), ("how-it-works/", "text/html"),
                               ("assets/digit-pad/digit-pad.js", "javascript"),
                               ("assets/digit-pad/worker.js", "javascript"),
                               ("assets/pyodide/pyodide.mjs", "javascript"),
                               ("assets/pyodide/pyodide.asm.js", "javascript"),
                               ("assets/pyodide/pyodide.asm.wasm", "application/wasm"),
                               ("assets/pyodide/pyodide-lock.json", "application/json"),
                               (f"assets/javascripts/workers/{search_worker}", "javascript"),
                               ("search/search_index.json", "application/json"),
                               ("no/such/page/", None)]:
        status, headers = head(csp_server, path)
        assert status == (404 if content_type is None else 200), path
        assert content_type is None or content_type in headers["Content-Type"], (path, headers["Content-Type"])
        assert headers["Content-Security-Policy"] == expected, path


def test_it_allows_every_inline_script_of_the_build_by_hash(site_dir):
    allowed = set(csp.parse(csp.SITE_POLICY)["script-src"])
    missing = {source: pages for source, pages in csp.site_script_hashes(site_dir).items() if source not in allowed}
    assert not missing, ("inline scripts the policy does not allow (mkdocs-material changed, or site_url "
                         f"for 404.html?): {missing}; `python -m harness.csp {site_dir}` prints the policy they need")


# -- in the browsers -------------------------------------------------------------

def settle_reports(server, seconds=1.0):
    """The reports so far, after giving the browser a moment to send the last ones."""
    time.sleep(seconds)
    return [f"{r.get('disposition')} {r.get('effective-directive') or r.get('violated-directive')}: "
            f"{r.get('blocked-uri')} at {r.get('source-file')}:{r.get('line-number')} ({r.get('document-uri')})"
            for r in server.csp_reports]


def page_violations(page):
    return page.evaluate("window.__csp || []")


def answer(page, digit):
    """Draw a recorded pen digit on the page's (emptied) pad -> its final answer."""
    if page.evaluate("document.querySelector('digit-pad').lastPrediction?.digit != null"):
        engines.clear(page)  # the kept pad's last drawing
    engines.draw(page, pendigit_strokes01(digit.strokes))
    return engines.final_prediction(page)["digit"]


def search(page):
    """Type in mkdocs-material's search box -> how many results it lists."""
    page.evaluate("const input = document.querySelector('input.md-search__input');"
                  " document.querySelector('label[for=__search]').click(); input.focus(); return true;")
    if isinstance(page, ChromiumPage):
        page.page.keyboard.type(SEARCH_WORDS, delay=20)
    else:
        from selenium.webdriver.common.by import By
        page.driver.find_element(By.CSS_SELECTOR, "input.md-search__input").send_keys(SEARCH_WORDS)
    found = page.wait_for("document.querySelectorAll('.md-search-result__item').length", timeout=20)
    page.evaluate("const input = document.querySelector('input.md-search__input'); input.value = '';"
                  " document.querySelector('label[for=__search]').click(); return true;")
    return found


def navigate_instantly(page, path):
    """Follow the nav's link to path: mkdocs-material swaps the page in (a new article)."""
    page.evaluate("const article = document.querySelector('article.md-content__inner'); article.dataset.left = 'yes';"
                  f" document.querySelector('a.md-nav__link[href$=\"{path}\"]').click(); return true;")
    page.wait_for(f"location.pathname.endsWith('/{path}') && !!document.querySelector('article.md-content__inner h1')"
                  " && !document.querySelector('article.md-content__inner[data-left]')", timeout=30)


def ready_pad(page):
    page.evaluate(ADD_PAD)
    state = engines.wait_ready(page)
    assert state == "ready", page.evaluate(
        "document.querySelector('digit-pad').shadowRoot.querySelector('.status-text').textContent")


def test_every_page_runs_under_it_in_chromium(browser, csp_server, digits):
    csp_server.csp_reports.clear()
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(LISTEN)
    page = ChromiumPage(context.new_page())
    started, violations, answers = time.monotonic(), [], []
    try:
        for path, digit in zip(PAGES, digits):
            page.goto(csp_server.site_url + path)
            ready_pad(page)
            answers.append((digit.label, answer(page, digit)))
            if path == "":
                assert search(page) > 0
            violations += page_violations(page)
        page.goto(csp_server.site_url)
        ready_pad(page)
        page.evaluate(KEEP_PAD)
        for path in PAGES[1:]:
            navigate_instantly(page, path)
            ready_pad(page)
        answers.append((digits[1].label, answer(page, digits[1])))
        violations += page_violations(page)
        reports, problems = settle_reports(csp_server), page.problems
        seconds = time.monotonic() - started
        # The policy is in force in the page and in the pad's worker (its own
        # script's header), and what it refuses there is seen.
        pad_worker = next(w for w in page.page.workers if w.url.endswith("/digit-pad/worker.js"))
        refused = page.page.evaluate(EVAL_LATER), pad_worker.evaluate(EVAL_LATER)
        refused_seen = settle_reports(csp_server), page.problems
    finally:
        context.close()
    print(f"\nchromium: {len(PAGES)} pages, instant navigation, answers {answers}, {seconds:.1f} s")
    assert violations == [] and reports == [] and problems == []
    assert sum(label == digit for label, digit in answers) >= len(answers) - 1, answers
    assert refused == ("refused", "refused")
    seen_reports, seen_problems = refused_seen
    assert any(r.startswith("enforce script-src: eval at") and "/worker.js" in r for r in seen_reports), seen_reports
    assert any("/digit-pad/worker.js:" not in r and r.startswith("enforce script-src: eval") for r in seen_reports)
    assert seen_problems and all("'unsafe-eval' is not an allowed source" in p for p in seen_problems), seen_problems


@pytest.mark.parametrize("engine", ["firefox", "webkit"])
def test_every_page_runs_under_it_in(engine, csp_server, digits):
    """Every page loaded once (its inline scripts run as parsed), then the home
    page's pad reads a digit, instant navigation takes the warm worker through
    the other pages, where a pad (the page's, or one kept from the home page)
    reads a digit, and search answers."""
    if not engines.installed(engine):
        pytest.skip(f"{engine} (or its driver) is not installed")
    csp_server.csp_reports.clear()
    violations, answers = [], []
    with engines.launch(engine) as page:
        started = time.monotonic()
        for path in PAGES[1:]:
            page.goto(csp_server.site_url + path)
            page.evaluate(LISTEN)
            violations += page_violations(page)
        page.goto(csp_server.site_url)
        page.evaluate(LISTEN)
        ready_pad(page)
        answers.append((digits[0].label, answer(page, digits[0])))
        page.evaluate(KEEP_PAD)
        for path, digit in zip(PAGES[1:], digits[1:]):
            navigate_instantly(page, path)
            ready_pad(page)
            answers.append((digit.label, answer(page, digit)))
        # Last: closing the search panel restores the page's scroll a moment
        # later, which could move a pad under a drawing made at once.
        assert search(page) > 0
        violations += page_violations(page)
        reports, problems = settle_reports(csp_server), page.problems
        seconds = time.monotonic() - started
    print(f"\n{engine}: {len(PAGES)} pages, answers {answers}, {seconds:.1f} s")
    assert violations == [] and reports == [] and problems == []
    assert sum(label == digit for label, digit in answers) >= len(answers) - 1, answers
