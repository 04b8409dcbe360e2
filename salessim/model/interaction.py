"""Interaction quality: how well one round of selling lands with the buying group.

Quality mixes the seller's competencies by the environment's complexity: in transactional deals
process and knowledge carry the round (scripts and content can guide precisely); in complex deals
adaptive competency matters most ("Is Sales Enablement Making Salespeople Stupid?", part 3).
Enablement content adds knowledge-equivalent quality in proportion to its quality and its fit to
the journey phase and buyer roles, and guides less in complex deals.
"""

from __future__ import annotations


def competency_mix(process_weight: float, adaptive_weight: float) -> tuple[float, float, float, float]:
    """The weights of a round's quality (market.forms.transactional_process_weight and
    market.forms.complex_adaptive_weight): process and knowledge in a transactional deal, then process
    or knowledge and adaptive competency in a complex one, where process and knowledge share
    what adaptive competency leaves. Worked out once a run, not every round."""
    either = (1.0 - adaptive_weight) / 2.0
    return process_weight, 1.0 - process_weight, either, adaptive_weight


def base_quality(process: float, knowledge: float, adaptive: float, complexity: float,
                 content_effect: float, mix: tuple[float, float, float, float]) -> float:
    """The competencies mixed by ``mix`` (competency_mix): in a transactional deal (complexity
    0), in a complex one (complexity 1), and in between by complexity."""
    process_weight, knowledge_weight, either, adaptive_weight = mix
    know = knowledge + content_effect * (1.0 - 0.5 * complexity)
    know = know if know < 1.0 else 1.0  # min(1.0, know) at a tenth of the cost: runs every round
    simple = process_weight * process + knowledge_weight * know
    complex_ = either * process + either * know + adaptive_weight * adaptive
    return (1.0 - complexity) * simple + complexity * complex_


def content_effect(lift: float, quality: float, phase_fit: float, role_coverage: float) -> float:
    """Knowledge-equivalent quality that content adds in one phase: good content that fits the
    phase helps; content for only some buyer roles helps half as much with the others."""
    return lift * quality * phase_fit * (0.5 + 0.5 * role_coverage)


def clip01(x: float) -> float:
    return 0.0 if x < 0.0 else (1.0 if x > 1.0 else x)
