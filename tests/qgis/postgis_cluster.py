"""A throwaway PostgreSQL + PostGIS cluster for the PostGIS package tests: started in a temp folder, stopped after."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def _installed_majors() -> list[int]:
    """PostgreSQL major versions installed in Debian's layout, those with PostGIS first, newest first."""
    majors = [int(Path(folder).parent.name) for folder in glob.glob("/usr/lib/postgresql/*/bin")
              if Path(folder).parent.name.isdigit()]

    def has_postgis(major: int) -> bool:
        return Path(f"/usr/share/postgresql/{major}/extension/postgis.control").is_file()

    return sorted(majors, key=lambda major: (has_postgis(major), major), reverse=True)


def bin_dir() -> Path | None:
    """The folder holding initdb, pg_ctl and psql, or None when PostgreSQL is not installed."""
    for major in _installed_majors():
        path = Path(f"/usr/lib/postgresql/{major}/bin")
        if all((path / tool).is_file() for tool in ("initdb", "pg_ctl", "psql")):
            return path
    return None


def unavailable_reason() -> str | None:
    """Why no cluster can be started here (None: it can)."""
    folder = bin_dir()
    if folder is None:
        return ("PostgreSQL binaries (initdb, pg_ctl, psql) not found under /usr/lib/postgresql/*/bin: "
                "make setup installs the distribution's postgresql-<version> and postgresql-<version>-postgis-3")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root but there is no 'postgres' system user to run the server as"
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgisCluster:
    """One cluster in its own folder, reachable on 127.0.0.1 with trust authentication as `postgres`."""

    user = "postgres"
    dbname = "postgres"
    host = "127.0.0.1"

    def __init__(self) -> None:
        self.bin = bin_dir()
        self.root = Path(tempfile.mkdtemp(prefix="dt-pg-"))
        self.data = self.root / "data"
        self.port = 0
        self._as_root = os.geteuid() == 0

    # -- life cycle --------------------------------------------------------------------------------
    def start(self) -> PostgisCluster:
        if self._as_root:
            # PostgreSQL refuses to run as root: the server runs as `postgres`, owner of the folder
            shutil.chown(self.root, user="postgres")
        self._server("initdb", "-D", str(self.data), "-A", "trust", "-U", self.user, "-E", "UTF8",
                     "--locale=C", "--no-sync")
        self.port = _free_port()
        options = (f"-p {self.port} -k {self.root} -c listen_addresses={self.host} -c fsync=off "
                   "-c full_page_writes=off -c synchronous_commit=off")
        self._server("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "server.log"),
                     "-w", "start")
        self.psql("CREATE EXTENSION IF NOT EXISTS postgis")
        return self

    def stop(self) -> None:
        if self.data.is_dir():
            try:
                self._server("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
            except subprocess.CalledProcessError:
                pass  # not running (failed start): still remove the folder
        shutil.rmtree(self.root, ignore_errors=True)

    # -- use -------------------------------------------------------------------------------------
    def uri(self) -> str:
        """A libpq connection string QGIS's postgres provider accepts."""
        return f"host={self.host} port={self.port} dbname={self.dbname} user={self.user} sslmode=disable"

    def psql(self, sql: str) -> str:
        """Run SQL with psql (unaligned, tuples only) and return its output; raises on an SQL error."""
        result = subprocess.run(
            [str(self.bin / "psql"), "-h", self.host, "-p", str(self.port), "-U", self.user, "-d", self.dbname,
             "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql],
            capture_output=True, text=True, env=self._env(), check=False)
        if result.returncode:
            raise RuntimeError(f"psql failed ({result.returncode}): {result.stderr.strip()}\nSQL: {sql}")
        return result.stdout.strip()

    # -- helpers -----------------------------------------------------------------------------------
    def _server(self, tool: str, *args: str) -> None:
        command = [str(self.bin / tool), *args]
        if self._as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, env=self._env(), cwd=self.root)

    @staticmethod
    def _env() -> dict[str, str]:
        # the user's PG* variables (PGHOST, PGSERVICE…) must not redirect the test cluster
        env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
        env["LC_ALL"] = "C"
        return env
