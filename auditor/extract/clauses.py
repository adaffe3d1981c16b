"""Clauses with their figures masked, to find the same sentence stated twice with other figures."""
from __future__ import annotations

import re

from ..facts import Clause
from ..parse.inline import within
from .context import Ctx

_SHAPE_WORD = re.compile(r"[a-z0-9#]+")
_MIN_WORDS = 8  # a shorter phrase ("chiếm #% số đã giải quyết") repeats by itself in any report


def read_clauses(ctx: Ctx) -> None:
    f = ctx.folded
    group = next((rx for kind, rx in ctx.lex.scope_kinds if kind == "group"), None)
    for node in ctx.nodes:
        if node.kind not in ("item", "paragraph"):
            continue
        cuts = within(ctx.inline.phrase_cuts, node.body_start, node.end)
        for a, b in zip([node.body_start] + cuts, cuts + [node.end]):
            nums = [q for q in ctx.between(a, b) if q.role in ("quantity", "numerator", "denominator")]
            if not nums:
                continue
            pieces, last = [], a
            for q in nums:  # a number that is no figure ("tháng 11", "Nghị định 61") stays: it tells clauses apart
                pieces += (f[last:q.start], "#")
                last = q.end
            pieces.append(f[last:b])
            words = _SHAPE_WORD.findall("".join(pieces))
            words = [w for k, w in enumerate(words) if k == 0 or w != words[k - 1]]
            if len(words) >= _MIN_WORDS:
                names = group is not None and group.search(f, a, b) is not None
                ctx.report.clauses.append(Clause(a, b, " ".join(words), nums, ctx.scope_at(a), names))
