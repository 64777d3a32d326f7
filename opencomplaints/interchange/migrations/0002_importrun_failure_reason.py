from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('interchange', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='importrun',
            name='failure_reason',
            field=models.CharField(blank=True, max_length=300),
        ),
    ]
