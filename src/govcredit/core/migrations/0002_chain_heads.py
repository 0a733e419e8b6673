from django.db import migrations


def create_heads(apps, schema_editor):
    ChainHead = apps.get_model("core", "ChainHead")
    for name in ("audit", "public"):
        ChainHead.objects.get_or_create(name=name, defaults={"sequence": 0, "hash": "0" * 64})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(create_heads, migrations.RunPython.noop)]
