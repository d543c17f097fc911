"""get_features(): every page of a query — the first alone, the others in a thread pool — counts checked."""

from __future__ import annotations

import shutil
import tempfile
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path

from qgis.core import QgsFeedback
from qgis.PyQt.QtCore import QCoreApplication, QEventLoop, Qt

from ...toolbelt import log
from ...toolbelt.i18n import tr
from ...toolbelt.settings import Settings
from ...toolbelt.settings import current as current_settings
from ...toolbelt.slots import on_main_thread
from ..cache import safe_file_name
from ..errors import FetchCanceledError, WfsError, WfsIncompleteError
from ..network import RetryPolicy, mirrored_url
from .describe import describe_feature_type
from .merge import WfsResult, merge_pages
from .page import MAX_GET_URL_CHARS, PageOutcome, PageRequest, PagingPlan, fetch_page, short_page_error
from .query import WfsQuery
from .rate_limit import RateLimiter, rate_limiter_for

#: most features one GetFeature page of the Géoplateforme holds
SERVER_MAX_COUNT = 5000
DEFAULT_WORKERS = 4
#: how often the thread waiting for the pages looks at its feedback (and, on the main thread, at
#: its events)
_POLL_S = 0.05


def get_features(query: WfsQuery, dest: str | Path, *, page_size: int = SERVER_MAX_COUNT,
                 max_workers: int = DEFAULT_WORKERS, settings: Settings | None = None,
                 feedback: QgsFeedback | None = None, authcfg: str = "",
                 retry: RetryPolicy | None = None, max_age_s: float | None = None,
                 limiter: RateLimiter | None = None,
                 max_get_chars: int = MAX_GET_URL_CHARS) -> WfsResult:
    """Every feature of `query`, page by page, merged into the GeoJSON file `dest` (a file, or an
    existing folder that receives `<layer>.geojson`).

    - The first page tells numberMatched; the others are fetched by `max_workers` threads, each
      request waiting for `limiter` (default: shared per host, under the Géoplateforme's limit).
    - If the server serves fewer features per page than `page_size` (its cap), the pages follow
      its size. Any other shortfall — a page shorter than it must be, numberReturned not matching
      the features, a total below numberMatched, a count changing between pages — is a
      WfsIncompleteError: a truncated layer is never written.
    - A request whose URL would exceed `max_get_chars` is sent as a POST form (see network.download
      for the mirror).
    - Pages go through fetch(): cache, offline mode, mirror, retries; `max_age_s` is passed on.
    - `dest` is written under a temporary name, then renamed: on error or cancel nothing is left.
    Call it from a QgsTask or a Processing algorithm: it blocks until every page has arrived.
    """
    if page_size < 1:
        raise ValueError("page_size must be at least 1")
    settings = settings or current_settings()
    dest = Path(dest)
    if dest.is_dir():
        dest = dest / f"{safe_file_name(query.layer_name, 'wfs')}.geojson"
    geometry_column = _geometry_column(query, settings, feedback, authcfg, retry, limiter)
    params = query.params(geometry_column)
    dest.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    plan = PagingPlan(query, params, settings, authcfg, retry, max_age_s,
                      limiter or rate_limiter_for(mirrored_url(query.endpoint, settings.mirror_url)),
                      max_get_chars, work, keep_ids=not query.sort_by)
    # one feedback for every page: canceled by the caller's, or by the first failing page
    inner = QgsFeedback()
    if feedback is not None:
        # direct: cancel() may come from the GUI thread while this one waits for the pages
        feedback.canceled.connect(inner.cancel, Qt.ConnectionType.DirectConnection)
    try:
        outcomes = _fetch_all(plan, page_size, max_workers, feedback, inner)
        result = merge_pages(plan, outcomes, dest, geometry_column)
    except FetchCanceledError:
        if feedback is not None and feedback.isCanceled():
            raise _canceled(plan) from None
        raise
    except WfsError:
        plan.forget_pages()
        raise
    finally:
        inner.cancel()
        if feedback is not None:
            feedback.canceled.disconnect(inner.cancel)
        shutil.rmtree(work, ignore_errors=True)
    if feedback is not None:
        feedback.setProgress(100)
    return result


