"""Exports of annotated documents for search engines (``vnpipe export ...``)."""
