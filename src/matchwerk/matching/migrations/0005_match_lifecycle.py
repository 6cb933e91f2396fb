# Matches become long-lived objects: origin, stage, idea, coordinator, and a StageChange
# log. Existing matches keep every row; their stage follows their answer status (proposed
# → proposed, active → agreed since confirmed_at, declined → ended "abgelehnt"), with the
# stage changes that status implies, dated as the match was.

import django.db.models.deletion
import django.utils.timezone
import matchwerk.core.limits
from django.conf import settings
from django.db import migrations, models


def stages_from_status(apps, schema_editor):
    Match = apps.get_model('matching', 'Match')
    StageChange = apps.get_model('matching', 'StageChange')
    MatchSide = apps.get_model('matching', 'MatchSide')
    for match in Match.objects.all().iterator():
        changes = [StageChange(match=match, from_stage='', to_stage='proposed', changed_by_id=match.created_by_id,
                               changed_at=match.created_at)]
        if match.status == 'active':
            match.stage, match.stage_changed_at = 'agreed', match.confirmed_at or match.created_at
            changes.append(StageChange(match=match, from_stage='proposed', to_stage='agreed',
                                       changed_at=match.stage_changed_at, note='beide Seiten haben zugestimmt'))
        elif match.status == 'declined':
            declined = MatchSide.objects.filter(match=match, answer='declined').order_by('answered_at').first()
            when = (declined.answered_at if declined and declined.answered_at else match.created_at)
            match.stage, match.stage_changed_at, match.ended_reason = 'ended', when, 'abgelehnt'
            changes.append(StageChange(match=match, from_stage='proposed', to_stage='ended', changed_at=when,
                                       changed_by_id=declined.answered_by_id if declined else None,
                                       reason='abgelehnt'))
        else:
            match.stage_changed_at = match.created_at
        match.save(update_fields=['stage', 'stage_changed_at', 'ended_reason'])
        StageChange.objects.bulk_create(changes)


class Migration(migrations.Migration):

    dependencies = [
        ('matching', '0004_programme_moved_to_programmes'),
        ('programmes', '0005_programme_funding_team'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='StageChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('from_stage', models.CharField(blank=True, choices=[('proposed', 'vorgeschlagen'), ('agreed', 'beide einverstanden'), ('kickoff', 'Kick-off gehalten'), ('grant_approved', 'Förderung bewilligt'), ('in_progress', 'in Umsetzung'), ('completed', 'abgeschlossen'), ('cooperating_6', 'arbeitet nach 6 Monaten noch zusammen'), ('cooperating_12', 'arbeitet nach 12 Monaten noch zusammen'), ('ended', 'beendet')], max_length=20, verbose_name='von')),
                ('to_stage', models.CharField(choices=[('proposed', 'vorgeschlagen'), ('agreed', 'beide einverstanden'), ('kickoff', 'Kick-off gehalten'), ('grant_approved', 'Förderung bewilligt'), ('in_progress', 'in Umsetzung'), ('completed', 'abgeschlossen'), ('cooperating_6', 'arbeitet nach 6 Monaten noch zusammen'), ('cooperating_12', 'arbeitet nach 12 Monaten noch zusammen'), ('ended', 'beendet')], max_length=20, verbose_name='nach')),
                ('changed_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='geändert am')),
                ('note', models.CharField(blank=True, max_length=500, verbose_name='Notiz')),
                ('reason', models.CharField(blank=True, max_length=300, verbose_name='Grund')),
            ],
            options={
                'verbose_name': 'Stufenwechsel',
                'verbose_name_plural': 'Stufenwechsel',
                'ordering': ['changed_at', 'pk'],
            },
        ),
        migrations.AddField(
            model_name='match',
            name='coordinator',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='coordinated_matches', to=settings.AUTH_USER_MODEL, verbose_name='Koordinator·in'),
        ),
        migrations.AddField(
            model_name='match',
            name='ended_reason',
            field=models.CharField(blank=True, max_length=300, verbose_name='Grund für das Ende'),
        ),
        migrations.AddField(
            model_name='match',
            name='idea',
            field=models.TextField(blank=True, help_text='Was das Match gemeinsam ausprobieren will – in eigenen Worten.', max_length=3000, validators=[matchwerk.core.limits.TextLimitValidator(3000)], verbose_name='Idee und Ziel'),
        ),
        migrations.AddField(
            model_name='match',
            name='origin',
            field=models.CharField(choices=[('suggestion', 'Vorschlag des Matching-Teams'), ('event_meeting', 'Treffen auf einer Veranstaltung'), ('manual', 'von der Koordination angelegt')], default='suggestion', max_length=20, verbose_name='Herkunft'),
        ),
        migrations.AddField(
            model_name='match',
            name='stage',
            field=models.CharField(choices=[('proposed', 'vorgeschlagen'), ('agreed', 'beide einverstanden'), ('kickoff', 'Kick-off gehalten'), ('grant_approved', 'Förderung bewilligt'), ('in_progress', 'in Umsetzung'), ('completed', 'abgeschlossen'), ('cooperating_6', 'arbeitet nach 6 Monaten noch zusammen'), ('cooperating_12', 'arbeitet nach 12 Monaten noch zusammen'), ('ended', 'beendet')], default='proposed', max_length=20, verbose_name='Stufe'),
        ),
        migrations.AddField(
            model_name='match',
            name='stage_changed_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='Stufe seit'),
        ),
        migrations.AddIndex(
            model_name='match',
            index=models.Index(fields=['programme', 'stage'], name='match_programme_stage'),
        ),
        migrations.AddField(
            model_name='stagechange',
            name='changed_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='geändert von'),
        ),
        migrations.AddField(
            model_name='stagechange',
            name='match',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='stage_changes', to='matching.match'),
        ),
        migrations.AddIndex(
            model_name='stagechange',
            index=models.Index(fields=['match', 'to_stage'], name='stage_change_match_to'),
        ),
        migrations.RunPython(stages_from_status, migrations.RunPython.noop),
    ]
