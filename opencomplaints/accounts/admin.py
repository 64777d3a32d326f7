from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from opencomplaints.accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("Role", {"fields": ("job_title",)}),
    )
