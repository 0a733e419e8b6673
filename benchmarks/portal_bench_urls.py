"""The project's URLs plus /__bench/ok/: the minimal Django view the portal is compared with."""

from django.http import HttpResponse
from django.urls import path

from govcredit.urls import urlpatterns as project_urls


def ok(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("__bench/ok/", ok), *project_urls]
