"""Safe gzip and zip extraction: nothing outside the target folder, size caps, no partial file."""

from __future__ import annotations

import gzip
import os
import shutil
import stat
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..toolbelt.i18n import tr
from .errors import ArchiveError

#: extensions of files a GIS user means when opening an archive (side files such as .dbf/.prj
#: of a shapefile are extracted with it but are not listed)
DATA_SUFFIXES = (".shp", ".gpkg", ".geojson", ".json", ".csv", ".gml", ".kml", ".tab", ".mif",
                 ".fgb", ".sqlite", ".parquet", ".xlsx", ".ods", ".tif", ".tiff", ".asc", ".jp2")
_CHUNK = 1 << 20


@dataclass(frozen=True)
class ExtractLimits:
    """Caps against archive bombs; the defaults leave room for a national BD TOPO theme."""

    #: total uncompressed bytes written by one extraction
    max_bytes: int = 32 * 1024**3
    #: uncompressed / compressed size of one member, checked above `ratio_floor_bytes`
    max_ratio: float = 1000.0
    ratio_floor_bytes: int = 16 * 1024**2
    #: members in one zip
    max_members: int = 20000


def is_gzip(path: str | Path) -> bool:
    with open(path, "rb") as stream:
        return stream.read(2) == b"\x1f\x8b"


def gunzip(path: str | Path, dest: str | Path, limits: ExtractLimits = ExtractLimits()) -> Path:
    """Decompress `path` into the file `dest` (written under a temporary name, then renamed).

    A file that is not gzip-compressed is copied as is.
    """
    path, dest = Path(path), Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    if not is_gzip(path):
        # a server sending a .gz with « Content-Encoding: gzip » has it decompressed in transit by
        # Qt: the file already holds the data
        fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
        os.close(fd)
        try:
            shutil.copyfile(path, tmp_name)
            os.replace(tmp_name, dest)
        finally:
            Path(tmp_name).unlink(missing_ok=True)
        return dest
    compressed = max(path.stat().st_size, 1)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    written = 0
    try:
        with os.fdopen(fd, "wb") as target, gzip.open(path, "rb") as source:
            while chunk := source.read(_CHUNK):
                written += len(chunk)
                _check_size(path, path.name, written, compressed, limits)
                target.write(chunk)
        os.replace(tmp_name, dest)
    except (OSError, EOFError, zlib.error) as error:
        Path(tmp_name).unlink(missing_ok=True)
        raise ArchiveError(tr("Le fichier {path} n'est pas une archive gzip valide ({error}) : "
                              "le téléchargement est peut-être incomplet ; supprimez-le du cache "
                              "et relancez.").format(path=path, error=error), str(path)) from error
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return dest


def list_data_files(path: str | Path) -> list[str]:
    """Names of the data files inside a zip (what a user would open), in archive order."""
    with _open_zip(path) as archive:
        names = [info.filename for info in archive.infolist() if not info.is_dir()]
    return [name for name in names if _is_data_file(name)]


