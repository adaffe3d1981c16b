"""The check kinds: one module each, with a typed rule spec (`Spec`), the slots its messages may use
(`SLOTS`), a default message for a passed check (`PASSED`), and one function `run(rule, context)`
that yields an Outcome per relation it examined. This registry is the only list of kinds: the
catalog's rule model, `tthc-audit rules` and the guide are derived from it.
"""
from __future__ import annotations

from typing import Annotated, Union

from pydantic import Field

from . import bound, count, dates, equal, growth, ratio
from . import sum as sum_kind

KINDS = {"sum": sum_kind, "ratio": ratio, "equal": equal, "bound": bound, "count": count, "dates": dates,
         "growth": growth}

Rule = Annotated[Union[tuple(m.Spec for m in KINDS.values())], Field(discriminator="kind")]  # type: ignore[valid-type]
