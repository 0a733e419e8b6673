"""Production server: gunicorn (sync workers) + the job worker + the periodic scheduler."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

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
        procs = [subprocess.Popen(gunicorn, env=env)]
        if not no_worker:
            procs.append(subprocess.Popen([sys.executable, "-m", "govcredit.cli", "worker"], env=env))
        stop = threading.Event()
        from govcredit.core.periodic import run_scheduler

        scheduler = threading.Thread(target=run_scheduler, args=(stop,), daemon=True)
        scheduler.start()

        def shutdown(*_):
            stop.set()
            for proc in procs:
                if proc.poll() is None:
                    proc.terminate()

        signal.signal(signal.SIGTERM, shutdown)
        signal.signal(signal.SIGINT, shutdown)
        self.stdout.write(
            f"政务诚信管理平台已启动：http://{host}:{port}/  （后台：http://{host}:{port}/office/）"
        )
        try:
            while not stop.is_set():
                for proc in procs:
                    if proc.poll() is not None and not stop.is_set():
                        self.stderr.write(f"子进程 {proc.args[0]} 已退出（{proc.returncode}），正在停止服务")
                        shutdown()
                stop.wait(1)
        finally:
            shutdown()
            for proc in procs:
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
