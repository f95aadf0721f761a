import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command

from parvis.channels.crypto import SecretUnreadable, decrypt_json, encrypt_json
from parvis.channels.models import Channel
from parvis.channels.services import channel_connect, channel_credentials
from parvis.connectors.base import AccountInfo, Credentials

pytestmark = pytest.mark.django_db


@pytest.fixture
def channel(commune, admin_user):
    return channel_connect(
        authority=commune,
        network="mastodon",
        credentials=Credentials(access_token="jeton-très-secret", account_id="42"),
        account=AccountInfo(account_id="42", handle="@ville@social.example"),
        actor=admin_user,
    )


def test_tokens_are_never_stored_in_clear(channel):
    stored = Channel.objects.values_list("credentials_encrypted", flat=True).get()
    assert "jeton" not in stored
    assert channel_credentials(channel).access_token == "jeton-très-secret"


def test_a_secret_from_an_unknown_key_is_refused(settings):
    settings.ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    token = encrypt_json({"a": 1})
    settings.ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(SecretUnreadable):
        decrypt_json(token)


def test_rotation_re_encrypts_with_the_newest_key(settings, channel):
    old = Fernet.generate_key().decode()
    new = Fernet.generate_key().decode()
    settings.ENCRYPTION_KEYS = [old]
    channel_connect(
        authority=channel.authority,
        network="mastodon",
        credentials=Credentials(access_token="rotation", account_id="42"),
        account=AccountInfo(account_id="42", handle="@ville@social.example"),
        actor=None,
    )
    settings.ENCRYPTION_KEYS = [new, old]
    call_command("channels", "rotate-keys")
    settings.ENCRYPTION_KEYS = [new]
    channel.refresh_from_db()
    assert channel_credentials(channel).access_token == "rotation"


def test_rotation_without_the_old_key_stops_and_says_why(settings, channel):
    settings.ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(CommandError, match="keep the old key"):
        call_command("channels", "rotate-keys")


def test_instagram_gets_a_public_address_for_its_images(commune, settings):
    from parvis.channels.services import channel_connector
    from parvis.connectors.base import MediaItem

    settings.SITE_URL = "https://parvis.saint-malo.fr"
    channel = channel_connect(
        authority=commune,
        network="instagram",
        credentials=Credentials(access_token="t", account_id="1784"),
        account=AccountInfo(account_id="1784", handle="villedesaintmalo"),
        actor=None,
    )
    connector = channel_connector(channel)
    url = connector.media_url_for(MediaItem(b"\xff\xd8jpeg", "image/jpeg", "Le Sillon"))
    assert url.startswith("https://parvis.saint-malo.fr/media/public/")
    assert url.endswith(".jpg")
    assert url == connector.media_url_for(MediaItem(b"\xff\xd8jpeg", "image/jpeg", "x"))
