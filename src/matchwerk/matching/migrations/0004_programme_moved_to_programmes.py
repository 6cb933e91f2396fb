# State only: the foreign keys now name programmes.Programme (same table, same rows),
# then the old model state is dropped. Nothing changes in the database.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('matching', '0003_queue_index_best_first'),
        ('programmes', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='suggestion', name='programme',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='suggestions',
                                            to='programmes.programme', verbose_name='Programm')),
                migrations.AlterField(
                    model_name='decision', name='programme',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='decisions',
                                            to='programmes.programme')),
                migrations.AlterField(
                    model_name='match', name='programme',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='matches',
                                            to='programmes.programme', verbose_name='Programm')),
                migrations.DeleteModel(name='Programme'),
            ],
            database_operations=[],
        ),
    ]
