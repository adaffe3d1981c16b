"""Counts followed by what they count: "08/11 đơn vị (A, B, …)", "03 xã: A, B và C", "04 (bốn), gồm A,
B, C và D", "02 cơ quan …: A, B"; and a count whose items are the sub-items after it."""
from __future__ import annotations

import re

from ..facts import ListClaim
from ..source.normalize import fold
from ..parse.document import Node
from .context import Ctx

_OPENER = re.compile(r"[^():;.]{0,90}?(?:(\()|(:)|\b(?:gom|la|bao gom)\b\s*:?)\s*")
_PARENTHESISED_WORD = re.compile(r"\s*\([a-z ]{2,12}\)\s*,?")  # "04 (bốn), gồm …"
_VA = re.compile(r"\s+(?:v[aà]|và)\s+")


def read_lists(ctx: Ctx) -> None:
    for node in ctx.nodes:
        if node.kind in ("item", "paragraph"):
            _node_lists(ctx, node)


def _node_lists(ctx: Ctx, node: Node) -> None:
    f, text = ctx.folded, ctx.text
    own_end = node.children[0].start if node.children and node.children[0].start < node.end else node.end
    for q in ctx.between(node.body_start, own_end):
        if q.role not in ("quantity", "numerator") or q.percent or q.approx:
            continue
        of = ctx.next_figure(q) if q.role == "numerator" else None
        pos = of.end if of is not None else q.end
        pm = _PARENTHESISED_WORD.match(f, pos)
        if pm:
            pos = pm.end()
        cm = ctx.lex.countable.match(f, pos)
        if not cm and not pm:
            continue
        start = cm.end() if cm else pos
        s_end = min(ctx.inline.sentence(start)[1], own_end)
        om = _OPENER.match(f, start, s_end)
        if not om or any(x.role in ("quantity", "numerator") and not x.percent for x in ctx.between(start, om.end())):
            continue  # another count stands between ("05/09 phòng đạt 100% … (A, B)" still lists the phòng)
        if _names_other_things(ctx, start, om.end(), f[cm.start():cm.end()] if cm else ""):
            continue  # "08 thủ tục thuộc các lĩnh vực: hộ tịch, đất đai, …": the fields are listed, not the procedures
        body_start = om.end()
        if om.group(1):  # "(A, B, C)"
            close = text.find(")", body_start, s_end + 1)
            if close < 0:
                continue
            body_end = close
        else:
            body_end = s_end
            semi = f.find(";", body_start, s_end)
            # the clause after the ";" (not the list's last item, with a bracket of last year's figure)
            after = f.find(";", semi + 1, s_end) if semi >= 0 else -1
            if semi >= 0 and "," in f[body_start:semi] and (_VA.search(f, body_start, semi)
                                                            or _counts_in(ctx, semi, after if after >= 0 else s_end)):
                # "03 xã: A, B và C; Trung tâm đặt tại …", "02 cơ quan: A, B; tỷ lệ … 98%": the list ends
                # with its clause; "5 nhóm là A, B; C, D; E và F": its items are set off by ";"
                body_end = semi
        body = text[body_start:body_end].rstrip(" .;")
        bracket = body.rfind("(")
        if not om.group(1) and bracket > max(body.rfind(";"), body.rfind(","), 0) and body.rstrip().endswith(")") \
                and ctx.lex.aside_other_time.match(f, body_start + bracket + 1):
            body = body[:bracket].rstrip()  # "…; cư trú; căn cước (cùng kỳ năm 2024: 89.442 hồ sơ)": last year's aside
        if not body.strip() and om.group(2):
            kids = [c for c in node.children if c.kind == "item"]
            if any(_counts_in(ctx, c.body_start, c.end) for c in kids):
                continue  # sub-items with figures are the parts of a total, not names
            items, alt = [(c.body_start, c.end) for c in kids], None
        else:
            if _counts_in(ctx, body_start, body_start + len(body)) or ctx.total_word(body_start) \
                    or ctx.lex.aside_other_time.match(f, body_start) \
                    or ctx.lex.average_before.search(f, body_start, body_start + len(body)):
                # a bracket or list holding figures is a breakdown or a note, not a list of names; so is one holding
                # an average ("3.543 số (bình quân 161 số/ngày làm việc, 22 ngày làm việc)")
                continue
            items, alt = split_items(body, body_start, ctx.lex.name_with_va, ctx.lex.scope_rx("unit"))
        if len(items) < 2:
            continue  # one name is no list to count
        if _lists_another_count(ctx, q, items, f[cm.start():cm.end()] if cm else ""):
            continue
        ctx.report.lists.append(ListClaim(q, of, items, q.start, body_start + len(body), alt,
                                          " ".join(f[cm.start():cm.end()].split()) if cm else ""))


_GATHERED = re.compile(r"\b(?:cac|nhung)\b")


def _names_other_things(ctx: Ctx, start: int, opener: int, noun: str) -> bool:
    """Words between a count's noun and its list that gather other countable things ("thuộc các lĩnh
    vực", "tại các xã"): the list names those."""
    f = ctx.folded
    for g in _GATHERED.finditer(f, start, opener):
        other = ctx.lex.countable.match(f, g.end(), opener)
        if other is not None and " ".join(f[other.start():other.end()].split()) != " ".join(noun.split()):
            return True
    return False


