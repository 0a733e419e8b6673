"""Each domain adds its router here (keep this the only shared file)."""


def register(api) -> None:
    from . import catalog_api, checks_api, disputes_api, public_api, records_api

    api.add_router("/public/", public_api.router)
    api.add_router("/public/", disputes_api.public_router)
    api.add_router("/catalog/", catalog_api.router)
    api.add_router("/records", records_api.router)  # /api/v1/records, exactly as DESIGN §5
    api.add_router("/checks", checks_api.router)
    api.add_router("/disputes/", disputes_api.router)
    from . import subjects_api

    api.add_router("/subjects", subjects_api.router)
    from . import duties_api

    api.add_router("/duty-clock", duties_api.clock_router)
    api.add_router("/findings", duties_api.router)
    api.add_router("/public/", duties_api.public_router)
    from . import commitments_api

    api.add_router("/commitments", commitments_api.router)
    api.add_router("/public/", commitments_api.public_router)
    from . import contracts_api

    api.add_router("/contracts", contracts_api.router)
    api.add_router("/arrears", contracts_api.arrears_router)
    api.add_router("/public/", contracts_api.public_router)
    from . import ppp_api

    api.add_router("/ppp", ppp_api.router)
    api.add_router("/public/", ppp_api.public_router)
    from . import bidding_api, debt_api

    api.add_router("/public/", bidding_api.public_router)
    api.add_router("/public/", debt_api.public_router)
    api.add_router("/bidding/", bidding_api.router)
    api.add_router("/debt/", debt_api.router)
    from . import keytasks_api

    api.add_router("/tasks", keytasks_api.router)
    from . import decisions_api

    api.add_router("/decisions", decisions_api.router)
    api.add_router("/public/", decisions_api.public_router)
    from . import openinfo_api

    api.add_router("/info-requests", openinfo_api.router)
    api.add_router("/public/", openinfo_api.public_router)
    api.add_router("/info-catalog", openinfo_api.catalog_router)
    api.add_router("/info-items", openinfo_api.items_router)
    from . import efficiency_api

    api.add_router("/service-items", efficiency_api.router)
    api.add_router("/service-cases", efficiency_api.cases_router)
    api.add_router("/snail-awards", efficiency_api.awards_router)
    api.add_router("/public/", efficiency_api.public_router)
    from . import personnel_api

    api.add_router("/personnel", personnel_api.router)
    from . import supervision_api

    api.add_router("/supervision/", supervision_api.router)
    api.add_router("/public/", supervision_api.public_router)
    from . import evaluation_api

    api.add_router("/evaluation", evaluation_api.router)
    api.add_router("/public/", evaluation_api.public_router)
