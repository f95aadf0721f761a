"""Who may move a post along the approval circuit (pure functions of a role and the
authority's policy; the services enforce them, the editor shows the allowed buttons).

- Submit for review, put back to draft: the writers (editor, validator, admin).
- Approve level N: the roles of level N in the policy, and administrators. With two
  levels, an elected member (second level by default) cannot approve the first.
- Reject: whoever may approve the level under review.
- Urgent path (approve every level and publish now): validators and administrators.
- Agents never act on posts.
"""

from parvis.accounts.roles import WRITE_ROLES, Role
from parvis.planning.models import ApprovalPolicy

URGENT_ROLES = frozenset({Role.VALIDATOR, Role.ADMIN})


def may_submit(role: str | None) -> bool:
    return role in WRITE_ROLES


def may_back_to_draft(role: str | None) -> bool:
    return role in WRITE_ROLES


def may_approve(role: str | None, policy: ApprovalPolicy, level: int) -> bool:
    if role is None:
        return False
    return role == Role.ADMIN or role in policy.roles_for_level(level)


def may_publish_urgently(role: str | None) -> bool:
    return role in URGENT_ROLES
