"""Translation: French source strings, translated at run time by the installed .qm."""

from __future__ import annotations

from qgis.PyQt.QtCore import QCoreApplication, QLocale, QTranslator

from ..__about__ import I18N_DIR, PLUGIN_ID

CONTEXT = "DonneesTerritoires"


def tr(text: str) -> str:
    """Translate a French source string (scripts/translations.py collects every call)."""
    return QCoreApplication.translate(CONTEXT, text)


def user_locale() -> str:
    """Two-letter language of the QGIS user interface (QGIS's locale/userLocale)."""
    from qgis.core import QgsSettings

    settings = QgsSettings()
    if settings.value("locale/overrideFlag", False, type=bool):
        locale = settings.value("locale/userLocale", "", type=str)
    else:
        locale = QLocale.system().name()
    return (locale or "fr")[:2]


def install_translator(language: str | None = None) -> QTranslator | None:
    """Install the .qm of the user's language; French needs none (it is the source)."""
    language = language or user_locale()
    qm = I18N_DIR / f"{PLUGIN_ID}_{language}.qm"
    if language == "fr" or not qm.is_file():
        return None
    translator = QTranslator()
    if not translator.load(str(qm)):
        return None
    QCoreApplication.installTranslator(translator)
    return translator


def remove_translator(translator: QTranslator | None) -> None:
    if translator is not None:
        QCoreApplication.removeTranslator(translator)
