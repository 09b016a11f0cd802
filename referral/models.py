"""Imports every feature's models so that Base.metadata knows all tables
(Alembic, tests and ``referral init`` rely on it)."""

from referral.accounts import models as accounts_models  # noqa: F401
from referral.analytics import models as analytics_models  # noqa: F401
from referral.curation import changes as curation_changes  # noqa: F401
from referral.curation import models as curation_models  # noqa: F401
from referral.curation import verification as curation_verification  # noqa: F401
from referral.directory import models as directory_models  # noqa: F401
from referral.matching import models as matching_models  # noqa: F401
from referral.notify import models as notify_models  # noqa: F401
from referral.provider import models as provider_models  # noqa: F401
from referral.referrals import models as referrals_models  # noqa: F401
from referral.search import models as search_models  # noqa: F401
