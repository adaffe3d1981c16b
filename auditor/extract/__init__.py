"""From decoded text to a Report, in small passes, each a module with one job:

figures (numbers, units, roles) -> header (letterhead, period, cited documents) -> the document tree
(auditor/parse) -> scopes (what each part is about) -> tables (read from their headers) -> relations
stated by shape (breakdowns, shares) -> labels (lexicon keys) -> bases of shares -> lists.

Structure comes from the Lark grammar; meaning from the lexicon (grammars/lexicon.yaml) matched on
the folded, length-preserving text, so every offset found in the folded text is one in the source.
"""
from __future__ import annotations

from ..facts import Header, Report
from ..lexicon import Lexicon, default_lexicon
from ..parse.document import parse_document
from ..parse.inline import analyse
from ..parse.numbers import decimal_mark_of
from ..source.normalize import blank_page_furniture
from .changes import read_changes
from .clauses import read_clauses
from .context import Ctx
from .figures import inherit_units, mark_broken, mark_page_numbers, mark_respective, read_figures
from .header import read_header, read_references
from .labels import Labeller, fraction_facts, link_bases, nested_includes, prune_breakdowns, wholes_of_parts, rate_facts, resolve_alternatives
from .lists import read_lists
from .relations import partitions, read_relations, read_shares
from .scopes import assign_scopes
from .tables import read_tables, text_about_rows


def extract(path: str, text: str, encoding: str = "utf-8", lex: Lexicon | None = None) -> Report:
    lex = lex or default_lexicon()
    report = Report(path, text, encoding, decimal_mark_of(text), Header())
    ctx = Ctx(blank_page_furniture(text, lex.page_furniture), lex, report)
    read_figures(ctx)
    read_header(ctx)
    read_references(ctx)
    tree = parse_document(ctx.text)
    ctx.set_tree(tree, analyse(tree, ctx.text))
    mark_respective(ctx)
    inherit_units(ctx)
    for node in ctx.nodes:
        if node.kind == "item":
            ctx.mark(node.marker[0], node.marker[1], "marker")
    mark_broken(ctx)
    mark_page_numbers(ctx)
    scopes = assign_scopes(ctx)
    read_tables(ctx, scopes)
    rel = read_relations(ctx)
    read_shares(ctx, rel)
    labeller = Labeller(ctx, rel)
    labeller.run()
    wholes_of_parts(ctx, labeller)
    text_about_rows(ctx)
    prune_breakdowns(ctx, labeller)
    rate_facts(ctx)
    fraction_facts(ctx, labeller)
    resolve_alternatives(ctx)
    nested_includes(ctx)
    link_bases(ctx, labeller)
    partitions(ctx)
    read_changes(ctx)
    read_lists(ctx)
    read_clauses(ctx)
    report.facts.sort(key=lambda fa: fa.q.start)
    return report


__all__ = ["extract"]
