from django.contrib import admin

from parvis.territory.models import Audience, Authority, Election, Service, Territory


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code", "population", "departement_code"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]

    def has_add_permission(self, request):  # the reference is imported, never typed
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code", "is_demo", "created_at"]
    readonly_fields = ["territory", "kind", "code", "name", "population"]

    def has_add_permission(self, request):  # created from the reference in the app
        return False


admin.site.register([Audience, Service, Election])
