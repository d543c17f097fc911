"""The dock's status line: a few lines at most, whatever the message; the whole text goes to the log."""

from __future__ import annotations

import html

from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QLabel, QSizePolicy, QWidget

from ..toolbelt import log
from ..toolbelt.i18n import tr
from ..toolbelt.slots import guarded
from ..toolbelt.text import elided

#: what the status shows at most: longer texts are cut, with a « Détails » link to the log
MAX_CHARS = 320
MAX_LINES = 4
DETAILS_LINK = "journal"


def shortened(text: str) -> tuple[str, bool]:
    """(what the status shows of `text`, whether it was cut): at most MAX_LINES lines, MAX_CHARS characters in
    all, shared equally among the lines (a result and one line per failed dataset are all seen)."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    shown = lines[:MAX_LINES]
    share = MAX_CHARS // max(1, len(shown))
    cut = len(lines) > MAX_LINES or any(len(line) > share for line in shown)
    short = "\n".join(elided(line, share) for line in shown)
    if len(lines) > MAX_LINES and not short.endswith("…"):
        short += " …"
    return short, cut


class StatusLabel(QLabel):
    """A word-wrapped label that never grows past a few lines nor widens its dock (an 18,000-character error
    once shrank the form to 40 px or widened it to 880 px, and stayed so). When a message is cut, its
    `details_link` (a sibling label the dock places) opens the log, where the whole text is."""

    def __init__(self, parent: QWidget | None = None, open_log=None) -> None:
        super().__init__("", parent)
        self.setObjectName("statusLabel")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # the width is the dock's, never the text's: a long address is clipped, not widening the dock
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(1)
        # and a few lines high at most, however narrow the dock
        # (a line wraps in a narrow dock: room for the lines shown, each on two rows at most)
        self.setMaximumHeight(self.fontMetrics().lineSpacing() * 2 * MAX_LINES)
        self.full_text = ""
        self._open_log = open_log
        self.details_link = QLabel(f'<a href="{DETAILS_LINK}">{html.escape(tr("Détails"))}</a>', parent)
        self.details_link.setObjectName("statusDetailsLink")
        self.details_link.setToolTip(tr("Ouvrir le journal des messages, onglet « Données et territoires »"))
        self.details_link.setVisible(False)
        self.details_link.linkActivated.connect(self._on_link)

    def show_text(self, text: str, error: bool = False, *, warning: bool = False, details: bool = False) -> None:
        """Show `text`, cut to a few lines; when cut, the whole text is in the log and « Détails » opens it
        (`details`: offer it even when nothing was cut: the log holds more than the text). `error` shows it
        in red, `warning` (a partial success) in amber."""
        self.full_text = text
        short, cut = shortened(text)
        if cut:
            log.info(tr("Message complet du panneau : {text}").format(text=text))
        self.details_link.setVisible(cut or details)
        self.setStyleSheet("color: #b00020" if error else "color: #8a5300" if warning else "")
        self.setText(short)

    @guarded(tr("l'ouverture du journal des messages"))
    def _on_link(self, link: str) -> None:
        if link == DETAILS_LINK and self._open_log is not None:
            self._open_log()
