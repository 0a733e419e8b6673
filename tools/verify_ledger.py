#!/usr/bin/env python3
"""Verify the public transparency log of 信用周村 (公开日志核验).

Recomputes the SM3 hash chain from public data alone and compares the result with the head the
site publishes. Needs Python >= 3.11 and the ``cryptography`` package (for SM3); nothing else.

    pip install cryptography
    python verify_ledger.py https://xinyong.example.gov.cn          # fetch the log page by page
    python verify_ledger.py transparency-log.json                   # a downloaded log file
    python verify_ledger.py transparency-log.json --against https://xinyong.example.gov.cn
    python verify_ledger.py https://… --previous-head 120:4f2a…     # a head you noted earlier

The rule (DESIGN §5 "Public transparency log"): for each entry, J is the JSON of
{"sequence", "event", "record_id", "at"} with sorted keys, no spaces and ensure_ascii=False;
hash = lower-case hex SM3 of the UTF-8 bytes of prev_hash + "\\n" + J; the first prev_hash is 64 zeros.

Exit status: 0 the chain is intact and matches the published head; 1 it does not (the first bad
entry is named); 2 the data could not be read.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator

from cryptography.hazmat.primitives import hashes

GENESIS = "0" * 64
PAGE_PATH = "/api/v1/public/ledger"
HEAD_PATH = "/api/v1/public/ledger/head"


class Unreadable(Exception):
    pass


def sm3_hex(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def entry_hash(prev_hash: str, entry: dict) -> str:
    payload = {k: entry[k] for k in ("sequence", "event", "record_id", "at")}
    j = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return sm3_hex((prev_hash + "\n" + j).encode("utf-8"))


def get_json(url: str, timeout: float = 30.0):
    if not url.startswith(("http://", "https://")):
        raise Unreadable(f"只支持 http(s) 地址：{url}")
    headers = {"Accept": "application/json", "User-Agent": "verify_ledger"}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (http(s) only, checked above)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return json.load(response)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise Unreadable(f"无法读取 {url}：{exc}") from exc


def fetch_head(base: str) -> tuple[int, str]:
    head = get_json(base.rstrip("/") + HEAD_PATH)
    return int(head["sequence"]), str(head["hash"])


def fetch_entries(base: str, up_to: int) -> Iterator[dict]:
    """All entries with sequence <= up_to, page by page (100 per page, ``after`` exclusive)."""
    after = 0
    while after < up_to:
        url = base.rstrip("/") + PAGE_PATH + "?" + urllib.parse.urlencode({"after": after})
        page = get_json(url).get("entries", [])
        if not page:
            return
        for entry in page:
            if int(entry["sequence"]) > up_to:
                return
            yield entry
        after = int(page[-1]["sequence"])


def read_file(path: str) -> tuple[list[dict], tuple[int, str] | None]:
    try:
        with open(path, encoding="utf-8-sig") as handle:
            data = json.load(handle)
    except (OSError, ValueError) as exc:
        raise Unreadable(f"无法读取文件 {path}：{exc}") from exc
    if isinstance(data, list):
        return data, None
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise Unreadable(f"{path} 不是公开日志文件（应含 entries 列表）")
    head = data.get("head")
    return data["entries"], ((int(head["sequence"]), str(head["hash"])) if head else None)


def verify(entries: Iterable[dict], checkpoints: dict[int, str] | None = None):
    """Walk the chain. Returns (ok, count, head_sequence, head_hash, problem)."""
    checkpoints = checkpoints or {}
    prev_hash, expected = GENESIS, 1
    for entry in entries:
        try:
            sequence = int(entry["sequence"])
            stated_hash, stated_prev = str(entry["hash"]), str(entry["prev_hash"])
            recomputed = entry_hash(prev_hash, entry)
        except (KeyError, TypeError, ValueError) as exc:
            return False, expected - 1, expected - 1, prev_hash, f"第 {expected} 条格式有误：{exc}"
        if sequence != expected:
            return (
                False,
                expected - 1,
                expected - 1,
                prev_hash,
                f"entry {min(sequence, expected)}: 序号应为 {expected}，实际为 {sequence}（条目被删除或插入）",
            )
        if stated_prev != prev_hash:
            return False, expected - 1, expected - 1, prev_hash, f"entry {sequence}: 前序哈希不一致"
        if recomputed != stated_hash:
            return (
                False,
                expected - 1,
                expected - 1,
                prev_hash,
                f"entry {sequence}: 内容与哈希不符（条目被改动）",
            )
        if sequence in checkpoints and checkpoints[sequence] != recomputed:
            return (
                False,
                expected - 1,
                expected - 1,
                prev_hash,
                f"entry {sequence}: 与您此前记下的链头不一致（此前的条目被改动或删除）",
            )
        prev_hash, expected = recomputed, expected + 1
    return True, expected - 1, expected - 1, prev_hash, ""


def parse_checkpoint(text: str) -> tuple[int, str]:
    try:
        seq, digest = text.split(":", 1)
        return int(seq), digest.strip().lower()
    except ValueError as exc:
        raise argparse.ArgumentTypeError("格式应为 序号:哈希，如 120:4f2a…") from exc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="核验信用周村公开日志（SM3 哈希链）")
    parser.add_argument(
        "source", help="网站地址（如 https://xinyong.example.gov.cn）或已下载的日志 JSON 文件"
    )
    parser.add_argument("--against", metavar="URL", help="核验文件时，同时与该网站当前公布的链头比对")
    parser.add_argument(
        "--previous-head",
        metavar="SEQ:HASH",
        type=parse_checkpoint,
        action="append",
        default=[],
        help="此前记下的链头（可多次给出）：核验这些条目至今未变",
    )
    args = parser.parse_args(argv)
    is_url = args.source.startswith(("http://", "https://"))
    try:
        if is_url:
            published = fetch_head(args.source)
            entries: Iterable[dict] = fetch_entries(args.source, published[0])
            where = args.source
        else:
            entries, published = read_file(args.source)
            where = args.source
            if args.against:
                published = fetch_head(args.against)
                where = args.against
        ok, count, seq, head_hash, problem = verify(entries, dict(args.previous_head))
    except Unreadable as exc:
        print(f"读取失败：{exc}", file=sys.stderr)
        return 2
    print(f"已核验条目：{count}")
    print(f"重新计算的链头：第 {seq} 条  {head_hash}")
    if published is not None:
        print(f"公布的链头（{where}）：第 {published[0]} 条  {published[1]}")
    if not ok:
        print(f"核验未通过：{problem}")
        return 1
    for checkpoint_seq, _ in args.previous_head:
        if checkpoint_seq > seq:
            print(
                f"核验未通过：entry {checkpoint_seq}: 您此前记下的第 {checkpoint_seq} 条已不在日志中（日志被截短）"
            )
            return 1
    if published is None:
        print("核验通过：哈希链完整（文件中没有公布的链头可比对）。")
        return 0
    if published != (seq, head_hash):
        if published[0] > seq and not is_url and args.against:
            print(
                f"核验未通过：网站链头已到第 {published[0]} 条，文件只含前 {seq} 条；请用网址模式核验全部条目。"
            )
        else:
            print("核验未通过：重新计算的链头与公布的链头不一致（有条目被删除、插入或改动）。")
        return 1
    print("核验通过：哈希链完整，与公布的链头一致，没有条目被删除或改动。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
