from .tasks import expire_records

JOBS = [(expire_records, 600)]
