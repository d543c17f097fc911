"""The guard for Python code that Qt calls (slots, task callbacks, virtual overrides): no exception escapes to Qt."""

from __future__ import annotations

import functools
import time
import traceback
from collections.abc import Callable

from qgis.PyQt.QtCore import QCoreApplication, QThread

from ..__about__ import __uri_tracker__
from . import log
from .i18n import tr

#: the same sentence reaches the message bar at most once in this many seconds (a failing layout or
#: event override is called again and again); the log keeps every occurrence with its traceback
REPEAT_S = 30.0
_last_shown: dict[str, float] = {}
_CO_VARARGS = 0x04  # inspect.CO_VARARGS


def on_main_thread() -> bool:
    """True in the GUI thread: the only one allowed to touch a widget, iface or the message bar."""
    app = QCoreApplication.instance()
    return app is not None and QThread.currentThread() == app.thread()


def unexpected(action: str) -> str:
    """The one sentence the user reads when `action` (a French noun phrase) failed on a bug."""
    return tr("Erreur inattendue pendant {action} : le détail est dans le journal des messages, onglet "
              "« Données et territoires ». Réessayez ; si l'erreur revient, signalez-la sur {tracker} en "
              "joignant ce détail.").format(action=tr(action), tracker=__uri_tracker__)


def report_exception(sentence: str, *, show: bool = True) -> str:
    """From an `except` block: log `sentence` with the traceback, show it (main thread only), return it.

    The returned sentence can also go to a status label of the caller, or a dialog (show=False: the
    caller says it itself, the message bar would say it twice).
    """
    now = time.monotonic()
    show = show and on_main_thread() and now - _last_shown.get(sentence, now - REPEAT_S) >= REPEAT_S
    if show:
        _last_shown[sentence] = now
    details = traceback.format_exc()
    try:
        log.critical(sentence, push=show, details=details)
    except Exception:  # noqa: BLE001 - the message bar itself failed (being destroyed): the log only
        log.critical(sentence, details=details)
    return sentence


def _positional_capacity(function: Callable) -> int | None:
    """How many positional arguments `function` takes (None: any number, or unknown).

    Read from the code object rather than with `inspect`, which the plugin's start-up need not import.
    """
    code = getattr(function, "__code__", None)
    if code is None or code.co_flags & _CO_VARARGS:
        return None
    bound = hasattr(function, "__func__") and getattr(function, "__self__", None) is not None
    return code.co_argcount - (1 if bound else 0)


def guarded(action: str, default=None):
    """Decorate a function or method that Qt calls, so that an exception in it never reaches Qt.

    On PyQt 5.15 (QGIS ≥ 3.40) an exception escaping a slot or a virtual override aborts the
    interpreter; in QGIS Desktop it opens the Python error dialog. Here it is logged with its
    traceback and the user reads one sentence saying that `action` failed (in the message bar when
    on the main thread; a task thread only logs). The call then returns `default` (what the Qt
    signature expects: None, False, -1…). KeyboardInterrupt and SystemExit go through.

    `action` is a French noun phrase written `tr("l'ajout du territoire")` so that
    scripts/translations.py collects it; it is translated again at failure time, because a module
    may be imported before the plugin installs its translator.

    Like PyQt itself, the guard drops the trailing signal arguments the function does not take
    (`clicked(bool)` calling `run(self)`): PyQt retries a slot with fewer arguments only when the
    TypeError comes from the call itself, which a wrapper would hide.
    """
    def decorate(function: Callable) -> Callable:
        capacity = _positional_capacity(function)

        @functools.wraps(function)
        def guard(*args, **kwargs):
            if capacity is not None and len(args) > capacity:
                args = args[:capacity]
            try:
                return function(*args, **kwargs)
            except Exception:  # noqa: BLE001 - nothing may escape to Qt: said in one sentence, logged in full
                report_exception(unexpected(action))
                return default

        guard.guarded_action = action
        return guard

    return decorate
