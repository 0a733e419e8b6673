"""Issue 13, point 11: time limits cite the rules that apply in 周村区 and mark the district's own."""

import pytest

from govcredit.disputes.clock import BASIS

OTHER_CITIES = ("上海", "广州", "济南", "潍坊", "深圳")


def test_every_case_step_says_its_limit_is_the_districts_and_cites_the_rules_here():
    for basis in BASIS.values():
        assert "本区自定" in basis
        assert "山东省社会信用条例" in basis
        assert not any(city in basis for city in OTHER_CITIES), basis


@pytest.mark.django_db
def test_shipped_rule_rows_cite_no_other_citys_procedures():
    from govcredit.duties.models import LadderStage
    from govcredit.duties.setup import load_defaults as load_ladder
    from govcredit.supervision.models import ComplaintCategory, SupervisionRule
    from govcredit.supervision.rules import load

    load()
    load_ladder()
    sources = [
        *ComplaintCategory.objects.values_list("source", flat=True),
        *SupervisionRule.objects.values_list("source", flat=True),
        *LadderStage.objects.values_list("source", flat=True),
    ]
    assert sources and not [s for s in sources if any(city in s for city in OTHER_CITIES)]


@pytest.mark.django_db
def test_an_installation_with_the_old_default_texts_gets_the_new_ones():
    from govcredit.duties.models import LadderStage, LegalStatus
    from govcredit.duties.setup import load_defaults as load_ladder
    from govcredit.supervision.models import ComplaintCategory
    from govcredit.supervision.rules import load

    load()
    load_ladder()
    old = "⚠ 本区自定，参照《济南市12345市民服务热线条例》第二十四条（5个工作日内答复）"
    ComplaintCategory.objects.filter(code="integrity").update(source=old)
    ComplaintCategory.objects.filter(code="hotline").update(source="信用办改过的说明")
    LadderStage.objects.filter(stage="urge").update(
        source="逾期1个工作日催办：潍坊市12345政务服务便民热线条例第二十六条",
        legal_status=LegalStatus.OFFICIAL,
    )
    load()
    load_ladder()
    assert ComplaintCategory.objects.get(code="integrity").source.startswith("本区自定")
    assert ComplaintCategory.objects.get(code="hotline").source == "信用办改过的说明"  # an edit stays
    urge = LadderStage.objects.get(stage="urge")
    assert urge.legal_status == LegalStatus.LOCAL_CHOICE and "潍坊" not in urge.source
