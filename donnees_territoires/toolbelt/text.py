"""Small text helpers every layer uses: comma-separated lists, and a line cut to a length."""

from __future__ import annotations


def comma_list(text) -> list[str]:
    """« a, b,,c » → [a, b, c]: the items of a comma-separated text, stripped, empty ones dropped."""
    return [part.strip() for part in str(text or "").split(",") if part.strip()]


def elided(text: str, limit: int) -> str:
    """`text`, or its beginning up to a word, ending with « … », in at most `limit` characters."""
    if len(text) <= limit:
        return text
    head = text[:limit - 2]
    head = head.rsplit(" ", 1)[0] if " " in head else head
    return head.rstrip(" ,;:") + " …"
