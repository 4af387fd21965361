"""Throughput and memory of vnpipe against its peers, measured in the same run.

    python bench/bench_pipeline.py                      # first 300 vietnews articles
    python bench/bench_pipeline.py --repeat 3 --flat 3000 --write docs/performance.md  # its output block
    python bench/bench_pipeline.py --flat 3000          # also: memory and 2-worker scaling on 3,000 articles
    python bench/bench_pipeline.py --repeat 3           # the headline ratio from 3 interleaved pairs

Every system runs in its own fresh process, so peak RSS is its own. Speeds are
syllables/s over the same texts (syllables = runs of letters/digits, counted the
same way for everyone), and the ratios are against peers measured in this run,
never against remembered numbers.

- vnpipe run (whole process): `vnpipe run FILE -o OUT --workers N`, wall time
  including interpreter start-up and model loading; once more with
  `--ner-model models/ner_fast` (the smaller NER model) when it is there.
- vnpipe steady state: in-process `nlp.pipe` + JSON serialisation after warm-up.
- underthesea word_tokenize / pyvi: called on each paragraph (line) of each
  article, after warm-up, as a user would.

The headline figure, `vnpipe run --workers 1` against underthesea `ner`, is measured
in adjacent pairs (underthesea, then vnpipe): on a shared or virtual machine the speed
of both drifts by several percent within minutes, and a pair sees the same drift.
With `--repeat K` there are K pairs; the table shows the median pair and the spread.
"""
from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "vietnews_gov" / "articles.jsonl"


def load_texts(path: Path, n: int) -> list[str]:
    texts = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            texts.append(json.loads(line)["text"])
            if len(texts) == n:
                break
    return texts


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- one measurement, run inside a fresh process -------------------------------------------

def make_system(system: str):
    """(call, unit): a function to time, and whether it takes one paragraph or the whole list of texts."""
    if system == "underthesea_word_tokenize":
        from underthesea import word_tokenize

        return word_tokenize, "line"
    if system == "underthesea_ner":
        from underthesea import ner

        return ner, "line"
    if system == "pyvi":
        from pyvi import ViTokenizer

        return ViTokenizer.tokenize, "line"
    if system == "spacy_blank_vi":
        import spacy

        nlp = spacy.blank("vi")
        return lambda texts: deque(nlp.pipe(texts), maxlen=0), "all"
    if system.startswith("vnpipe_steady"):
        from pipeline import load

        nlp = load(stages=None if system == "vnpipe_steady" else [system.split(":", 1)[1]])
        return lambda texts: deque((doc.to_json() for doc in nlp.pipe(texts, batch_size=16)), maxlen=0), "all"
    raise SystemExit(f"unknown system {system}")


def measure_in_process(system: str, texts: list[str]) -> dict:
    from pipeline.syllables import count_syllables

    started = time.perf_counter()
    call, unit = make_system(system)
    call("khởi động" if unit == "line" else ["khởi động"])  # warm-up: lazy model loading
    startup = time.perf_counter() - started
    t0 = time.perf_counter()
    if unit == "line":
        for line in (line for text in texts for line in text.split("\n") if line.strip()):
            call(line)
    else:
        call(texts)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "startup": startup, "syllables": sum(count_syllables(t) for t in texts),
            "rss_mb": peak_rss_mb()}


