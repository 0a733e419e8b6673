"""Rectification attachments keep their content type like every stored upload (core.uploads.StoredUpload);
existing rows get it from their file name's suffix."""

from pathlib import PurePath

from django.db import migrations, models

TYPES = {
    ".pdf": "application/pdf",
    ".ofd": "application/ofd",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}


def fill_content_types(apps, schema_editor):
    Attachment = apps.get_model("sanctions", "RectificationAttachment")
    for att in Attachment.objects.only("pk", "original_name").iterator():
        content_type = TYPES.get(PurePath(att.original_name).suffix.lower(), "application/octet-stream")
        Attachment.objects.filter(pk=att.pk).update(content_type=content_type)


class Migration(migrations.Migration):
    dependencies = [
        ("sanctions", "0004_referral_without_record"),
    ]

    operations = [
        migrations.AddField(
            model_name="rectificationattachment",
            name="content_type",
            field=models.CharField(default="application/octet-stream", max_length=100),
            preserve_default=False,
        ),
        migrations.RunPython(fill_content_types, migrations.RunPython.noop),
    ]
