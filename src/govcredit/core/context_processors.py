def govcredit(request):
    """Site settings for the portal footer (core.site; the back office adds its own: office.context_processors)."""
    from govcredit.core.site import footer

    return {"site_footer": footer()}
