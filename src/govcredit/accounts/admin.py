"""The administrator's screens (系统设置, Django admin): units and their flags, users, memberships."""

from __future__ import annotations

from django.contrib import admin

from .models import Membership, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = (
        "name",
        "short_name",
        "is_source_unit",
        "is_credit_office",
        "runs_credit_checks",
        "handles_referrals",
        "active",
    )
    list_editable = ("is_source_unit", "runs_credit_checks", "handles_referrals", "active")
    list_filter = ("is_source_unit", "is_credit_office", "runs_credit_checks", "handles_referrals", "active")
    search_fields = ("name", "short_name")
    fields = (
        "name",
        "short_name",
        "parent",
        "is_source_unit",
        "is_credit_office",
        "runs_credit_checks",
        "handles_referrals",
        "active",
    )
    raw_id_fields = ("parent",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ("user", "organisation", "role", "can_unmask")
    list_filter = ("role",)
    search_fields = ("user__username", "organisation__name")
    raw_id_fields = ("user", "organisation")
