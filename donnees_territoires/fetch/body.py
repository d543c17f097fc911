"""The body of an HTTP answer as it arrives: gzip undone and checked to its end, a hashed temporary file."""

from __future__ import annotations

import hashlib
import os
import tempfile
import zlib
from pathlib import Path


class PartFile:
    """Body of a 2xx answer: a temporary file created on the first byte, hashed as it arrives."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.size = 0
        self._hash = hashlib.sha256()
        self._stream = None
        self._path: Path | None = None

    def _open(self) -> None:
        folder = self.folder or Path(tempfile.gettempdir())
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(suffix=".part", dir=folder)
        self._stream = os.fdopen(fd, "wb")
        self._path = Path(name)

    def write(self, data: bytes) -> None:
        if self._stream is None:
            self._open()
        self._stream.write(data)
        self._hash.update(data)
        self.size += len(data)

    def close(self) -> Path:
        if self._stream is None:  # empty body
            self._open()
        self._stream.close()
        return self._path

    def sha256(self) -> str:
        return self._hash.hexdigest()

    def discard(self) -> None:
        if self._stream is not None:
            self._stream.close()
        if self._path is not None:
            self._path.unlink(missing_ok=True)


class BodyDecoder:
    """Undo a gzip Content-Encoding as the body arrives, and tell whether the stream was whole."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding.strip().lower()
        self.gzipped = self.encoding in ("gzip", "x-gzip")
        #: an encoding we did not ask for and cannot undo
        self.unsupported = self.encoding not in ("", "identity") and not self.gzipped
        #: bytes received on the wire
        self.raw_size = 0
        self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS) if self.gzipped else None

    def feed(self, data: bytes) -> bytes:
        self.raw_size += len(data)
        if self._inflater is None:
            return data
        out = self._inflater.decompress(data)
        # a body may hold several gzip members one after the other (RFC 1952 § 2.2)
        while self._inflater.eof and self._inflater.unused_data:
            rest = self._inflater.unused_data
            self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            out += self._inflater.decompress(rest)
        return out

    def finish(self) -> bytes:
        return self._inflater.flush() if self._inflater is not None else b""

    @property
    def complete(self) -> bool:
        """False when a gzip stream stopped before its end marker (an empty body is whole)."""
        return self._inflater is None or self.raw_size == 0 or self._inflater.eof
