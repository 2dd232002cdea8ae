"""The trust snapshot: a deterministic score from a researcher record's signals.

Points by signal (maximum 100):

| signal | points |
|---|---|
| verification | L0 0, L1 10, L2 20, L3 25 (see verification_level) |
| claim | 5 when CLAIMED |
| works | round(2 * log2(1 + works)), at most 15 |
| citations | round(1.5 * log2(1 + citations)), at most 15 |
| h-index | h, at most 15 |
| collaboration breadth | round(1.25 * close collaborators), at most 10 |
| ORCID | 5 when the record has an ORCID |
| affiliation | 5 when an affiliation is known |
| profile | 5 when the claimant wrote a bio |

Bands: NEW 0-19, EMERGING 20-39, ESTABLISHED 40-59, TRUSTED 60-79, EXEMPLARY 80-100.
The seed researcher (L1, 8 works, no citations, 4 close collaborators) scores 10 + 6 + 5 = 21.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from graphstore.records import ClaimState, ResearcherRecord, ResearcherStatsRecord

BANDS = ((80, "EXEMPLARY"), (60, "TRUSTED"), (40, "ESTABLISHED"), (20, "EMERGING"), (0, "NEW"))
VERIFICATION_POINTS = {"L0": 0, "L1": 10, "L2": 20, "L3": 25}


@dataclass(frozen=True, slots=True)
class TrustSignalValue:
    name: str
    value: str
    points: int


@dataclass(frozen=True, slots=True)
class Trust:
    score: int
    band: str
    label: str
    verification: str
    signals: tuple[TrustSignalValue, ...]


def verification_level(record: ResearcherRecord) -> str:
    """L0 no persistent id, L1 public author record, L2 claimed, L3 claimed with verified ORCID."""
    if record.claim_status is ClaimState.CLAIMED:
        return "L3" if record.orcid_verified and record.orcid else "L2"
    return "L1" if record.id else "L0"


def band_of(score: int) -> str:
    """The band a score falls in."""
    return next(band for floor, band in BANDS if score >= floor)


def trust_snapshot(
    record: ResearcherRecord, stats: ResearcherStatsRecord, affiliation_known: bool
) -> Trust:
    """Score, band, label, verification level and the signals the score is made of."""
    level = verification_level(record)
    signals = (
        TrustSignalValue("verification", level, VERIFICATION_POINTS[level]),
        TrustSignalValue(
            "claim",
            record.claim_status.value,
            5 if record.claim_status is ClaimState.CLAIMED else 0,
        ),
        TrustSignalValue("works", str(stats.works), min(15, round(2 * math.log2(1 + stats.works)))),
        TrustSignalValue(
            "citations", str(stats.citations), min(15, round(1.5 * math.log2(1 + stats.citations)))
        ),
        TrustSignalValue("hIndex", str(stats.h_index), min(15, stats.h_index)),
        TrustSignalValue(
            "closeCollaborators",
            str(stats.close_collaborators),
            min(10, round(1.25 * stats.close_collaborators)),
        ),
        TrustSignalValue(
            "orcid", "present" if record.orcid else "absent", 5 if record.orcid else 0
        ),
        TrustSignalValue(
            "affiliation",
            "known" if affiliation_known else "unknown",
            5 if affiliation_known else 0,
        ),
        TrustSignalValue("profile", "bio" if record.bio else "no bio", 5 if record.bio else 0),
    )
    score = sum(signal.points for signal in signals)
    band = band_of(score)
    return Trust(
        score=score,
        band=band,
        label=f"Trust {score} - {band.capitalize()}",
        verification=level,
        signals=signals,
    )
