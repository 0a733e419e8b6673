"""Sanctions services, one module per concern; import from here (``from govcredit.sanctions import
services``) or from the module (``services.referrals.open_referral``).

- ``common``: audit labels, permissions (``can_manage`` …), scopes (``sanctions_for`` …), reasons, people to notify
- ``measures`` 奖惩措施, ``rules`` 联合奖惩规则 and plans, ``sanctions`` applied measures and record events,
  ``rectification`` 限期整改, ``notices`` 通报批评, ``referrals`` 追究责任
"""

from __future__ import annotations

from . import common, measures, notices, rectification, referrals, rules, sanctions  # noqa: F401
from .common import (  # noqa: F401
    TODO_STATUSES,
    _credit_office_users,
    _iso,
    _notify_users,
    _reason,
    _scope,
    _superior_users,
    _unit_users,
    _users_of,
    can_handle_referrals,
    can_manage,
    can_run_checks,
    get_visible,
    mark_notices_read,
    notices_for,
    rectifications_for,
    referrals_for,
    sanctions_for,
)
from .measures import (  # noqa: F401
    MEASURE_FIELDS,
    _measure_snapshot,
    save_measure,
    validate_measure,
)
from .notices import (  # noqa: F401
    NOTICE_TEMPLATE,
    _cn_date,
    _withdraw_notice,
    draft_notice,
    publish_notice,
    published_notices,
    update_notice,
    withdraw_notice,
)
from .rectification import (  # noqa: F401
    _decide_rectification,
    _rect_transition,
    accept_rectification,
    create_rectification,
    escalate_overdue,
    may_decide_rectification,
    may_submit_rectification,
    overdue_rectifications,
    return_rectification,
    submit_rectification,
)
from .referrals import (  # noqa: F401
    open_referral,
    refer_principal,
    referral_unit,
    update_referral,
)
from .rules import (  # noqa: F401
    PlannedMeasure,
    _clean_rule,
    _rule_snapshot,
    _specificity,
    create_rule,
    deactivate_rule,
    matching_rules,
    plan_for,
    revise_rule,
)
from .sanctions import (  # noqa: F401
    _apply_effect,
    _change_end,
    _history,
    _lift,
    _sanction_state,
    adjust_sanction,
    apply_rules,
    end_due_sanctions,
    fit_period,
    lift_sanction,
    mark_disputed,
    on_correct,
    on_repair,
    on_withdrawn,
    sanction_tiles,
)
