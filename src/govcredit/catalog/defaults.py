"""The shipped catalog (DESIGN §3). Codes are stable: other systems refer to them."""

# Display periods in months from the decision date (regulations.md §4: 一般 3 months–1 year,
# 严重 1–3 years; 较重 sits between them). Positive records show for three years.
#: 一般 3–12 and 严重 12–36 months: 国办发〔2025〕22号 and 《信用修复管理办法》 (2026), regulations.md §4;
#: 较重 6–24 months and positive information up to 36 months are the district's own (本区自定).
#: The catalog pages say so (catalog/item_detail.html, item_form.html).
NEGATIVE_PERIODS = {
    "general": {"min_months": 3, "max_months": 12},
    "major": {"min_months": 6, "max_months": 24},
    "serious": {"min_months": 12, "max_months": 36},
}
POSITIVE_PERIODS = {s: {"min_months": 0, "max_months": 36} for s in ("general", "major", "serious")}
ALL_SEVERITIES = ["general", "major", "serious"]
GOV_KINDS = ["government", "department"]
ALL_PUBLIC_KINDS = ["government", "department", "civil_servant"]

DEFAULT_ITEMS = [
    {
        "code": "court_judgment",
        "name": "司法判决",
        "negative": True,
        "subject_kinds": ALL_PUBLIC_KINDS,
        "severities": ALL_SEVERITIES,
        "disclosure": "public",
        "repairable": True,
        "source_units": ["区法院"],
        "legal_basis": "国发〔2016〕76号；周政发〔2018〕26号（八）：因违法违规、失信违约被司法判决的信息纳入政务失信记录",
    },
    {
        "code": "dishonest_debtor",
        "name": "失信被执行人",
        "negative": True,
        "subject_kinds": ALL_PUBLIC_KINDS,
        "severities": ["major", "serious"],
        "disclosure": "public",
        "repairable": True,
        "source_units": ["区法院"],
        "legal_basis": "《最高人民法院关于公布失信被执行人名单信息的若干规定》；周政发〔2018〕26号（八）",
    },
    {
        "code": "admin_penalty",
        "name": "行政处罚",
        "negative": True,
        "subject_kinds": ALL_PUBLIC_KINDS,
        "severities": ALL_SEVERITIES,
        "disclosure": "public",
        "repairable": True,
        "source_units": [],
        "legal_basis": "《中华人民共和国行政处罚法》；周政发〔2018〕26号（八）",
    },
    {
        "code": "disciplinary_sanction",
        "name": "纪律处分",
        "negative": True,
        "subject_kinds": ["civil_servant"],
        "severities": ALL_SEVERITIES,
        "disclosure": "shared",
        "repairable": True,
        "source_units": ["区委组织部", "区人社局"],
        "legal_basis": "《中华人民共和国公务员法》《中华人民共和国公职人员政务处分法》；周政发〔2018〕26号（八）",
    },
    {
        "code": "accountability",
        "name": "问责处理",
        "negative": True,
        "subject_kinds": ALL_PUBLIC_KINDS,
        "severities": ALL_SEVERITIES,
        "disclosure": "public",
        "repairable": True,
        "source_units": ["区委组织部", "区人社局"],
        "legal_basis": "《中国共产党问责条例》；周政发〔2018〕26号（八）",
    },
    {
        "code": "contract_breach",
        "name": "合同违约",
        "negative": True,
        "subject_kinds": GOV_KINDS,
        "severities": ALL_SEVERITIES,
        "disclosure": "public",
        "repairable": True,
        "source_units": ["区财政局", "区法院"],
        "legal_basis": "《中华人民共和国民法典》合同编；周政发〔2018〕26号（十一）（十四）",
    },
    {
        "code": "broken_commitment",
        "name": "未履行承诺",
        "negative": True,
        "subject_kinds": ALL_PUBLIC_KINDS,
        "severities": ALL_SEVERITIES,
        "disclosure": "public",
        "repairable": True,
        "source_units": ["区发改局"],
        "legal_basis": "周政发〔2018〕26号（二）四、（十五）（十七）：守信践诺机制",
    },
    {
        "code": "arrears",
        "name": "拖欠账款",
        "negative": True,
        "subject_kinds": GOV_KINDS,
        "severities": ALL_SEVERITIES,
        "disclosure": "public",
        "repairable": True,
        "source_units": ["区财政局", "区法院"],
        "legal_basis": "《保障中小企业款项支付条例》；周政发〔2018〕26号（十一）",
    },
    {
        "code": "commendation",
        "name": "表彰奖励",
        "negative": False,
        "subject_kinds": ALL_PUBLIC_KINDS,
        "severities": ["general"],
        "disclosure": "public",
        "repairable": False,
        "source_units": ["区委组织部", "区人社局"],
        "legal_basis": "周政发〔2018〕26号（九）：守信激励",
    },
    {
        "code": "trust_model",
        "name": "守信典型",
        "negative": False,
        "subject_kinds": ALL_PUBLIC_KINDS,
        "severities": ["general"],
        "disclosure": "public",
        "repairable": False,
        "source_units": ["区发改局"],
        "legal_basis": "周政发〔2018〕26号（二十一）：加大对政务领域守信典型的宣传",
    },
]
