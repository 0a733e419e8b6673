"""信用周村 load benchmark: subject search and subject page vs. a minimal Django view, same run.

    .venv/bin/python benchmarks/generate_portal_data.py          # once: 100k subjects, 1M records
    .venv/bin/python benchmarks/portal_bench.py                  # 16 clients, 20 s per scenario

Starts gunicorn (sync workers, one per core, loopback) on the benchmark database, warms up, then drives
each scenario with an asyncio load generator (a separate process) and prints p50 / p95 / p99 latency,
requests per second and the ratio to the baseline view (a view returning "ok" through the full
middleware stack). Targets (issue 4): p95 <= 50 ms and >= 50 % of the baseline's requests per second.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
SERVER = "postgresql://postgres@127.0.0.1:5432"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", default="govcredit_bench")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument("--cold", action="store_true", help="no warm-up: measure with empty page caches")
    return parser.parse_args(argv)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_env(database: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"{SERVER}/{database}",
        DJANGO_SETTINGS_MODULE="portal_bench_settings",
        PYTHONPATH=os.pathsep.join([str(HERE), str(ROOT / "src"), env.get("PYTHONPATH", "")]),
        GOVCREDIT_DEBUG="0",
        GOVCREDIT_SECRET_KEY=env.get("GOVCREDIT_SECRET_KEY", "bench-secret-" + "b" * 40),
        GOVCREDIT_PII_KEY=env.get("GOVCREDIT_PII_KEY", "00112233445566778899aabbccddeeff"),
        GOVCREDIT_DATA_DIR=env.get("GOVCREDIT_DATA_DIR", "/tmp/govcredit-bench-data"),
        GOVCREDIT_ALLOWED_HOSTS="127.0.0.1,localhost",
        GOVCREDIT_CONN_MAX_AGE="60",
    )
    return env


def pick_targets(database: str, n: int = 400) -> tuple[list[str], list[str]]:
    """Search terms (name fragments, pinyin initials, codes) and subject codes with public records."""
    import psycopg

    rng = random.Random(7)
    with psycopg.connect(f"{SERVER}/{database}", prepare_threshold=None) as conn:
        rows = conn.execute(
            "SELECT s.uscc, s.name, s.name_initials FROM subjects_subject s TABLESAMPLE SYSTEM (5) "
            "WHERE s.uscc IS NOT NULL AND EXISTS (SELECT 1 FROM records_creditrecord r "
            "WHERE r.subject_id = s.id AND r.status IN ('published', 'under_objection') "
            "AND r.disclosure = 'public') LIMIT %s",
            [n],
        ).fetchall()
    if not rows:
        raise SystemExit(f"no data in {database}: run benchmarks/generate_portal_data.py first")
    codes = [r[0] for r in rows]
    terms: list[str] = []
    for uscc, name, initials in rows:
        choice = rng.random()
        if choice < 0.5:  # a 4-character fragment of the name, e.g. 北郊纺织
            start = rng.randrange(0, max(1, len(name) - 4))
            terms.append(name[start : start + 4])
        elif choice < 0.8:  # pinyin initials of the whole name
            terms.append(initials.split()[0])
        else:
            terms.append(uscc)
    return terms, codes


def start_server(args, env) -> subprocess.Popen:
    cmd = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "--bind",
        f"127.0.0.1:{args.port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        "sync",
        "--no-control-socket",
        "--log-level",
        "warning",
        "--chdir",
        str(HERE),
        "govcredit.wsgi:application",
    ]
    proc = subprocess.Popen(cmd, env=env, start_new_session=True)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", args.port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("gunicorn did not start")


async def one_request(port: int, path: str) -> tuple[float, int]:
    start = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    status_line = await reader.readline()
    while await reader.read(65536):
        pass
    writer.close()
    elapsed = time.perf_counter() - start
    try:
        status = int(status_line.split()[1])
    except (IndexError, ValueError):
        status = 0
    return elapsed, status


async def drive(port: int, paths: list[str], clients: int, seconds: float):
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds

    async def client(offset: int):
        nonlocal errors
        i = offset
        while time.perf_counter() < stop:
            try:
                elapsed, status = await one_request(port, paths[i % len(paths)])
            except OSError:
                errors += 1
                continue
            if status != 200:
                errors += 1
            latencies.append(elapsed)
            i += clients

    started = time.perf_counter()
    await asyncio.gather(*(client(k) for k in range(clients)))
    return latencies, errors, time.perf_counter() - started


COLD = False


async def warm(port: int, paths: list[str], clients: int, rounds: int) -> None:
    """Request every path `rounds` times (so each worker process has seen it), whatever the speed."""
    queue = [p for _ in range(rounds) for p in paths]

    async def client():
        while queue:
            path = queue.pop()
            try:
                await one_request(port, path)
            except OSError:
                pass

    await asyncio.gather(*(client() for _ in range(clients)))


def run_scenario(port: int, paths: list[str], clients: int, seconds: float) -> dict:
    # Warm-up over the whole working set, so the figures are the steady state of a live portal whose
    # page cache holds the pages people ask for (--cold skips it: every first request misses).
    if not COLD:
        asyncio.run(warm(port, paths, clients, rounds=3))
    latencies, errors, wall = asyncio.run(drive(port, paths, clients, seconds))
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    return {
        "n": len(latencies),
        "errors": errors,
        "rps": len(latencies) / wall,
        "p50": statistics.median(latencies) * 1000,
        "p95": pct(0.95),
        "p99": pct(0.99),
    }


def main(argv=None) -> int:
    args = parse_args(argv)
    global COLD
    COLD = args.cold
    if args.port == 0:
        args.port = free_port()
    from urllib.parse import quote

    terms, codes = pick_targets(args.database)
    scenarios = {
        "baseline (minimal Django view)": ["/__bench/ok/"],
        "subject search /search/?q=": [f"/search/?q={quote(t)}" for t in terms],
        "subject page /subjects/<code>/": [f"/subjects/{c}/" for c in codes],
        "API /api/v1/public/subjects?q=": [f"/api/v1/public/subjects?q={quote(t)}" for t in terms],
    }
    env = bench_env(args.database)
    proc = start_server(args, env)
    results = {}
    try:
        for name, paths in scenarios.items():
            results[name] = run_scenario(args.port, paths, args.clients, args.seconds)
            r = results[name]
            print(f"  {name}: {r['n']} requests, {r['errors']} errors", flush=True)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)

    import psycopg

    with psycopg.connect(f"{SERVER}/{args.database}", prepare_threshold=None) as conn:
        subjects = conn.execute("SELECT count(*) FROM subjects_subject").fetchone()[0]
        records = conn.execute("SELECT count(*) FROM records_creditrecord").fetchone()[0]
    base = results["baseline (minimal Django view)"]["rps"]
    print()
    print(
        f"信用周村 benchmark · {subjects:,} subjects, {records:,} records · PostgreSQL · gunicorn "
        f"{args.workers} sync workers · {args.clients} clients · {args.seconds:.0f} s per scenario · {os.cpu_count()} cores"
    )
    print(
        f"{'scenario':34} {'req/s':>8} {'vs base':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}  target"
    )
    for name, r in results.items():
        ratio = r["rps"] / base if base else 0.0
        ok = name.startswith("baseline") or (r["p95"] <= 50 and ratio >= 0.5)
        verdict = "" if name.startswith("baseline") else ("met" if ok else "MISSED")
        print(
            f"{name:34} {r['rps']:8.1f} {ratio:8.0%} {r['p50']:8.1f} {r['p95']:8.1f} {r['p99']:8.1f} "
            f"{r['errors']:7d}  {verdict}"
        )
    print("targets: p95 <= 50 ms and >= 50 % of the baseline's req/s (the API row is informational)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
