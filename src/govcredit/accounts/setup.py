"""Demo logins (DESIGN §5). Only ``setup --demo`` creates them; a production setup creates none."""

from django.db import transaction

from .models import Organisation, Role, User
from .services import create_user

DEMO_PASSWORD = "govcredit-demo"
DEMO_USERS = [
    # username, name, unit short name, role, can_unmask, superuser
    ("admin", "系统管理员", "区发改局", Role.ADMIN, True, True),
    ("office", "李信用", "区发改局", Role.CREDIT_OFFICE, True, False),
    ("court", "王法官", "区法院", Role.CLERK, False, False),
    ("hr", "赵人社", "区人社局", Role.CLERK, False, False),
    ("reviewer", "陈审核", "区发改局", Role.REVIEWER, False, False),
    ("dept", "周发改", "区发改局", Role.SUBJECT_USER, False, False),
    ("auditor", "孙审计", "区发改局", Role.AUDITOR, False, False),
    # Not advertised, but needed so every source unit has a clerk in the demo.
    ("zzb", "钱组织", "区委组织部", Role.CLERK, False, False),
    ("czj", "吴财政", "区财政局", Role.CLERK, False, False),
    ("thirdparty", "郑评估", "区发改局", Role.THIRD_PARTY, False, False),
]
ADVERTISED = ["admin", "office", "court", "hr", "reviewer", "dept", "auditor"]


@transaction.atomic
def load_demo() -> None:
    for username, name, unit, role, can_unmask, superuser in DEMO_USERS:
        if User.objects.filter(username=username).exists():
            continue
        org = Organisation.objects.get(short_name=unit)
        create_user(
            username,
            DEMO_PASSWORD,
            display_name=name,
            memberships=[(org, role, can_unmask)],
            is_superuser=superuser,
        )
