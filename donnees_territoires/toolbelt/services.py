"""The addresses of the services the plugin calls outside catalog entries, read from resources/services.json."""

from __future__ import annotations

import json
from functools import lru_cache

from ..__about__ import RESOURCES_DIR


@lru_cache(maxsize=1)
def _services() -> dict[str, str]:
    return json.loads((RESOURCES_DIR / "services.json").read_text(encoding="utf-8"))


def service_url(name: str) -> str:
    """The address of the service `name` (api_geo, datagouv_datasets, geoplateforme_wfs)."""
    return _services()[name]
