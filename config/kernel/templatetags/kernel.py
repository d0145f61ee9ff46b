"""Template tags of the kernel: ``{% once_only %}`` puts a fresh once-only token in a form."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from config.kernel import onceonly

register = template.Library()


@register.simple_tag
def once_only() -> SafeString:
    return format_html(
        '<input type="hidden" name="{}" value="{}">', onceonly.FIELD, onceonly.new_token()
    )
