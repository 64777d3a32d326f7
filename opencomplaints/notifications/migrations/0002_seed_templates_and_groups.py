"""The first words of every message, for administrators to change in the admin, and the groups the scheduled
messages go to (complaints managers get overdue alerts; senior managers the weekly digest)."""

from django.db import migrations

from opencomplaints.notifications.defaults import DEFAULT_TEMPLATES

GROUPS = ["Complaints managers", "Senior managers"]


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    Group = apps.get_model("auth", "Group")
    for key, subject, body in DEFAULT_TEMPLATES:
        MessageTemplate.objects.get_or_create(key=key, defaults={"subject": subject, "body": body})
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
