"""Access log: structured ``data`` instead of a free ``detail`` string, and dotted action
codes (``matchwerk.<app>.<object>.<verb>``) for the entries written before."""

from django.db import migrations, models

import matchwerk.core.models

RENAMED = {
    "match.propose": "matchwerk.matching.match.proposed",
    "organisations_imported": "matchwerk.profiles.organisations.imported",
    "organisations_import_rejected": "matchwerk.profiles.organisations.import_rejected",
    "directory_exported": "matchwerk.profiles.directory.exported",
    "people_listed": "matchwerk.profiles.people.listed",
    "view_people": "matchwerk.profiles.people.viewed",
    "edit_person": "matchwerk.profiles.person.viewed",
    "person_viewed": "matchwerk.profiles.person.viewed",
    "person_invited": "matchwerk.profiles.person.invited",
    "person_invitation_accepted": "matchwerk.profiles.person.invitation_accepted",
    "topic_created": "matchwerk.profiles.topic.created",
    "topic_changed": "matchwerk.profiles.topic.changed",
    "topic_deleted": "matchwerk.profiles.topic.deleted",
    "region_created": "matchwerk.profiles.region.created",
    "region_changed": "matchwerk.profiles.region.changed",
    "region_deleted": "matchwerk.profiles.region.deleted",
    "account_signup": "matchwerk.accounts.account.signed_up",
    "email_confirmed": "matchwerk.accounts.email.confirmed",
    "consent_changed": "matchwerk.accounts.consent.changed",
    "user_role_changed": "matchwerk.accounts.user.role_changed",
    "account_erased": "matchwerk.accounts.account.erased",
    "personal_data_exported": "matchwerk.accounts.personal_data.exported",
    "users_listed": "matchwerk.accounts.users.listed",
    "user_viewed": "matchwerk.accounts.user.viewed",
}


def forwards(apps, schema_editor):
    AccessLog = apps.get_model("core", "AccessLog")
    for old, new in RENAMED.items():
        AccessLog.objects.filter(action=old).update(action=new)
    for entry in AccessLog.objects.exclude(detail="").only("id", "detail").iterator():
        AccessLog.objects.filter(pk=entry.pk).update(data={"detail": entry.detail})


def backwards(apps, schema_editor):
    AccessLog = apps.get_model("core", "AccessLog")
    for old, new in RENAMED.items():
        if old not in ("edit_person", "person_viewed"):
            AccessLog.objects.filter(action=new).update(action=old)
    for entry in AccessLog.objects.exclude(data={}).only("id", "data").iterator():
        detail = entry.data.get("detail") or " ".join(f"{k}={v}" for k, v in entry.data.items())
        AccessLog.objects.filter(pk=entry.pk).update(detail=detail[:300])


class Migration(migrations.Migration):

    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="accesslog",
            name="data",
            field=models.JSONField(blank=True, default=dict, encoder=matchwerk.core.models.ReadableJSONEncoder,
                                   verbose_name="Daten"),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="accesslog", name="detail"),
    ]
