"""data.gouv.fr's API v1 through the plugin's network module: the key from the QGIS authentication database,
JSON calls, file uploads (in parts beyond UPLOAD_PART_BYTES), and a recorder that writes the calls instead
of sending them (DRY_RUN).

Facts of the API this relies on (the platform's own server code, udata): the key travels in the `X-API-KEY`
header; a bad key is answered 401 `{"message": "Invalid API token"}`; a file is sent as the multipart field
`file` to `POST /datasets/{id}/upload/` (a new resource) or `POST /datasets/{id}/resources/{rid}/upload/`
(the same resource, its file replaced); a large file goes in parts to the same address (`uuid`, `filename`,
`partindex`, `partbyteoffset`, `totalparts`, `chunksize`, `file`), then one last call without `file`.
"""

from __future__ import annotations

import json
import math
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..toolbelt.i18n import tr
from ..toolbelt.services import service_url

#: production or demo platform → the address of its API (resources/services.json)
PLATFORMS = {"production": "datagouv_api_production", "demo": "datagouv_api_demo"}
#: a file beyond this is sent in parts of this size (the platform's own front end splits above 20 MB)
UPLOAD_PART_BYTES = 20 * 1024 * 1024
JSON = "application/json"


class PublishError(Exception):
    """A publication step failed: one French sentence (the key never in it)."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


def api_url(platform: str) -> str:
    if platform not in PLATFORMS:
        raise PublishError(tr("Plateforme de publication inconnue : « {platform} » (production ou demo).").format(
            platform=platform))
    return service_url(PLATFORMS[platform])


def api_key(authcfg: str) -> str:
    """The API key kept in the QGIS authentication configuration `authcfg`: the password of a « Basic »
    configuration, or the X-API-KEY header of an « APIHeader » one. Never written anywhere."""
    from qgis.core import QgsApplication, QgsAuthMethodConfig

    manager = QgsApplication.authManager()
    if not authcfg or authcfg not in manager.configIds():
        raise PublishError(tr("Aucune clé d'API data.gouv.fr : créez une configuration d'authentification QGIS "
                              "(Préférences › Options › Authentification, méthode « Basic », la clé comme mot de "
                              "passe) et choisissez-la dans les options de l'extension (configuration « {authcfg} » "
                              "introuvable).").format(authcfg=authcfg or "—"))
    config = QgsAuthMethodConfig()
    if not manager.loadAuthenticationConfig(authcfg, config, True):
        raise PublishError(tr("La configuration d'authentification « {authcfg} » n'a pas pu être lue : saisissez le "
                              "mot de passe maître de QGIS, puis relancez.").format(authcfg=authcfg))
    key = config.config("password") if config.method() == "Basic" else config.config("X-API-KEY")
    if not key:
        raise PublishError(tr("La configuration d'authentification « {authcfg} » ne contient pas de clé d'API (méthode "
                              "« Basic » : la clé dans le mot de passe).").format(authcfg=authcfg))
    return key


@dataclass
class Call:
    """One request of a publication, as DRY_RUN writes it."""

    method: str
    path: str
    body: Any = None
    file: dict | None = None


@dataclass
class Recorder:
    """The calls a publication would make, with made-up answers so that the plan goes on."""

    calls: list[Call] = field(default_factory=list)

    def answer(self, call: Call) -> Any:
        self.calls.append(call)
        number = len(self.calls)
        if call.method == "GET":
            return None  # nothing is known: as on a first publication
        if call.path.endswith("/upload/"):
            return {"id": f"ressource-simulee-{number}", "title": (call.file or {}).get("name", ""), "url": ""}
        if call.method == "POST" and call.path == "datasets/":
            return {"id": "jeu-simule", "slug": "jeu-simule", "page": "", "private": True}
        return call.body if isinstance(call.body, dict) else {}

    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / "requetes.json"
        target.write_text(json.dumps([call.__dict__ for call in self.calls], ensure_ascii=False, indent=2) + "\n",
                          encoding="utf-8")
        lines = []
        for number, call in enumerate(self.calls, 1):
            what = f" — fichier {call.file['name']} ({call.file['size']} octets)" if call.file else ""
            lines.append(f"{number}. {call.method} {call.path}{what}")
        (folder / "requetes.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        return target


class Api:
    """Calls to one platform's API v1, authenticated by the key; or recorded only (`recorder`)."""

    def __init__(self, base_url: str, key: str = "", *, settings=None, feedback=None,
                 recorder: Recorder | None = None) -> None:
        self.base_url = base_url.rstrip("/") + "/"
        self.key, self.settings, self.feedback, self.recorder = key, settings, feedback, recorder

    def for_cleanup(self) -> Api:
        """The same API, its calls not stopped by a cancel: what cleans up after a failed or canceled attempt."""
        return Api(self.base_url, self.key, settings=self.settings, recorder=self.recorder)

    def get(self, path: str, missing_ok: bool = False) -> Any:
        return self._call("GET", path, missing_ok=missing_ok)

    def post(self, path: str, body: dict) -> Any:
        return self._call("POST", path, json.dumps(body, ensure_ascii=False).encode(), JSON, record=body)

    def put(self, path: str, body: dict) -> Any:
        return self._call("PUT", path, json.dumps(body, ensure_ascii=False).encode(), JSON, record=body)

    def delete(self, path: str) -> Any:
        return self._call("DELETE", path, missing_ok=True)

    def find_dataset(self, organisation: str, extra: str, value: Any = None) -> dict | None:
        """The first live dataset of `organisation` whose extra `extra` holds `value` (any true value when None),
        read whole; None when there is none. The platform cannot search by extra: its datasets are listed, page
        by page (deleted ones included, for its members)."""
        page = 1
        while page:
            answer = self.get(f"organizations/{organisation}/datasets/?page={page}&page_size=100",
                              missing_ok=True) or {}
            for dataset in answer.get("data") or []:
                found = (dataset.get("extras") or {}).get(extra)
                if not dataset.get("deleted") and (found == value if value is not None else found):
                    return self.get(f"datasets/{dataset['id']}/") or dataset
            page = page + 1 if answer.get("next_page") else 0
        return None

    def upload(self, path: str, file: Path, name: str) -> dict:
        """Send `file` (as `name`) to an upload address; in parts beyond UPLOAD_PART_BYTES. The resource answered."""
        size = file.stat().st_size
        if self.recorder is not None:
            parts = max(1, math.ceil(size / UPLOAD_PART_BYTES))
            return self.recorder.answer(Call("POST", path, None, {"name": name, "size": size, "parts": parts}))
        if size <= UPLOAD_PART_BYTES:
            body, content_type = multipart({}, name, file.read_bytes())
            return self._call("POST", path, body, content_type)
        parts, token = math.ceil(size / UPLOAD_PART_BYTES), str(uuid.uuid4())
        with file.open("rb") as stream:
            for index in range(parts):
                chunk = stream.read(UPLOAD_PART_BYTES)
                fields = {"uuid": token, "filename": name, "partindex": str(index),
                          "partbyteoffset": str(index * UPLOAD_PART_BYTES), "totalparts": str(parts),
                          "chunksize": str(len(chunk))}
                body, content_type = multipart(fields, name, chunk)
                self._call("POST", path, body, content_type)
        body, content_type = multipart({"uuid": token, "filename": name, "totalparts": str(parts)}, None, b"")
        return self._call("POST", path, body, content_type)

    def _call(self, method: str, path: str, body: bytes | None = None, content_type: str = JSON, *,
              missing_ok: bool = False, record: Any = None) -> Any:
        if self.recorder is not None:
            return self.recorder.answer(Call(method, path, record))
        from ..fetch import FetchError
        from ..fetch.network import RetryPolicy, download

        url = self.base_url + path
        # a POST is not sent twice (it could create twice); reads, updates and deletes may be retried
        retry = RetryPolicy(attempts=1) if method == "POST" else RetryPolicy(attempts=3, max_total_wait_s=30)
        settings = self.settings
        try:
            response = download(url, mirror=settings.mirror_url if settings else "", retry=retry,
                                headers={"X-API-KEY": self.key, "Accept": JSON}, body=body,
                                content_type=content_type, method=method, feedback=self.feedback,
                                timeout_s=settings.timeout_s if settings else 60)
        except FetchError as error:
            raise PublishError(tr("{method} {url} : {error}").format(method=method, url=url, error=error)) from error
        try:
            if response.status == 404 and missing_ok:
                return None
            if response.status >= 400:
                raise PublishError(status_message(method, url, response.status, response.error_body),
                                   response.status)
            if response.body_path is None or response.status == 204:
                return None
            text = response.body_path.read_bytes().decode("utf-8", "replace")
            return json.loads(text) if text.strip() else None
        except ValueError as error:
            raise PublishError(tr("La réponse de {url} n'est pas du JSON ({error}).").format(url=url,
                                                                                            error=error)) from error
        finally:
            response.discard()