def _lists_another_count(ctx: Ctx, q, items: list[tuple[int, int]], noun: str) -> bool:
    """"03 Quyết định công bố 46 TTHC (Quyết định số …, Quyết định số …, …)": items that all open with
    the noun another figure of the sentence counts list that figure's things, not this one's."""
    f = ctx.folded
    heads = {" ".join(f[a:b].split()[:2]) for a, b in items}
    if len(heads) != 1:
        return False
    head = heads.pop()
    if not head or " ".join(noun.split()).startswith(head.split()[0]):
        return False
    s0 = ctx.inline.sentence(q.start)[0]
    return re.search(r"\d\s+" + re.escape(head.split()[0]) + r"\b", f[s0:q.start]) is not None


def _counts_in(ctx: Ctx, a: int, b: int) -> bool:
    """Figures that count something (not an age "06 tuổi" or a date) between a and b."""
    return any(x.role in ("quantity", "numerator") and x.unit not in ("time",) and not x.percent or x.percent
               for x in ctx.between(a, b) if x.role not in ("date", "docref", "year", "marker"))


def split_items(body: str, offset: int, named: re.Pattern | None = None,
                types: re.Pattern | None = None) -> tuple[list[tuple[int, int]], int | None]:
    """List items (split on ";" when present, else on ","), and the count of the other reading when
    the last "và" may either join two names or belong to one ("Sở Tài nguyên và Môi trường").

    The items decide: when the others all open with one type word ("Sở …", "xã …"), "và" splits only
    before that word; names without a type word ("Nam Xuân, Long Sơn và Đắk Sắk") split before a
    capital. A "và" inside a name the lexicon knows (`named`: "Lao động – Thương binh và Xã hội") joins
    nothing. The reading chosen is the list; the other is kept, and a count that fits it passes."""
    sep = ";" if ";" in body else ","
    items = []
    pos = 0
    for part in body.split(sep):
        s, e = pos, pos + len(part)
        pos = e + 1
        if part.strip():
            items.append((offset + s + len(part) - len(part.lstrip()), offset + e - (len(part) - len(part.rstrip()))))
    if not items:
        return items, None
    continued = 0
    if sep == ",":
        if named is not None:
            items = _joined_names(body, offset, items, named)
        items, continued = _continued(body, offset, items)
    items, other = _last_va(body, offset, items, named, types)
    return items, (len(items) + continued if other is None and continued else other)


def _continued(body: str, offset: int, items: list[tuple[int, int]]) -> tuple[list[tuple[int, int]], int]:
    """Commas inside one item: "Sở VH,TT&DL" (no space after it) is one name; "Khám bệnh, chữa bệnh" in a
    list whose items open with capitals goes on with the item before (how many items that joined, for
    the other reading: the words may still be two lowercase items)."""
    out = [items[0]]
    capitals = sum(1 for a, _ in items if body[a - offset:a - offset + 1].isupper())
    joined = 0
    for a, b in items[1:]:
        comma = body.rfind(",", 0, a - offset)
        glued = comma >= 0 and comma + 1 == a - offset and body[comma - 1:comma].isalnum()
        lower = body[a - offset:a - offset + 1].islower() and capitals >= 2 and capitals >= len(items) - capitals
        if glued or lower:
            out[-1] = (out[-1][0], b)
            joined += 0 if glued else 1
        else:
            out.append((a, b))
    return out, joined


def _last_va(body: str, offset: int, items: list[tuple[int, int]], named,
             types: re.Pattern | None = None) -> tuple[list[tuple[int, int]], int | None]:
    """The last item's "và": two names, or one name holding it."""
    s, e = items[-1]
    last = body[s - offset:e - offset]
    m = None
    for m_ in _VA.finditer(last):
        m = m_
    if m is None:
        return items, None
    after = last[m.end():].split()
    others = [body[a - offset:b - offset] for a, b in items[:-1]]
    firsts = {o.split()[0].lower() for o in others if o.split()}
    head = last.split()[0].lower() if last.split() else ""
    known = named.search(fold(last)) if named is not None else None
    if known is not None and known.start() <= m.start() < known.end():
        split, sure = False, True  # "Sở Lao động – Thương binh và Xã hội" is one name
    elif any(_VA.search(o) for o in others):  # names of this list hold "và" ("Tài nguyên và Môi trường")
        split, sure = False, True
    elif len(firsts) == 1 and head in firsts:  # every item opens with one type word: "Sở …", "xã …"
        # "… và Phòng Tài nguyên và Môi trường": the "và" before the type word joins the last two names
        # ("xã An Phú, xã Hòa Lạc và thị trấn Tân Minh": when the items open with a unit's type word, another one
        # after "và" splits too)
        units = types is not None and all(types.fullmatch(fold(w)) for w in firsts)
        typed = [v for v in _VA.finditer(last) if last[v.end():].split()[:1] and (
            last[v.end():].split()[0].lower() in firsts
            or units and types.match(fold(" ".join(last[v.end():].split()[:2]).lower())) is not None)]
        if typed:
            m = typed[-1]
        split = bool(typed)
        sure = True
    else:
        split = bool(after) and (after[0][:1].isupper() or after[0].lower() in firsts | {head})
        sure = False
    other = len(items) + (0 if split else 1)
    if split:
        items[-1:] = [(s, s + m.start()), (s + m.end(), e)]
        other = len(items) - 1
    return items, (None if sure else other)


def _joined_names(body: str, offset: int, items: list[tuple[int, int]], named: re.Pattern) -> list[tuple[int, int]]:
    """Items a known name with a comma in it spans, as one ("Sở Văn hóa, Thể thao và Du lịch")."""
    folded = fold(body)
    for m in named.finditer(folded):
        a, b = offset + m.start(), offset + m.end()
        inside = [i for i, (s, e) in enumerate(items) if s < b and a < e]
        if len(inside) >= 2:
            first, last = inside[0], inside[-1]
            items = items[:first] + [(items[first][0], items[last][1])] + items[last + 1:]
    return items
