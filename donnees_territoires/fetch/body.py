"""The body of an HTTP answer as it arrives: gzip undone (within the expansion limits) and checked to its
end, a hashed temporary file."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .verify import ExpansionLimits, GzipStream


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
    """Undo a gzip Content-Encoding as the body arrives, and tell whether the stream was whole.

    What it expands to is bounded like a gzip file's (verify.GzipStream, the same inflating loop): `feed`
    hands the decoded bytes on in pieces of at most 1 MB, and raises verify.BodyProblem as soon as they pass
    the limits, so a « gzip bomb » is stopped after a few MB, never held in memory or written out.
    """

    def __init__(self, encoding: str, limits: ExpansionLimits | None = None) -> None:
        self.encoding = encoding.strip().lower()
        self.gzipped = self.encoding in ("gzip", "x-gzip")
        #: an encoding we did not ask for and cannot undo
        self.unsupported = self.encoding not in ("", "identity") and not self.gzipped
        #: bytes received on the wire
        self.raw_size = 0
        self._gzip = GzipStream(limits or ExpansionLimits()) if self.gzipped else None

    def feed(self, data: bytes) -> Iterator[bytes]:
        """The decoded bytes of `data`, piece by piece (zlib.error when the stream is corrupt)."""
        self.raw_size += len(data)
        if self._gzip is None:
            if data:
                yield data
            return
        yield from self._gzip.feed(data)

    def finish(self) -> bytes:
        return self._gzip.finish() if self._gzip is not None else b""

    @property
    def complete(self) -> bool:
        """False when a gzip stream stopped before its end marker (an empty body is whole)."""
        return self._gzip is None or self.raw_size == 0 or self._gzip.eof
