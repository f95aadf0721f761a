"""Public URLs of the inbox (no account): the contact / report form of an
authority, its receipt, the follow-up page, and the Open311 GeoReport v2 API."""

from django.urls import path, register_converter

from parvis.inbox import open311, views_public


class Open311Format:
    regex = "json|xml"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(Open311Format, "open311fmt")

app_name = "public_inbox"
urlpatterns = [
    path("contact/<slug:slug>/", views_public.contact, name="contact"),
    path(
        "contact/<slug:slug>/recu/<uuid:public_id>/",
        views_public.receipt,
        name="receipt",
    ),
    path("suivi/<uuid:public_id>/", views_public.follow_up, name="follow_up"),
    path(
        "open311/v2/services.<open311fmt:fmt>",
        open311.service_list,
        name="open311_services",
    ),
    path(
        "open311/v2/services/<slug:service_code>.<open311fmt:fmt>",
        open311.service_definition,
        name="open311_service",
    ),
    path(
        "open311/v2/requests.<open311fmt:fmt>",
        open311.requests,
        name="open311_requests",
    ),
    path(
        "open311/v2/requests/<str:request_id>.<open311fmt:fmt>",
        open311.request_detail,
        name="open311_request",
    ),
    path(
        "open311/v2/tokens/<str:token>.<open311fmt:fmt>",
        open311.token_detail,
        name="open311_token",
    ),
]
