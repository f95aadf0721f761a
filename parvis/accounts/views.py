"""Views of the accounts app: sign-in, invitations, members, audit log."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parvis.accounts import access, selectors, services
from parvis.accounts.decorators import authority_view
from parvis.accounts.forms import (
    AcceptInvitationForm,
    InvitationForm,
    LoginForm,
    RoleForm,
)
from parvis.accounts.roles import AUDIT_ROLES, MANAGE_ROLES
from parvis.system.selectors import audit_events_for


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    user = request.user if request.user.is_authenticated else None
    existing_account = user is None and selectors.user_exists(email=invitation.email)
    form = AcceptInvitationForm(request.POST or None) if user is None else None
    if request.method == "POST":
        if existing_account:
            messages.info(
                request,
                _(
                    "Un compte existe déjà pour %(email)s : connectez-vous pour accepter "
                    "l'invitation."
                )
                % {"email": invitation.email},
            )
            return redirect(f"{request.path}?connexion=1")
        if form is None or form.is_valid():
            try:
                membership = services.invitation_accept(
                    token=token,
                    user=user,  # type: ignore[arg-type]
                    full_name=form.cleaned_data["full_name"] if form else "",
                    password=form.cleaned_data["password1"] if form else "",
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("web:home")
            if user is None:
                login(
                    request,
                    membership.user,
                    backend="django.contrib.auth.backends.ModelBackend",
                )
            messages.success(
                request,
                _("Bienvenue dans l'équipe de %(name)s.")
                % {"name": membership.authority.name},
            )
            return redirect("web:dashboard", slug=membership.authority.slug)
    return render(
        request,
        "accounts/invitation_accept.html",
        {"invitation": invitation, "form": form, "existing_account": existing_account},
    )


@authority_view()
def member_list(request: HttpRequest) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    can_manage = request.membership.role in MANAGE_ROLES  # type: ignore[attr-defined]
    form = InvitationForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            return HttpResponse(status=404)
        if form.is_valid():
            try:
                services.invitation_create(
                    authority=authority,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    invited_by=request.user,  # type: ignore[arg-type]
                )
            except ValidationError as error:
                form.add_error("email", error)
            else:
                messages.success(
                    request,
                    _("Invitation envoyée à %(email)s.")
                    % {"email": form.cleaned_data["email"]},
                )
                return redirect("accounts:members", slug=authority.slug)
    return render(
        request,
        "accounts/member_list.html",
        {
            "members": selectors.members_of(authority=authority),
            "invitations": selectors.pending_invitations_of(authority=authority),
            "form": form,
            "can_manage": can_manage,
        },
    )


@authority_view(roles=MANAGE_ROLES)
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    membership = access.access_membership(authority, pk)
    form = RoleForm(request.POST or None, initial={"role": membership.role})
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_set(
                authority=authority,
                user=membership.user,
                role=form.cleaned_data["role"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error("role", error)
        else:
            messages.success(request, _("Rôle modifié."))
            return redirect("accounts:members", slug=authority.slug)
    return render(
        request, "accounts/member_edit.html", {"membership": membership, "form": form}
    )


@authority_view(roles=MANAGE_ROLES)
@require_POST
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    membership = access.access_membership(authority, pk)
    try:
        services.membership_remove(membership=membership, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(email)s a été retiré·e.") % {"email": membership.user.email}
        )
    return redirect("accounts:members", slug=authority.slug)


@authority_view(roles=MANAGE_ROLES)
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    invitation = access.access_invitation(authority, pk)
    services.invitation_revoke(invitation=invitation, actor=request.user)
    messages.success(request, _("Invitation annulée."))
    return redirect("accounts:members", slug=authority.slug)


@authority_view(roles=AUDIT_ROLES)
def audit_log(request: HttpRequest) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    page = Paginator(audit_events_for(authority=authority), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "accounts/audit_log.html", {"page": page})