def _geometry_column(query: WfsQuery, settings: Settings, feedback: QgsFeedback | None, authcfg: str,
                     retry: RetryPolicy | None, limiter: RateLimiter | None) -> str:
    """The geometry column the filter names, from DescribeFeatureType; "" when the filter needs none."""
    if not query.needs_geometry_column:
        return ""
    geometry_column = describe_feature_type(query.typename, query.service_url, settings=settings,
                                            feedback=feedback, authcfg=authcfg, retry=retry,
                                            limiter=limiter).geometry_column
    if not geometry_column:
        raise WfsError(tr("La couche {layer} n'a pas de géométrie d'après sa description : elle "
                          "ne peut pas être filtrée par emprise ou par contour.").format(
            layer=query.typename), query.endpoint, query.typename)
    return geometry_column


def _fetch_all(plan: PagingPlan, page_size: int, max_workers: int, feedback: QgsFeedback | None,
               inner: QgsFeedback) -> list[PageOutcome]:
    typename = plan.query.typename
    _check_canceled(feedback, plan)
    first = fetch_page(plan, plan.request(0, page_size, None), inner)
    _check_canceled(feedback, plan)
    matched = first.matched
    if matched is None:
        log.warning(tr("La couche {layer} n'indique pas son nombre total d'objets (numberMatched) : "
                       "les pages sont lues l'une après l'autre jusqu'à une page vide, sans "
                       "pouvoir vérifier que rien ne manque ({url}).").format(
            layer=typename, url=first.request.label))
        return _fetch_sequentially(plan, first, page_size, feedback, inner)
    if first.returned > matched:
        raise WfsIncompleteError(tr("Réponse WFS incohérente pour la couche {layer} : {received} "
                                    "objet(s) reçu(s) pour {expected} annoncé(s) (numberMatched) "
                                    "({url}) ; rien n'a été écrit, relancez.").format(
            layer=typename, received=first.returned, expected=matched, url=first.request.label),
            first.download.final_url, typename, expected=matched, received=first.returned)
    step = page_size
    if first.returned < min(page_size, matched):
        if first.returned == 0:
            raise short_page_error(typename, plan.request(0, page_size, min(page_size, matched)), 0,
                                   first.download.final_url)
        # WFS 2.0 lets a server serve fewer features than COUNT (its own maximum): follow it; the
        # counts of every page and the total are still checked against numberMatched
        step = first.returned
        log.info(tr("Le service limite les pages de la couche {layer} à {count} objets : les pages "
                    "suivantes sont demandées à cette taille.").format(layer=typename, count=step))
    requests = [plan.request(start, step, min(step, matched - start))
                for start in range(first.returned, matched, step)]
    if requests and not plan.query.sort_by:
        log.warning(tr("Aucun champ de tri (SORTBY) pour la couche {layer} : sans ordre stable, les "
                       "pages peuvent se chevaucher ; précisez un champ unique dans le catalogue."
                       ).format(layer=typename))
    total_pages = 1 + len(requests)
    if feedback is not None:
        feedback.setProgress(100.0 / total_pages)
    outcomes = [first] + _run_pages(plan, requests, max_workers, feedback, inner, total_pages)
    _check_counts(plan, outcomes, matched)
    return outcomes


