"""On-disk download cache: one folder per URL, checksum sidecar, size cap with LRU eviction."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from ..toolbelt import log
from ..toolbelt.i18n import tr

SIDECAR = "entry.json"
PARTIAL_DIR = ".partial"
#: leftovers of a crashed QGIS older than this are removed
STALE_PARTIAL_S = 24 * 3600
_HASH_CHUNK = 1 << 20

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


@dataclass(frozen=True)
class CacheEntry:
    """What the sidecar records about one cached download."""

    key: str
    file: str
    url: str
    final_url: str
    size: int
    sha256: str
    status: int = 200
    etag: str = ""
    last_modified: str = ""
    content_type: str = ""
    #: ISO 8601 UTC time of the last answer from the server (200, or a 304 revalidation)
    fetched_at: str = ""
    #: epoch seconds of the last use, for the least-recently-used eviction
    last_used: float = 0.0
    #: the file was checked whole (fetch.verify) before it was kept; older caches' entries were not
    verified: bool = False


class DownloadCache:
    """Downloads kept under `root`, at most `max_bytes` of them (the entry in use excepted)."""

    def __init__(self, root: str | Path, max_bytes: int) -> None:
        self.root = Path(root)
        self.max_bytes = max_bytes

    @classmethod
    def from_settings(cls, settings) -> DownloadCache:
        return cls(settings.cache_path() / "http", int(settings.cache_max_mb) * 1024**2)

    # -- keys and locks -----------------------------------------------------------------------
    @staticmethod
    def key_for(url: str, authcfg: str = "", headers: Mapping[str, str] | None = None) -> str:
        """Cache key of a request: its URL, plus what may change the answer (auth, headers)."""
        parts = [url, authcfg] + sorted(f"{k.lower()}:{v}" for k, v in (headers or {}).items())
        return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:32]

    @contextlib.contextmanager
    def locked(self, key: str) -> Iterator[None]:
        """Serialise the fetches of one key in this process (two tasks asking for the same file)."""
        lock = self._lock(key)
        with lock:
            yield

    def _lock(self, key: str) -> threading.Lock:
        with _locks_guard:
            return _locks.setdefault(f"{self.root.resolve()}|{key}", threading.Lock())

    @property
    def partial_dir(self) -> Path:
        """Where downloads are streamed before being moved into an entry (same file system)."""
        return self.root / PARTIAL_DIR

    # -- entries ------------------------------------------------------------------------------
    def path_of(self, entry: CacheEntry) -> Path:
        return self.root / entry.key / entry.file

    def lookup(self, key: str) -> CacheEntry | None:
        """The entry of `key` if its file is intact; a corrupt entry is removed and None returned."""
        entry = self._read(key)
        if entry is None:
            return None
        path = self.path_of(entry)
        try:
            intact = path.stat().st_size == entry.size and file_sha256(path) == entry.sha256
        except OSError:
            intact = False
        if not intact:
            log.warning(tr("Copie en cache corrompue ou incomplète de {url} ({path}) : elle est "
                           "supprimée et sera téléchargée de nouveau.").format(url=entry.url, path=path))
            self.remove(key)
            return None
        return entry

    def store(self, key: str, part: Path, entry: CacheEntry) -> CacheEntry:
        """Move the downloaded file `part` into the entry `key`, replacing any previous copy."""
        folder = self.root / key
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        entry = replace(entry, key=key, last_used=time.time())
        os.replace(part, folder / entry.file)
        self._write(entry)
        return entry

    def touch(self, entry: CacheEntry, **changes) -> CacheEntry:
        """Record a use (and e.g. a 304 revalidation time) of an entry."""
        entry = replace(entry, last_used=time.time(), **changes)
        self._write(entry)
        return entry

    def remove(self, key: str) -> None:
        shutil.rmtree(self.root / key, ignore_errors=True)

    def entries(self) -> list[CacheEntry]:
        if not self.root.is_dir():
            return []
        found = (self._read(child.name) for child in self.root.iterdir()
                 if child.is_dir() and child.name != PARTIAL_DIR)
        return [entry for entry in found if entry is not None]

    def total_bytes(self) -> int:
        return sum(entry.size for entry in self.entries())

    def evict(self, keep: tuple[str, ...] = ()) -> list[str]:
        """Remove least-recently-used entries until the cache fits `max_bytes`; return their keys.

        Entries named in `keep` and entries being fetched by another thread are never removed.
        """
        self._remove_stale_partials()
        entries = sorted(self.entries(), key=lambda entry: entry.last_used)
        total = sum(entry.size for entry in entries)
        removed = []
        for entry in entries:
            if total <= self.max_bytes:
                break
            if entry.key in keep:
                continue
            lock = self._lock(entry.key)
            if not lock.acquire(blocking=False):
                continue
            try:
                self.remove(entry.key)
            finally:
                lock.release()
            total -= entry.size
            removed.append(entry.key)
        if removed:
            log.info(tr("Cache des téléchargements : {count} fichier(s) ancien(s) supprimé(s) "
                        "pour rester sous {limit} Mo.").format(count=len(removed),
                                                               limit=self.max_bytes // 1024**2))
        return removed

    # -- sidecar --------------------------------------------------------------------------------
    def _read(self, key: str) -> CacheEntry | None:
        sidecar = self.root / key / SIDECAR
        try:
            data = json.loads(sidecar.read_text(encoding="utf-8"))
            return CacheEntry(**{**data, "key": key})
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError):
            # an unreadable sidecar is a corrupt entry: drop it, it will be fetched again
            self.remove(key)
            return None

    def _write(self, entry: CacheEntry) -> None:
        sidecar = self.root / entry.key / SIDECAR
        tmp = sidecar.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(entry), indent=1, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, sidecar)

    def _remove_stale_partials(self) -> None:
        if not self.partial_dir.is_dir():
            return
        limit = time.time() - STALE_PARTIAL_S
        for part in self.partial_dir.iterdir():
            with contextlib.suppress(OSError):
                if part.stat().st_mtime < limit:
                    part.unlink()


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def utc_now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def safe_file_name(name: str, default: str = "download") -> str:
    """A file name usable on every OS, from a URL path or a Content-Disposition."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip().strip(".")
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", name)[:120]
    return name or default
