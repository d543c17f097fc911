"""Translation: French source strings, translated at run time by the installed .qm.

`tr` is importable without QGIS (the pure-Python core and its unit tests): it then returns the
French source string. Write `tr("… {code} …").format(code=…)`, never `tr(f"…")`: the
translation catalogue holds the literal string (scripts/translations.py collects every call).
"""

from __future__ import annotations

import sys

from ..__about__ import I18N_DIR, PLUGIN_ID

CONTEXT = "DonneesTerritoires"


def tr(text: str) -> str:
    """Translate a French source string into the user's language.

    Qt is not imported here: the pure-Python core (the territory index, whose load has a 150 ms
    budget) must not pay for importing QGIS. Until Qt is loaded no translator can be installed,
    so the French text is the answer; inside QGIS, Qt is always loaded.
    """
    qtcore = sys.modules.get("qgis.PyQt.QtCore")
    if qtcore is None:
        return text
    return qtcore.QCoreApplication.translate(CONTEXT, text)


def user_locale() -> str:
    """Two-letter language of the QGIS user interface (QGIS's locale/userLocale)."""
    from qgis.core import QgsSettings
    from qgis.PyQt.QtCore import QLocale

    settings = QgsSettings()
    if settings.value("locale/overrideFlag", False, type=bool):
        locale = settings.value("locale/userLocale", "", type=str)
    else:
        locale = QLocale.system().name()
    return (locale or "fr")[:2]


def install_translator(language: str | None = None):
    """Install the .qm of the user's language (a QTranslator); French needs none (it is the source)."""
    from qgis.PyQt.QtCore import QCoreApplication, QTranslator

    language = language or user_locale()
    qm = I18N_DIR / f"{PLUGIN_ID}_{language}.qm"
    if language == "fr" or not qm.is_file():
        return None
    translator = QTranslator()
    if not translator.load(str(qm)):
        return None
    QCoreApplication.installTranslator(translator)
    return translator


def remove_translator(translator) -> None:
    if translator is not None:
        from qgis.PyQt.QtCore import QCoreApplication

        QCoreApplication.removeTranslator(translator)
