"""The plugin's settings: one typed object over a QgsSettings group, with environment overrides.

Every environment override is mirrored by a field shown on the options page, so what works
headless (qgis_process, CI) can be set by a desktop user too.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path

from qgis.core import QgsApplication, QgsSettings

SETTINGS_GROUP = "donnees_territoires"

#: field name -> environment variable that overrides it
ENV_OVERRIDES = {
    "mirror_url": "DONNEES_TERRITOIRES_MIRROR",
    "contours_path": "DONNEES_TERRITOIRES_CONTOURS",
    "cache_dir": "DONNEES_TERRITOIRES_CACHE",
}


@dataclass
class Settings:
    """What the user can set. Empty strings mean « use the default »."""

    #: base URL of a mirror: https://host/path?q is fetched from <mirror>/host/path?q
    mirror_url: str = ""
    #: local commune contours (ADMIN EXPRESS GeoPackage/Shapefile) used instead of the network
    contours_path: str = ""
    #: contour sources tried in this order (local = contours_path when set, wfs = ADMIN EXPRESS, api_geo)
    contour_sources: str = "local,wfs,api_geo"
    #: user and organisation catalogs, one file path or https URL per line, read after the built-in one
    catalogs: str = ""
    #: download cache folder; default under the QGIS profile
    cache_dir: str = ""
    #: maximum size of the download cache, in megabytes
    cache_max_mb: int = 2048
    #: network timeout for one request, in seconds
    timeout_s: int = 60
    #: total time one download may take, in seconds, at least (a large file gets more: see
    #: fetch.exchange.deadline_for), however steadily its bytes trickle in
    download_deadline_s: int = 600
    #: what a compressed download may expand to, in megabytes, and as a multiple of its size
    max_expanded_mb: int = 5120
    max_expansion_ratio: int = 100
    #: serve everything from the cache, never touch the network
    offline: bool = False
    #: verbose log
    debug: bool = False
    #: publication on data.gouv.fr: « demo » or « production », the organisation (id or short name), and the id
    #: of the QGIS authentication configuration holding the API key (the key itself lives only there)
    publish_platform: str = "demo"
    publish_organisation: str = ""
    publish_authcfg: str = ""

    # -- persistence -----------------------------------------------------------------------
    @classmethod
    def load(cls) -> Settings:
        """Values stored in the user's profile, without environment overrides."""
        store = QgsSettings()
        values = {}
        for f in fields(cls):
            default = f.default
            values[f.name] = store.value(f"{SETTINGS_GROUP}/{f.name}", default, type=type(default))
        return cls(**values)

    def save(self) -> None:
        store = QgsSettings()
        for f in fields(self):
            store.setValue(f"{SETTINGS_GROUP}/{f.name}", getattr(self, f.name))

    # -- what applies ---------------------------------------------------------------------
    @staticmethod
    def env_override(name: str) -> str | None:
        """The environment value overriding field `name`, if one is set and not empty."""
        var = ENV_OVERRIDES.get(name)
        value = os.environ.get(var, "") if var else ""
        return value or None

    def effective(self) -> Settings:
        """These settings with the environment overrides applied."""
        overrides = {name: value for name in ENV_OVERRIDES
                     if (value := self.env_override(name)) is not None}
        return replace(self, **overrides)

    def cache_path(self) -> Path:
        """The cache folder that applies (created on demand by whoever writes into it)."""
        if self.cache_dir:
            return Path(self.cache_dir).expanduser()
        return Path(QgsApplication.qgisSettingsDirPath()) / "cache" / SETTINGS_GROUP


def current() -> Settings:
    """The settings that apply now: the stored ones with the environment overrides."""
    return Settings.load().effective()
