from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from nexus.accounts.forms import AdminLoginForm
from nexus.accounts.models import Profile, User

# The admin signs in through the same throttled check as the API.
admin.site.login_form = AdminLoginForm


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [ProfileInline]
    list_display = ["username", "email", "is_staff", "is_active", "date_joined"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "display_name", "track"]
    list_filter = ["track"]
    search_fields = ["user__username", "display_name"]
    list_select_related = ["user"]
