"""What a zip archive holds: its data files, listed from its directory (GDAL reads them in place, /vsizip/)."""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath

from ..toolbelt.i18n import tr
from .errors import ArchiveError

#: extensions of files a GIS user means when opening an archive (side files such as .dbf/.prj
#: of a shapefile are read with it but are not listed)
DATA_SUFFIXES = (".shp", ".gpkg", ".geojson", ".json", ".csv", ".gml", ".kml", ".tab", ".mif",
                 ".fgb", ".sqlite", ".parquet", ".xlsx", ".ods", ".tif", ".tiff", ".asc", ".jp2")


def list_data_files(path: str | Path) -> list[str]:
    """Names of the data files inside a zip (what a user would open), in archive order."""
    with _open_zip(path) as archive:
        names = [info.filename for info in archive.infolist() if not info.is_dir()]
    return [name for name in names if _is_data_file(name)]


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


def _broken_message(path: Path, error: BaseException) -> str:
    return tr("Le fichier {path} n'est pas une archive zip valide ({error}) : le téléchargement "
              "est peut-être incomplet ; supprimez-le du cache et relancez.").format(
        path=path, error=error)
