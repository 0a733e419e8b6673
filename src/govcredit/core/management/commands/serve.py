"""Production server: gunicorn (sync workers) + the job worker + the periodic scheduler."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from govcredit.core.keys import keys_missing_message


class Command(BaseCommand):
    help = "启动 Web 服务（gunicorn）、后台任务进程和定时调度"

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("GOVCREDIT_WEB_WORKERS", "3")))
        parser.add_argument(
            "--no-worker", action="store_true", help="不启动后台任务进程（另行运行 govcredit worker）"
        )

    def handle(self, *args, host, port, workers, no_worker=False, **options):
        if settings.KEYS_MISSING:
            raise CommandError(keys_missing_message())
        if settings.GENERATED_KEYS and not settings.DEBUG:
            self.stderr.write(
                self.style.WARNING(
                    f"警告：正在使用自动生成的密钥（{'、'.join(settings.GENERATED_KEYS)}，保存在 {settings.KEYS_FILE}）。"
                    "生产环境的密钥应通过环境变量或密钥管理系统提供。"
                )
            )
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "govcredit.settings"),
        }
        bin_dir = os.path.dirname(sys.executable)
        gunicorn = [
            os.path.join(bin_dir, "gunicorn"),
            "govcredit.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--timeout",
            "120",
            "--access-logfile",
            "-",
            "--no-control-socket",
        ]
        worker_cmd = [sys.executable, "-m", "govcredit.cli", "worker"]
        web = subprocess.Popen(gunicorn, env=env)
        procs = {"web": web}
        if not no_worker:
            procs["worker"] = subprocess.Popen(worker_cmd, env=env)
        stop = threading.Event()
        from govcredit.core.periodic import run_scheduler

        scheduler = threading.Thread(
            target=run_scheduler, args=(stop,), name="govcredit-scheduler", daemon=True
        )
        scheduler.start()

        def shutdown(*_):
            stop.set()
            for proc in procs.values():
                if proc.poll() is None:
                    proc.terminate()

        signal.signal(signal.SIGTERM, shutdown)
        signal.signal(signal.SIGINT, shutdown)
        backend = "Redis 队列" if settings.GOVCREDIT_TASK_BACKEND == "rq" else "数据库队列"
        self.stdout.write(
            f"政务诚信管理平台已启动：http://{host}:{port}/  （后台：http://{host}:{port}/office/）"
            f"  后台任务：{backend}{'（本进程未启动任务进程）' if no_worker else ''}"
        )
        restarts: list[float] = []
        try:
            while not stop.is_set():
                if web.poll() is not None and not stop.is_set():
                    self.stderr.write(f"Web 服务已退出（{web.returncode}），正在停止服务")
                    shutdown()
                    break
                worker = procs.get("worker")
                if worker is not None and worker.poll() is not None and not stop.is_set():
                    # The worker died: restart it (jobs it held are claimed with leases, nothing is lost),
                    # unless it keeps dying, which means a configuration error to fix first.
                    now = time.monotonic()
                    restarts = [t for t in restarts if now - t < 60] + [now]
                    if len(restarts) > 5:
                        self.stderr.write(
                            f"后台任务进程反复退出（{worker.returncode}），正在停止服务，请检查日志"
                        )
                        shutdown()
                        break
                    self.stderr.write(f"后台任务进程已退出（{worker.returncode}），正在重新启动")
                    procs["worker"] = subprocess.Popen(worker_cmd, env=env)
                stop.wait(1)
        finally:
            shutdown()
            for proc in procs.values():
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
