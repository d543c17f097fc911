"""A local data.gouv.fr API v1 (127.0.0.1 only) that checks each request as the platform's own forms do.

The rules are those of the platform's server code (udata, 2026): the key in `X-API-KEY` (401 « Invalid API
token » otherwise, on every write, and on a read when a wrong key is sent); a dataset needs a title (≤ 350
characters) and a description; `organization` is an id (or `{"id": …}`) of an organisation the key's user
belongs to; `license` and `frequency` come from the platform's lists; tags are 3 to 96 characters once
slugified; `temporal_coverage` has a `start`; `spatial.zones` are zone ids (`fr:commune:33063`…) and
`spatial.granularity` one of the platform's; `extras` keys never start with `custom:`. Fields the platform
does not know are refused here too (a typo would be silently dropped there). A file goes as the multipart
field `file`, whole or in parts (`uuid`, `partindex`, `totalparts`…, then a call without `file`).

A fault answers one request with an error status, or cuts its connection (status CUT, the request not handled;
ANSWER_CUT, handled but its answer lost): a network failure, no HTTP answer at all.
"""

import hashlib
import json
import re
import secrets
import socket
import struct
import time
import unicodedata
import uuid

from werkzeug import Request, Response

KEY = "cle-de-test-valide"
LICENSES = {"lov2", "odc-odbl", "fr-lo", "notspecified", "odc-by", "odc-pddl", "cc-by", "cc-by-sa", "cc-zero"}
FREQUENCIES = {"unknown", "punctual", "continuous", "hourly", "daily", "weekly", "monthly", "quarterly", "semiannual",
               "annual", "irregular", "biweekly", "bimonthly", "biennial", "triennial", "quinquennial"}
GRANULARITIES = {"country-group", "country", "country-subset", "fr:region", "fr:departement", "fr:arrondissement",
                 "fr:commune", "fr:iris", "fr:canton", "fr:collectivite", "fr:epci", "poi", "other"}
ZONE = re.compile(r"^fr:(commune|epci|departement|region|arrondissement):[0-9AB]{2,9}$")
DATASET_FIELDS = {"title", "description", "organization", "license", "frequency", "tags", "temporal_coverage",
                  "spatial", "extras", "private", "acronym", "slug", "deleted"}
RESOURCE_FIELDS = {"title", "description", "type"}
#: the status of a fault that cuts the connection instead of answering, the request not handled
CUT = "cut"
#: the status of a fault that handles the request, then cuts the connection instead of answering (the answer lost)
ANSWER_CUT = "answer-cut"
#: how much of a cut request's body is read before the cut
CUT_READ_BYTES = 16 * 1024


def slugify(text):
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