def status_message(method: str, url: str, status: int, body: bytes) -> str:
    """One French sentence for an error status of the API (its own message kept, shortened)."""
    detail = body.decode("utf-8", "replace")[:300].strip()
    try:
        data = json.loads(detail) if detail.startswith("{") else {}
        detail = str(data.get("message") or data.get("errors") or data.get("error") or detail)[:300]
    except ValueError:
        pass
    if status == 401:
        text = tr("La clé d'API a été refusée par {url} ({detail}) : vérifiez-la (profil data.gouv.fr › Clé d'API) "
                  "et la configuration d'authentification choisie dans les options.")
    elif status == 403:
        text = tr("Le compte de la clé d'API n'a pas le droit d'écrire ici ({url}, {detail}) : il doit être membre de "
                  "l'organisation.")
    elif status == 404:
        text = tr("{url} n'existe pas sur la plateforme ({detail}) : vérifiez l'organisation choisie.")
    elif status == 413:
        text = tr("La plateforme refuse un fichier trop gros ({url}, {detail}) : publiez moins de couches à la fois.")
    else:
        text = tr("La plateforme a répondu {status} à {method} {url} ({detail}) ; réessayez plus tard.")
    return text.format(url=url, detail=detail or "—", status=status, method=method)


def multipart(fields: dict[str, str], filename: str | None, data: bytes) -> tuple[bytes, str]:
    """A multipart/form-data body: `fields`, then the file part `file` when `filename` is given."""
    boundary = "donnees-territoires-" + uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    if filename is not None:
        safe = filename.replace('"', "_")
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{safe}"\r\n'
                     "Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
