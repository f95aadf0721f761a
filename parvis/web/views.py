"""The shell: home (where to go), the dashboard of an authority."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from parvis.accounts.decorators import authority_view
from parvis.accounts.selectors import members_of, memberships_of, pending_invitations_of
from parvis.planning.selectors import agenda_of
from parvis.territory.selectors import election_windows, territory_parents
from parvis.web.theme import DEFAULT_PRIMARY


@login_required
def home(request: HttpRequest) -> HttpResponse:
    memberships = list(memberships_of(user=request.user))
    if len(memberships) == 1:
        return redirect("web:dashboard", slug=memberships[0].authority.slug)
    return render(request, "web/home.html", {"memberships": memberships})


@authority_view()
def dashboard(request: HttpRequest) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    today = timezone.localdate()
    windows = election_windows(authority=authority, today=today)
    members = list(members_of(authority=authority))
    return render(
        request,
        "web/dashboard.html",
        {
            "parents": territory_parents(territory=authority.territory),
            "active_windows": [w for w in windows if w.is_active(today)],
            "next_windows": [w for w in windows if not w.is_active(today)][:3],
            "member_count": len(members),
            "invitation_count": len(pending_invitations_of(authority=authority)),
            "audience_count": authority.audiences.count(),
            "service_count": authority.services.count(),
            "has_brand": bool(authority.logo)
            or authority.primary_color != DEFAULT_PRIMARY,
            "agenda": agenda_of(authority=authority),
        },
    )
