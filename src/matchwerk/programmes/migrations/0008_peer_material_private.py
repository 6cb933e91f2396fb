"""Peer-learning material files leave MEDIA_ROOT (where the web server handed them to anyone
with the link) for the private ``PEER_MATERIAL_ROOT``; from now on only the permission-checked
view ``programmes:peer_material`` serves them. Files already uploaded are moved there."""

import shutil
from pathlib import Path

from django.conf import settings
from django.db import migrations, models

import matchwerk.programmes.models

OLD_PREFIX = "peer-material/"


def move_into_private_folder(apps, schema_editor):
    PeerMaterial = apps.get_model("programmes", "PeerMaterial")
    media, private = Path(settings.MEDIA_ROOT), Path(settings.PEER_MATERIAL_ROOT)
    for material in PeerMaterial.objects.exclude(file="").filter(file__startswith=OLD_PREFIX).iterator():
        new_name = material.file.name[len(OLD_PREFIX):]
        source, target = media / material.file.name, private / new_name
        if source.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(source), str(target))
            try:
                source.parent.rmdir()  # the file's own uuid folder, now empty
            except OSError:
                pass
        PeerMaterial.objects.filter(pk=material.pk).update(file=new_name)


class Migration(migrations.Migration):

    dependencies = [
        ('programmes', '0007_grants_and_retention'),
    ]

    operations = [
        migrations.AlterField(
            model_name='peermaterial',
            name='file',
            field=models.FileField(blank=True, max_length=300, storage=matchwerk.programmes.models.peer_material_storage, upload_to=matchwerk.programmes.models.material_path, verbose_name='Datei'),
        ),
        migrations.RunPython(move_into_private_folder, migrations.RunPython.noop, elidable=True),
    ]
