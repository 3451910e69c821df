"""Drive the built site in real browsers: shared by tests/ and bench/.

  chromium.py        Debian's Chromium under Playwright: its arguments,
                     launching it, pages that collect their console errors,
                     request logs;
  server.py          the static server on 127.0.0.1 that serves the built site
                     under /pydigit/, as a project site is served;
  csp.py             the Content-Security-Policy the site runs under;
  site.py            building the site with mkdocs, checking a built one;
  pad.py             drawing on a <digit-pad> in Chromium as a person would
                     (mouse, pen, touch) or from script, and reading its answers.

The cross-engine tests (Chromium, Firefox ESR, WebKitGTK) go through one page
interface instead:
  engines.py         launching any of them, and the pad helpers on its pages;
  page.py            that interface, and the in-page error probe;
  chromium_page.py   Chromium's page (Playwright);
  selenium_page.py   Firefox's and WebKit's (Selenium), with firefox.py and
                     webkit.py launching them (geckodriver, WebKitWebDriver + Xvfb);
  recording.py       the server with a log of every request, workers' included.

Nothing here is part of the site or of the pydigit package.
"""
