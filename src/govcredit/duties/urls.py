from django.urls import path

from . import views

app_name = "duties"

urlpatterns = [
    path("", views.duty_list, name="list"),
    path("findings/", views.finding_list, name="findings"),
    path("findings/<int:pk>/", views.finding_detail, name="finding"),
]
