"""Every error vnpipe's library code raises.

Library functions raise these; only ``pipeline.cli`` turns them into a message
and an exit code. Each error carries an optional ``hint`` that tells the user
what to do next, in the manner of spaCy's CLI messages.
"""
from __future__ import annotations


class VnpipeError(Exception):
    """Base class: ``except VnpipeError`` catches everything vnpipe raises on purpose."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(VnpipeError):
    """The user asked for something that cannot work (bad option, missing file)."""

    exit_code = 2


class ConfigError(UsageError):
    """A config file is missing, unparsable, or names an unknown stage or setting."""


class InputNotFound(UsageError):
    """An input path or glob matched nothing."""


class ModelError(VnpipeError):
    """A shipped model or lexicon is missing or cannot be loaded."""


class DocumentError(VnpipeError):
    """One document could not be read or processed; the batch goes on without it.

    ``stage`` names where it failed ("read", "decode", "json", a stage name),
    so the errors file tells the user whether the input or vnpipe is to blame.
    """

    def __init__(self, message: str, stage: str = "read", hint: str | None = None):
        super().__init__(message, hint)
        self.stage = stage


class GoldFormatError(UsageError):
    """A gold file for ``vnpipe evaluate`` is not in the format it was said to be."""


class UnknownFormat(UsageError):
    """``vnpipe corpus import`` was given a format it has no reader for."""


class LabelMapError(UsageError):
    """A ``--label-map`` is not ``FROM=TO,...``."""


class IndexNotFound(UsageError):
    """``vnpipe search`` was pointed at a search index file that does not exist."""


class NotAnIndex(UsageError):
    """The file given as a search index is not one vnpipe built (or was built by an incompatible version)."""


class SearchQueryError(UsageError):
    """A search query or filter that cannot be run."""


class IndexBusy(VnpipeError):
    """Another process holds the search index's write lock."""


class MissingDependency(UsageError):
    """An optional feature needs a package that is not installed (``hint`` says which extra)."""


class OutputError(VnpipeError):
    """The output or errors file could not be written (disk full, permissions); the run stops resumably."""


class EngineError(VnpipeError):
    """The parallel engine failed in a way its retries could not fix (a lost cluster, a task that kept failing)."""
