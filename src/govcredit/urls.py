from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("office/", include("govcredit.office.urls")),
    path("office/", include("govcredit.accounts.urls")),
    path("office/subjects/", include("govcredit.subjects.urls")),
    path("office/catalog/", include("govcredit.catalog.urls")),
    path("office/records/", include("govcredit.records.urls")),
    path("office/intake/", include("govcredit.intake.urls")),
    path("office/sanctions/", include("govcredit.sanctions.urls")),
    path("office/checks/", include("govcredit.sanctions.check_urls")),
    path("office/disputes/", include("govcredit.disputes.urls")),
    path("office/exchange/", include("govcredit.exchange.urls")),
    path("office/bidding/", include("govcredit.bidding.urls")),
    path("office/debt/", include("govcredit.debt.urls")),
    path("office/personnel/", include("govcredit.personnel.urls")),
    path("office/duties/", include("govcredit.duties.urls")),
    path("office/contracts/", include("govcredit.contracts.urls")),
    path("office/ppp/", include("govcredit.ppp.urls")),
    path("office/commitments/", include("govcredit.commitments.urls")),
    path("office/keytasks/", include("govcredit.keytasks.urls")),
    path("office/decisions/", include("govcredit.decisions.urls")),
    path("office/openinfo/", include("govcredit.openinfo.urls")),
    path("office/efficiency/", include("govcredit.efficiency.urls")),
    path("office/supervision/", include("govcredit.supervision.urls")),
    path("office/evaluation/", include("govcredit.evaluation.urls")),
    path("office/system/admin/", admin.site.urls),
    path("api/", include("govcredit.api.urls")),
    path("commitments/", include("govcredit.commitments.portal_urls")),  # 承诺公示 (portal)
    path("tasks/", include("govcredit.keytasks.portal_urls")),  # 重点任务进展 (portal)
    path("decisions/", include("govcredit.decisions.portal_urls")),  # 重大行政决策 (portal)
    path("openinfo/", include("govcredit.openinfo.portal_urls")),  # 依申请公开 (portal)
    path("efficiency/", include("govcredit.efficiency.portal_urls")),  # 办事效率、蜗牛奖 (portal)
    path("evaluation/", include("govcredit.evaluation.portal_urls")),  # 政务诚信评价 (portal)
    path("", include("govcredit.supervision.portal_urls")),  # complaints/, typical-cases/
    path("", include("govcredit.portal.urls")),
]

handler403 = "govcredit.core.views.permission_denied"
handler404 = "govcredit.core.views.page_not_found"
