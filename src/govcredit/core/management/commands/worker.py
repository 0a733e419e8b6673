from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "后台任务进程（django-tasks 数据库队列；配置 Redis 时请用 rqworker）"

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="处理完队列中的任务后退出")

    def handle(self, *args, batch=False, **options):
        call_command("db_worker", queue_name="*", reload=False, batch=batch, startup_delay=not batch)
