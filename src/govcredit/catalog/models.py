from __future__ import annotations

from django.conf import settings
from django.db import models


class Severity(models.TextChoices):
    GENERAL = "general", "一般"
    MAJOR = "major", "较重"
    SERIOUS = "serious", "严重"


class Disclosure(models.TextChoices):
    PUBLIC = "public", "公开"
    SHARED = "shared", "共享"
    INTERNAL = "internal", "不公开"


class CatalogItem(models.Model):
    """What may be recorded (政务信用信息目录事项). Codes are stable; every change is versioned."""

    code = models.SlugField("事项代码", max_length=50, unique=True)
    name = models.CharField("事项名称", max_length=100, unique=True)
    negative = models.BooleanField("失信信息", default=True, help_text="不勾选表示守信（激励）信息")
    subject_kinds = models.JSONField("适用主体类型", default=list)
    severities = models.JSONField("严重程度", default=list)
    disclosure = models.CharField(
        "公开方式", max_length=10, choices=Disclosure.choices, default=Disclosure.PUBLIC
    )
    # {"general": {"min_months": 3, "max_months": 12}, ...}; the period runs from the decision date.
    display_periods = models.JSONField("公示期限", default=dict)
    repairable = models.BooleanField("可信用修复", default=True)
    legal_basis = models.TextField("法律依据", blank=True)
    extra_fields = models.JSONField("附加必填项", default=list, blank=True)
    source_units = models.ManyToManyField(
        "accounts.Organisation", blank=True, related_name="catalog_items", verbose_name="可报送单位"
    )
    shared_with_platform = models.BooleanField("归集至市公共信用信息平台", default=True)
    active = models.BooleanField("启用", default=True)
    version = models.PositiveIntegerField("版本", default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-negative", "code"]
        verbose_name = "目录事项"
        verbose_name_plural = "目录事项"

    def __str__(self) -> str:
        return self.name

    def period_for(self, severity: str) -> tuple[int, int]:
        """(minimum, maximum) display months for a severity."""
        period = self.display_periods.get(severity) or {}
        return int(period.get("min_months", 0)), int(period.get("max_months", 0))


class CatalogItemVersion(models.Model):
    """Immutable snapshot of a catalog item; a record keeps the version it was judged under."""

    item = models.ForeignKey(CatalogItem, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField("版本")
    snapshot = models.JSONField()
    reason = models.CharField("变更原因", max_length=300, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["item", "version"], name="catalog_item_version_unique")
        ]
        verbose_name = "目录事项版本"

    def __str__(self) -> str:
        return f"{self.item.code} v{self.version}"
