"""URLs of planning: campaigns."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
