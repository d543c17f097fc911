"""How data arrives: one HTTP module on QGIS's network stack, its cache, archives and formats."""

from .archive import ExtractLimits, extract_zip, gunzip, list_data_files
from .cache import CacheEntry, DownloadCache
from .download import FetchResult, fetch
from .errors import (
    ArchiveError,
    AuthConfigError,
    FetchCanceledError,
    FetchError,
    FetchTimeoutError,
    FormatError,
    HttpStatusError,
    NetworkError,
    OfflineError,
    UnexpectedContentError,
)
from .formats import FileFormat, open_layer, sniff
from .network import (
    RetryPolicy,
    install_user_agent_hook,
    mirrored_url,
    parse_retry_after,
    remove_user_agent_hook,
)

__all__ = [
    "ArchiveError", "AuthConfigError", "CacheEntry", "DownloadCache", "ExtractLimits",
    "FetchCanceledError", "FetchError", "FetchResult", "FetchTimeoutError", "FileFormat",
    "FormatError", "HttpStatusError", "NetworkError", "OfflineError", "RetryPolicy",
    "UnexpectedContentError", "extract_zip", "fetch", "gunzip", "install_user_agent_hook",
    "list_data_files", "mirrored_url",
    "open_layer", "parse_retry_after", "remove_user_agent_hook", "sniff",
]
