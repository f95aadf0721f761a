"""Brand colours: WCAG 2.1 contrast, and the theme derived from two colours."""

import re

HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
AA_NORMAL_TEXT = 4.5


def relative_luminance(hex_color: str) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour written #rrggbb."""
    channels = []
    for index in (1, 3, 5):
        value = int(hex_color[index : index + 2], 16) / 255
        channels.append(
            value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4
        )
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted(
        (relative_luminance(first), relative_luminance(second)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def darken_until_readable(hex_color: str, background: str = "#ffffff") -> str:
    """The colour itself if it reads on `background` at AA, else a darker shade that
    does (for links and focus rings drawn in the brand colour on white)."""
    red, green, blue = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    for _ in range(40):
        candidate = f"#{red:02x}{green:02x}{blue:02x}"
        if contrast_ratio(candidate, background) >= AA_NORMAL_TEXT:
            return candidate
        red, green, blue = (int(channel * 0.9) for channel in (red, green, blue))
    return "#000000"
