from django.urls import path

from . import views

app_name = "contracts"

urlpatterns = [
    path("", views.contract_list, name="list"),
    path("new/", views.contract_new, name="new"),
    path("import/", views.import_view, name="import"),
    path("due-soon/", views.due_soon, name="due_soon"),
    path("<int:pk>/", views.contract_detail, name="detail"),
    path("<int:pk>/obligations/<int:ob>/payments/", views.payment_add, name="payment_add"),
    path("<int:pk>/obligations/<int:ob>/events/", views.event_add, name="event_add"),
    path("<int:pk>/changes/", views.change_add, name="change_add"),
    path("arrears/", views.arrears_list, name="arrears"),
    path("arrears/<int:pk>/", views.arrears_detail, name="arrears_detail"),
    path("complaints/", views.complaint_list, name="complaints"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint_detail"),
    path("complaints/<int:pk>/forward/", views.complaint_forward, name="complaint_forward"),
    path("complaints/<int:pk>/decide/", views.complaint_decide, name="complaint_decide"),
]
