"""Writes of the inbox, one module per concept: reception (receive), the team's
handling of a message (workflow), answers (replies), the public intake (intake:
form and Open311), network ingestion (ingest), alerts and privacy. Callers import
from here."""

from parvis.inbox.services.delivery import replies_settle, reply_deliver
from parvis.inbox.services.ingest import (
    IngestReport,
    channel_ingest,
    channels_ingest_enqueue,
    post_comments_ingest,
    webhook_events_enqueue,
)
from parvis.inbox.services.intake import (
    PhotoRejected,
    acknowledgement_context,
    intake_rate_count,
    intake_rate_limited,
    message_acknowledge,
    messages_acknowledge_pending,
    photo_clean,
    receipt_number,
    report_categories_seed,
    report_submit,
)
from parvis.inbox.services.open311_keys import (
    open311_key_create,
    open311_key_revoke,
    open311_key_valid,
)
from parvis.inbox.services.privacy import (
    messages_anonymise,
    messages_purge_expired,
    person_erase,
    person_export,
    person_messages,
)
from parvis.inbox.services.receive import (
    Received,
    author_key,
    authority_model,
    inbox_settings_of,
    message_receive,
    messages_classify_pending,
)
from parvis.inbox.services.replies import (
    message_hide_on_network,
    reply_approve,
    reply_reject,
    reply_retry,
    reply_route,
    reply_send,
)
from parvis.inbox.services.saved_replies import (
    saved_reply_delete,
    saved_reply_render,
    saved_reply_save,
)
from parvis.inbox.services.workflow import (
    authorities_to_retrain,
    corrections_of,
    inbox_settings_save,
    message_assign,
    message_correct_labels,
    message_notify_urgent,
    message_reveal,
    message_set_status,
    messages_retrain,
    note_add,
)

__all__ = [
    "IngestReport",
    "PhotoRejected",
    "Received",
    "acknowledgement_context",
    "author_key",
    "authorities_to_retrain",
    "authority_model",
    "channel_ingest",
    "channels_ingest_enqueue",
    "corrections_of",
    "inbox_settings_of",
    "inbox_settings_save",
    "intake_rate_count",
    "intake_rate_limited",
    "message_acknowledge",
    "message_assign",
    "message_correct_labels",
    "message_hide_on_network",
    "message_notify_urgent",
    "message_receive",
    "message_reveal",
    "message_set_status",
    "messages_acknowledge_pending",
    "messages_anonymise",
    "messages_classify_pending",
    "messages_purge_expired",
    "messages_retrain",
    "note_add",
    "open311_key_create",
    "open311_key_revoke",
    "open311_key_valid",
    "person_erase",
    "person_export",
    "person_messages",
    "photo_clean",
    "post_comments_ingest",
    "receipt_number",
    "replies_settle",
    "reply_approve",
    "reply_deliver",
    "reply_reject",
    "reply_retry",
    "reply_route",
    "reply_send",
    "report_categories_seed",
    "report_submit",
    "saved_reply_delete",
    "saved_reply_render",
    "saved_reply_save",
    "webhook_events_enqueue",
]
