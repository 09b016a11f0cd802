"""What two records have in common: blocking keys (so only plausible pairs are
compared, never all n² of them) and the features of one pair. Pure: the profiles come
from ``service.load_profiles``.

Shared evidence is discounted by how many owners (organizations) use it: a phone
number on eighteen organizations' listings is a relay line or a hotline, a building
with ten tenants is an office park, a domain on many listings is a government or an
umbrella network. Such matches still count, only much less.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import combinations

from rapidfuzz import fuzz

from referral.curation import normalize
from referral.directory.geo import haversine_km

# A key shared by more records than this is too common to find duplicates with
# (a relay number, a big building, "community"); pairs under it are left unblocked.
MAX_BLOCK = 60
# Rarest name tokens used as blocking keys per record: two catches typos in one word.
NAME_KEYS = 2
# A match through an alternate name counts for less: subsidiaries often carry their
# parent's name as an alternate name.
ALTERNATE_NAME_FACTOR = 0.85
# Coordinates rounded to this many degrees (about 500 m) form a location block.
GRID_DEGREES = 0.005


@dataclass(frozen=True)
class Profile:
    """One organization, service or location as the comparison sees it."""

    id: str
    entity: str
    names: tuple[tuple[str, ...], ...]  # token lists of the name and alternate name
    phones: frozenset[str] = frozenset()
    addresses: frozenset[str] = frozenset()
    websites: frozenset[str] = frozenset()
    points: tuple[tuple[float, float], ...] = ()
    # The organization a service or location belongs to (an organization: itself).
    owner: str | None = None
    label: str = ""

    @property
    def owner_key(self) -> str:
        # Records whose organization is unknown count as one unknown owner: they
        # most likely belong to one of the known ones.
        if self.entity == "organization":
            return self.id
        return self.owner or "?"


def make_profile(
    id: str,
    entity: str,
    names: Iterable[str | None],
    *,
    phones: Iterable[str | None] = (),
    addresses: Iterable[tuple[str | None, str | None]] = (),
    websites: Iterable[str | None] = (),
    points: Iterable[tuple[float | None, float | None]] = (),
    owner: str | None = None,
) -> Profile:
    shown = [n for n in names if n]
    tokens = tuple(dict.fromkeys(tuple(normalize.name_tokens(n)) for n in _variants(shown)))
    return Profile(
        id=id,
        entity=entity,
        names=tuple(t for t in tokens if t),
        phones=frozenset(p for p in map(normalize.normalize_phone, phones) if p),
        addresses=frozenset(a for a in (normalize.address_key(*x) for x in addresses) if a),
        websites=frozenset(w for w in map(normalize.normalize_website, websites) if w),
        points=tuple((a, b) for a, b in points if a is not None and b is not None),
        owner=owner if entity != "organization" else id,
        label=shown[0] if shown else "",
    )


def _variants(names: list[str]) -> Iterator[str]:
    """The name, then each alternate name ("A; B" is two) that is more than an
    acronym: "UM" is the alternate name of every University of Miami department."""
    if names:
        yield names[0]
    for alternate in names[1:]:
        for part in alternate.split(";"):
            if len(normalize.name_tokens(part)) >= 2:
                yield part


@dataclass
class Corpus:
    """How many distinct owners use each phone, address, website and domain, and in
    how many records each name token appears."""

    owners: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    tokens: Counter[str] = field(default_factory=Counter)

    @classmethod
    def of(cls, profiles: Iterable[Profile]) -> Corpus:
        corpus = cls()
        for p in profiles:
            for key in _evidence_keys(p):
                corpus.owners[key].add(p.owner_key)
            corpus.tokens.update({t for name in p.names for t in name})
        return corpus

    def sharing(self, key: str) -> int:
        return max(len(self.owners.get(key, ())), 1)


def _evidence_keys(p: Profile) -> Iterator[str]:
    yield from (f"p:{x}" for x in p.phones)
    yield from (f"a:{x}" for x in p.addresses)
    yield from (f"w:{x}" for x in p.websites)
    yield from (f"d:{normalize.website_domain(x)}" for x in p.websites)


def blocking_keys(p: Profile, corpus: Corpus) -> set[str]:
    keys = {f"p:{x}" for x in p.phones} | {f"a:{x}" for x in p.addresses}
    keys |= {f"w:{x}" for x in p.websites}
    for lat, lon in p.points:
        keys.add(f"g:{round(lat / GRID_DEGREES)}:{round(lon / GRID_DEGREES)}")
    for name in p.names:
        rare = sorted(set(name), key=lambda t: (corpus.tokens[t], t))[:NAME_KEYS]
        keys |= {f"n:{t}" for t in rare}
    return keys


def candidate_pairs(
    profiles: list[Profile], corpus: Corpus, only: set[str] | None = None
) -> set[tuple[str, str]]:
    """Ordered id pairs that share a blocking key (at least one side in ``only``)."""
    blocks: dict[str, list[str]] = defaultdict(list)
    for p in profiles:
        for key in blocking_keys(p, corpus):
            blocks[key].append(p.id)
    pairs: set[tuple[str, str]] = set()
    for members in blocks.values():
        if len(members) < 2 or len(members) > MAX_BLOCK:
            continue
        for a, b in combinations(sorted(set(members)), 2):
            if only is None or a in only or b in only:
                pairs.add((a, b))
    return pairs


@dataclass(frozen=True)
class PairFeatures:
    name_similarity: float  # 0..1, best over name and alternate name
    name_conflict: frozenset[str]  # jurisdiction/number words in only one name
    shared_phones: tuple[int, ...]  # for each shared number, how many owners use it
    shared_addresses: tuple[int, ...]
    shared_websites: tuple[tuple[int, bool], ...]  # (owners, shared-type domain)
    shared_domains: tuple[tuple[int, bool], ...]  # same domain, different page
    distance_km: float | None
    different_owner: bool
    same_owner: bool = False
    owner_unknown: bool = False  # a service or location with no organization
    entity: str = "organization"


def pair_features(a: Profile, b: Profile, corpus: Corpus) -> PairFeatures:
    similarity, conflict = _names(a, b)
    websites = a.websites & b.websites
    domains = {normalize.website_domain(w) for w in a.websites} & {
        normalize.website_domain(w) for w in b.websites
    }
    domains -= {normalize.website_domain(w) for w in websites}
    owned = a.entity != "organization" and bool(a.owner and b.owner)
    return PairFeatures(
        name_similarity=similarity,
        name_conflict=conflict,
        shared_phones=tuple(corpus.sharing(f"p:{x}") for x in sorted(a.phones & b.phones)),
        shared_addresses=tuple(corpus.sharing(f"a:{x}") for x in sorted(a.addresses & b.addresses)),
        shared_websites=tuple(_site(corpus, "w", w) for w in sorted(websites)),
        shared_domains=tuple(_site(corpus, "d", d) for d in sorted(d for d in domains if d)),
        distance_km=_distance(a, b),
        different_owner=owned and a.owner != b.owner,
        same_owner=owned and a.owner == b.owner,
        owner_unknown=a.entity != "organization" and not (a.owner and b.owner),
        entity=a.entity,
    )


def _site(corpus: Corpus, kind: str, value: str) -> tuple[int, bool]:
    domain = normalize.website_domain(value) if kind == "w" else value
    return corpus.sharing(f"{kind}:{value}"), normalize.is_shared_domain(domain)


def _names(a: Profile, b: Profile) -> tuple[float, frozenset[str]]:
    """Best similarity over the name pairs, and the conflict of that best pair."""
    best: tuple[float, frozenset[str]] = (0.0, frozenset())
    for i, x in enumerate(a.names):
        for j, y in enumerate(b.names):
            if i and j:
                continue  # two alternate names alike are often one parent's name
            left, right = " ".join(x), " ".join(y)
            sort = fuzz.token_sort_ratio(left, right)
            # token_set forgives a word added to a name ("... Mission Church"); halved
            # with token_sort so that a department is not its whole city.
            blended = (fuzz.token_set_ratio(left, right) + sort) / 2
            score = max(fuzz.ratio(left, right), sort, blended) / 100
            if i or j:
                score *= ALTERNATE_NAME_FACTOR
            conflict = normalize.distinguishing_tokens(list(x)) ^ normalize.distinguishing_tokens(
                list(y)
            )
            if (score, -len(conflict)) > (best[0], -len(best[1])):
                best = (score, conflict)
    return best


def _distance(a: Profile, b: Profile) -> float | None:
    distances = [haversine_km(*p, *q) for p in a.points for q in b.points]
    return min(distances) if distances else None
