"""harness.server without a browser: routes under their prefixes, chosen
files broken and repaired, the cache policy, cross-origin isolation, and
keep-alive connections that do not hold up closing."""

import http.client

import pytest

from harness.server import SITE_PREFIX, SiteServer


@pytest.fixture
def tree(tmp_path):
    site, pages, deep = tmp_path / "site", tmp_path / "pages", tmp_path / "deep"
    for directory in (site / "assets", pages, deep):
        directory.mkdir(parents=True)
    (site / "index.html").write_text("home")
    (site / "assets" / "a.js").write_text("site a")
    (pages / "a.js").write_text("pages a")
    (deep / "a.js").write_text("deep a")
    return site, {"/extra/": pages, "/extra/deep/": deep}


def get(connection, path):
    """-> (status, headers, body) on an open connection."""
    connection.request("GET", path)
    response = connection.getresponse()
    return response.status, response.headers, response.read().decode()


def test_routes_breaking_and_headers(tree):
    site, routes = tree
    with SiteServer(site, routes, isolated=lambda path: path.startswith("/extra/")) as server:
        assert server.site_url == server.origin + SITE_PREFIX == server.url("pydigit/")
        connection = http.client.HTTPConnection(server.origin.removeprefix("http://"))
        status, headers, body = get(connection, "/pydigit/")
        assert (status, body) == (200, "home")
        assert "Cache-Control" not in headers and "Cross-Origin-Embedder-Policy" not in headers
        assert get(connection, "/pydigit/assets/a.js?v=1")[2] == "site a"
        # The longest prefix wins.
        assert get(connection, "/extra/a.js")[2] == "pages a"
        status, headers, body = get(connection, "/extra/deep/a.js")
        assert body == "deep a" and headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert headers["Cross-Origin-Embedder-Policy"] == "require-corp"
        assert get(connection, "/elsewhere/a.js")[0] == 404

        server.break_file("assets/a.js")
        assert get(connection, "/pydigit/assets/a.js")[0] == 404
        server.repair()
        server.set_cache_policy("static-host")
        status, headers, _ = get(connection, "/pydigit/assets/a.js")
        assert status == 200 and headers["Cache-Control"] == "max-age=600"
        connection.close()


def test_keeps_connections_alive_and_closes_with_one_open(tree):
    site, _ = tree
    server = SiteServer(site)
    connection = http.client.HTTPConnection(server.origin.removeprefix("http://"))
    get(connection, "/pydigit/")
    socket = connection.sock
    assert get(connection, "/pydigit/assets/a.js")[2] == "site a"
    assert connection.sock is socket  # the same connection served both
    server.close()  # returns although the connection is still open
    connection.close()
