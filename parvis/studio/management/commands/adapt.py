"""`parvis adapt SOURCE`: every variant of an article, with its checks.

SOURCE is a URL (fetched safely), an HTML file, or a text file (first line: title)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from parvis.studio.audiences import default_profiles
from parvis.studio.checks import check_against_source
from parvis.studio.engine import SourceText, adapt
from parvis.studio.networks import NETWORKS

DEFAULT_AUDIENCES = (
    "habitants,familles,jeunes,seniors,entreprises,touristes,nouveaux-arrivants"
)


def source_from(argument: str) -> SourceText:
    from parvis.sources.extract import extract_article

    if argument.startswith(("http://", "https://")):
        from parvis.sources.fetch import FetchRefused, fetch

        try:
            page = fetch(argument)
        except FetchRefused as error:
            raise CommandError(str(error)) from error
        article = extract_article(page.text, page.final_url)
    else:
        path = Path(argument)
        if not path.is_file():
            raise CommandError(f"No such file or URL: {argument}")
        content = path.read_text(encoding="utf-8")
        if path.suffix.lower() not in {".html", ".htm"}:
            title, _, text = content.strip().partition("\n")
            return SourceText(title=title.strip(), text=text.strip())
        article = extract_article(content, path.resolve().as_uri())
    return SourceText(
        title=article.title,
        lead=article.lead,
        text=article.text,
        url=article.canonical_url or article.url,
        published_at=article.published_at,
        image_url=article.image_url,
        image_alt=article.image_alt or article.image_caption,
    )


class Command(BaseCommand):
    help = (
        "Write the variants of an article for each network and audience, with checks."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="URL, HTML file or text file")
        parser.add_argument("--channels", default=",".join(NETWORKS))
        parser.add_argument("--audiences", default=DEFAULT_AUDIENCES)
        parser.add_argument("--campaign", default="")
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args, source, channels, audiences, campaign, format, **options):
        networks = [n.strip() for n in channels.split(",") if n.strip()]
        unknown = sorted(set(networks) - set(NETWORKS))
        if unknown:
            raise CommandError(f"Unknown channels: {', '.join(unknown)}")
        profiles = default_profiles()
        wanted = [a.strip() for a in audiences.split(",") if a.strip()]
        missing = sorted(set(wanted) - set(profiles))
        if missing:
            raise CommandError(f"Unknown audiences: {', '.join(missing)}")
        article = source_from(source)
        results = []
        for network in networks:
            for slug in wanted:
                variant = adapt(
                    article,
                    network=network,
                    audience=profiles[slug],
                    campaign_slug=campaign,
                )
                checks = check_against_source(
                    variant.parts,
                    source=article,
                    network=network,
                    audience=profiles[slug],
                    image_alt=variant.image_alt,
                )
                results.append(
                    {
                        "channel": network,
                        "audience": slug,
                        "parts": variant.parts,
                        "hashtags": variant.hashtags,
                        "links": variant.links,
                        "checks": {
                            name: check.as_dict() for name, check in checks.items()
                        },
                    }
                )
        if format == "json":
            self.stdout.write(json.dumps(results, ensure_ascii=False, indent=2))
            return
        for result in results:
            self.stdout.write(f"=== {result['channel']} · {result['audience']}")
            for index, part in enumerate(result["parts"], 1):
                if len(result["parts"]) > 1:
                    self.stdout.write(f"--- partie {index}")
                self.stdout.write(part)
            for name, check in result["checks"].items():
                state = "ok " if check["ok"] else "!! "
                self.stdout.write(f"  {state}{name}: {check['message']}")
            self.stdout.write("")
