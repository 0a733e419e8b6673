from __future__ import annotations

import secrets

from django.contrib.postgres.indexes import GinIndex
from django.db import models


class SubjectKind(models.TextChoices):
    GOVERNMENT = "government", "政府"
    DEPARTMENT = "department", "部门"
    CIVIL_SERVANT = "civil_servant", "公务员"
    ENTERPRISE = "enterprise", "企业"
    PERSON = "person", "个人"


PEOPLE_KINDS = {SubjectKind.CIVIL_SERVANT, SubjectKind.PERSON}
ORGANISATION_KINDS = {SubjectKind.GOVERNMENT, SubjectKind.DEPARTMENT, SubjectKind.ENTERPRISE}
UNIT_KINDS = (SubjectKind.GOVERNMENT, SubjectKind.DEPARTMENT)  # public bodies: staff serve in them


def new_public_id() -> str:
    return "P" + secrets.token_hex(8).upper()


class Subject(models.Model):
    """Anyone the platform records. Organisations carry a USCC; people an encrypted ID number."""

    kind = models.CharField("主体类型", max_length=20, choices=SubjectKind.choices, db_index=True)
    name = models.CharField("名称", max_length=200)
    aliases = models.CharField(
        "简称", max_length=200, blank=True, help_text="常用简称，多个以空格分隔，如：区发改局"
    )
    # Pinyin initials of the name and of each alias, space-separated: "zcqfzhggj qfgj zcqfgj".
    name_initials = models.CharField("拼音首字母", max_length=300, blank=True)
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True, null=True, blank=True)
    id_cipher = models.TextField("身份证号（密文）", blank=True)
    id_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    id_masked = models.CharField("身份证号（脱敏）", max_length=18, blank=True)
    public_id = models.CharField("公开编号", max_length=20, unique=True, default=new_public_id)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="上级单位",
    )
    division_code = models.CharField("行政区划代码", max_length=12, blank=True)
    placeholder_code = models.BooleanField(
        "代码为占位", default=False, help_text="参考数据生成的代码，须由信用办替换为真实代码"
    )
    needs_confirmation = models.BooleanField("待信用办确认", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "主体"
        verbose_name_plural = "主体"
        indexes = [
            GinIndex(fields=["name"], opclasses=["gin_trgm_ops"], name="subject_name_trgm_cs"),
            # Pinyin initials and aliases are matched by substring (LIKE '%…%'): trigram indexes on PG.
            GinIndex(fields=["name_initials"], opclasses=["gin_trgm_ops"], name="subject_initials_trgm"),
            GinIndex(fields=["aliases"], opclasses=["gin_trgm_ops"], name="subject_aliases_trgm"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_person(self) -> bool:
        return self.kind in PEOPLE_KINDS

    @property
    def display_name(self) -> str:
        """Name as shown to anyone without unmask rights: people masked."""
        if self.is_person:
            from govcredit.core.codes import mask_name

            return mask_name(self.name)
        return self.name

    @property
    def public_code(self) -> str:
        """The code shown in public: USCC for organisations, the opaque id for people."""
        return self.public_id if self.is_person else (self.uscc or self.public_id)

    @property
    def code_display(self) -> str:
        return self.id_masked if self.is_person else (self.uscc or "")


class SubjectName(models.Model):
    """Name history: a name may change, a code never does."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="names")
    name = models.CharField("名称", max_length=200)
    valid_from = models.DateField("启用日期", null=True, blank=True)
    valid_to = models.DateField("停用日期", null=True, blank=True)
    changed_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField("变更原因", max_length=200, blank=True)

    class Meta:
        ordering = ["-changed_at"]
        verbose_name = "名称历史"

    def __str__(self) -> str:
        return self.name


class Tenure(models.Model):
    """A civil servant's post in a unit, with dates, so a record follows the person, not the post."""

    person = models.ForeignKey(
        Subject, on_delete=models.CASCADE, related_name="tenures", verbose_name="公务员"
    )
    unit = models.ForeignKey(
        Subject, on_delete=models.PROTECT, related_name="staff_tenures", verbose_name="任职单位"
    )
    position = models.CharField("职务", max_length=100)
    is_principal = models.BooleanField("主要负责人", default=False)
    start = models.DateField("任职开始")
    end = models.DateField("任职结束", null=True, blank=True)

    class Meta:
        ordering = ["-start"]
        verbose_name = "任职经历"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="tenure_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.unit} · {self.position}"
