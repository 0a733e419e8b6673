"""Indexes of the records and versions tables, each with the queries that read it (issue 19.5).

records_creditrecord
- primary key: every record by id (detail pages, permalinks, foreign keys pointing here).
- record_natural_key UNIQUE (source_unit, document_no): upserts by (报送单位, 文书号) — single
  (records.services.upsert_record) and bulk (records.bulk BulkImporter._existing).
- record_subject_status_idx (subject, status): a subject's records — portal subject page and search
  (public_records().filter(subject=…), Exists(… subject_id=OuterRef)), records_for for subject
  users (subject_id IN …), credit checks, disputes, sanctions rules; PROTECT on deleting a subject.
- record_unit_status_idx (source_unit, status): records_for for clerks (source_unit_id IN …) with
  the lists' status filters and the 工作台 draft / rejected counts.
- records_creditrecord_item_id_… (item): item filters of the records list, the records API and the
  portal (item__code = …), disputes' same subject-and-item query; PROTECT on deleting an item.
- record_live_until_idx (publish_until) WHERE status IN live — was (status, publish_until) over
  every record: expire_due_records (status IN live AND publish_until < today), the "expiring"
  tile and filter (status IN live AND publish_until BETWEEN …). Nothing reads it for drafts,
  submitted, rejected or ended records, so imports (drafts / submitted) no longer maintain it.
- record_public_pub_idx (published_at DESC, id DESC) WHERE status IN live AND disclosure public —
  was (status, published_at DESC) over every record: 信用周村's latest records and its
  newest/oldest-published sorts, public_records().order_by("-published_at", "-id") (scanned
  backwards for the oldest first). The office list's 公示时间 sort covers every status and
  NULLs last, which neither the old nor the new index serves.

records_recordversion
- primary key: the row's identity (nothing reads versions by id alone; the outbox gets the
  version object from the signal). Kept: every table needs one.
- record_version_unique UNIQUE (record, number): a record's history (record.versions, ordered by
  number) and the next version number in records.services._record_change.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0004_drop_version_record_index"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="creditrecord",
            name="record_status_until_idx",
        ),
        migrations.RemoveIndex(
            model_name="creditrecord",
            name="record_status_pub_idx",
        ),
        migrations.AddIndex(
            model_name="creditrecord",
            index=models.Index(
                condition=models.Q(("status__in", ("published", "under_objection"))),
                fields=["publish_until"],
                name="record_live_until_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="creditrecord",
            index=models.Index(
                condition=models.Q(("disclosure", "public"), ("status__in", ("published", "under_objection"))),
                fields=["-published_at", "-id"],
                name="record_public_pub_idx",
            ),
        ),
    ]
