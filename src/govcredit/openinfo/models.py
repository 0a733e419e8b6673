"""Government information disclosure (policy （五）, 《中华人民共和国政府信息公开条例》 2019, WAVE2 §11):
requests for disclosure (依申请公开) on the working-day clock of Art 30–33, with the reply types of Art 36."""

from __future__ import annotations

from django.db import models


class Channel(models.TextChoices):
    """条例第三十一条: how the request arrived decides its date of receipt."""

    IN_PERSON = "in_person", "当面提交"
    REGISTERED_MAIL = "registered_mail", "邮寄（需签收）"
    ORDINARY_MAIL = "ordinary_mail", "平常信函"
    ONLINE = "online", "互联网（信用周村）"
    FAX = "fax", "传真"


class RequestStatus(models.TextChoices):
    AWAITING_CONFIRMATION = "awaiting_confirmation", "待确认收到"
    RECEIVED = "received", "办理中"
    CLARIFYING = "clarifying", "待申请人补正"
    THIRD_PARTY = "third_party", "征求第三方意见"
    REPLIED = "replied", "已答复"
    WITHDRAWN = "withdrawn", "申请人撤回"


class ReplyType(models.TextChoices):
    """条例第三十六条 (一)–(七)."""

    ALREADY_PUBLIC = "already_public", "已主动公开，告知获取方式和途径"
    PROVIDED = "provided", "予以公开，提供信息或告知获取方式、途径和时间"
    REFUSED = "refused", "不予公开，说明理由"
    NOT_EXIST = "not_exist", "经检索，该政府信息不存在"
    NOT_RESPONSIBLE = "not_responsible", "不属于本机关负责公开，告知负责机关"
    REPEATED = "repeated", "重复申请，不予重复处理"
    SPECIAL_PROCEDURE = "special_procedure", "属于法律、行政法规对获取有特别规定的信息，告知依规定办理"


class InfoRequest(models.Model):
    tracking_code = models.CharField("查询码", max_length=20, unique=True)
    unit = models.ForeignKey(
        "accounts.Organisation", verbose_name="受理机关", on_delete=models.PROTECT, related_name="+"
    )
    applicant = models.CharField("申请人", max_length=100)
    contact_cipher = models.TextField("联系方式（密文）")
    contact_masked = models.CharField("联系方式（脱敏）", max_length=40)
    description = models.TextField("所需政府信息的名称、文号或描述")
    form = models.CharField("获取信息的方式", max_length=60, blank=True)
    channel = models.CharField("提交方式", max_length=20, choices=Channel.choices)
    submitted_on = models.DateField("提交日期")
    received_on = models.DateField("收到申请日期", null=True, blank=True)
    received_explain = models.CharField("收到日期依据", max_length=300, blank=True)
    status = models.CharField(
        "状态", max_length=24, choices=RequestStatus.choices, default=RequestStatus.AWAITING_CONFIRMATION
    )
    clock_start = models.DateField("答复期限起算日", null=True, blank=True)
    clarify_on = models.DateField("补正通知日期", null=True, blank=True)
    clarify_what = models.TextField("需要补正的内容", blank=True)
    clarified_on = models.DateField("收到补正日期", null=True, blank=True)
    third_party_from = models.DateField("征求第三方意见开始", null=True, blank=True)
    third_party_to = models.DateField("第三方答复日期", null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField("延长工作日", default=0)
    extension_approver = models.CharField("延长批准人", max_length=100, blank=True)
    extension_reason = models.CharField("延长理由", max_length=300, blank=True)
    due_on = models.DateField("答复期限", null=True, blank=True)
    due_explain = models.TextField("期限说明", blank=True)
    reply_type = models.CharField("答复类型", max_length=20, choices=ReplyType.choices, blank=True)
    reply_text = models.TextField("答复内容", blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_on", "-pk"]
        verbose_name = "政府信息公开申请"
        indexes = [models.Index(fields=["status", "due_on"], name="inforequest_status_due_idx")]

    def __str__(self) -> str:
        return self.tracking_code


class RequestEvent(models.Model):
    request = models.ForeignKey(InfoRequest, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("事项", max_length=30)
    on = models.DateField("日期")
    note = models.CharField("说明", max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "申请办理记录"

    def __str__(self) -> str:
        return f"{self.request_id} {self.action}"


class Audience(models.TextChoices):
    PUBLIC = "public", "全社会"
    GROUP = "group", "特定群体"


class Manner(models.TextChoices):
    PROACTIVE = "proactive", "主动公开"
    ON_REQUEST = "on_request", "依申请公开"


class Level(models.TextChoices):
    COUNTY = "county", "县级"
    TOWN = "town", "乡级"


class CatalogEntry(models.Model):
    """One line of a unit's 政务公开标准目录 (基层政务公开标准目录 columns). Versioned: a revision adds a
    row with ``version + 1`` and retires the previous one; nothing is overwritten."""

    unit = models.ForeignKey(
        "accounts.Organisation", verbose_name="公开主体", on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField("事项编码", max_length=40)
    version = models.PositiveIntegerField("版本", default=1)
    current = models.BooleanField("现行版本", default=True)
    level1 = models.CharField("公开事项（一级）", max_length=100)
    level2 = models.CharField("公开事项（二级）", max_length=100, blank=True)
    content = models.TextField("公开内容（要素）")
    basis = models.TextField("公开依据")
    time_limit = models.CharField("公开时限", max_length=200)
    channels = models.CharField("公开渠道和载体", max_length=300)
    audience = models.CharField("公开对象", max_length=10, choices=Audience.choices, default=Audience.PUBLIC)
    manner = models.CharField("公开方式", max_length=12, choices=Manner.choices, default=Manner.PROACTIVE)
    level = models.CharField("公开层级", max_length=10, choices=Level.choices, default=Level.COUNTY)
    change_reason = models.CharField("修订理由", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit_id", "code", "-version"]
        verbose_name = "政务公开标准目录事项"
        constraints = [
            models.UniqueConstraint(fields=["unit", "code", "version"], name="openinfo_catalog_version")
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version} {self.level1}"


class ProactiveItem(models.Model):
    """主动公开的政府信息 (条例第十二条: 索引、名称、内容概述、生成日期); due 20 working days after it is
    formed or changed (条例第二十六条)."""

    unit = models.ForeignKey(
        "accounts.Organisation", verbose_name="公开主体", on_delete=models.PROTECT, related_name="+"
    )
    catalog_entry = models.ForeignKey(
        CatalogEntry,
        verbose_name="目录事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
    )
    index_no = models.CharField("索引号", max_length=60, unique=True)
    name = models.CharField("名称", max_length=200)
    summary = models.TextField("内容概述")
    generated_on = models.DateField("生成日期")
    due_on = models.DateField("公开期限")
    due_explain = models.TextField("期限说明")
    published_on = models.DateField("公开日期", null=True, blank=True)
    url = models.CharField("公开网址", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-generated_on", "-pk"]
        verbose_name = "主动公开信息"
        indexes = [models.Index(fields=["published_on", "due_on"], name="openinfo_item_due_idx")]

    def __str__(self) -> str:
        return f"{self.index_no} {self.name}"
