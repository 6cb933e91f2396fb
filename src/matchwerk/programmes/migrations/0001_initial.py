# Moves Programme from the matching app without touching the database: the table
# ``matching_programme`` (and ``matching_programme_regions``) keeps its name and rows;
# only Django's model state changes owner. matching 0002 points the foreign keys here.

import matchwerk.programmes.models
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('profiles', '0002_seed_regions_topics'),
        ('matching', '0003_queue_index_best_first'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Programme',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name='ID')),
                        ('name', models.CharField(max_length=200, unique=True, verbose_name='Name')),
                        ('slug', models.SlugField(max_length=80, unique=True, verbose_name='Kürzel')),
                        ('description', models.TextField(blank=True, verbose_name='Beschreibung')),
                        ('kind_pairs', models.JSONField(
                            default=matchwerk.programmes.models.default_kind_pairs,
                            help_text='Liste von Paaren, z. B. [["creative", "sme"]].',
                            verbose_name='Paarungen nach Art')),
                        ('is_active', models.BooleanField(default=True, verbose_name='aktiv')),
                        ('regions', models.ManyToManyField(blank=True, help_text='Leer: alle Regionen.',
                                                           related_name='programmes', to='profiles.region',
                                                           verbose_name='Regionen')),
                    ],
                    options={
                        'verbose_name': 'Programm',
                        'verbose_name_plural': 'Programme',
                        'ordering': ['name'],
                        'db_table': 'matching_programme',
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
