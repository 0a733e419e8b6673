import datetime as dt

from govcredit.core import setup_hooks
from govcredit.keytasks import annex
from govcredit.keytasks.models import KeyTask, TaskLead


def leads(number):
    return [
        lead.unit.short_name for lead in TaskLead.objects.filter(task__number=number).select_related("unit")
    ]


def test_setup_seeds_the_annex_exactly(reference):
    assert KeyTask.objects.count() == 18
    assert list(KeyTask.objects.values_list("number", flat=True)) == list(range(1, 19))
    t4 = KeyTask.objects.get(number=4)
    assert t4.title == "加强公务员诚信教育" and leads(4) == ["区委组织部", "区人社局"]
    assert t4.deadline == dt.date(2018, 12, 31) and t4.schedule == "2018年12月底前完成"
    assert {t.number for t in KeyTask.objects.filter(deadline=dt.date(2018, 12, 31))} == {4, 10, 13}
    assert KeyTask.objects.filter(deadline__isnull=True).count() == 15
    assert all(t.schedule.startswith("持续实施") for t in KeyTask.objects.filter(deadline__isnull=True))
    t5 = KeyTask.objects.get(number=5)
    assert leads(5) == ["区法院", "区检察院", "区委组织部", "区政府办公室", "区发改局", "区人社局"]
    assert t5.lead_mode == "separate" and t5.cooperating == [] and t5.responsibility.endswith("分别负责")
    t16 = KeyTask.objects.get(number=16)
    assert t16.note == "涉及法律、行政法规的,按照立法程序推进"
    assert leads(16) == ["区政府办公室", "区委组织部", "区编办", "区发改局", "区人社局"]
    assert KeyTask.objects.get(number=10).cooperating == ["区有关部门"]
    assert KeyTask.objects.get(number=14).cooperating == ["各镇、街道、经济开发区"]
    assert KeyTask.objects.get(number=1).cooperating == ["区有关部门", "各镇、街道、经济开发区"]
    assert leads(10) == ["区发改局", "区住建局", "市公共资源交易中心周村分中心"]
    assert KeyTask.objects.get(number=1).policy_section == "（四）"
    assert KeyTask.objects.get(number=18).policy_section == "（二十一）"
    # every lead unit the annex names is a real unit of the reference data
    assert TaskLead.objects.count() == sum(len(t["leads"]) for t in annex.TASKS)


def test_setup_is_idempotent_and_keeps_edits(reference):
    KeyTask.objects.filter(number=2).update(title="改过的名称")
    setup_hooks.run("load_defaults", log=lambda *_: None)
    assert KeyTask.objects.count() == 18 and TaskLead.objects.count() == 44
    assert KeyTask.objects.get(number=2).title == "改过的名称"
