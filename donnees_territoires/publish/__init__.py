"""Publish: a package as an open dataset on data.gouv.fr (API v1), idempotently, with a dry run."""
