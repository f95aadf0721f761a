"""Sources of an authority: list with status, add, check now, pause, delete; the
articles read from them, with their versions.

Every member reads; editors and administrators manage the sources. The text of an
article is shown as text (escaped), never as the page's HTML.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parvis.accounts.decorators import authority_view
from parvis.accounts.roles import Role
from parvis.sources import services
from parvis.sources.access import access_article, access_source
from parvis.sources.forms import SourceForm
from parvis.sources.selectors import article_versions, articles_of, sources_of
from parvis.sources.versions import version_changes

SOURCE_EDITORS = frozenset({Role.EDITOR, Role.ADMIN})


def _can_edit(request: HttpRequest) -> bool:
    return request.membership.role in SOURCE_EDITORS  # type: ignore[attr-defined]


@authority_view()
def source_list(request: HttpRequest) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    return render(
        request,
        "sources/source_list.html",
        {"sources": sources_of(authority=authority), "can_edit": _can_edit(request)},
    )


@authority_view(roles=SOURCE_EDITORS)
def source_add(request: HttpRequest) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    form = SourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            source = services.source_add(
                authority=authority,
                url=form.cleaned_data["url"],
                kind=form.cleaned_data["kind"],
                name=form.cleaned_data["name"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error("url", error)
        else:
            messages.success(
                request,
                _(
                    "Source « %(source)s » ajoutée : ses articles apparaîtront dans "
                    "quelques instants."
                )
                % {"source": source},
            )
            return redirect("sources:list", slug=authority.slug)
    return render(request, "sources/source_add.html", {"form": form})


# The id is checked before the method: another authority's id is 404 whatever the verb.


@authority_view(roles=SOURCE_EDITORS)
def source_poll(request: HttpRequest, pk: int) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    source = access_source(authority, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.source_enqueue_poll(source=source)
    messages.success(
        request,
        _("Vérification de « %(source)s » demandée : le résultat s'affichera ici.")
        % {"source": source},
    )
    return redirect("sources:list", slug=authority.slug)


@authority_view(roles=SOURCE_EDITORS)
def source_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    source = access_source(authority, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.source_set_active(
        source=source, is_active=not source.is_active, actor=request.user
    )
    done = (
        _("Suivi de « %(source)s » repris.")
        if source.is_active
        else _("Suivi de « %(source)s » suspendu.")
    )
    messages.success(request, done % {"source": source})
    return redirect("sources:list", slug=authority.slug)


@authority_view(roles=SOURCE_EDITORS)
@require_POST
def source_delete(request: HttpRequest, pk: int) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    source = access_source(authority, pk)
    services.source_delete(source=source, actor=request.user)
    messages.success(
        request,
        _("Source « %(source)s » supprimée ; ses articles restent disponibles.")
        % {"source": source},
    )
    return redirect("sources:list", slug=authority.slug)


@authority_view()
def article_list(request: HttpRequest) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    source = None
    if request.GET.get("source"):
        source = access_source(authority, request.GET["source"])
    page = Paginator(articles_of(authority=authority, source=source), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "sources/article_list.html",
        {
            "page": page,
            "source": source,
            "sources": sources_of(authority=authority),
        },
    )


@authority_view()
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    article = access_article(authority, pk)
    return render(
        request,
        "sources/article_detail.html",
        {
            "article": article,
            "paragraphs": [p for p in article.text.split("\n\n") if p.strip()],
            "versions": article_versions(article=article),
            "changes": version_changes(article=article),
            "can_write": request.membership.role  # type: ignore[attr-defined]
            in {Role.EDITOR, Role.VALIDATOR, Role.ADMIN},
        },
    )
