from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("", views.run_list, name="runs"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/<slug:action>/", views.run_action, name="run_action"),
    path("results/<int:pk>/", views.result_detail, name="result"),
    path("results/<int:pk>/appeal/", views.appeal_new, name="appeal_new"),
    path("appeals/<int:pk>/decide/", views.appeal_decide, name="appeal_decide"),
    path("lines/<int:pk>/<slug:action>/", views.line_action, name="line_action"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("sets/", views.set_list, name="sets"),
    path("sets/<int:pk>/", views.set_detail, name="set"),
    path("sets/<int:pk>/<slug:action>/", views.set_action, name="set_action"),
]