class FakeDataGouv:
    """The API of one platform (prefix: /demo.data.gouv.fr/api/1 behind the test mirror)."""

    def __init__(self, prefix="/demo.data.gouv.fr/api/1", host="https://demo.data.gouv.fr"):
        self.prefix, self.host = prefix, host
        self.organisations = {"ot-bordeaux": {"id": "5f2a9c1e8b7d6a5f4e3d2c1b", "slug": "ot-bordeaux",
                                              "name": "Observatoire des territoires de Bordeaux"}}
        self.datasets = {}
        self.requests = []  # (method, path, json or field names)
        self.parts = {}
        #: faults: (method, path pattern, status[, skip[, times]]) → the status answered once, or CUT / ANSWER_CUT:
        #: the connection reset instead; `skip` matching requests go through first, then `times` are struck
        self.faults = []
        #: (method, path) of the requests whose connection was cut
        self.cuts = []
        #: seconds an upload takes to be answered (a slow link: time to cancel during it)
        self.upload_delay = 0.0

    def register(self, server):
        server.expect_request(re.compile(re.escape(self.prefix) + "/.*")).respond_with_handler(self)
        site = self.prefix.split("/api/1")[0]
        server.expect_request(re.compile(re.escape(site) + r"/fr/datasets/r/[0-9a-f-]{36}$")).respond_with_handler(
            self.stable_file)

    def stable_file(self, request: Request):
        """The stable address of a resource: its current file (the platform redirects to it)."""
        data = getattr(self, "files", {}).get(request.path.rsplit("/", 1)[1])
        if data is None:
            return self.answer({"message": "Not Found"}, 404)
        return Response(data, content_type="application/octet-stream")

    # -- dispatch ----------------------------------------------------------------
    def __call__(self, request: Request):
        path = request.path[len(self.prefix):]
        if self.fault(request.method, path, CUT):  # before the body is read: it is cut on its way
            return self.cut(request, path)
        self.requests.append((request.method, path, request.get_json(silent=True) if request.is_json else
                              sorted(request.form) + sorted(request.files)))
        if self.upload_delay and path.endswith("/upload/"):
            time.sleep(self.upload_delay)
        status = self.fault(request.method, path, "status")
        if status:
            return self.answer({"message": f"panne simulée {status}"}, status)
        response = self.route(request, path)
        if self.fault(request.method, path, ANSWER_CUT):  # handled, but its answer never leaves
            return self.cut(request, path)
        return response

    def route(self, request: Request, path: str):
        key = request.headers.get("X-API-KEY")
        if (request.method != "GET" or key is not None) and key != KEY:
            return self.answer({"message": "Invalid API token"}, 401)
        routes = [
            ("GET", r"^/organizations/([^/]+)/$", self.organisation),
            ("GET", r"^/organizations/([^/]+)/datasets/$", self.organisation_datasets),
            ("POST", r"^/datasets/$", self.create),
            ("GET", r"^/datasets/([0-9a-f]{24})/$", self.read),
            ("PUT", r"^/datasets/([0-9a-f]{24})/$", self.update),
            ("DELETE", r"^/datasets/([0-9a-f]{24})/$", self.delete),
            ("POST", r"^/datasets/([0-9a-f]{24})/upload/$", self.upload),
            ("POST", r"^/datasets/([0-9a-f]{24})/resources/([0-9a-f-]{36})/upload/$", self.upload),
            ("PUT", r"^/datasets/([0-9a-f]{24})/resources/([0-9a-f-]{36})/$", self.update_resource),
        ]
        for method, pattern, handler in routes:
            found = re.match(pattern, path)
            if found and method == request.method:
                return handler(request, *found.groups())
        return self.answer({"message": "Not Found"}, 404)

    def fault(self, method, path, kind):
        """The first fault of this kind (CUT, ANSWER_CUT, or "status" for the others) matching the request, used
        up; None when none does. A fault `(method, pattern, status, skip, times)` lets its first `skip` matches
        through, then strikes `times` matching requests in a row (a link that stays down); both are optional (0
        and 1)."""
        for index, (fault_method, pattern, status, *more) in enumerate(self.faults):
            if fault_method != method or (status if status in (CUT, ANSWER_CUT) else "status") != kind:
                continue
            if not re.search(pattern, path):
                continue
            skip, times = (list(more) + [0, 1][len(more):])[:2]
            if skip > 0:
                self.faults[index] = (fault_method, pattern, status, skip - 1, times)
                return None
            if times > 1:
                self.faults[index] = (fault_method, pattern, status, 0, times - 1)
            else:
                del self.faults[index]
            return status
        return None

    def cut(self, request: Request, path: str):
        """Reset the request's connection, the start of its body read (CUT_READ_BYTES; all of it when the request
        was handled): the client gets no answer at all. This server goes on serving the next connections."""
        self.cuts.append((request.method, path))
        request.stream.read(CUT_READ_BYTES)
        connection = request.environ["werkzeug.socket"]
        # no lingering: the kernel resets the connection (RST) when it is closed
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        # both ways shut at once: the client reads the end of the stream. The server's own handler, writing the
        # answer below, meets a broken pipe (a dropped connection, which it does not log) and reads no further
        # request on it, then closes it (the reset). The socket is not closed here: its descriptor is the handler's.
        connection.shutdown(socket.SHUT_RDWR)
        return Response(status=599)

    @staticmethod
    def answer(body, status=200):
        return Response(json.dumps(body), status=status, content_type="application/json")

    # -- organisations ----------------------------------------------------------------
    def _organisation(self, ref):
        return next((o for o in self.organisations.values() if ref in (o["id"], o["slug"])), None)

    def organisation(self, _request, ref):
        found = self._organisation(ref)
        return self.answer(found) if found else self.answer({"message": "Not Found"}, 404)

    def organisation_datasets(self, request, ref):
        found = self._organisation(ref)
        if not found:
            return self.answer({"message": "Not Found"}, 404)
        page, size = int(request.args.get("page", 1)), int(request.args.get("page_size", 20))
        mine = [d for d in self.datasets.values() if d["organization"]["id"] == found["id"]]
        chunk = mine[(page - 1) * size:page * size]
        following = f"{self.host}/api/1/organizations/{ref}/datasets/?page={page + 1}" if page * size < len(mine) \
            else None
        return self.answer({"data": chunk, "page": page, "page_size": size, "total": len(mine),
                            "next_page": following})

    # -- datasets ----------------------------------------------------------------
    def problems(self, body, creating):
        errors = {}
        if not isinstance(body, dict):
            return {"": ["le corps doit être un objet JSON"]}
        unknown = set(body) - DATASET_FIELDS
        if unknown:
            errors["unknown"] = sorted(unknown)
        if creating or "title" in body:
            if not str(body.get("title") or "").strip() or len(body.get("title", "")) > 350:
                errors["title"] = ["requis, 350 caractères au plus"]
        if creating or "description" in body:
            if not str(body.get("description") or "").strip():
                errors["description"] = ["requis"]
        if "organization" in body:
            ref = body["organization"]["id"] if isinstance(body["organization"], dict) else body["organization"]
            if self._organisation(ref) is None or ref != self._organisation(ref)["id"]:
                errors["organization"] = ["organisation inconnue, ou la clé n'en est pas membre"]
        if "license" in body and body["license"] not in LICENSES:
            errors["license"] = [f"licence inconnue : {body['license']}"]
        if "frequency" in body and body["frequency"] not in FREQUENCIES:
            errors["frequency"] = [f"fréquence inconnue : {body['frequency']}"]
        for tag in body.get("tags") or []:
            if not 3 <= len(slugify(tag)) <= 96:
                errors.setdefault("tags", []).append(tag)
        if "temporal_coverage" in body and not isinstance((body["temporal_coverage"] or {}).get("start"), str):
            errors["temporal_coverage"] = ["start requis"]
        spatial = body.get("spatial")
        if spatial is not None:
            if spatial.get("granularity") not in GRANULARITIES:
                errors["spatial.granularity"] = [str(spatial.get("granularity"))]
            if not all(isinstance(zone, str) and ZONE.match(zone) for zone in spatial.get("zones") or []):
                errors["spatial.zones"] = spatial.get("zones")
        if any(str(key).startswith("custom:") for key in body.get("extras") or {}):
            errors["extras"] = ["clé custom: réservée"]
        return errors

    def create(self, request):
        body = request.get_json(silent=True)
        if "application/json" not in request.headers.get("Content-Type", ""):
            return self.answer({"message": "JSON attendu"}, 400)
        errors = self.problems(body, creating=True)
        if errors:
            return self.answer({"errors": errors}, 400)
        dataset_id = secrets.token_hex(12)
        slug = slugify(body["title"])
        dataset = {"license": "notspecified", "frequency": "unknown", "private": False, "extras": {}, "tags": [],
                   **body, "id": dataset_id, "slug": slug, "page": f"{self.host}/fr/datasets/{slug}/",
                   "organization": self._organisation(body["organization"] if isinstance(body["organization"], str)
                                                      else body["organization"]["id"]),
                   "resources": [], "deleted": None}
        self.datasets[dataset_id] = dataset
        return self.answer(dataset, 201)

    def _dataset(self, dataset_id):
        dataset = self.datasets.get(dataset_id)
        if dataset is None:
            return None, self.answer({"message": "Not Found"}, 404)
        if dataset["deleted"]:
            return None, self.answer({"message": "Ce jeu de données a été supprimé"}, 410)
        return dataset, None

    def read(self, _request, dataset_id):
        dataset, error = self._dataset(dataset_id)
        return error or self.answer(dataset)

    def update(self, request, dataset_id):
        dataset, error = self._dataset(dataset_id)
        if error:
            return error
        body = request.get_json(silent=True)
        errors = self.problems(body, creating=False)
        if errors:
            return self.answer({"errors": errors}, 400)
        dataset.update({k: v for k, v in body.items() if k != "organization"})
        return self.answer(dataset)

    def delete(self, _request, dataset_id):
        dataset, error = self._dataset(dataset_id)
        if error:
            return error
        dataset["deleted"] = "2026-12-06T12:00:00"
        return Response(status=204)

    # -- resources ----------------------------------------------------------------
    def upload(self, request, dataset_id, resource_id=None):
        dataset, error = self._dataset(dataset_id)
        if error:
            return error
        token = request.form.get("uuid")
        if token and "file" in request.files:  # one part of a file sent in parts
            self.parts.setdefault(token, {})[int(request.form["partindex"])] = request.files["file"].read()
            return self.answer({"success": True})
        if token:  # the last call of a file sent in parts
            chunks = self.parts.pop(token, {})
            if len(chunks) != int(request.form["totalparts"]):
                return self.answer({"success": False, "error": "parties manquantes"}, 400)
            data, name = b"".join(chunks[i] for i in sorted(chunks)), request.form["filename"]
        elif "file" in request.files:
            upload = request.files["file"]
            data, name = upload.read(), upload.filename
        else:
            return self.answer({"success": False, "error": "Missing file parameter"}, 400)
        resource = next((r for r in dataset["resources"] if r["id"] == resource_id), None) if resource_id else None
        if resource_id and resource is None:
            return self.answer({"message": "Not Found"}, 404)
        if resource is None:
            resource = {"id": str(uuid.uuid4()), "type": "main", "filetype": "file"}
            dataset["resources"].append(resource)
        resource.update(title=name, format=name.rsplit(".", 1)[-1], filesize=len(data),
                        checksum={"type": "sha1", "value": hashlib.sha1(data).hexdigest()},
                        url=f"{self.host}/fr/datasets/r/{resource['id']}",
                        latest=f"{self.host}/fr/datasets/r/{resource['id']}", sha256=hashlib.sha256(data).hexdigest())
        self.files = getattr(self, "files", {})
        self.files[resource["id"]] = data
        return self.answer(dict(resource, success=True), 200 if resource_id else 201)

    def update_resource(self, request, dataset_id, resource_id):
        dataset, error = self._dataset(dataset_id)
        if error:
            return error
        resource = next((r for r in dataset["resources"] if r["id"] == resource_id), None)
        if resource is None:
            return self.answer({"message": "Not Found"}, 404)
        body = request.get_json(silent=True) or {}
        if set(body) - RESOURCE_FIELDS:
            return self.answer({"errors": {"unknown": sorted(set(body) - RESOURCE_FIELDS)}}, 400)
        resource.update(body)
        return self.answer(resource)

    # -- for the tests ----------------------------------------------------------------
    def live(self):
        """The datasets not deleted, the organisation's catalog aside."""
        return [d for d in self.datasets.values() if not d["deleted"]
                and not (d.get("extras") or {}).get("donnees_territoires:catalogue")]

    def catalog(self):
        """The organisation's catalog file, decoded (None before any publication)."""
        for dataset in self.datasets.values():
            if not dataset["deleted"] and (dataset.get("extras") or {}).get("donnees_territoires:catalogue"):
                (resource,) = dataset["resources"]
                return resource, json.loads(self.files[resource["id"]])
        return None
