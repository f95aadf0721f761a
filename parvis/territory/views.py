"""Views of the territory app: create an authority from the reference, set it up.

The edit and delete views of the authority's lists (OWNED) also serve the studio's
partner accounts."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_stubs_ext import StrOrPromise

from parvis.accounts import access
from parvis.accounts.decorators import authority_view
from parvis.accounts.roles import MANAGE_ROLES, WRITE_ROLES
from parvis.studio import services as studio_services
from parvis.studio.forms import PartnerAccountForm
from parvis.territory import services
from parvis.territory.forms import (
    AudienceForm,
    AuthorityCreateForm,
    BrandForm,
    ElectionForm,
    ServiceForm,
    TerritorySearchForm,
)
from parvis.territory.selectors import territory_parents, territory_search


def _search_context(request: HttpRequest) -> dict[str, Any]:
    form = TerritorySearchForm(request.GET or None)
    results = []
    if form.is_valid():
        results = territory_search(query=form.cleaned_data["q"])
    return {"search_form": form, "results": results, "searched": form.is_bound}


@staff_member_required(login_url="accounts:login")
def authority_create(request: HttpRequest) -> HttpResponse:
    context = _search_context(request)
    create_form = AuthorityCreateForm(request.POST or None)
    if request.method == "POST" and create_form.is_valid():
        try:
            authority = services.authority_create(
                territory_id=create_form.cleaned_data["territory"],
                creator=request.user,
            )
        except ValidationError as error:
            create_form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "%(name)s est créée, avec ses publics, services et élections par "
                    "défaut. Invitez maintenant votre équipe."
                )
                % {"name": authority.name},
            )
            return redirect("accounts:members", slug=authority.slug)
    context["create_form"] = create_form
    return render(request, "territory/authority_create.html", context)


@staff_member_required(login_url="accounts:login")
def authority_search(request: HttpRequest) -> HttpResponse:
    """The results list alone, for htmx as the user types."""
    return render(request, "territory/_search_results.html", _search_context(request))


@authority_view(roles=MANAGE_ROLES)
def authority_settings(request: HttpRequest) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    initial = {
        "logo_alt": authority.logo_alt,
        "primary_color": authority.primary_color,
        "on_primary_color": authority.on_primary_color,
    }
    form = BrandForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        services.authority_update_brand(
            authority=authority, actor=request.user, values=values
        )
        messages.success(request, _("Identité visuelle enregistrée."))
        return redirect("territory:settings", slug=authority.slug)
    return render(
        request,
        "territory/settings.html",
        {"form": form, "parents": territory_parents(territory=authority.territory)},
    )


# Audiences, services, elections and partner accounts share one pattern: a list, a
# form, a delete. Routes are named "<namespace of list_url>:<kind>_new|_edit|_delete".
@dataclass(frozen=True)
class OwnedSpec:
    form: Any  # a ModelForm class taking authority=
    access: Callable[[Any, Any], Any]
    save: Callable[..., Any]
    delete: Callable[..., None]
    list_url: str
    title_new: StrOrPromise
    title_edit: StrOrPromise
    saved: StrOrPromise
    deleted: StrOrPromise
    # Roles that may create, change and delete; every member sees the list.
    roles: frozenset[str] = MANAGE_ROLES


OWNED = {
    "audience": OwnedSpec(
        form=AudienceForm,
        access=access.access_audience,
        save=services.audience_save,
        delete=services.audience_delete,
        list_url="territory:audiences",
        title_new=gettext_lazy("Nouveau public"),
        title_edit=gettext_lazy("Modifier le public"),
        saved=gettext_lazy("Public enregistré."),
        deleted=gettext_lazy("Public supprimé."),
    ),
    "service": OwnedSpec(
        form=ServiceForm,
        access=access.access_service,
        save=services.service_save,
        delete=services.service_delete,
        list_url="territory:services",
        title_new=gettext_lazy("Nouveau service"),
        title_edit=gettext_lazy("Modifier le service"),
        saved=gettext_lazy("Service enregistré."),
        deleted=gettext_lazy("Service supprimé."),
    ),
    "election": OwnedSpec(
        form=ElectionForm,
        access=access.access_election,
        save=services.election_save,
        delete=services.election_delete,
        list_url="territory:elections",
        title_new=gettext_lazy("Nouvelle élection"),
        title_edit=gettext_lazy("Modifier l'élection"),
        saved=gettext_lazy("Élection enregistrée."),
        deleted=gettext_lazy("Élection supprimée."),
    ),
    "partner": OwnedSpec(
        form=PartnerAccountForm,
        access=access.access_partner,
        save=studio_services.partner_save,
        delete=studio_services.partner_delete,
        list_url="studio:partners",
        title_new=gettext_lazy("Nouveau compte partenaire"),
        title_edit=gettext_lazy("Modifier le compte partenaire"),
        saved=gettext_lazy("Compte partenaire enregistré."),
        deleted=gettext_lazy("Compte partenaire supprimé."),
        roles=WRITE_ROLES,
    ),
}


def _owned_spec(request: HttpRequest, kind: str) -> OwnedSpec:
    """The kind's spec, or 404 for a member whose role may not change it."""
    spec = OWNED[kind]
    if request.membership.role not in spec.roles:  # type: ignore[attr-defined]
        raise Http404("No such page for this role")
    return spec


@authority_view()
def audience_list(request: HttpRequest) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    return render(
        request,
        "territory/audience_list.html",
        {"audiences": authority.audiences.all()},
    )


@authority_view()
def service_list(request: HttpRequest) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    return render(
        request,
        "territory/service_list.html",
        {"services": authority.services.prefetch_related("members")},
    )


@authority_view()
def election_list(request: HttpRequest) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    return render(
        request,
        "territory/election_list.html",
        {"elections": authority.elections.all()},
    )


@authority_view()
def owned_edit(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    spec = _owned_spec(request, kind)
    authority = request.authority  # type: ignore[attr-defined]
    instance = spec.access(authority, pk) if pk is not None else None
    form = spec.form(request.POST or None, instance=instance, authority=authority)
    if request.method == "POST" and form.is_valid():
        values = {
            name: form.cleaned_data[name]
            for name in form.Meta.fields
            if name in form.cleaned_data
        }
        try:
            spec.save(
                authority=authority,
                actor=request.user,
                values=values,
                **{kind: instance},
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, spec.saved)
            return redirect(spec.list_url, slug=authority.slug)
    namespace = spec.list_url.partition(":")[0]
    return render(
        request,
        "territory/owned_form.html",
        {
            "form": form,
            "object": instance,
            "title": spec.title_edit if instance else spec.title_new,
            "cancel_url": reverse(spec.list_url, args=[authority.slug]),
            "delete_url": (
                reverse(f"{namespace}:{kind}_delete", args=[authority.slug, pk])
                if instance
                else ""
            ),
        },
    )


@authority_view()
@require_POST
def owned_delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    spec = _owned_spec(request, kind)
    authority = request.authority  # type: ignore[attr-defined]
    instance = spec.access(authority, pk)
    spec.delete(**{kind: instance, "actor": request.user})
    messages.success(request, spec.deleted)
    return redirect(spec.list_url, slug=authority.slug)
