"""Every stage recorded so far takes its case's values (docs/adr/0010-per-stage-values.md): nothing is lost, and
each record exports and counts as before."""

from typing import Any

from django.db import migrations

from opencomplaints.cases.stage_values import stage_values_copy


def copy_forward(apps: Any, schema_editor: Any) -> None:
    stage = apps.get_model("cases", "Stage")
    stage_values_copy(models=apps, stage_ids=list(stage.objects.order_by().values_list("id", flat=True)))


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_stage_own_values")]

    operations = [migrations.RunPython(copy_forward, migrations.RunPython.noop)]
