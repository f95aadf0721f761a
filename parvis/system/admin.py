from django.contrib import admin

from parvis.system.models import AuditEvent, Heartbeat


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "authority", "actor", "summary"]
    list_filter = ["action"]

    def has_change_permission(self, request, obj=None):  # append-only
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(Heartbeat)
