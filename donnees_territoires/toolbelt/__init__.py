"""Cross-cutting helpers: logger, settings, translation."""
