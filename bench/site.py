"""Which file of the built site answered a URL (building and checking the
site: harness.site)."""

from pathlib import Path
from urllib.parse import unquote, urlsplit


def site_file(site_dir, url, prefix):
    """The file behind a URL of the site served under ``prefix`` (e.g.
    "/pydigit/"), index.html for a directory; None for other URLs."""
    path = unquote(urlsplit(url).path)
    if not path.startswith(prefix):
        return None
    local = Path(site_dir) / path[len(prefix):]
    if local.is_dir():
        local = local / "index.html"
    return local if local.is_file() else None
