"""`{{ text|post_text:network }}`: a message as the network shows it, escaped, with
its links, mentions and hashtags marked and its line breaks kept."""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from parvis.connectors import text as textlib
from parvis.studio.networks import style_for

register = template.Library()

# Networks that show a long link shortened (without scheme, cut with "…").
SHORTENED_LINKS = {"x", "mastodon", "bluesky"}
SHOWN_LINK_CHARS = 30


@register.filter
def post_text(text: str, network: str = "") -> SafeString:
    clickable = style_for(network).clickable_links if network else True
    spans: list[tuple[int, int, str]] = []
    for match in textlib.URL_PATTERN.finditer(text):
        spans.append((match.start(), match.end(), "link" if clickable else ""))
    taken = [(start, end) for start, end, _ in spans]
    for pattern, kind in (
        (textlib.HASHTAG_PATTERN, "hashtag"),
        (textlib.MENTION_PATTERN, "mention"),
    ):
        for match in pattern.finditer(text):
            if not any(s <= match.start() < e for s, e in taken):
                spans.append((match.start(), match.end(), kind))
                taken.append((match.start(), match.end()))
    html: list[str] = []
    position = 0
    for start, end, kind in sorted(spans):
        html.append(escape(text[position:start]))
        piece = text[start:end]
        if kind == "link" and network in SHORTENED_LINKS:
            piece = _shown_link(piece)
        piece = escape(piece)
        html.append(f'<span class="np__{kind}">{piece}</span>' if kind else piece)
        position = end
    html.append(escape(text[position:]))
    return mark_safe("".join(html).replace("\n", "<br>"))  # noqa: S308 (escaped above)


def _shown_link(url: str) -> str:
    shown = url.split("://", 1)[-1].removeprefix("www.")
    if len(shown) > SHOWN_LINK_CHARS:
        shown = shown[: SHOWN_LINK_CHARS - 1] + "…"
    return shown


@register.filter
def initial(name: str) -> str:
    """The first letter of a name, for an avatar."""
    for char in name:
        if char.isalnum():
            return char.upper()
    return "?"