def _check_counts(plan: PagingPlan, outcomes: list[PageOutcome], matched: int) -> None:
    """WfsIncompleteError when a page announces another total, or the pages together miss some."""
    typename = plan.query.typename
    first = outcomes[0]
    for outcome in outcomes[1:]:
        if outcome.matched is not None and outcome.matched != matched:
            raise WfsIncompleteError(tr("Les données de la couche {layer} ont changé pendant le "
                                        "téléchargement ({first} objets annoncés au début, {now} "
                                        "ensuite, {url}) : les pages ne concordent plus ; rien n'a "
                                        "été écrit, relancez.").format(
                layer=typename, first=matched, now=outcome.matched, url=outcome.request.label),
                outcome.download.final_url, typename, expected=matched, received=outcome.matched)
    received = sum(outcome.returned for outcome in outcomes)
    if received != matched:
        raise WfsIncompleteError(tr("Résultat WFS incomplet pour la couche {layer} : {received} "
                                    "objet(s) reçu(s) sur {expected} annoncé(s) par le serveur "
                                    "(numberMatched) pour {url}. Rien n'a été écrit ; relancez, et "
                                    "si cela persiste réduisez la taille des pages ou l'emprise "
                                    "demandée.").format(layer=typename, received=received,
                                                        expected=matched, url=first.request.label),
                                 first.download.final_url, typename, expected=matched, received=received)


def _fetch_sequentially(plan: PagingPlan, first: PageOutcome, page_size: int,
                        feedback: QgsFeedback | None, inner: QgsFeedback) -> list[PageOutcome]:
    """Without numberMatched: the next page starts where the last one ended, until an empty one
    (a server capping pages below page_size is then followed, never mistaken for the end)."""
    outcomes = [first]
    while outcomes[-1].returned > 0:
        start = outcomes[-1].request.start + outcomes[-1].returned
        outcomes.append(fetch_page(plan, plan.request(start, page_size, None), inner))
        _check_canceled(feedback, plan)
    return outcomes


def _run_pages(plan: PagingPlan, requests: list[PageRequest], max_workers: int,
               feedback: QgsFeedback | None, inner: QgsFeedback,
               total_pages: int) -> list[PageOutcome]:
    """Fetch `requests` in worker threads; the first error (or a cancel) stops them all.

    Each worker thread gets its own QgsNetworkAccessManager (QGIS makes one per thread, with the
    user's proxy and SSL settings). This thread only waits. When it is the main thread — never in
    the plugin's own GUI, which runs everything in tasks, but under qgis_process, with
    processing.run() from the Python console or a script, and in the tests — it keeps processing
    events (user input excluded, as the first page's own event loop does): a worker's SSL error or
    authentication request is handled by the main thread's network manager while the worker blocks
    until it is answered, so a main thread that only waited would hang both.
    """
    if not requests:
        return []
    main_thread = on_main_thread()
    outcomes: dict[int, PageOutcome] = {}
    with ThreadPoolExecutor(max_workers=max(1, min(max_workers, len(requests))),
                            thread_name_prefix="wfs-page") as pool:
        futures: dict[Future, PageRequest] = {
            pool.submit(fetch_page, plan, request, inner): request for request in requests}
        pending = set(futures)
        try:
            while pending:
                done, pending = wait(pending, timeout=_POLL_S, return_when=FIRST_COMPLETED)
                for future in done:
                    outcome = future.result()
                    outcomes[outcome.request.start] = outcome
                if feedback is not None:
                    feedback.setProgress(min(99.0, 100.0 * (1 + len(outcomes)) / total_pages))
                _check_canceled(feedback, plan)
                if main_thread:
                    QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        except BaseException:
            # stop the others before the pool waits for them: their exchanges poll this feedback
            inner.cancel()
            for future in pending:
                future.cancel()
            if main_thread:
                # the pool's exit would wait for them without processing events, while each one,
                # ending its download, waits for this thread to go through its event queue
                # (fetch/thread_objects.py): wait for them here, processing events
                while not all(future.done() for future in pending):
                    wait(pending, timeout=_POLL_S)
                    QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
            raise
    return [outcomes[start] for start in sorted(outcomes)]


def _check_canceled(feedback: QgsFeedback | None, plan: PagingPlan) -> None:
    if feedback is not None and feedback.isCanceled():
        raise _canceled(plan)


def _canceled(plan: PagingPlan) -> FetchCanceledError:
    return FetchCanceledError(tr("Téléchargement WFS annulé : couche {layer} ({url}). Rien n'a été "
                                 "écrit.").format(layer=plan.query.typename,
                                                  url=plan.query.endpoint), plan.query.endpoint)
