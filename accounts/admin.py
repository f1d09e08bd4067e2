from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from .models import Profile


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    fields = ("role", "time_zone", "is_demo")
    readonly_fields = ("is_demo",)


class UserWithProfileAdmin(UserAdmin):
    """Django's user admin, with the learner's role and time zone beside it."""

    inlines = [ProfileInline]
    list_display = ["username", "email", "profile__role", "is_staff", "date_joined"]
    list_select_related = ["profile"]


admin.site.unregister(User)
admin.site.register(User, UserWithProfileAdmin)
