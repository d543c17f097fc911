"""Unit tests run without QGIS: importing qgis here is an error, not a silent dependency."""

import importlib.abc
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


class _NoQgis(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "qgis" or name.startswith("qgis."):
            raise ImportError(f"tests/unit must not import QGIS (tried {name})")
        return None


sys.meta_path.insert(0, _NoQgis())
