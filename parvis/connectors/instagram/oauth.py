"""Connecting an Instagram professional account through Facebook Login.

The Instagram API with Facebook Login reaches an Instagram account through the Facebook
Page it is linked to: after the login (shared with Facebook, `MetaLogin`), `accounts`
lists the Pages with a linked Instagram account (GET /me/accounts with
instagram_business_account) and `select` keeps that Page's token for the Instagram
account. A Page token obtained with a long-lived user token has no expiry date, where
the user token itself lasts about 60 days and cannot be refreshed: the Page token spares
the commune a reconnection every two months.
Docs: https://developers.facebook.com/docs/instagram-platform/instagram-api-with-facebook-login/get-started
"""

from parvis.connectors.base import AccountInfo, Credentials
from parvis.connectors.errors import Rejected
from parvis.connectors.facebook.oauth import MetaLogin


class InstagramOAuth(MetaLogin):
    """The account-connection flow for an Instagram professional account."""

    scopes = (
        "instagram_basic",
        "instagram_content_publish",
        "instagram_manage_contents",  # deleting a post
        "instagram_manage_comments",  # reading, answering and hiding comments
        "instagram_manage_insights",  # views, reach and shares of the posts
        "pages_show_list",
        "pages_read_engagement",
    )
    page_fields = "id,name,access_token,instagram_business_account"

    def accounts(self, user: Credentials) -> list[AccountInfo]:
        """The Instagram accounts reachable through this person's Pages."""
        return [
            AccountInfo(
                account_id=page.instagram_id,
                handle=page.name,
                display_name=f"Instagram de la Page « {page.name} »",
            )
            for page in self.pages(user)
            if page.instagram_id
        ]

    def select(self, user: Credentials, account_id: str) -> Credentials:
        """Credentials of the Instagram account `account_id`."""
        for page in self.pages(user):
            if page.instagram_id == account_id and page.access_token:
                return Credentials(
                    access_token=page.access_token,
                    account_id=page.instagram_id,
                    extra={"page_id": page.page_id, "page_name": page.name},
                )
        raise Rejected(
            "Ce compte Instagram n'est lié à aucune Page gérée par le compte "
            "Facebook connecté."
        )
