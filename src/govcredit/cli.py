"""The ``govcredit`` console script: a thin wrapper over Django's management commands.

govcredit setup [--demo]          create/migrate the database, load 周村区 reference data
govcredit serve [--host H] [--port P]
govcredit demo                    setup --demo, then serve
govcredit import-records FILE --source-unit UNIT [--dry-run] [--report OUT.csv]
govcredit token create --username U
govcredit user create --username U --unit UNIT --role ROLE [--name N] [--password-stdin]
govcredit audit verify
govcredit worker                  job worker on its own
"""

from __future__ import annotations

import os
import sys

ALIASES = {"import-records": "import_records", "import-list": "import_list"}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govcredit.settings")
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        if not argv:
            return 2
        argv = ["help"]
    command = ALIASES.get(argv[0], argv[0])
    if command in {"setup", "demo"}:
        from govcredit.core.keys import ensure_keys

        ensure_keys()
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["govcredit", command, *argv[1:]])
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
