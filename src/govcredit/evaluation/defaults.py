"""The default indicator set shipped by ``govcredit setup`` (draft for the credit office to approve and
edit). Modelled on the published standards of WAVE2 §6 ⚠: the dimensions of 天津 DB12/T 1407-2024 and
its 2024 district evaluation (依法行政、政务公开、勤政高效、守信践诺、政务信用管理、信用创新), a 100-point
total like the NDRC 城市信用状况监测 indicators, grade names of 浙江 (优秀/良好/中等/较差). Every weight,
band and the appeal period is this district's choice (``legal_status = local_choice``)."""

from __future__ import annotations

CODE = "zhoucun-gi"
NAME = "周村区政务诚信评价指标体系"
SOURCE = (
    "参照天津市地方标准DB12/T 1407-2024《区域政务诚信评价规范》一级指标维度、国家发展改革委城市信用状况监测"
    "预警指标（2020）百分制和浙江省优秀/良好/中等/较差等次设置，分值与等次线为本区自定"
)
BANDS = [
    {"grade": "A", "label": "优秀", "min": "90"},
    {"grade": "B", "label": "良好", "min": "80"},
    {"grade": "C", "label": "中等", "min": "60"},
    {"grade": "D", "label": "较差", "min": "0"},
]
SEV = {"general": 2, "major": 5, "serious": 10}

# (code, name, points, method, params, applies_to, description, children)
TREE = [
    (
        "1",
        "依法行政",
        25,
        "",
        {},
        "all",
        "科学民主决策与依法履职（DB12/T 1407-2024）",
        [
            (
                "1.1",
                "政务失信记录",
                15,
                "record_deduction",
                {"severity_points": SEV, "cap": 15},
                "all",
                "评价期内经认定并公示的政务失信记录：一般每条扣2分、较重扣5分、严重扣10分，扣完为止",
                [],
            ),
            (
                "1.2",
                "重大行政决策程序合规",
                5,
                "event_rate",
                {"indicators": ["decision_consultation_compliant"], "empty": "full"},
                "all",
                "重大行政决策公众参与等程序合规的比率（国务院令第713号）",
                [],
            ),
            (
                "1.3",
                "严重政务失信一票否决",
                0,
                "veto",
                {"severities": ["serious"], "items": ["illegal_borrowing", "dishonest_debtor"]},
                "all",
                "存在违法违规举债或被列为失信被执行人等严重政务失信记录的，等次定为较差",
                [],
            ),
            (
                "1.4",
                "公开承诺情况",
                5,
                "manual",
                {},
                "all",
                "依法行政、政务公开承诺制度建立和公开情况（须附佐证）",
                [],
            ),
        ],
    ),
    (
        "2",
        "守信践诺",
        25,
        "",
        {},
        "all",
        "政府服务优化与履约践诺",
        [
            (
                "2.1",
                "承诺按期兑现",
                10,
                "event_rate",
                {
                    "indicators": [
                        "commitment_fulfilled_on_time",
                        "commitment_not_fulfilled",
                        "commitment_on_time",
                    ],
                    "empty": "full",
                },
                "all",
                "公开承诺按期兑现的比率（政策（十五）（十七）（十九））",
                [],
            ),
            (
                "2.2",
                "合同履约与清欠",
                10,
                "event_deduction",
                {
                    "indicators": [
                        "payment_days_late",
                        "obligation_days_late",
                        "arrears_complaint_substantiated",
                        "ppp_fiscal_unpaid",
                    ],
                    "per_event": 2,
                    "cap": 10,
                },
                "all",
                "政府合同逾期付款、逾期履约和拖欠中小企业账款投诉查实，每件扣2分（政策（十一）（十四））",
                [],
            ),
            (
                "2.3",
                "进展报告按时报送",
                5,
                "event_rate",
                {
                    "indicators": [
                        "commitment_report_on_time",
                        "commitment_report_late",
                        "keytask_report_on_time",
                    ],
                    "empty": "full",
                },
                "all",
                "承诺和重点任务进展报告按时报送的比率",
                [],
            ),
        ],
    ),
    (
        "3",
        "政务公开",
        15,
        "",
        {},
        "all",
        "政务公开（政府信息公开条例）",
        [
            (
                "3.1",
                "依申请公开按时答复",
                8,
                "event_rate",
                {
                    "indicators": ["info_request_on_time", "info_request_late", "info_request_overdue"],
                    "empty": "full",
                },
                "all",
                "依申请公开在法定期限内答复的比率（条例第三十三条）",
                [],
            ),
            (
                "3.2",
                "主动公开及时",
                7,
                "event_rate",
                {
                    "indicators": [
                        "proactive_item_on_time",
                        "proactive_item_late",
                        "proactive_item_unpublished",
                        "ppp_disclosure_late",
                        "debt_disclosure_days",
                    ],
                    "empty": "full",
                },
                "all",
                "主动公开事项按时公开的比率",
                [],
            ),
        ],
    ),
    (
        "4",
        "勤政高效",
        15,
        "",
        {},
        "all",
        "勤政高效（政策（六）（二十））",
        [
            (
                "4.1",
                "投诉和建议提案按时办理",
                8,
                "event_rate",
                {
                    "indicators": [
                        "complaint_replied_on_time",
                        "complaint_replied_late",
                        "motion_answered_on_time",
                        "motion_answered_late",
                    ],
                    "empty": "full",
                },
                "all",
                "投诉举报、人大代表建议和政协提案按时答复的比率",
                [],
            ),
            (
                "4.2",
                "蜗牛奖通报",
                7,
                "event_deduction",
                {"indicators": ["snail_award"], "per_event": 3.5, "cap": 7},
                "all",
                "被评为“蜗牛奖”的，每次扣3.5分",
                [],
            ),
        ],
    ),
    (
        "5",
        "政务信用管理",
        10,
        "",
        {},
        "all",
        "政务信用管理",
        [
            (
                "5.1",
                "信用信息报送和异议处理",
                5,
                "manual",
                {},
                "all",
                "按目录报送政务信用信息、按时处理异议和信用修复（须附佐证）",
                [],
            ),
            (
                "5.2",
                "诚信教育培训",
                5,
                "manual",
                {},
                "all",
                "公务员诚信教育培训组织情况（政策（七），须附佐证）",
                [],
            ),
        ],
    ),
    (
        "6",
        "信用创新",
        10,
        "",
        {},
        "all",
        "信用创新（DB12/T 1407-2024）",
        [
            ("6.1", "信用创新案例", 5, "manual", {}, "all", "信用创新做法和典型案例（须附佐证）", []),
            (
                "6.2",
                "守信激励与典型宣传",
                5,
                "event_bonus",
                {"indicators": ["typical_case_published"], "per_event": 1, "cap": 5},
                "all",
                "诚信典型案例公开宣传，每件加1分（政策（二十一））",
                [],
            ),
        ],
    ),
]
METHODOLOGY = (
    "评价对象为各镇（街道）、开发区和区直部门，分两组排名。评价期为上一自然年度，数据截止日由信用办确定。"
    "自动计分指标只使用截至数据截止日已公示的政务失信记录和政务诚信事件；单位自评指标须上传佐证材料，"
    "由区社会信用体系建设联席会议成员单位审核。结果公布后5个工作日内可申诉，申诉处理完毕后终定。"
    "每一项得分都可追溯到所用的信用记录编号和事件编号；评价批次的全部输入冻结并以SM3摘要登记在公开事项日志，"
    "任何人可复算核验。第三方机构评价结果单独展示，不计入本评价。"
)
