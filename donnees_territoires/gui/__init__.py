"""Widgets only: the dock, the options page; no business logic lives here."""
