"""Why two records look alike, as data: a code and its parameters.

``scoring.score_pair`` gives each pair its reasons as ``Reason`` values; the review
queue stores them as JSON objects (``{"code": "names-alike", "percent": 87}``) in
``duplicate_candidate.reasons``; ``curation.reasons`` puts them into words in the
reader's language only when they are shown. ``CODES`` is the one list of codes and of
the parameters each carries. Pure: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

# code -> (parameters it always carries, parameters it may carry).
CODES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "names-alike": (frozenset({"percent"}), frozenset()),
    # One organization's two records of one street address (locations).
    "one-place": (frozenset(), frozenset()),
    "names-too-different": (frozenset(), frozenset()),
    # Words (folded, from the listing names) that tell bodies apart: "city", "north".
    "names-differ": (frozenset({"words"}), frozenset()),
    "different-organizations": (frozenset(), frozenset()),
    # A shared detail; ``organizations`` when more than the pair's own use it.
    "same-phone": (frozenset(), frozenset({"organizations"})),
    "same-address": (frozenset(), frozenset({"organizations"})),
    "same-website": (frozenset(), frozenset({"organizations", "public_body"})),
    "same-domain": (frozenset(), frozenset({"organizations", "public_body"})),
    "near": (frozenset({"metres"}), frozenset()),
    # A phrase an older version wrote that migration 0017 could not read: kept as is.
    "text": (frozenset({"text"}), frozenset()),
}


@dataclass(frozen=True)
class Reason:
    code: str
    percent: int | None = None
    words: tuple[str, ...] = ()
    organizations: int | None = None
    public_body: bool = False  # a .gov/.edu-style domain, shared by design
    metres: int | None = None
    text: str | None = None

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unknown duplicate reason code {self.code!r}")
        required, optional = CODES[self.code]
        given = set(self.params())
        if not required <= given or not given <= required | optional:
            raise ValueError(f"reason {self.code!r} takes {sorted(required | optional)}")

    def params(self) -> dict[str, Any]:
        """The parameters set (those not at their default), by name."""
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name != "code" and getattr(self, f.name) != f.default
        }

    def to_json(self) -> dict[str, Any]:
        found = self.params()
        if "words" in found:
            found["words"] = list(self.words)
        return {"code": self.code, **found}

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | str) -> Reason:
        """A stored reason; a bare string or a code this version does not know (one a
        newer version wrote) is kept as text rather than lost."""
        if isinstance(data, str):
            return cls("text", text=data)
        params = {k: v for k, v in data.items() if k != "code"}
        if "words" in params:
            params["words"] = tuple(params["words"])
        try:
            return cls(str(data.get("code")), **params)
        except (TypeError, ValueError):
            return cls("text", text=str(data.get("text") or data.get("code")))
