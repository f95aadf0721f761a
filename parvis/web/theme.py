"""The CSS custom properties of one authority's theme, from its checked brand colours."""

from typing import Any

from parvis.territory.brand import HEX_COLOR, darken_until_readable

DEFAULT_PRIMARY = "#1f4e79"
DEFAULT_ON_PRIMARY = "#ffffff"


def theme_for(authority: Any) -> dict[str, str]:
    primary = getattr(authority, "primary_color", "") or DEFAULT_PRIMARY
    on_primary = getattr(authority, "on_primary_color", "") or DEFAULT_ON_PRIMARY
    # Values reach a <style> element: only well-formed hex colours get through.
    if not HEX_COLOR.match(primary) or not HEX_COLOR.match(on_primary):
        primary, on_primary = DEFAULT_PRIMARY, DEFAULT_ON_PRIMARY
    return {
        "primary": primary,
        "on_primary": on_primary,
        "link": darken_until_readable(primary),
    }
