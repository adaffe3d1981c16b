"""Rule expressions: parsed by grammars/expr.lark, evaluated over Decimal by dictionary look-up."""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from lark import Lark, Token, Tree
from lark.exceptions import LarkError

from ..resources import grammar_path


class ExprError(ValueError):
    pass


@lru_cache(maxsize=1)
def _parser() -> Lark:
    return Lark(grammar_path("expr.lark").read_text(encoding="utf-8"), parser="lalr", cache=True)  # the analysed grammar is cached in the temp folder: faster start


@lru_cache(maxsize=1024)
def parse_expr(source: str) -> Tree | Token:
    try:
        return _parser().parse(source)
    except LarkError as exc:
        raise ExprError(f"biểu thức không hợp lệ {source!r}: {str(exc).splitlines()[0]}") from None


def names(tree: Tree | Token) -> list[str]:
    """Every name the expression uses, in order of appearance."""
    if isinstance(tree, Tree):
        if tree.data == "name":
            return [str(tree.children[0])]
        out: list[str] = []
        for child in tree.children:
            for n in names(child):
                if n not in out:
                    out.append(n)
        return out
    return []


def signed_terms(tree: Tree | Token, sign: int = 1) -> list[tuple[int, str]]:
    """For a plain sum of names: [(+1, 'received.new'), (+1, 'carried_over')]. Raises for * and /."""
    if isinstance(tree, Tree):
        if tree.data == "name":
            return [(sign, str(tree.children[0]))]
        if tree.data == "add":
            return signed_terms(tree.children[0], sign) + signed_terms(tree.children[1], sign)
        if tree.data == "sub":
            return signed_terms(tree.children[0], sign) + signed_terms(tree.children[1], -sign)
    raise ExprError("chỉ dùng được tổng và hiệu của các khóa ở đây")


def evaluate(tree: Tree | Token, values: dict[str, Decimal]) -> Decimal:
    if isinstance(tree, Tree):
        op = tree.data
        if op == "name":
            return values[str(tree.children[0])]
        if op == "number":
            return Decimal(str(tree.children[0]))
        a, b = (evaluate(c, values) for c in tree.children)
        if op == "add":
            return a + b
        if op == "sub":
            return a - b
        if op == "mul":
            return a * b
        if op == "div":
            if b == 0:
                raise ZeroDivisionError
            return a / b
    raise ExprError(f"nút biểu thức lạ: {tree!r}")
