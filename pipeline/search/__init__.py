"""Embedded search over annotated documents: a SQLite file with FTS5.

    from pipeline.search import build_index, search, facets, Filters
    build_index(["out.jsonl"], "search.sqlite")
    for hit in search("search.sqlite", "ngo duc trong", Filters(place="Đắk Nông")):
        print(hit.id, hit.score, hit.snippet)

See docs/search.md.
"""
from .build import IndexStats, build_index
from .fold import fold, key
from .query import Filters, Hit, Searcher, Settings, facets, search

__all__ = ["IndexStats", "build_index", "fold", "key", "Filters", "Hit", "Searcher", "Settings", "facets", "search"]
