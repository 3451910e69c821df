"""{{ pydigit.NAME }} placeholders: filled outside code, and a typo stops the build."""

import pytest
from mkdocs.exceptions import PluginError

from mkdocs_pydigit.placeholders import fill

FILLERS = {"model_card": lambda: "| the | card |", "architecture": lambda: "LAYERS"}


def test_known_placeholders_are_filled_anywhere_outside_code():
    markdown = "# Card\n\n{{ pydigit.model_card }}\n\nand {{pydigit.architecture}} inline.\n"
    assert fill(markdown, FILLERS, "card.md") == "# Card\n\n| the | card |\n\nand LAYERS inline.\n"


def test_code_keeps_its_braces():
    markdown = ("Write `{{ pydigit.model_card }}` in a page:\n\n"
                "```markdown\n{{ pydigit.model_card }}\n{{ anything }}\n```\n\n"
                "~~~\n{{ also.this }}\n~~~\n{{ pydigit.architecture }}\n")
    out = fill(markdown, FILLERS, "page.md")
    assert out == markdown.replace("~~~\n{{ pydigit.architecture }}", "~~~\nLAYERS")


@pytest.mark.parametrize("typo", ["{{ pydigit.model_crd }}", "{{ pydigt.model_card }}",
                                  "{{ model_card }}", "{{ pydigit.model card }}"])
def test_a_typo_stops_the_build_naming_it_and_the_page(typo):
    with pytest.raises(PluginError) as stop:
        fill(f"Intro\n\n{typo}\n", FILLERS, "docs/model-card.md")
    message = str(stop.value)
    assert typo in message and "docs/model-card.md" in message
    assert "{{ pydigit.model_card }}" in message  # says what it does know


def test_beside_another_templating_plugin_only_its_own_are_checked():
    markdown = "{{ config.site_name }} and {{ pydigit.architecture }}"
    assert fill(markdown, FILLERS, "p.md", own_only=True) == "{{ config.site_name }} and LAYERS"
    with pytest.raises(PluginError, match="pydigit.nope"):
        fill("{{ pydigit.nope }}", FILLERS, "p.md", own_only=True)


def test_fillers_run_only_when_their_placeholder_is_there():
    def never():
        raise AssertionError("filled without a placeholder")
    assert fill("plain text", {"performance": never}, "p.md") == "plain text"
