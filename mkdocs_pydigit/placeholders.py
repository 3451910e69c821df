"""``{{ pydigit.name }}`` placeholders in a page's Markdown, filled at build
time, so that no measured number is typed into a page by hand.

A placeholder the plugin does not know, or any ``{{ … }}`` left outside code
(a typo such as ``{{ pydigt.model_card }}``), stops the build naming it and
the page: a page never goes out with a placeholder showing.
"""

import re

from mkdocs.exceptions import PluginError

PLACEHOLDER = re.compile(r"\{\{\s*([^{}\n]*?)\s*\}\}")
# Fenced blocks and inline code spans, where braces are content, not placeholders.
CODE = re.compile(r"^(?P<fence>[ \t]*(?:```|~~~)).*?^(?P=fence)|`[^`\n]+`", re.M | re.S)
NAMESPACE = "pydigit."


def pieces(markdown):
    """-> [(is_code, text)]: ``markdown`` cut into code and the rest, in order."""
    out, position = [], 0
    for code in CODE.finditer(markdown):
        out += [(False, markdown[position:code.start()]), (True, code.group(0))]
        position = code.end()
    return out + [(False, markdown[position:])]


def fill(markdown, fillers, page, own_only=False):
    """Replace each ``{{ pydigit.NAME }}`` outside code with ``fillers[NAME]()``.

    own_only: leave other ``{{ … }}`` alone (another plugin, such as macros,
    fills them); by default any left outside code is an error.
    """
    unknown = []

    def replace(match):
        name = match.group(1)
        own = name.startswith(NAMESPACE)
        if own and name[len(NAMESPACE):] in fillers:
            return fillers[name[len(NAMESPACE):]]()
        if own or not own_only:
            unknown.append(match.group(0))
        return match.group(0)

    result = "".join(text if is_code else PLACEHOLDER.sub(replace, text)
                     for is_code, text in pieces(markdown))
    if unknown:
        known = ", ".join("{{ " + NAMESPACE + name + " }}" for name in fillers)
        raise PluginError(f"{page}: unknown placeholder {', '.join(unknown)}; "
                          f"the pydigit plugin fills {known}")
    return result
