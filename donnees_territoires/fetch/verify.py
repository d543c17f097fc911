"""Is a downloaded body whole? Checked before it is cached or used: gzip to its end (CRC and length),
zip directory and members' CRC, JSON parsed; what a compressed body expands to is bounded as it is read."""

from __future__ import annotations

import json
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..toolbelt.i18n import tr
from .errors import IncompleteBodyError

_CHUNK = 1 << 20
#: a JSON document up to this size is parsed entirely; a larger one must at least end as it began
FULL_JSON_BYTES = 16 * 1024**2
#: below this many expanded bytes, the expansion ratio is not held against a body (a tiny file of
#: repeated values compresses far beyond 100:1 and is harmless)
RATIO_FLOOR_BYTES = 64 * 1024**2


@dataclass(frozen=True)
class ExpansionLimits:
    """How far a compressed body may expand: in bytes, and as a multiple of its compressed size."""

    max_bytes: int = 5 * 1024**3
    max_ratio: int = 100

    @classmethod
    def from_settings(cls, settings) -> ExpansionLimits:
        return cls(max_bytes=int(settings.max_expanded_mb) * 1024**2, max_ratio=int(settings.max_expansion_ratio))

    def exceeded(self, expanded: int, compressed: int) -> bool:
        return expanded > self.max_bytes or (
            expanded > RATIO_FLOOR_BYTES and expanded > self.max_ratio * max(compressed, 1))


class BodyProblem(Exception):
    """Why a body cannot be used; `incomplete` when another download may well be whole."""

    def __init__(self, reason: str, *, incomplete: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.incomplete = incomplete


def check_body(path: str | Path, limits: ExpansionLimits | None = None) -> None:
    """Raise BodyProblem unless the file at `path` is whole: a non-empty body; a gzip stream that
    reaches its end with the right CRC and length; a zip whose directory and members' CRC are
    intact; a JSON document that parses (or, beyond FULL_JSON_BYTES, ends with the bracket that
    closes its first one). Expansion beyond `limits` is refused while reading, before it is
    all read (a gzip or zip « bomb »)."""
    path = Path(path)
    limits = limits or ExpansionLimits()
    size = path.stat().st_size
    if size == 0:
        raise BodyProblem(tr("réponse vide"))
    with open(path, "rb") as stream:
        head = stream.read(4)
    if head[:2] == b"\x1f\x8b":
        first, last = _check_gzip(path, size, limits)
        _check_json_ends(first, last)
    elif head in (b"PK\x03\x04", b"PK\x05\x06"):
        _check_zip(path, size, limits)
    else:
        _check_json(path, size)


# -- gzip -------------------------------------------------------------------------------------------
class GzipStream:
    """A gzip stream of one or more members one after the other (RFC 1952 § 2.2), inflated piece by piece
    (at most _CHUNK bytes each) and counted against the expansion limits as it goes: a « bomb » is refused
    (BodyProblem) before it is in memory. The one inflating loop of a downloaded .gz file (check_body) and of
    a body sent with Content-Encoding: gzip (body.BodyDecoder).

    `compressed_size`: the whole stream's size when known (a file), else the bytes fed so far. `padding`: NUL
    bytes after the last member are allowed (a file on a disk may be padded). A corrupt stream raises
    zlib.error."""

    def __init__(self, limits: ExpansionLimits, *, compressed_size: int | None = None, padding: bool = False):
        self.limits, self.compressed_size, self.padding = limits, compressed_size, padding
        self.fed = self.expanded = 0
        self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)

    @property
    def eof(self) -> bool:
        """The last member fed reached its end marker (CRC and length checked by zlib)."""
        return self._inflater.eof

    def feed(self, data: bytes) -> Iterator[bytes]:
        self.fed += len(data)
        while data:
            piece = self._inflater.decompress(data, _CHUNK)
            if self._inflater.eof:
                # what follows the member is in unused_data (and, cut by max_length, in unconsumed_tail as
                # well: the same bytes, taken once)
                data = self._inflater.unused_data
                if data and not (self.padding and not data.strip(b"\x00")):
                    self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
                else:
                    data = b""
            else:
                data = self._inflater.unconsumed_tail
            if piece:
                yield self._counted(piece)

    def finish(self) -> bytes:
        return self._counted(self._inflater.flush())

    def _counted(self, piece: bytes) -> bytes:
        self.expanded += len(piece)
        compressed = self.fed if self.compressed_size is None else self.compressed_size
        if self.limits.exceeded(self.expanded, compressed):
            raise expansion_problem(self.expanded, compressed, self.limits)
        return piece


