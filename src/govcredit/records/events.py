"""Names of the events announced through ``govcredit.core.signals.record_changed``."""

CREATE = "create"
UPDATE = "update"
SUBMIT = "submit"
REJECT = "reject"
PUBLISH = "publish"
ARCHIVE = "archive"  # approved, but its display window had already ended: kept, never shown
CORRECT = "correct"
REVOKE = "revoke"
EXPIRE = "expire"
REPAIR = "repair"
OBJECTION_OPENED = "objection_opened"
OBJECTION_CLOSED = "objection_closed"

LABELS = {
    CREATE: "创建",
    UPDATE: "修改草稿",
    SUBMIT: "提交审核",
    REJECT: "驳回",
    PUBLISH: "审核通过并公示",
    ARCHIVE: "审核通过（公示期已届满，不予公示）",
    CORRECT: "更正",
    REVOKE: "撤销",
    EXPIRE: "公示期满",
    REPAIR: "信用修复",
    OBJECTION_OPENED: "异议受理，标注异议处理中",
    OBJECTION_CLOSED: "异议办结",
}
