"""URLs of planning: calendar."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
