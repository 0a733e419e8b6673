import pytest

from .receiver import TestReceiver

EXCHANGE_KEY = "test-exchange-key"


@pytest.fixture
def receiver():
    r = TestReceiver(EXCHANGE_KEY).start()
    yield r
    r.down()


@pytest.fixture
def http_exchange(settings, receiver):
    """Deliveries go to the local test receiver over HTTP."""
    settings.GOVCREDIT_EXCHANGE_URL = receiver.url
    settings.GOVCREDIT_EXCHANGE_KEY = EXCHANGE_KEY
    settings.GOVCREDIT_EXCHANGE_DIR = ""
    return receiver


@pytest.fixture
def make_events(publish):
    """Publish ``n`` shared records (one outbox event each); returns their events in order."""
    from govcredit.exchange.models import OutboxEvent

    counter = {"n": 0}

    def make(n, prefix="周法民〔2026〕"):
        start = OutboxEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        for _ in range(n):
            counter["n"] += 1
            publish(document_no=f"{prefix}{counter['n']}号")
        return list(OutboxEvent.objects.filter(id__gt=start).order_by("id"))

    return make
