"""Drive the built site in real browsers: shared by tests/ and bench/.

  chromium.py   Debian's Chromium under Playwright: its arguments, launching
                it, pages that collect their console errors, request logs;
  server.py     the static server on 127.0.0.1 that serves the built site
                under /pydigit/, as a project site is served;
  site.py       building the site with mkdocs, checking a built one;
  pad.py        drawing on a <digit-pad> as a person would (mouse, pen,
                touch) or from script, and reading its answers.

Nothing here is part of the site or of the pydigit package.
"""
