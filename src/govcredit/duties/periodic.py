from .tasks import scan_duties

# nightly; the scheduler enqueues it once per interval even with two hosts
JOBS = [(scan_duties, 86400)]
