from django.contrib import admin

from parvis.accounts.models import Invitation, Membership, User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "full_name", "is_staff", "is_active"]
    search_fields = ["email", "full_name"]
    exclude = ["password"]


admin.site.register([Membership])


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "authority", "role", "created_at", "accepted_at"]
    exclude = ["token_hash"]