def run_isolated(system: str, data: Path, n: int) -> dict:
    cmd = [sys.executable, __file__, "--one", system, "--data", str(data), "--articles", str(n)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=REPO)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_cli(data_file: Path, workers: int, syllables: int, command: str = "run", extra: tuple[str, ...] = ()) -> dict:
    """The whole `vnpipe run` process: start-up, model loading, reading, writing."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.jsonl"
        probe = (
            "import resource, subprocess, sys, time, json;"
            "t = time.perf_counter(); subprocess.run(sys.argv[1:], check=True);"
            "print(json.dumps({'seconds': time.perf_counter() - t,"
            " 'rss_mb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))"
        )
        vnpipe = str(Path(sys.executable).with_name("vnpipe"))
        cmd = [sys.executable, "-c", probe, vnpipe, command, str(data_file), "-o", str(out), "-q",
               "--workers", str(workers), *extra]
        result = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
        lines = sum(1 for _ in open(out, encoding="utf-8"))
    result["syllables"] = syllables
    result["documents"] = lines
    return result


def startup_seconds(workers: int = 1, repeat: int = 3) -> float:
    """`vnpipe run` on one tiny document: interpreter, imports, worker start and model loading (best of 3)."""
    vnpipe = str(Path(sys.executable).with_name("vnpipe"))
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run([vnpipe, "run", "-", "-q", "--workers", str(workers)], input="Xin chào.".encode(),
                       check=True, capture_output=True)
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="JSONL with a 'text' field")
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--write", type=Path,
                        help="also write the report as Markdown to this file (only between its bench markers, if it has them)")
    parser.add_argument("--repeat", type=int, default=1, metavar="K",
                        help="measure underthesea ner and `vnpipe run --workers 1` in K adjacent pairs")
    parser.add_argument("--flat", type=int, metavar="N",
                        help="also run `vnpipe run --workers 1` on the first N articles and compare its peak RSS")
    args = parser.parse_args()
    if not args.data.exists():
        raise SystemExit(f"benchmark data not found: {args.data} (pass --data)")
    texts = load_texts(args.data, args.articles)
    if args.one:
        print(json.dumps(measure_in_process(args.one, texts)))
        return

    from pipeline.syllables import count_syllables

    # An installed package has its bytecode compiled (pip does it at install, an editable
    # install on first import), as the peers in site-packages do; with PYTHONDONTWRITEBYTECODE
    # set, every vnpipe process would compile its modules again (~0.1 s of start-up).
    compileall.compile_dir(REPO / "pipeline", quiet=1)
    syllables = sum(count_syllables(t) for t in texts)
    rows: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        data_file = Path(tmp) / "articles.jsonl"
        data_file.write_text("".join(json.dumps({"id": str(i), "text": t}, ensure_ascii=False) + "\n"
                                     for i, t in enumerate(texts)), encoding="utf-8")
        for system in ["underthesea_word_tokenize", "pyvi", "spacy_blank_vi", "vnpipe_steady", "vnpipe_steady:segment"]:
            print(f"measuring {system} ...", file=sys.stderr)
            rows[system] = run_isolated(system, args.data, args.articles)
        pairs = []
        repeat = max(args.repeat, 1)
        for k in range(repeat):
            print(f"measuring underthesea ner, then vnpipe run --workers 1 (pair {k + 1} of {repeat}) ...",
                  file=sys.stderr)
            pairs.append((run_isolated("underthesea_ner", args.data, args.articles),
                          run_cli(data_file, 1, syllables)))
        ratios = [ner["seconds"] / vnpipe["seconds"] for ner, vnpipe in pairs]
        median = sorted(range(len(pairs)), key=ratios.__getitem__)[len(pairs) // 2]
        rows["underthesea_ner"], rows["vnpipe_run_w1"] = pairs[median]
        print("measuring vnpipe run --workers 2 ...", file=sys.stderr)
        rows["vnpipe_run_w2"] = run_cli(data_file, 2, syllables)
        fast = REPO / "models" / "ner_fast"
        if fast.is_dir():  # the smaller NER model users can choose for speed (configs/ner_fast.cfg)
            print("measuring vnpipe run --workers 1 --ner-model models/ner_fast ...", file=sys.stderr)
            rows["vnpipe_run_w1_ner_fast"] = run_cli(data_file, 1, syllables, extra=("--ner-model", str(fast)))
        for workers in (1, 2):  # normalize + sentences + segment only
            print(f"measuring vnpipe segment --workers {workers} ...", file=sys.stderr)
            rows[f"vnpipe_segment_w{workers}"] = run_cli(data_file, workers, syllables, command="segment")
        flat = None
        if args.flat:
            print(f"measuring vnpipe run --workers 1 on {args.flat} articles ...", file=sys.stderr)
            many = load_texts(args.data, args.flat)
            many_file = Path(tmp) / "many.jsonl"
            many_file.write_text("".join(json.dumps({"id": str(i), "text": t}, ensure_ascii=False) + "\n"
                                         for i, t in enumerate(many)), encoding="utf-8")
            many_syllables = sum(count_syllables(t) for t in many)
            flat = run_cli(many_file, 1, many_syllables)
            flat["articles"] = len(many)
            # on a long run start-up weighs less: the scaling a batch job over an archive sees
            print(f"measuring vnpipe run --workers 2 on {args.flat} articles ...", file=sys.stderr)
            flat["w2"] = run_cli(many_file, 2, many_syllables)
    startup = {workers: startup_seconds(workers) for workers in (1, 2)}
    for workers in (1, 2):
        row = dict(rows[f"vnpipe_run_w{workers}"])
        row["seconds"] = max(row["seconds"] - startup[workers], 1e-9)
        rows[f"vnpipe_run_w{workers}_excluding_startup"] = row

    segment_scaling = rows["vnpipe_segment_w1"]["seconds"] / rows["vnpipe_segment_w2"]["seconds"]
    base = rows["underthesea_word_tokenize"]
    base_speed = base["syllables"] / base["seconds"]
    ner_speed = rows["underthesea_ner"]["syllables"] / rows["underthesea_ner"]["seconds"]
    table = [
        "| system | syllables/s | × underthesea word_tokenize | × underthesea ner | peak RSS (MB) |",
        "|---|---:|---:|---:|---:|",
    ]
    peers_first = sorted(rows, key=lambda name: not name.startswith(("underthesea", "pyvi", "spacy")))
    for name in peers_first:
        row = rows[name]
        speed = row["syllables"] / row["seconds"]
        table.append(f"| {name} | {speed:,.0f} | {speed / base_speed:.2f} | {speed / ner_speed:.2f} "
                     f"| {row['rss_mb']:,.0f} |")
    scaling = rows["vnpipe_run_w1"]["seconds"] / rows["vnpipe_run_w2"]["seconds"]
    steady_scaling = (rows["vnpipe_run_w1_excluding_startup"]["seconds"]
                      / rows["vnpipe_run_w2_excluding_startup"]["seconds"])
    cpu = platform.processor() or platform.machine()
    header = (
        f"{len(texts)} articles, {syllables:,} syllables ({args.data.name}); "
        f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}"
    )
    lines = [header, "", *table, ""]
    if len(ratios) > 1:
        lines.append(f"- `vnpipe run --workers 1` vs underthesea `ner`, {len(ratios)} adjacent pairs: "
                     + ", ".join(f"{r:.2f}×" for r in ratios)
                     + f" (the table shows the median pair, {ratios[median]:.2f}×)")
    lines += [
        f"- `vnpipe run` start-up (one tiny document, whole process): {startup[1]:.2f} s with 1 worker, "
        f"{startup[2]:.2f} s with 2",
        f"- `--workers 2` vs `--workers 1`: {scaling:.2f}× whole process, {steady_scaling:.2f}× excluding start-up",
        f"- `vnpipe segment --workers 2` vs `--workers 1` (whole process): {segment_scaling:.2f}×"]
    if flat:
        small = rows["vnpipe_run_w1"]["rss_mb"]
        lines.append(f"- memory: `vnpipe run --workers 1` peak RSS {small:,.0f} MB on {len(texts)} articles, "
                     f"{flat['rss_mb']:,.0f} MB on {flat['articles']:,} ({flat['rss_mb'] / small - 1:+.1%}); "
                     f"{flat['syllables'] / flat['seconds']:,.0f} syllables/s there")
        lines.append(f"- `--workers 2` vs `--workers 1` on {flat['articles']:,} articles (whole process): "
                     f"{flat['seconds'] / flat['w2']['seconds']:.2f}×; peak RSS with 2 workers "
                     f"{flat['w2']['rss_mb']:,.0f} MB per process")
    print("\n".join(lines))
    if args.write:
        write_report(args.write, lines)


# `--write docs/performance.md` replaces only what lies between these two lines there.
REPORT_BEGIN, REPORT_END = "<!-- bench_pipeline.py output: begin -->", "<!-- bench_pipeline.py output: end -->"


def write_report(path: Path, lines: list[str]) -> None:
    """The report into ``path``: between the markers when it has them, else as the whole file."""
    block = "\n".join(lines) + "\n"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if REPORT_BEGIN in text and REPORT_END in text:
        head, rest = text.split(REPORT_BEGIN, 1)
        block = head + REPORT_BEGIN + "\n" + block + REPORT_END + rest.split(REPORT_END, 1)[1]
    path.write_text(block, encoding="utf-8")


if __name__ == "__main__":
    main()
