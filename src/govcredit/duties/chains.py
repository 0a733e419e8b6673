"""Hash chains this app keeps, for ``govcredit audit verify`` (core finds them; it never names apps)."""

from .disclosure import verify_disclosure_chain

CHAINS = [("disclosure", verify_disclosure_chain)]
