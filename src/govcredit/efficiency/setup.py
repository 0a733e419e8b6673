"""On every ``govcredit setup``: the first 蜗牛奖 nomination rule (⚠ the district's choice)."""

from __future__ import annotations


def load_defaults() -> str:
    from .models import SnailCriteria

    _obj, created = SnailCriteria.objects.get_or_create(
        version="ZC-2018-1",
        defaults={
            "source": "⚠ 本区自定：周村区自2018年4月评选蜗牛奖，未公布量化标准；参照缙云7条标准、遵义红花岗6种情形设定，"
            "由区信用办和区政务服务中心管理办公室调整",
            "legal_status": "local_choice",
        },
    )
    return "蜗牛奖评选标准 ZC-2018-1 " + ("已创建" if created else "已存在")
