from __future__ import annotations

from django import forms


class CommentForm(forms.Form):
    name = forms.CharField(label="姓名或单位", max_length=100)
    contact = forms.CharField(label="联系方式（不公开，可不填）", max_length=100, required=False)
    content = forms.CharField(label="意见和建议", max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))


# -- back-office action forms: field names are the service's (and the API's) keys, so a service's
# field errors land on the right field (office.views.apply_form_errors). Dates stay text: the service
# parses them and says what is wrong in Chinese.
from .models import Category, LegalityResult, MeetingType, Outcome, RiskConclusion, Step  # noqa: E402

DATE = forms.DateInput(attrs={"type": "date"})
TEXT = {"rows": 4}


def _date(label: str, *, required: bool = True, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=required, widget=DATE, help_text=help_text)


def _text(label: str, *, required: bool = True, max_length: int = 20000, rows: int = 4, help_text: str = ""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


def _confirm(label: str) -> forms.BooleanField:
    return forms.BooleanField(label=label, required=True, error_messages={"required": "请勾选确认"})


class CatalogEntryForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    title = forms.CharField(label="决策事项", max_length=200)
    category = forms.ChoiceField(label="事项类别", choices=Category.choices)
    decision_body = forms.CharField(label="决策机关", max_length=100, initial="区政府")
    unit = forms.CharField(label="承办单位", max_length=100, help_text="单位简称、登记名称或统一社会信用代码")
    planned = forms.CharField(label="计划完成时间", max_length=40, required=False)
    basis = forms.CharField(label="决策依据", max_length=300, required=False)


class CatalogPublishForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    party_agreed_on = _date("党委同意日期")
    confirm = _confirm("我已核对目录，确认向社会公布（公布后写入公开事项日志，不能撤回）")


class LaunchForm(forms.Form):
    catalog_entry_id = forms.TypedChoiceField(label="目录事项", coerce=int, choices=())
    title = forms.CharField(label="决策名称（不填则用目录事项名称）", max_length=200, required=False)
    summary = _text("决策草案说明", required=False, max_length=5000)
    launched_on = _date("启动日期", required=False, help_text="不填为今天")

    def __init__(self, *args, entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["catalog_entry_id"].choices = [("", "请选择")] + [
            (e.pk, f"{e.year}年第{e.seq}项 {e.title}（{e.unit.name}）") for e in entries
        ]


class ConsultationForm(forms.Form):
    draft_text = _text("征求意见稿", max_length=50000, rows=8)
    start_on = _date("征求意见开始日期")
    end_on = _date("征求意见截止日期", help_text="一般不少于30日（条例第十五条）")
    channels = forms.CharField(
        label="参与方式", max_length=200, required=False, initial="信用周村网站公开征求意见"
    )
    shortened_reason = _text("期限少于30日的理由", required=False, max_length=500, rows=2)


class AdoptionForm(forms.Form):
    adoption_report = _text("意见采纳情况")
    adopted_count = forms.IntegerField(label="采纳意见数", min_value=0, initial=0)
    rejection_reasons = _text("未采纳意见及理由", required=False)


class HearingForm(forms.Form):
    held_on = _date("听证日期")
    participants = _text("听证参加人", max_length=5000, rows=3)
    participants_published_on = _date("参加人名单公布日期")
    materials_sent_on = _date("材料送达日期", help_text="应于听证会7日前送达（条例第十八条）")
    summary = _text("听证情况", required=False)


EXPERT_ROWS = 5


class ExpertReviewForm(forms.Form):
    reviewed_on = _date("论证日期")
    opinion = _text("论证意见")
    opinion_sha256 = forms.CharField(label="署名意见书 SHA-256（可不填）", max_length=64, required=False)
    adoption = _text("意见采纳情况", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, EXPERT_ROWS + 1):
            need = "（必填）" if i == 1 else ""
            self.fields[f"expert_{i}_name"] = forms.CharField(
                label=f"专家{i} 姓名{need}", max_length=60, required=i == 1
            )
            self.fields[f"expert_{i}_organisation"] = forms.CharField(
                label=f"专家{i} 工作单位", max_length=100, required=False
            )
            self.fields[f"expert_{i}_field"] = forms.CharField(
                label=f"专家{i} 专业领域", max_length=60, required=False
            )
            self.fields[f"expert_{i}_conflict"] = forms.BooleanField(
                label=f"专家{i} 声明与决策事项有利害关系", required=False
            )
            self.fields[f"expert_{i}_signed"] = forms.BooleanField(
                label=f"专家{i} 书面意见已署名", required=False, initial=True
            )

    def service_data(self) -> dict:
        d = self.cleaned_data
        experts = [
            {
                "name": d[f"expert_{i}_name"],
                "organisation": d[f"expert_{i}_organisation"],
                "field": d[f"expert_{i}_field"],
                "conflict": d[f"expert_{i}_conflict"],
                "signed": d[f"expert_{i}_signed"],
            }
            for i in range(1, EXPERT_ROWS + 1)
            if d.get(f"expert_{i}_name")
        ]
        keys = ("reviewed_on", "opinion", "opinion_sha256", "adoption")
        return {**{k: d[k] for k in keys}, "experts": experts}

    def place_expert_errors(self, messages: list[str]) -> list[str]:
        """The service names an expert by number or name; put its error on that expert's row."""
        rest = []
        names = {self.cleaned_data.get(f"expert_{i}_name"): i for i in range(1, EXPERT_ROWS + 1)}
        rows = [i for i in range(1, EXPERT_ROWS + 1) if self.cleaned_data.get(f"expert_{i}_name")]
        for m in messages:
            row = next((i for n, i in names.items() if n and f"「{n}」" in m), None)
            if row is None:
                for pos, i in enumerate(rows, start=1):
                    if f"第{pos}位" in m or f"「{pos}」" in m:
                        row = i
            if row is None:
                rest.append(m)
                continue
            part = "conflict" if "利害关系" in m else "signed" if "署名" in m else "name"
            self.add_error(f"expert_{row}_{part}", m)
        return rest


class RiskForm(forms.Form):
    assessed_on = _date("评估日期")
    kind = forms.CharField(label="评估类型", max_length=60, required=False, help_text="如 社会稳定风险评估")
    assessor = forms.CharField(label="评估单位", max_length=200)
    third_party = forms.BooleanField(label="委托第三方评估", required=False)
    risk_points = _text("风险点")
    measures = _text("防范化解措施")
    conclusion = forms.ChoiceField(label="评估结论", choices=RiskConclusion.choices)


class LegalityForm(forms.Form):
    submitted_on = _date("送审日期")
    opinion_on = _date("审查意见日期", help_text="审查时间一般不少于7个工作日（条例第二十七条）")
    opinion = _text("审查意见")
    result = forms.ChoiceField(label="审查结论", choices=LegalityResult.choices)
    adviser_opinions = _text("法律顾问、公职律师意见", required=False)


class CollectiveForm(forms.Form):
    meeting_type = forms.ChoiceField(label="会议类型", choices=MeetingType.choices)
    meeting_on = _date("会议日期")
    attendees = _text("出席人员", max_length=5000, rows=2)
    minutes = _text("会议记录（讨论情况和决定）")
    dissent = _text(
        "不同意见", required=False, help_text="会议组成人员的不同意见应如实记录（条例第三十一条）"
    )
    head_departs = forms.BooleanField(label="行政首长的决定与多数人意见不一致", required=False)
    head_reasons = _text("行政首长说明的理由", required=False, rows=2)
    fair_competition_review = _text("公平竞争审查情况", required=False, rows=2)
    outcome = forms.ChoiceField(label="决定结果", choices=Outcome.choices)


WAIVABLE = [(s, label) for s, label in Step.choices if s in ("participation", "expert", "risk")]


class WaiverForm(forms.Form):
    step = forms.ChoiceField(label="不适用的环节", choices=WAIVABLE)
    reason = _text("不适用理由", max_length=500, rows=3)
    approved_by = forms.CharField(label="批准人", max_length=100)
    approved_on = _date("批准日期", required=False, help_text="不填为今天")


class ReportToPartyForm(forms.Form):
    reported_on = _date("报告党委日期")


class PublishDecisionForm(forms.Form):
    document_no = forms.CharField(label="决策文件文号", max_length=100)
    text = _text("决策文件正文", max_length=100000, rows=8)
    published_on = _date("公布日期", required=False, help_text="不填为今天")
    confirm = _confirm("我已核对，确认向社会公布（程序环节缺失的，将生成失信线索并移送问责；公布后不能撤回）")


class ExecutionReportForm(forms.Form):
    reported_on = _date("报告日期")
    content = _text("执行情况")


class PostEvaluationForm(forms.Form):
    evaluated_on = _date("评估日期")
    evaluator = forms.CharField(label="评估单位", max_length=200)
    conclusion = _text("评估结论")


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="变更为", choices=[("adjusted", "决策调整"), ("suspended", "停止执行")])
    reason = _text("理由", max_length=1000, rows=3)
    confirm = _confirm("确认登记（调整或停止执行将向社会公开）")
