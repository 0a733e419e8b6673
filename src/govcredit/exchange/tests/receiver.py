"""A local stand-in for the municipal platform (tests and benchmark only, not part of the product).

A threaded HTTP server that checks the signature (DESIGN §5), de-duplicates events by idempotency
key and can be told to be down (connection refused), to answer 500 for the next N batches, or 400
for any batch holding a given document number.
"""

from __future__ import annotations

import hmac
import json
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from govcredit.core.crypto import hmac_sm3_hex


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


class TestReceiver:
    __test__ = False  # not a pytest test class

    def __init__(self, key: str = "test-exchange-key", *, verify: bool = True, port: int = 0):
        self.key = key.encode("utf-8")
        self.verify = verify
        self.lock = threading.Lock()
        self.accepted: dict[str, dict] = {}
        self.received = Counter()  # idempotency key -> times received in an accepted batch
        self.batches = 0
        self.bad_signatures = 0
        self.fail_batches = 0  # answer 500 to the next N batches
        self.reject_documents: set[str] = set()  # answer 400 to a batch holding one of these
        self.port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- control ---------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/exchange/events"

    @property
    def ack_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/acks"

    def start(self) -> TestReceiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                if self.path.startswith("/acks"):  # the acknowledgement endpoint for reconciliation
                    if receiver.verify and not receiver.signature_ok(self.headers, b""):
                        answer = {"detail": "签名无效"}
                    else:
                        with receiver.lock:
                            answer = {"acknowledged": sorted(receiver.accepted)}
                else:  # counts, for a receiver running in another process (benchmark)
                    answer = {
                        "unique": receiver.unique,
                        "duplicates": receiver.duplicates,
                        "batches": receiver.batches,
                    }
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                status, answer = receiver.handle(self.headers, body)
                data = json.dumps(answer, ensure_ascii=False).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = _Server(("127.0.0.1", self.port), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05})
        self._thread.daemon = True
        self._thread.start()
        return self

    def down(self) -> None:
        """Stop listening: senders get "connection refused" until ``up()``."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def up(self) -> None:
        if self._server is None:
            self.start()

    stop = down

    # -- protocol --------------------------------------------------------------------------------
    def signature_ok(self, headers, body: bytes) -> bool:
        ts = headers.get("X-Govcredit-Timestamp") or ""
        sig = headers.get("X-Govcredit-Signature") or ""
        expected = hmac_sm3_hex(self.key, ts.encode("ascii", "replace") + b"." + body)
        return bool(ts) and hmac.compare_digest(sig, expected)

    def handle(self, headers, body: bytes) -> tuple[int, dict]:
        if self.verify and not self.signature_ok(headers, body):
            with self.lock:
                self.bad_signatures += 1
            return 401, {"detail": "签名无效"}
        try:
            events = json.loads(body)["events"]
        except (ValueError, KeyError, TypeError):
            return 400, {"detail": "请求体不是有效的 JSON"}
        with self.lock:
            if self.fail_batches > 0:
                self.fail_batches -= 1
                return 500, {"detail": "内部错误（测试）"}
            bad = [e["document_no"] for e in events if e.get("document_no") in self.reject_documents]
            if bad:
                return 400, {"detail": f"文书号 {bad[0]} 的记录内容不符合要求"}
            self.batches += 1
            for event in events:
                key = event["idempotency_key"]
                self.received[key] += 1
                self.accepted.setdefault(key, event)
        return 200, {"accepted": len(events)}

    # -- answers for tests -----------------------------------------------------------------------
    @property
    def unique(self) -> int:
        return len(self.accepted)

    @property
    def duplicates(self) -> int:
        return sum(n - 1 for n in self.received.values())
