"""Wiring only: dock, menu and toolbar, Processing provider, options page, translator.

With iface None (qgis_process) only the Processing provider is registered.
"""

from __future__ import annotations

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import Qt, QUrl
from qgis.PyQt.QtGui import QDesktopServices, QIcon
from qgis.PyQt.QtWidgets import QAction

from .__about__ import __icon_path__, __title__, __uri_homepage__
from .toolbelt import log
from .toolbelt.i18n import install_translator, remove_translator, tr
from .toolbelt.slots import guarded

MENU = "&" + __title__


class DonneesTerritoiresPlugin:
    def __init__(self, iface):
        self.iface = iface
        self.translator = install_translator()
        self.provider = None
        self.dock = None
        self.options_factory = None
        self.locator_filter = None
        self.actions: list[QAction] = []
        self.dock_action: QAction | None = None

    # -- Processing (also called alone by qgis_process) ----------------------------------
    def initProcessing(self) -> None:  # noqa: N802
        from .processing.provider import Provider

        if self.provider is None:
            provider = Provider()
            if QgsApplication.processingRegistry().addProvider(provider):
                self.provider = provider
            else:  # another copy of the plugin already registered it: leave it alone
                log.warning(tr("Le fournisseur Processing « donnees_territoires » est déjà enregistré."))

    # -- desktop ---------------------------------------------------------------------------
    def initGui(self) -> None:  # noqa: N802
        self.initProcessing()
        if self.iface is None:
            return
        from .gui.dlg_settings import SettingsPageFactory
        from .gui.wdg_dock import TerritoryDock

        main_window = self.iface.mainWindow()
        icon = QIcon(str(__icon_path__))

        self.dock = TerritoryDock(main_window, open_settings=self.open_settings, canvas=self.iface.mapCanvas(),
                                  iface=self.iface)
        self.iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        if hasattr(main_window, "resizeDocks"):  # wide enough for the picker's buttons at first display
            main_window.resizeDocks([self.dock], [440], Qt.Orientation.Horizontal)
        self.dock.hide()

        self.dock_action = self.dock.toggleViewAction()
        self.dock_action.setIcon(icon)
        self.dock_action.setText(__title__)
        self.dock_action.setToolTip(tr("Ouvrir le panneau Données et territoires"))
        self.dock_action.setObjectName("DonneesTerritoiresDockAction")

        settings_action = QAction(QgsApplication.getThemeIcon("/mActionOptions.svg"),
                                  tr("Paramètres…"), main_window)
        settings_action.setObjectName("DonneesTerritoiresSettingsAction")
        settings_action.triggered.connect(self.open_settings)

        help_action = QAction(QgsApplication.getThemeIcon("/mActionHelpContents.svg"),
                              tr("Aide en ligne"), main_window)
        help_action.setObjectName("DonneesTerritoiresHelpAction")
        help_action.triggered.connect(self.open_help)

        self.actions = [self.dock_action, settings_action, help_action]
        for action in self.actions:
            self.iface.addPluginToMenu(MENU, action)
        self.iface.addToolBarIcon(self.dock_action)

        self.options_factory = SettingsPageFactory()
        self.options_factory.setObjectName("DonneesTerritoiresOptionsFactory")
        self.iface.registerOptionsWidgetFactory(self.options_factory)

        from .gui.locator_filter import TerritoryLocatorFilter

        self.locator_filter = TerritoryLocatorFilter(self.select_territory)
        self.iface.registerLocatorFilter(self.locator_filter)

    def select_territory(self, reference: str) -> None:
        """A territory chosen elsewhere (the locator bar) becomes the dock's selection, replacing the one there
        (territories are added to it in the dock's own search field)."""
        if self.dock is not None:
            self.dock.select_territory(reference, replace=True)

    @guarded(tr("l'ouverture des paramètres"))
    def open_settings(self) -> None:
        from .gui.dlg_settings import PAGE_OBJECT_NAME

        self.iface.showOptionsDialog(self.iface.mainWindow(), currentPage=PAGE_OBJECT_NAME)

    @guarded(tr("l'ouverture de l'aide en ligne"))
    def open_help(self) -> None:
        QDesktopServices.openUrl(QUrl(__uri_homepage__))

    def unload(self) -> None:
        if self.iface is not None:
            for action in self.actions:
                self.iface.removePluginMenu(MENU, action)
                if action is not self.dock_action:  # the dock owns its toggle action
                    action.deleteLater()
            if self.dock_action is not None:
                self.iface.removeToolBarIcon(self.dock_action)
            self.actions = []
            self.dock_action = None
            if self.locator_filter is not None:
                self.iface.deregisterLocatorFilter(self.locator_filter)
                self.locator_filter = None
            if self.options_factory is not None:
                self.iface.unregisterOptionsWidgetFactory(self.options_factory)
                self.options_factory = None
            if self.dock is not None:
                self.dock.unload()
                self.iface.removeDockWidget(self.dock)
                self.dock.deleteLater()
                self.dock = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        remove_translator(self.translator)
        self.translator = None
