from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.views.static import serve

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("", include("parvis.system.urls")),
    path("", include("parvis.accounts.urls")),
    path("", include("parvis.web.urls")),
    path("", include("parvis.territory.urls")),
    path("", include("parvis.publishing.urls")),
    path("", include("parvis.channels.urls")),
    path("", include("parvis.studio.urls")),
    path("", include("parvis.planning.urls")),
    path("", include("parvis.planning.urls_calendar")),
    path("", include("parvis.planning.urls_campaigns")),
    path("", include("parvis.planning.urls_crisis")),
    path("", include("parvis.planning.urls_feeds")),
    path("", include("parvis.planning.urls_best_time")),
    path("", include("parvis.publishing.urls_archive")),
    path("", include("parvis.sources.urls")),
    path("", include("parvis.inbox.urls")),
    path("", include("parvis.inbox.urls_public")),
    path("", include("parvis.inbox.urls_replies")),
    path("", include("parvis.inbox.urls_webhooks")),
    path("", include("parvis.participation.urls")),
    path("", include("parvis.participation.urls_public")),
    path("", include("parvis.insights.urls")),
    path("", include("parvis.insights.urls_boosts")),
]

if not settings.PRODUCTION:
    urlpatterns += [
        path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
    ]
