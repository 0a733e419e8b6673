from django.core.management.base import BaseCommand, CommandError

from govcredit.core.hooks import app_modules
from govcredit.core.ledger import verify_audit_chain, verify_transparency_chain


class Command(BaseCommand):
    help = "审计链校验：govcredit audit verify（完整时退出码 0，被篡改时退出码 1 并指出第一条异常条目）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="校验审计记录链、公开日志链与公开事项日志链")

    def handle(self, *args, action=None, **options):
        broken = False
        # The two core chains, then every chain an app declares in its ``chains.py`` (e.g. disclosure).
        chains = [("audit", verify_audit_chain()), ("public", verify_transparency_chain())]
        for _app, module in app_modules("chains"):
            chains += [(label, verify()) for label, verify in module.CHAINS]
        for label, report in chains:
            if report.ok:
                self.stdout.write(
                    f"{label}: intact, {report.count} entries, head {report.head_sequence} {report.head_hash}"
                )
            else:
                broken = True
                self.stdout.write(f"{label}: BROKEN at entry {report.bad_sequence}: {report.problem}")
        if broken:
            raise CommandError("chain broken", returncode=1)