def _check_gzip(path: Path, size: int, limits: ExpansionLimits) -> tuple[bytes, bytes]:
    """Inflate the whole stream (every member of it), counting; return the first and last bytes it
    expands to (for the JSON check)."""
    stream = GzipStream(limits, compressed_size=size, padding=True)
    first = last = b""
    with open(path, "rb") as file:
        while chunk := file.read(_CHUNK):
            try:
                for out in stream.feed(chunk):
                    first = first or out[:4096]
                    last = (last + out)[-4096:]
            except zlib.error as error:
                raise BodyProblem(tr("flux gzip corrompu ({error})").format(error=error)) from error
    if not stream.eof:
        raise BodyProblem(tr("flux gzip tronqué, {size} octets reçus").format(size=size))
    return first, last


# -- zip --------------------------------------------------------------------------------------------
def _check_zip(path: Path, size: int, limits: ExpansionLimits) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            declared = sum(member.file_size for member in members)
            if limits.exceeded(declared, size):
                raise expansion_problem(declared, size, limits)
            expanded = 0
            for member in members:
                if member.is_dir():
                    continue
                # read through: zipfile checks each member's CRC at its end, and stops at its declared size
                with archive.open(member) as stream:
                    while block := stream.read(_CHUNK):
                        expanded += len(block)
                        if limits.exceeded(expanded, size):
                            raise expansion_problem(expanded, size, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error, NotImplementedError) as error:
        raise BodyProblem(tr("archive zip incomplète ou corrompue ({error})").format(error=error)) from error


# -- JSON -------------------------------------------------------------------------------------------
def _check_json(path: Path, size: int) -> None:
    with open(path, "rb") as stream:
        first = stream.read(4096)
        if not _json_start(first):
            return  # CSV, XML, GeoPackage…: their readers judge them
        if size <= FULL_JSON_BYTES:
            stream.seek(0)
            try:
                json.loads(stream.read().decode("utf-8-sig"))
            except (ValueError, UnicodeDecodeError) as error:
                raise BodyProblem(tr("document JSON tronqué ou invalide ({error})").format(
                    error=str(error)[:120])) from error
            return
        stream.seek(max(0, size - 4096))
        _check_json_ends(first, stream.read())


def _json_start(data: bytes) -> bytes:
    """`{` or `[` when `data` begins a JSON document, else b""."""
    text = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    return text[:1] if text[:1] in (b"{", b"[") else b""


def _check_json_ends(first: bytes, last: bytes) -> None:
    """A JSON document (known by its first bytes) must end with the bracket that closes its first."""
    opening = _json_start(first)
    if not opening:
        return
    closing = b"}" if opening == b"{" else b"]"
    if last.rstrip(b" \t\r\n\x00")[-1:] != closing:
        raise BodyProblem(tr("document JSON tronqué : il ne se termine pas par « {closing} »").format(
            closing=closing.decode()))


def expansion_problem(expanded: int, size: int, limits: ExpansionLimits) -> BodyProblem:
    return BodyProblem(tr("décompressé, le fichier dépasse {limit} Mo ou {ratio} fois sa taille ({size} octets "
                          "compressés, plus de {expanded} Mo décompressés) ; si la source est légitime, relevez "
                          "les limites de décompression dans les options de l'extension").format(
        limit=limits.max_bytes // 1024**2, ratio=limits.max_ratio, size=size, expanded=expanded // 1024**2),
        incomplete=False)


def body_error(url: str, problem: BodyProblem, last_try: bool = True) -> IncompleteBodyError:
    """The error saying why the body received from `url` was not kept (transient: worth one more
    download, unless `last_try` or the body expands beyond the limits)."""
    if problem.incomplete:
        message = tr("Le fichier reçu de {url} n'est pas entier ({reason}) : rien n'a été gardé ; relancez "
                     "plus tard, et signalez-le au producteur si cela persiste.")
    else:
        message = tr("Le fichier reçu de {url} est refusé : {reason}.")
    return IncompleteBodyError(message.format(url=url, reason=problem.reason), url,
                               transient=problem.incomplete and not last_try)
