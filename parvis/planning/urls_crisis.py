"""URLs of planning: crisis."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
