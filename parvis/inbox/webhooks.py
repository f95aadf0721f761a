"""Meta's webhooks for the inbox: a Facebook Page's `feed` field and an Instagram
account's `comments` field tell that a comment came (Webhooks for Pages; Instagram
webhooks), sooner than the next poll.

- GET is Meta's verification request when the callback is set in the App Dashboard:
  `hub.mode=subscribe`, `hub.verify_token` (compared in constant time with
  META_WEBHOOK_VERIFY_TOKEN) and `hub.challenge`, echoed back; anything else: 403.
- POST is an event notification: `X-Hub-Signature-256: sha256=<hex>`, the HMAC-SHA256
  of the raw body with the app secret (META_APP_SECRET), compared in constant time;
  a missing or wrong signature: 403. The answer is a quick 200: the events only
  enqueue a read of the post concerned (the comment is read back through the
  connector, so a forged or replayed event can add nothing that is not on the
  account, and a replay is stored once).
Docs: https://developers.facebook.com/docs/graph-api/webhooks/getting-started
"""

import hashlib
import hmac
import json
import logging

from django.conf import settings
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
)
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from parvis.connectors.facebook.parse import webhook_comment_events
from parvis.inbox import services

logger = logging.getLogger(__name__)


def signature_valid(body: bytes, header: str, secret: str) -> bool:
    """Whether `header` ("sha256=<hex>") signs `body` with `secret`."""
    if not secret or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256=").lower())


@csrf_exempt
@require_http_methods(["GET", "POST"])
def meta_webhook(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _verification(request)
    body = request.body
    header = request.headers.get("X-Hub-Signature-256", "")
    if not signature_valid(body, header, settings.META_APP_SECRET):
        logger.warning("Meta webhook: missing or wrong signature")
        return HttpResponseForbidden()
    try:
        payload = json.loads(body)
    except ValueError:
        return HttpResponseBadRequest()
    services.webhook_events_enqueue(events=webhook_comment_events(payload))
    return HttpResponse("EVENT_RECEIVED", content_type="text/plain")


def _verification(request: HttpRequest) -> HttpResponse:
    token = settings.META_WEBHOOK_VERIFY_TOKEN
    given = request.GET.get("hub.verify_token", "")
    if (
        token
        and request.GET.get("hub.mode") == "subscribe"
        and hmac.compare_digest(given.encode(), token.encode())
    ):
        return HttpResponse(
            request.GET.get("hub.challenge", ""), content_type="text/plain"
        )
    return HttpResponseForbidden()
