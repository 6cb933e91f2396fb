"""Partner suggestions: German text handling, lexical and semantic models, evidence
fusion, scoring with reasons (see docs/matching.md).

Public API::

    from matchwerk.engine.matching import MatchIndex, OrganisationProfile
    index = MatchIndex.build(profiles)               # FusionConfig() reads MATCHWERK_ENCODER
    index.update(profile); index.remove("o7")        # incremental
    index.suggest("o1", top=10, programme="cross-innovation", exclude={"o9"},
                  candidates=consenting_ids, priors=DecisionPriors(...))
    index.suggest_many(ids, top=10, exclude={"o1": {"o9"}})
"""

from matchwerk.engine.matching.fusion import FusionConfig
from matchwerk.engine.matching.index import MatchIndex
from matchwerk.engine.matching.profiles import (
    DEFAULT_PROGRAMME, KINDS, PROGRAMMES, DecisionPriors, Evidence, OrganisationProfile, Suggestion, compatible,
    pairs_from_list,
)

__all__ = [
    "DEFAULT_PROGRAMME", "KINDS", "PROGRAMMES", "DecisionPriors", "Evidence", "FusionConfig", "MatchIndex",
    "OrganisationProfile", "Suggestion", "compatible", "pairs_from_list",
]
