from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from govcredit.core import setup_hooks, site


class Command(BaseCommand):
    help = "创建/迁移数据库，加载周村区参考数据、默认目录、措施与规则；--demo 加载演示数据（可重复执行）"

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="同时加载演示账号与演示记录")

    def handle(self, *args, demo=False, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("数据库已迁移。加载参考数据：")
        setup_hooks.run("load_defaults", log=self.stdout.write)
        if demo:
            self.stdout.write("加载演示数据：")
            setup_hooks.run("load_demo", log=self.stdout.write)
        if not demo and not settings.DEBUG and not settings.GOVCREDIT_DEMO:
            for warning in site.setup_warnings():
                self.stdout.write(self.style.WARNING("注意：" + warning))
        self.stdout.write(self.style.SUCCESS("setup 完成"))
