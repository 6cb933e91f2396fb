# A programme names its team. Until now every matching-team member reviewed every
# programme, so existing programmes get all active matching-team members as their team.

from django.conf import settings
from django.db import migrations, models


def matching_team_joins_existing_programmes(apps, schema_editor):
    Programme = apps.get_model('programmes', 'Programme')
    User = apps.get_model('accounts', 'User')
    members = list(User.objects.filter(role='matching_team', is_active=True))
    for programme in Programme.objects.all():
        programme.team.add(*members)


class Migration(migrations.Migration):

    dependencies = [
        ('programmes', '0001_initial'),
        ('matching', '0004_programme_moved_to_programmes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='programme',
            name='team',
            field=models.ManyToManyField(blank=True, db_table='programmes_programme_team',
                                         help_text='Matching-Team und Koordination, die die Vorschläge dieses '
                                                   'Programms prüfen.',
                                         related_name='programme_teams', to=settings.AUTH_USER_MODEL,
                                         verbose_name='Programmteam'),
        ),
        migrations.RunPython(matching_team_joins_existing_programmes, migrations.RunPython.noop),
    ]
