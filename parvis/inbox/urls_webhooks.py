"""URLs of the inbox (urls_webhooks): the networks' webhooks, outside any authority's
pages and without a session (each request is verified by its signature)."""

from django.urls import path

from parvis.inbox import webhooks

app_name = "webhooks"
urlpatterns = [
    path("webhooks/meta/", webhooks.meta_webhook, name="meta"),
]
