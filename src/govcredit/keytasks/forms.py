"""The report form (rendered with core/_field.html; the rules are in ``services.submit_report``)."""

from __future__ import annotations

from django import forms

from .models import Progress


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ReportForm(forms.Form):
    unit = forms.ChoiceField(label="报送单位", required=False)
    period = forms.ChoiceField(label="报送期", required=False)
    progress = forms.ChoiceField(label="进展", required=False)
    completed_on = forms.DateField(
        label="完成日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="仅在进展为“已完成”时填写",
    )
    summary = forms.CharField(
        label="工作进展", required=False, widget=forms.Textarea(attrs={"rows": 6, "maxlength": 4000})
    )
    problems = forms.CharField(
        label="存在问题和下步打算",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
    )
    evidence = forms.FileField(
        label="佐证材料",
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.ofd,.jpg,.jpeg,.png"}),
        help_text="至少一份，可多选；PDF、OFD、JPG、PNG",
    )

    def __init__(self, *args, units=(), periods=(), with_completed=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]
        self.fields["period"].choices = [(p.code, f"{p.label}（{p.code}）") for p in periods]
        self.fields["progress"].choices = [
            c for c in Progress.choices if with_completed or c[0] != Progress.COMPLETED
        ]
        if not with_completed:
            del self.fields["completed_on"]
