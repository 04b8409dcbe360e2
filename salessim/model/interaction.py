"""Interaction quality: how well one round of selling lands with the buying group.

Quality mixes the seller's competencies by the environment's complexity: in transactional deals
process and knowledge carry the round (scripts and content can guide precisely); in complex deals
adaptive competency matters most ("Is Sales Enablement Making Salespeople Stupid?", part 3).
Enablement content adds knowledge-equivalent quality in proportion to its quality and its fit to
the journey phase and buyer roles, and guides less in complex deals.
"""

from __future__ import annotations


def base_quality(process: float, knowledge: float, adaptive: float, complexity: float,
                 content_effect: float) -> float:
    know = knowledge + content_effect * (1.0 - 0.5 * complexity)
    know = know if know < 1.0 else 1.0  # min(1.0, know) at a tenth of the cost: runs every round
    simple = 0.5 * process + 0.5 * know
    complex_ = 0.3 * process + 0.3 * know + 0.4 * adaptive
    return (1.0 - complexity) * simple + complexity * complex_


def content_effect(lift: float, quality: float, phase_fit: float, role_coverage: float) -> float:
    """Knowledge-equivalent quality that content adds in one phase: good content that fits the
    phase helps; content for only some buyer roles helps half as much with the others."""
    return lift * quality * phase_fit * (0.5 + 0.5 * role_coverage)


def clip01(x: float) -> float:
    return 0.0 if x < 0.0 else (1.0 if x > 1.0 else x)