def extract_zip(path: str | Path, dest_dir: str | Path, members: list[str] | None = None,
                limits: ExtractLimits = ExtractLimits()) -> list[Path]:
    """Extract `members` (default: all) of a zip into `dest_dir` and return the written paths.

    Every member is checked before anything is written: a name leading outside `dest_dir`
    (absolute, `..`, drive letter), a symbolic link or sizes beyond `limits` reject the whole
    archive. Files are extracted in a staging folder next to `dest_dir` and moved into place at
    the end, so a failure or a cancel leaves no partial file behind.
    """
    path, dest_dir = Path(path), Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    root = dest_dir.resolve()
    with _open_zip(path) as archive:
        infos = [info for info in archive.infolist() if not info.is_dir()]
        if members is not None:
            wanted = set(members)
            infos = [info for info in infos if info.filename in wanted]
            missing = wanted - {info.filename for info in infos}
            if missing:
                raise ArchiveError(tr("L'archive {path} ne contient pas {names}.").format(
                    path=path, names=", ".join(sorted(missing))), str(path))
        if len(infos) > limits.max_members:
            raise ArchiveError(tr("L'archive {path} contient {count} fichiers (limite {limit}) : "
                                  "elle est refusée par précaution.").format(
                path=path, count=len(infos), limit=limits.max_members), str(path))
        targets = [(info, safe_member_path(root, info, path)) for info in infos]
        declared = sum(info.file_size for info in infos)
        if declared > limits.max_bytes:
            raise ArchiveError(_bomb_message(path, path.name, declared, limits), str(path))
        staging = Path(tempfile.mkdtemp(prefix=".extract-", dir=root))
        try:
            written_total = 0
            for info, target in targets:
                staged = staging / target.relative_to(root)
                staged.parent.mkdir(parents=True, exist_ok=True)
                member_written = 0
                with archive.open(info) as source, open(staged, "wb") as out:
                    while chunk := source.read(_CHUNK):
                        member_written += len(chunk)
                        written_total += len(chunk)
                        _check_size(path, info.filename, member_written, info.compress_size, limits)
                        if written_total > limits.max_bytes:
                            raise ArchiveError(_bomb_message(path, info.filename, written_total,
                                                             limits), str(path))
                        out.write(chunk)
            results = []
            for _info, target in targets:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging / target.relative_to(root), target)
                results.append(target)
            return results
        except (zipfile.BadZipFile, zlib.error, EOFError) as error:
            raise ArchiveError(_broken_message(path, error), str(path)) from error
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def safe_member_path(root: Path, info: zipfile.ZipInfo, archive: Path) -> Path:
    """Where a member goes under `root`, or ArchiveError if it would land elsewhere (zip-slip)."""
    name = info.filename.replace("\\", "/")
    parts = PurePosixPath(name).parts
    is_link = stat.S_ISLNK(info.external_attr >> 16)
    unsafe = (not parts or name.startswith("/") or ".." in parts or ":" in parts[0] or is_link)
    target = (root / name).resolve()
    if unsafe or target == root or root not in target.parents:
        raise ArchiveError(tr("L'archive {archive} contient un chemin dangereux « {name} » qui "
                              "sortirait du dossier de destination : elle est refusée. Vérifiez la "
                              "source de ce fichier.").format(archive=archive, name=info.filename),
                           str(archive))
    return target


def _open_zip(path: str | Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise ArchiveError(_broken_message(Path(path), error), str(path)) from error


def _is_data_file(name: str) -> bool:
    pure = PurePosixPath(name.replace("\\", "/"))
    if any(part.startswith(".") or part == "__MACOSX" for part in pure.parts):
        return False
    return pure.suffix.lower() in DATA_SUFFIXES


def _check_size(archive: Path, member: str, written: int, compressed: int,
                limits: ExtractLimits) -> None:
    if written > limits.max_bytes or (
            written > limits.ratio_floor_bytes and written / max(compressed, 1) > limits.max_ratio):
        raise ArchiveError(_bomb_message(archive, member, written, limits), str(archive))


def _bomb_message(archive: Path, member: str, size: int, limits: ExtractLimits) -> str:
    return tr("L'archive {archive} se décompresse en plus de {size} Mo ({member}) : au-delà des "
              "limites de sécurité ({limit} Mo, taux de compression {ratio:.0f}), elle est "
              "refusée. Vérifiez la source de ce fichier.").format(
        archive=archive, member=member, size=size // 1024**2, limit=limits.max_bytes // 1024**2,
        ratio=limits.max_ratio)


def _broken_message(path: Path, error: BaseException) -> str:
    return tr("Le fichier {path} n'est pas une archive zip valide ({error}) : le téléchargement "
              "est peut-être incomplet ; supprimez-le du cache et relancez.").format(
        path=path, error=error)
