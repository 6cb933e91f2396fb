# State only: Consent now belongs to the privacy app (same table, same rows).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('profiles', '0005_import_job'),
        ('privacy', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Consent')],
            database_operations=[],
        ),
    ]
