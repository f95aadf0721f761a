import pytest
from django.urls import reverse

from parvis.accounts.roles import Role
from parvis.system.models import Notification
from parvis.system.services import notify

pytestmark = pytest.mark.django_db


def test_members_of_the_chosen_roles_see_their_notifications_and_mark_them_read(
    client_of, commune, editor, validator, django_capture_on_commit_callbacks
):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        told = notify(authority=commune, roles=[Role.EDITOR], message="Échec <b>X</b>")
    assert told == 1
    assert mail.outbox[-1].to == [editor.email]
    client = client_of(editor)
    page = client.get(reverse("system:notifications"))
    assert "Échec &lt;b&gt;X&lt;/b&gt;" in page.text  # escaped
    assert '1<span class="visually-hidden"> non lues' in page.text
    client.post(reverse("system:notifications_read"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert not Notification.objects.filter(user=validator).exists()
