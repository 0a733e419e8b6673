from django import template

from govcredit.core.templatetags.numbers import thousands

register = template.Library()

EVENT_LABELS = {"publish": "公示", "correct": "更正", "withdraw": "撤下公示"}


@register.filter
def event_label(event: str) -> str:
    return EVENT_LABELS.get(event, event)


register.filter("thousands", thousands)  # the builtin one, for templates that load this library
