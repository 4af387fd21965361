"""Build time, index size and query latency of the embedded search index (pipeline/search).

    python bench/bench_search.py /tmp/vietnews_annotated.jsonl            # build + 200 queries
    python bench/bench_search.py ANNOTATED.jsonl --regenerate-queries    # rewrite bench/search_queries.txt

ANNOTATED.jsonl is `vnpipe run` output, e.g. the 3,013 vietnews articles:
    vnpipe run ../shared/data/vietnews_gov/articles.jsonl --workers 1 -o /tmp/vietnews_annotated.jsonl

- build: `build_index` into a fresh file, --builds times (median); wall seconds and documents/s, CPU
  seconds of the main process and of the helper processes (--workers N > 1), file size.
- queries: bench/search_queries.txt (kind TAB query [TAB expected name]), generated once from
  an index of that file and then fixed: top people, places, offices and organisations as written and
  folded (no diacritics, lower case), ten hand-written topics, and names with one letter changed.  Each query
  runs once to warm up, then --rounds times; p50/p95 are over all timed runs (ms, in-process, one
  connection, `search(..., limit=10)` including snippets).
- typo recall: share of one-typo queries whose top 10 hits include a document mentioning the
  intended name, with the trigram fuzzy match on and off (fuzzy_min_length huge).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipeline.search import Searcher, Settings, build_index, key  # noqa: E402
from pipeline.search.schema import open_index  # noqa: E402

QUERIES = REPO / "bench" / "search_queries.txt"
# Written by hand (not taken from the articles): common subjects of government news.
TOPICS = ["chuyển đổi số", "nông thôn mới", "cải cách hành chính", "phòng chống tham nhũng", "an toàn giao thông",
          "bảo vệ môi trường", "xoá đói giảm nghèo", "thi đua yêu nước", "phòng chống dịch", "giải phóng mặt bằng"]


def bench_build(path: Path, db: Path, builds: int, workers: int) -> dict:
    walls, mains, helpers = [], [], []
    for _ in range(builds):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        wall, main, children = time.perf_counter(), time.process_time(), _children_cpu()
        stats = build_index([path], db, workers=workers)
        walls.append(time.perf_counter() - wall)
        mains.append(time.process_time() - main)
        helpers.append(_children_cpu() - children)  # the helper process, counted once it has exited
    wall, main, helper = statistics.median(walls), statistics.median(mains), statistics.median(helpers)
    return {"documents": stats.documents, "entities": stats.entities, "workers": workers,
            "wall_s": round(wall, 2), "docs_per_s_wall": round(stats.documents / wall),
            "main_cpu_s": round(main, 2), "helper_cpu_s": round(helper, 2),
            "docs_per_s_main_cpu": round(stats.documents / main), "walls": [round(w, 2) for w in walls],
            "db_mb": round(db.stat().st_size / 1e6, 1), "input_mb": round(path.stat().st_size / 1e6, 1)}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def one_typo(name: str, seed: int) -> str | None:
    """``name`` with one letter replaced, dropped or doubled (deterministic), or None if too short."""
    letters = [i for i, c in enumerate(name) if c.isalpha()]
    if len(key(name)) < 8 or len(letters) < 6:
        return None
    i = letters[len(letters) // 2 + seed % 3 - 1]
    kind = seed % 3
    if kind == 0:
        swap = "t" if name[i].lower() != "t" else "n"
        return name[:i] + swap + name[i + 1:]
    if kind == 1:
        return name[:i] + name[i + 1:]
    return name[:i] + name[i] + name[i:]


def generate_queries(db: Path) -> list[tuple[str, ...]]:
    conn = open_index(db)
    top = lambda sql, n: [r[0] for r in conn.execute(sql, (n,))]  # noqa: E731
    people = top("SELECT n.display FROM people p JOIN names n ON n.id = p.name GROUP BY p.name "
                 "ORDER BY count(DISTINCT p.doc) DESC, n.key LIMIT ?", 60)
    places = top("SELECT min(admin_name) FROM places WHERE code IS NOT NULL GROUP BY code "
                 "ORDER BY count(DISTINCT doc) DESC, code LIMIT ?", 30)
    offices = top("SELECT n.display FROM entities e JOIN names n ON n.id = e.head GROUP BY e.head "
                  "ORDER BY count(DISTINCT e.doc) DESC, n.key LIMIT ?", 20)
    orgs = top("SELECT n.display FROM entities e JOIN names n ON n.id = e.name WHERE e.label = 'ORGANIZATION' "
               "GROUP BY e.name ORDER BY count(DISTINCT e.doc) DESC, n.key LIMIT ?", 20)
    queries: list[tuple[str, ...]] = []
    queries += [("person", p) for p in people[:30]] + [("person_folded", key(p)) for p in people[30:60]]
    queries += [("place", p) for p in places[:20]] + [("place_folded", key(p)) for p in places[20:30]]
    queries += [("office", o) for o in offices[:20]]
    queries += [("organization", o) for o in orgs[:10]] + [("organization_folded", key(o)) for o in orgs[10:20]]
    queries += [("topic", t) for t in TOPICS]
    typos = [(name, one_typo(name, seed)) for seed, name in enumerate(people + places)]
    queries += [("typo", typo, name) for name, typo in typos if typo][: 200 - len(queries)]
    conn.close()
    return queries


def read_queries() -> list[list[str]]:
    return [line.rstrip("\n").split("\t") for line in QUERIES.read_text(encoding="utf-8").splitlines() if line]


def bench_queries(db: Path, queries: list[list[str]], rounds: int) -> dict:
    searcher = Searcher(open_index(db))
    times: list[float] = []
    cpu_times: list[float] = []  # CPU seconds of this process: what other jobs on the machine do not inflate
    for query in queries:  # warm-up: page cache and Python caches
        searcher.search(query[1])
    for _ in range(rounds):
        for query in queries:
            start, cpu = time.perf_counter(), time.process_time()
            searcher.search(query[1], limit=10)
            times.append((time.perf_counter() - start) * 1000)
            cpu_times.append((time.process_time() - cpu) * 1000)
    q = statistics.quantiles(times, n=100)
    c = statistics.quantiles(cpu_times, n=100)
    return {"queries": len(queries), "runs": len(times), "p50_ms": round(q[49], 2), "p95_ms": round(q[94], 2),
            "p99_ms": round(q[98], 2), "max_ms": round(max(times), 2), "mean_ms": round(statistics.fmean(times), 2),
            "cpu_p50_ms": round(c[49], 2), "cpu_p95_ms": round(c[94], 2)}


def typo_recall(db: Path, queries: list[list[str]]) -> dict:
    conn = open_index(db)
    result = {}
    for label, settings in (("fuzzy", Settings.load()), ("exact", replace(Settings.load(), fuzzy_min_length=10**6))):
        searcher = Searcher(conn, settings)
        typos = [q for q in queries if q[0] == "typo"]
        found = 0
        for _, typo, name in typos:
            hits = searcher.search(typo, limit=10)
            found += any(key(name) in {key(e["text"]) for e in h.entities} or
                         f" {key(name)} " in f" {key(h.snippet)} " for h in hits)
        result[label] = f"{found}/{len(typos)}"
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("annotated", type=Path)
    parser.add_argument("--db", type=Path, default=None, help="index file (default: a temporary one)")
    parser.add_argument("--builds", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=1, help="index build processes (as vnpipe index build --workers)")
    parser.add_argument("--regenerate-queries", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "search.sqlite"
        build = bench_build(args.annotated, db, args.builds, args.workers)
        if args.regenerate_queries or not QUERIES.exists():
            QUERIES.write_text("".join("\t".join(q) + "\n" for q in generate_queries(db)), encoding="utf-8")
        queries = read_queries()
        result = {"machine": f"{os.cpu_count()} cores {platform.machine()}, Python {platform.python_version()}, "
                             f"SQLite {__import__('sqlite3').sqlite_version}, "
                             f"load average {os.getloadavg()[0]:.1f} before, {{after}} after",
                  "build": build, "latency": bench_queries(db, queries, args.rounds),
                  "typo_recall": typo_recall(db, queries)}
        result["machine"] = result["machine"].replace("{after}", f"{os.getloadavg()[0]:.1f}")
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
