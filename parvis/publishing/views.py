"""Publications of an authority: list, detail with attempts, cancel, retry, unpublish."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parvis.accounts import access
from parvis.accounts.decorators import authority_view
from parvis.accounts.roles import Role
from parvis.publishing import services
from parvis.publishing.models import PublicationState
from parvis.publishing.selectors import publications_of

PUBLISHERS = {Role.EDITOR, Role.VALIDATOR, Role.ADMIN}


@authority_view()
def publication_list(request: HttpRequest) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    state = request.GET.get("etat", "")
    if state not in PublicationState.values:
        state = ""
    page = Paginator(publications_of(authority=authority, state=state), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "publishing/publication_list.html",
        {"page": page, "state": state, "states": PublicationState.choices},
    )


@authority_view()
def publication_detail(request: HttpRequest, pk: int) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    publication = access.access_publication(authority, pk)
    return render(
        request,
        "publishing/publication_detail.html",
        {
            "publication": publication,
            "attempts": publication.attempt_log.all(),
            "can_act": request.membership.role in PUBLISHERS,  # type: ignore[attr-defined]
        },
    )


def _act(request: HttpRequest, pk: int, action, done: str) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    publication = access.access_publication(authority, pk)
    try:
        action(publication=publication, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("publishing:detail", slug=authority.slug, pk=pk)


@authority_view(roles=PUBLISHERS)
@require_POST
def publication_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.publication_cancel, _("Publication annulée."))


@authority_view(roles=PUBLISHERS)
@require_POST
def publication_retry(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, services.publication_retry, _("Nouvel essai programmé maintenant.")
    )


@authority_view(roles=PUBLISHERS)
@require_POST
def publication_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, services.publication_unpublish, _("Publication retirée du réseau.")
    )
