"""Time ``newslens analyse`` against the naive route on the same folder, in the same run.

    python -m benchmarks.scale FOLDER [FOLDER ...] [--sizes 100,1000,10000] [--jobs N] [--repeat N]

The naive route is what a first notebook would do: Punkt sentences, then TextBlob's and VADER's
sentence polarity for every sentence, one article after another in one process. Both routes run
as fresh processes (interpreter start and imports included) with no cache. The peak memory is the
largest sum of resident memory over ``newslens analyse`` and its worker processes, sampled every
50 ms. With ``--sizes``, the texts of the folders are taken (and, past their number, repeated with
a numbered headline so that no two files are the same text) to build corpora of those sizes.
With ``--repeat N`` both routes run N times in turn and the medians are printed (the ratio is the
median of the N ratios): timings on a shared machine vary by 10-20% from run to run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

__all__ = ["main", "naive_route"]


def naive_route(folder: Path) -> int:
    """Punkt sentences, TextBlob and VADER on every sentence of every article; return sentences."""
    from nltk.tokenize.punkt import PunktSentenceTokenizer
    from textblob import TextBlob
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    punkt, vader, count = PunktSentenceTokenizer(), SentimentIntensityAnalyzer(), 0
    for path in sorted(folder.glob("*.txt")):
        for sentence in punkt.tokenize(path.read_text(encoding="utf-8", errors="replace")):
            TextBlob(sentence).sentiment  # noqa: B018 - the work being timed
            vader.polarity_scores(sentence)
            count += 1
    return count


def _descendants(pid: int) -> list[int]:
    """``pid`` and every process below it, from a scan of /proc (Linux)."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as handle:
                parent = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def _rss(pids: list[int]) -> int:
    """Resident memory in bytes of the processes ``pids`` (those still running)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/statm") as handle:
                total += int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    return total


def _run(command: list[str]) -> tuple[float, int]:
    """Run ``command``; return its wall time in seconds and its process tree's peak memory."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        # The process tree is found again every tenth sample (a scan of all of /proc costs
        # about 1 ms, which the timed processes would feel); between scans only its members
        # are read.
        nonlocal peak
        count, pids = 0, []
        while not done.is_set():
            if count % 10 == 0:
                pids = _descendants(process.pid)
            peak = max(peak, _rss(pids))
            count += 1
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = process.communicate()
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{err.decode(errors='replace')[-2000:]}")
    return elapsed, peak


def _build(texts: list[Path], size: int, folder: Path) -> Path:
    """Write a corpus of ``size`` articles into ``folder``, repeating ``texts`` as needed."""
    folder.mkdir(parents=True)
    for i in range(size):
        source = texts[i % len(texts)]
        copy, text = i // len(texts), source.read_text(encoding="utf-8")
        if copy:
            title, _, rest = text.partition("\n")
            text = f"{title} (copy {copy})\n{rest}"
        (folder / f"{i:05d}_{source.name}").write_text(text, encoding="utf-8")
    return folder


def measure(folder: Path, jobs: int | None, repeat: int = 1) -> dict:
    """Time both routes on ``folder``, ``repeat`` times in turn; return the median figures.

    Each newslens run starts with an empty cache (then one cached rerun follows it).
    """
    python = sys.executable
    naive, cold, warm, peak = [], [], [], 0
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["NEWSLENS_CACHE"] = str(Path(tmp) / "cache")
            naive.append(_run([python, "-m", "benchmarks.scale", "--naive", str(folder)])[0])
            command = [python, "-m", "newslens", "analyse", str(folder), "--out", f"{tmp}/out"]
            command += ["--quiet"] + (["--jobs", str(jobs)] if jobs else [])
            seconds, memory = _run(command)
            cold.append(seconds)
            peak = max(peak, memory)
            warm.append(_run(command)[0])
            articles = sum(1 for _ in open(f"{tmp}/out/articles.csv", encoding="utf-8")) - 1
    ratios = [c / n for c, n in zip(cold, naive, strict=True)]
    return {
        "articles": articles,
        "naive_s": statistics.median(naive),
        "newslens_s": statistics.median(cold),
        "ratio": statistics.median(ratios),
        "cached_rerun_s": statistics.median(warm),
        "peak_mb": peak / 2**20,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark from the command line."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale", description=__doc__)
    parser.add_argument("folders", nargs="+", type=Path, help="folders of .txt articles")
    parser.add_argument("--sizes", default="", help="comma-separated corpus sizes, e.g. 100,1000")
    parser.add_argument("--jobs", type=int, default=None, help="newslens worker processes")
    parser.add_argument(
        "--repeat", type=int, default=1, help="run both routes this many times; print medians"
    )
    parser.add_argument("--naive", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.naive:
        naive_route(args.folders[0])
        return 0
    texts = sorted(p for folder in args.folders for p in folder.glob("*.txt"))
    sizes = [int(s) for s in args.sizes.split(",") if s] or [None]
    header = ("articles", "naive s", "newslens s", "ratio", "rerun s", "peak MB")
    print("{:>8} {:>8} {:>10} {:>6} {:>8} {:>8}".format(*header))
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            if size is None:
                folder = Path(tmp) / "corpus"
                folder.mkdir()
                for path in texts:
                    shutil.copy(path, folder / path.name)
            else:
                folder = _build(texts, size, Path(tmp) / "corpus")
            r = measure(folder, args.jobs, args.repeat)
        print(
            f"{r['articles']:>8} {r['naive_s']:>8.1f} {r['newslens_s']:>10.1f} {r['ratio']:>6.2f} "
            f"{r['cached_rerun_s']:>8.1f} {r['peak_mb']:>8.0f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
