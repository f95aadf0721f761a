from django import template

register = template.Library()


@register.filter
def thousands(value: int | None) -> str:
    """12345 -> "12 345" (French thousands separator, a narrow no-break space)."""
    if value is None:
        return ""
    return f"{int(value):,}".replace(",", "\u202f")
