"""How data arrives: one HTTP module on QGIS's network stack, its cache, archives and formats."""

from .archive import list_data_files
from .cache import CacheEntry, DownloadCache
from .download import FetchResult, fetch, forget
from .errors import (
    ArchiveError,
    AuthConfigError,
    DeadlineError,
    FetchCanceledError,
    FetchError,
    FetchTimeoutError,
    FormatError,
    HttpStatusError,
    IncompleteBodyError,
    NetworkError,
    OfflineError,
    UnexpectedContentError,
    WfsError,
    WfsIncompleteError,
    WfsServiceError,
)
from .exchange import FORM_CONTENT_TYPE
from .formats import FileFormat, open_layer, sniff
from .network import RetryPolicy, mirrored_url, parse_retry_after
from .wfs import (
    FeatureType,
    RateLimiter,
    WfsPage,
    WfsQuery,
    WfsResult,
    describe_feature_type,
    get_features,
)

__all__ = [
    "FORM_CONTENT_TYPE", "ArchiveError", "AuthConfigError", "CacheEntry", "DeadlineError", "DownloadCache",
    "FeatureType", "FetchCanceledError", "FetchError", "FetchResult",
    "FetchTimeoutError", "FileFormat", "FormatError", "HttpStatusError", "IncompleteBodyError", "NetworkError",
    "OfflineError", "RateLimiter", "RetryPolicy", "UnexpectedContentError", "WfsError",
    "WfsIncompleteError", "WfsPage", "WfsQuery", "WfsResult", "WfsServiceError",
    "describe_feature_type", "fetch", "forget", "get_features",
    "list_data_files", "mirrored_url", "open_layer",
    "parse_retry_after", "sniff",
]
