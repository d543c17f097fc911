"""An algorithm's help, written in a small Markdown (paragraphs, « - » lists, `code`, **bold**), as the HTML
Processing's help panel shows (it would show the backticks and dashes as they are)."""

from __future__ import annotations

import html
import re


def help_html(text: str) -> str:
    """The HTML of a help text: a paragraph per block, a list per run of « - » lines."""
    parts: list[str] = []
    items: list[str] = []
    paragraph: list[str] = []

    def close() -> None:
        if paragraph:
            parts.append(f"<p>{_inline(' '.join(paragraph))}</p>")
            paragraph.clear()
        if items:
            parts.append("<ul>" + "".join(f"<li>{_inline(item)}</li>" for item in items) + "</ul>")
            items.clear()

    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            close()
        elif stripped.startswith(("- ", "* ")):
            if paragraph:
                close()
            items.append(stripped[2:].strip())
        elif items and line[:1].isspace():  # a list item going on on the next line
            items[-1] += " " + stripped
        else:
            if items:
                close()
            paragraph.append(stripped)
    close()
    return "\n".join(parts)


def _inline(text: str) -> str:
    text = html.escape(text, quote=False)
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    return re.sub(r"\*\*([^*]+)\*\*", r"<b>\1</b>", text)
