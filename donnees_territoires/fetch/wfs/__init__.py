"""WFS 2.0 GetFeature to one GeoJSON file: filters, parallel pages under the rate limit, checked counts.

query: what to ask (WfsQuery, CQL filter) · describe: DescribeFeatureType · exception_report: OWS
errors · rate_limit: requests per second per host · page: one page · paging: get_features() ·
merge: the pages into one file, WfsResult.
"""

from .describe import (
    DESCRIBE_MAX_AGE_S,
    FeatureType,
    clear_feature_type_cache,
    describe_feature_type,
    parse_feature_type,
)
from .exception_report import OwsException, parse_exception_report
from .merge import MANIFEST_FILTER_CHARS, WfsPage, WfsResult
from .page import MAX_GET_URL_CHARS
from .paging import DEFAULT_WORKERS, SERVER_MAX_COUNT, get_features
from .query import WfsQuery
from .rate_limit import REQUESTS_BURST, REQUESTS_PER_S, RateLimiter, rate_limiter_for

__all__ = [
    "DEFAULT_WORKERS", "DESCRIBE_MAX_AGE_S", "MANIFEST_FILTER_CHARS",
    "MAX_GET_URL_CHARS", "REQUESTS_BURST", "REQUESTS_PER_S", "SERVER_MAX_COUNT", "FeatureType",
    "OwsException", "RateLimiter", "WfsPage", "WfsQuery", "WfsResult", "clear_feature_type_cache",
    "describe_feature_type", "get_features", "parse_exception_report", "parse_feature_type",
    "rate_limiter_for",
]
