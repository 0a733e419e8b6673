import datetime as dt

import pytest

from govcredit.core.codes import make_id_number, make_uscc
from govcredit.core.errors import ValidationFailed
from govcredit.core.models import AuditEntry
from govcredit.subjects import services
from govcredit.subjects.models import Subject, SubjectKind


def test_reference_data_names_every_unit_with_valid_placeholder_codes(reference):
    from govcredit.core.codes import is_valid_uscc

    names = set(Subject.objects.values_list("name", flat=True))
    for expected in [
        "周村区人民政府",
        "周村经济开发区管理委员会",
        "王村镇人民政府",
        "丝绸路街道办事处",
        "周村区人民法院",
        "周村区人民检察院",
        "中共周村区委宣传部",
        "周村区人民政府法制办公室",
        "淄博市公共资源交易中心周村分中心",
    ]:
        assert expected in names
    assert all(is_valid_uscc(s.uscc) and s.placeholder_code for s in Subject.objects.all())
    assert Subject.objects.get(name="王村镇人民政府").division_code == "370306102000"


def test_setup_is_idempotent(reference):
    from govcredit.core import setup_hooks

    before = Subject.objects.count()
    setup_hooks.run("load_defaults", log=lambda *_: None)
    assert Subject.objects.count() == before


@pytest.mark.parametrize("q", ["zcqfgj", "zcqfzhggj", "发展和改革", "区发改局"])
def test_search_by_name_initials_and_alias(reference, q):
    assert "周村区发展和改革局" in [s.name for s in services.search_subjects(q)]


def test_search_by_code(reference):
    subject = Subject.objects.get(name="周村区财政局")
    assert list(services.search_subjects(subject.uscc)) == [subject]


def test_invalid_uscc_names_the_expected_check_character(db):
    code = make_uscc("11370306", 4242)
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(ValidationFailed) as exc:
        services.create_subject(services.SubjectData(kind=SubjectKind.DEPARTMENT, name="测试局", uscc=wrong))
    assert f"校验位应为 {code[-1]}" in exc.value.field_errors["uscc"][0]
    assert not Subject.objects.filter(name="测试局").exists()


def test_people_are_stored_encrypted_and_revealed_only_with_permission(personas):
    idno = make_id_number("370306", dt.date(1985, 1, 2), 7)
    person = services.create_subject(
        services.SubjectData(kind=SubjectKind.PERSON, name="李四", id_number=idno)
    )
    assert idno not in person.id_cipher and person.id_masked.startswith("370306********")
    assert services.find_by_code(idno) == person
    from govcredit.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.reveal_id_number(person, access=personas.access(personas.court))
    assert services.reveal_id_number(person, access=personas.access(personas.office)) == idno
    assert AuditEntry.objects.filter(action="govcredit.pii.unmasked", object_id=str(person.pk)).count() == 1


def test_rename_keeps_history_and_codes_never_change(reference):
    subject = Subject.objects.get(name="周村区招商局")
    services.rename_subject(subject, "周村区投资促进局", actor=None, reason="机构改革")
    assert list(subject.names.values_list("name", flat=True)) == ["周村区投资促进局", "周村区招商局"]
    code = make_uscc("11370306", 777)
    services.replace_placeholder_code(subject, code, actor=None)
    with pytest.raises(ValidationFailed):
        services.replace_placeholder_code(subject, make_uscc("11370306", 778), actor=None)


def test_principal_on_a_date_follows_tenure(reference):
    unit = Subject.objects.get(name="周村区财政局")
    a = services.create_subject(
        services.SubjectData(
            kind=SubjectKind.CIVIL_SERVANT,
            name="甲局长",
            id_number=make_id_number("370306", dt.date(1970, 1, 1), 1),
        )
    )
    b = services.create_subject(
        services.SubjectData(
            kind=SubjectKind.CIVIL_SERVANT,
            name="乙局长",
            id_number=make_id_number("370306", dt.date(1971, 1, 1), 3),
        )
    )
    services.add_tenure(
        a, unit, position="局长", start=dt.date(2018, 1, 1), end=dt.date(2022, 6, 30), is_principal=True
    )
    services.add_tenure(b, unit, position="局长", start=dt.date(2022, 7, 1), is_principal=True)
    assert services.principal_on(unit, dt.date(2020, 5, 1)).person == a
    assert services.principal_on(unit, dt.date(2024, 5, 1)).person == b
    with pytest.raises(ValidationFailed):
        services.add_tenure(a, unit, position="x", start=dt.date(2024, 1, 1), end=dt.date(2023, 1, 1))


def test_initials_word_by_word_match_pypinyin_on_the_whole_name():
    from pypinyin import Style, lazy_pinyin

    from govcredit.subjects.services import _initials_of

    names = [
        "周村区发展和改革局",
        "中国农业银行淄博周村支行",
        "重庆长安汽车股份有限公司",
        "行长办公室",
        "淄博市周村区第3号机关单位",
        "ABC科技（淄博）有限公司",
        "王重阳",
        "单雄信",
        "区发改局",
    ]
    for name in names * 2:  # the second round answers from the word cache
        assert (
            _initials_of(name)
            == "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()
        )
