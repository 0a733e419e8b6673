from django.core.management.base import BaseCommand, CommandError

from govcredit.accounts.models import User
from govcredit.accounts.services import create_token


class Command(BaseCommand):
    help = "接口令牌：govcredit token create --username U"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="为用户创建新令牌并打印（只显示一次）")
        create.add_argument("--username", required=True)
        create.add_argument("--name", default="命令行创建")

    def handle(self, *args, action=None, username=None, name="", **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"用户 {username} 不存在或已停用")
        _token, plain = create_token(user, name=name)
        self.stdout.write(plain)
