"""URLs of the public archive (no login)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
