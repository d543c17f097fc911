"""WHERE: the COG territories (index, hierarchy, search, vintages), in pure Python, usable without QGIS."""

from .index import (
    TerritoryIndex,
    UnknownVintageError,
    available_vintages,
    latest_vintage,
    manifest,
)
from .index_search import SearchResult
from .model import (
    COMMUNE_KINDS,
    Territory,
    TerritoryKind,
    TerritoryRef,
    TerritoryReferenceError,
    format_references,
    normalize_commune_code,
    parse_reference,
    parse_references,
)
from .selection import Selection
from .vintages import CodeConversion, CogHistory, ConversionStatus, VintageDetection, VintageScore

__all__ = [
    "COMMUNE_KINDS",
    "CodeConversion",
    "CogHistory",
    "ConversionStatus",
    "SearchResult",
    "Selection",
    "Territory",
    "TerritoryIndex",
    "TerritoryKind",
    "TerritoryRef",
    "TerritoryReferenceError",
    "UnknownVintageError",
    "VintageDetection",
    "VintageScore",
    "available_vintages",
    "format_references",
    "latest_vintage",
    "manifest",
    "normalize_commune_code",
    "parse_reference",
    "parse_references",
]
