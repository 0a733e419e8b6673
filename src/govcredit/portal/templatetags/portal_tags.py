from django import template

register = template.Library()

EVENT_LABELS = {"publish": "公示", "correct": "更正", "withdraw": "撤下公示"}


@register.filter
def event_label(event: str) -> str:
    return EVENT_LABELS.get(event, event)


@register.filter
def thousands(value) -> str:
    """1234567 → 1,234,567 (UI.md: numbers with thousands separators)."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return str(value)
