"""Shared by the scripts that run inside a real QGIS Desktop (qgis --code): what they record alike."""

import traceback


def watch_guards(guarded: list) -> None:
    """Record in `guarded` each exception a guarded slot of the plugin catches (tests/qgis/conftest.py
    does so in-process).

    Called again after a reload: unloading the plugin drops its modules, the new ones need watching too.
    """
    from donnees_territoires.toolbelt import slots

    report = slots.report_exception
    if getattr(report, "watched", False):
        return

    def recording(sentence, **kwargs):
        guarded.append(f"{sentence}\n{traceback.format_exc()}")
        return report(sentence, **kwargs)

    recording.watched = True
    slots.report_exception = recording
