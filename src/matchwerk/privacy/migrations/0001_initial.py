# Moves Consent from the profiles app without touching the database: the table
# ``profiles_consent`` keeps its name, index and rows; profiles 0003 drops the old state.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('profiles', '0002_seed_regions_topics'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Consent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name='ID')),
                        ('purpose', models.CharField(choices=[('directory', 'Im Verzeichnis sichtbar'),
                                                              ('matching', 'Für Matching-Vorschläge verwendet'),
                                                              ('photos', 'Fotos bei Veranstaltungen'),
                                                              ('newsletter', 'Newsletter')],
                                                     max_length=20, verbose_name='Zweck')),
                        ('granted', models.BooleanField(verbose_name='erteilt')),
                        ('text_version', models.CharField(max_length=20, verbose_name='Textversion')),
                        ('recorded_at', models.DateTimeField(default=django.utils.timezone.now,
                                                             verbose_name='erfasst am')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                   related_name='consents', to=settings.AUTH_USER_MODEL,
                                                   verbose_name='Person')),
                        ('organisation', models.ForeignKey(blank=True, null=True,
                                                           on_delete=django.db.models.deletion.CASCADE,
                                                           related_name='consents', to='profiles.organisation',
                                                           verbose_name='Organisation')),
                    ],
                    options={
                        'verbose_name': 'Einwilligung',
                        'verbose_name_plural': 'Einwilligungen',
                        'ordering': ['-recorded_at', '-id'],
                        'db_table': 'profiles_consent',
                        'indexes': [models.Index(fields=['user', 'purpose', '-recorded_at'],
                                                 name='profiles_co_user_id_a8331f_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
