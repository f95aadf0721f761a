"""Writes of planning, one module per concept: the approval circuit (approval), the
calendar slot and the hand-over to publishing (schedule), campaigns, crisis mode and
the calendar feeds. Callers import from here."""

from parvis.planning.services.approval import (
    NotAllowed,
    approval_policy_update,
    check_election_rules,
    post_approve,
    post_approve_and_publish_now,
    post_back_to_draft,
    post_reject,
    post_reopen_after_edit,
    post_submit_for_review,
    text_diff,
)
from parvis.planning.services.campaigns import (
    campaign_delete,
    campaign_save,
    post_set_campaign,
)
from parvis.planning.services.crisis import (
    crisis_alert_pin,
    crisis_alert_pin_again,
    crisis_alert_unpin,
    crisis_lift,
    crisis_start,
)
from parvis.planning.services.feeds import (
    calendar_feed_create,
    calendar_feed_revoke,
    calendar_feed_touch,
)
from parvis.planning.services.schedule import (
    post_follow_publications,
    post_plan,
    post_schedule,
    post_unschedule,
)

__all__ = [
    "NotAllowed",
    "approval_policy_update",
    "calendar_feed_create",
    "calendar_feed_revoke",
    "calendar_feed_touch",
    "campaign_delete",
    "campaign_save",
    "check_election_rules",
    "crisis_alert_pin",
    "crisis_alert_pin_again",
    "crisis_alert_unpin",
    "crisis_lift",
    "crisis_start",
    "post_approve",
    "post_approve_and_publish_now",
    "post_back_to_draft",
    "post_follow_publications",
    "post_plan",
    "post_reject",
    "post_reopen_after_edit",
    "post_schedule",
    "post_set_campaign",
    "post_submit_for_review",
    "post_unschedule",
    "text_diff",
]
