"""信用周村: file a request for government information online and follow it with the tracking code."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from govcredit.core.errors import CreditError
from govcredit.office.views import apply_form_errors

from . import services
from .forms import RequestForm, TrackForm


@never_cache
@require_http_methods(["GET", "POST"])
def new_request(request):
    form = RequestForm(request.POST or None)
    filed = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = {**form.cleaned_data, "unit_id": form.cleaned_data["unit_id"].pk}
            try:
                filed = services.file_online(data)
            except CreditError as exc:
                apply_form_errors(form, exc)
                status = 422
        else:
            status = 422
    return render(request, "openinfo/portal_new.html", {"form": form, "filed": filed}, status=status)


@never_cache
@require_safe
def track(request):
    form = TrackForm(request.GET or None)
    view, status = None, 200
    if request.GET.get("code") and form.is_valid():
        try:
            view = services.public_view(services.find_by_code(form.cleaned_data["code"]))
        except CreditError as exc:
            form.add_error("code", exc.message)
            status = 404
    return render(request, "openinfo/portal_track.html", {"form": form, "view": view}, status=status)
