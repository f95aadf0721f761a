"""Reading an article page: trafilatura finds the main text, title, date and author;
the page's own metadata adds what the team needs to write about it:

- the canonical address (<link rel="canonical">, else og:url, else the address read),
  without tracking parameters, so that one article reached by several links is one;
- the lead image (og:image, else the first image of the article) with its alternative
  text (og:image:alt, else the <img alt> of that image) and caption (its <figcaption>);
- the lead: the page's description (meta description, og:description), else the first
  paragraph of the text;
- the language (<html lang>, else og:locale), as a primary subtag ("fr").

Everything returned is plain text: no HTML from the page reaches Parvis' pages.
"""

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import lxml.html
import trafilatura
from lxml import etree

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
# Parameters that identify a click, not a page.
TRACKING_PARAMETERS = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|xtor|at_\w+|pk_\w+|mtm_\w+)$",
    re.IGNORECASE,
)
WHITESPACE = re.compile(r"[ \t\u00a0]+")
_PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)


@dataclass(frozen=True)
class ExtractedArticle:
    url: str
    canonical_url: str
    title: str
    lead: str
    text: str
    published_at: dt.datetime | None
    author: str
    image_url: str
    image_alt: str
    image_caption: str
    language: str


def extract_article(html: str, url: str) -> ExtractedArticle:
    """The article of the page `html` read at `url` (see the module docstring)."""
    tree = _parse(html)
    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        deduplicate=False,
    )
    found = _Found(document)
    meta = _Meta(tree, url)
    title = _one_line(found.title or meta.first("og:title") or meta.heading())
    text = _clean_text(found.text, title)
    image_url, image_alt, image_caption = _lead_image(tree, meta, url)
    return ExtractedArticle(
        url=url,
        canonical_url=canonical(meta.canonical or url),
        title=title,
        lead=_lead(meta, text),
        text=text,
        published_at=_published_at(meta, found.date),
        author=_one_line(found.author or meta.named("author")),
        image_url=image_url,
        image_alt=image_alt,
        image_caption=image_caption,
        language=meta.language() or (found.language or "")[:2].lower(),
    )


def canonical(url: str) -> str:
    """`url` without fragment and tracking parameters, scheme and host lowercase."""
    parts = urlsplit(url.strip())
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not TRACKING_PARAMETERS.match(key)
    ]
    return urlunsplit(
        (
            parts.scheme.lower(),
            parts.netloc.lower(),
            parts.path or "/",
            urlencode(query),
            "",
        )
    )


class _Found:
    """What trafilatura found (it answers None when it finds no main text)."""

    def __init__(self, document: object) -> None:
        self.title = getattr(document, "title", None) or ""
        self.text = getattr(document, "text", None) or ""
        self.author = getattr(document, "author", None) or ""
        self.date = getattr(document, "date", None) or ""
        self.language = getattr(document, "language", None) or ""


class _Meta:
    def __init__(self, tree: etree._Element | None, url: str) -> None:
        self.tree = tree
        self.url = url
        self.properties: dict[str, list[str]] = {}
        if tree is None:
            return
        for element in tree.iter("meta"):
            key = (element.get("property") or element.get("name") or "").lower()
            value = (element.get("content") or "").strip()
            if key and value:
                self.properties.setdefault(key, []).append(value)

    def first(self, *keys: str) -> str:
        for key in keys:
            values = self.properties.get(key)
            if values:
                return values[0]
        return ""

    def named(self, key: str) -> str:
        return self.first(key)

    @property
    def canonical(self) -> str:
        if self.tree is not None:
            for link in self.tree.iter("link"):
                rel = (link.get("rel") or "").lower().split()
                if "canonical" in rel and link.get("href"):
                    return _absolute_http(link.get("href", ""), self.url)
        return _absolute_http(self.first("og:url"), self.url)

    def heading(self) -> str:
        if self.tree is None:
            return ""
        for tag in ("h1", "title"):
            for element in self.tree.iter(tag):
                text = element.text_content().strip()
                if text:
                    return text
        return ""

    def language(self) -> str:
        value = ""
        if self.tree is not None:
            value = self.tree.get("lang") or self.tree.get(
                "{http://www.w3.org/XML/1998/namespace}lang", ""
            )
        value = value or self.first("og:locale")
        match = re.match(r"[A-Za-z]{2,3}", value.strip())
        return match.group(0).lower() if match else ""


