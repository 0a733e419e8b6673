import os

from django.core.management import call_command
from django.core.management.base import BaseCommand

from govcredit.accounts.setup import ADVERTISED, DEMO_PASSWORD, DEMO_USERS


class Command(BaseCommand):
    help = "setup --demo 后启动服务，并打印地址与演示账号"

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))

    def handle(self, *args, host, port, **options):
        call_command("setup", demo=True)
        roles = {u[0]: (u[1], u[2], u[3].label) for u in DEMO_USERS}
        self.stdout.write("")
        self.stdout.write(f"信用周村（公众）：http://{host}:{port}/")
        self.stdout.write(f"管理后台：        http://{host}:{port}/office/")
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username in ADVERTISED:
            name, unit, role = roles[username]
            self.stdout.write(f"  {username:<9} {role}（{unit}，{name}）")
        self.stdout.write("")
        # The web server (a child process) reads this into settings.GOVCREDIT_DEMO: the login page
        # then lists the demo logins.
        os.environ["GOVCREDIT_DEMO"] = "1"
        call_command("serve", host=host, port=port)
