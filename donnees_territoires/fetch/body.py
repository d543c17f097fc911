"""The body of an HTTP answer as it arrives: gzip undone (within the expansion limits) and checked to its
end, a hashed temporary file."""

from __future__ import annotations

import hashlib
import os
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from .verify import ExpansionLimits, expansion_problem

#: the most a piece of decoded body may weigh before it is handed on: a small gzip chunk can expand
#: a thousandfold, and it must be counted (and refused) before it is all in memory
_PIECE = 1 << 20


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

    What it expands to is bounded like a gzip file's (verify.ExpansionLimits): `feed` hands the
    decoded bytes on in pieces of at most 1 MB, and raises verify.BodyProblem as soon as they pass
    the limits, so a « gzip bomb » is stopped after a few MB, never held in memory or written out.
    """

    def __init__(self, encoding: str, limits: ExpansionLimits | None = None) -> None:
        self.encoding = encoding.strip().lower()
        self.gzipped = self.encoding in ("gzip", "x-gzip")
        #: an encoding we did not ask for and cannot undo
        self.unsupported = self.encoding not in ("", "identity") and not self.gzipped
        self.limits = limits or ExpansionLimits()
        #: bytes received on the wire, and what they expanded to
        self.raw_size = 0
        self.decoded_size = 0
        self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS) if self.gzipped else None

    def feed(self, data: bytes) -> Iterator[bytes]:
        """The decoded bytes of `data`, piece by piece (zlib.error when the stream is corrupt)."""
        self.raw_size += len(data)
        if self._inflater is None:
            if data:
                yield data
            return
        while data:
            piece = self._inflater.decompress(data, _PIECE)
            # at a member's end, what follows is in unused_data (and, cut by max_length, in
            # unconsumed_tail as well: the same bytes, not to be taken twice)
            data = self._inflater.unused_data if self._inflater.eof else self._inflater.unconsumed_tail
            if self._inflater.eof and data:
                # a body may hold several gzip members one after the other (RFC 1952 § 2.2)
                self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            if piece:
                yield self._counted(piece)

    def finish(self) -> bytes:
        return self._counted(self._inflater.flush()) if self._inflater is not None else b""

    def _counted(self, piece: bytes) -> bytes:
        self.decoded_size += len(piece)
        if self.limits.exceeded(self.decoded_size, self.raw_size):
            raise expansion_problem(self.decoded_size, self.raw_size, self.limits)
        return piece

    @property
    def complete(self) -> bool:
        """False when a gzip stream stopped before its end marker (an empty body is whole)."""
        return self._inflater is None or self.raw_size == 0 or self._inflater.eof