def _parse(html: str) -> etree._Element | None:
    if not html.strip():
        return None
    try:
        # Bytes with a fixed encoding: the text is already decoded, whatever charset
        # the page declares (and lxml refuses str with an XML encoding declaration).
        return lxml.html.document_fromstring(html.encode("utf-8"), parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None


def _absolute_http(href: str, base: str) -> str:
    if not href.strip():
        return ""
    absolute = urljoin(base, href.strip())
    return absolute if urlsplit(absolute).scheme in {"http", "https"} else ""


def _one_line(text: str) -> str:
    return WHITESPACE.sub(" ", " ".join(text.split())).strip()


def _clean_text(text: str, title: str) -> str:
    """Paragraphs separated by a blank line, without the title repeated on top."""
    lines = [WHITESPACE.sub(" ", line).strip() for line in text.splitlines()]
    paragraphs = [line for line in lines if line]
    if paragraphs and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    return "\n\n".join(paragraphs)


def _lead(meta: _Meta, text: str) -> str:
    description = _one_line(meta.first("description", "og:description"))
    if description:
        return description
    return text.split("\n\n", 1)[0] if text else ""


def _published_at(meta: _Meta, found_date: str) -> dt.datetime | None:
    for value in (
        meta.first("article:published_time", "og:article:published_time"),
        _time_element(meta.tree),
        found_date,
    ):
        parsed = _parse_datetime(value)
        if parsed is not None:
            return parsed
    return None


def _time_element(tree: etree._Element | None) -> str:
    if tree is None:
        return ""
    for scope in ("//article//time[@datetime]", "//main//time[@datetime]"):
        found = tree.xpath(scope)
        if found:
            return found[0].get("datetime", "")
    return ""


def _parse_datetime(value: str) -> dt.datetime | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        # A date without a time zone on a French site: Paris time.
        parsed = parsed.replace(tzinfo=PARIS)
    return parsed.astimezone(dt.UTC)


def _lead_image(
    tree: etree._Element | None, meta: _Meta, url: str
) -> tuple[str, str, str]:
    """(address, alternative text, caption) of the page's lead image."""
    image_url = _absolute_http(
        meta.first("og:image:secure_url", "og:image", "og:image:url", "twitter:image"),
        url,
    )
    alt = _one_line(meta.first("og:image:alt", "twitter:image:alt"))
    image = _find_img(tree, image_url, url)
    if image is not None:
        if not image_url:
            image_url = _absolute_http(_img_src(image), url)
        if not alt:
            alt = _one_line(image.get("alt") or "")
        caption = _caption_of(image)
    else:
        caption = ""
    return image_url, alt, caption


def _find_img(
    tree: etree._Element | None, image_url: str, url: str
) -> etree._Element | None:
    """The <img> showing `image_url` (same file name), else, without an og:image, the
    first image of the article."""
    if tree is None:
        return None
    images = tree.xpath("//article//img | //main//img") or tree.xpath("//img")
    if image_url:
        wanted = _file_stem(image_url)
        for image in images:
            if wanted and _file_stem(urljoin(url, _img_src(image))) == wanted:
                return image
        return None
    return images[0] if images else None


def _img_src(image: etree._Element) -> str:
    return (
        image.get("src")
        or image.get("data-src")
        or (image.get("srcset") or "").split(" ", 1)[0]
        or ""
    )


def _file_stem(address: str) -> str:
    """The file name without extension nor resizing suffix ("parc-1200x675.jpg" ->
    "parc"): CMS serve the og:image and the inline image at different sizes."""
    name = urlsplit(address).path.rsplit("/", 1)[-1].lower()
    name = name.rsplit(".", 1)[0]
    return re.sub(r"[-_]\d+x\d+$", "", name)


def _caption_of(image: etree._Element) -> str:
    for ancestor in image.iterancestors():
        if ancestor.tag == "figure":
            captions = ancestor.xpath(".//figcaption")
            if captions:
                return _one_line(captions[0].text_content())
            return ""
    return ""
