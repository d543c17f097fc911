"""The algorithms' help: Markdown files shown as HTML (the dialog once showed raw backticks)."""

from pathlib import Path

import pytest

from donnees_territoires.processing.help import help_html

HELP = Path(__file__).resolve().parents[2] / "resources" / "help"


def test_paragraphs_lists_code_and_bold():
    text = ("Produit un paquet.\nSur deux lignes.\n\n- Territoire : `commune:33063`\n  ou `epci:1`.\n"
            "- **Tout** <ou> rien\n\nFin.")
    assert help_html(text) == (
        "<p>Produit un paquet. Sur deux lignes.</p>\n"
        "<ul><li>Territoire : <code>commune:33063</code> ou <code>epci:1</code>.</li>"
        "<li><b>Tout</b> &lt;ou&gt; rien</li></ul>\n<p>Fin.</p>")


@pytest.mark.parametrize("path", sorted(HELP.glob("*/*.md")), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_help_file_has_no_markdown_left(path):
    shown = help_html(path.read_text(encoding="utf-8"))
    assert "`" not in shown and "**" not in shown and shown.startswith("<p>")
    assert "\n- " not in shown
