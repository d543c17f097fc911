"""Requests per second to one host: a token bucket shared by every download of this process."""

from __future__ import annotations

import threading
import time

from qgis.core import QgsFeedback

from ...toolbelt.i18n import tr
from ..errors import FetchCanceledError, host_of

#: data.geopf.fr accepts 30 requests/s per IP address, then answers 429 for 5 s. The client stays
#: below: the map canvas of the same user may be loading Géoplateforme tiles at the same time.
REQUESTS_PER_S = 20.0
REQUESTS_BURST = 5
#: how often a thread waiting for a token looks at its feedback
_POLL_S = 0.05


class RateLimiter:
    """Token bucket shared by threads: at most `per_second` requests a second, `burst` at once."""

    def __init__(self, per_second: float = REQUESTS_PER_S, burst: int = REQUESTS_BURST) -> None:
        if per_second <= 0:
            raise ValueError("per_second must be positive")
        self.per_second = per_second
        self.burst = max(1, int(burst))
        self._tokens = float(self.burst)
        self._last = time.monotonic()
        self._lock = threading.Lock()

    def acquire(self, feedback: QgsFeedback | None = None, url: str = "") -> None:
        """Wait for a token; FetchCanceledError if `feedback` is canceled meanwhile."""
        while True:
            with self._lock:
                now = time.monotonic()
                self._tokens = min(self.burst, self._tokens + (now - self._last) * self.per_second)
                self._last = now
                if self._tokens >= 1:
                    self._tokens -= 1
                    return
                delay = (1 - self._tokens) / self.per_second
            if feedback is not None and feedback.isCanceled():
                raise FetchCanceledError(tr("Téléchargement annulé : {url}.").format(url=url), url)
            time.sleep(min(delay, _POLL_S))


_limiters: dict[str, RateLimiter] = {}
_limiters_lock = threading.Lock()


def rate_limiter_for(url: str) -> RateLimiter:
    """The limiter shared by every request of this process to the host of `url` (the limit of
    data.geopf.fr is per IP address, so all downloads running together share it)."""
    host = host_of(url).lower()
    with _limiters_lock:
        return _limiters.setdefault(host, RateLimiter())
