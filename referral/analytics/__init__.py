"""Agency analytics: referral follow-through, unmet needs, data freshness.

Every figure is an aggregate computed in SQL (``metrics``, ``gaps``, ``freshness``);
``privacy`` suppresses small cells before anything leaves the owning organization;
``tables`` is the one shape that the page, the CSV export, the JSON API and the
``referral report`` command all render.
"""
