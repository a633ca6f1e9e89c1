"""Explore a corpus by hand: keyword-in-context lines, and three pickers for JupyterLab.

``keyword_in_context`` is a plain table function. The three ``explore_*`` functions return an
ipywidgets box when a notebook runs in a live frontend (JupyterLab), and the same lines as a static
DataFrame otherwise: when ``NEWSLENS_HEADLESS=1`` is set (``make figures`` and the notebook tests
set it), or outside an IPython kernel. ``interactive=True`` or ``False`` overrides the guess.

* ``explore_parties``: pick a party (or an entity) and read its mentions in context, with the
  words that moved its sentiment score marked;
* ``explore_sources``: pick a source and read the sentences credited to it;
* ``explore_concordance``: type a word and read every line it occurs in.
"""

from __future__ import annotations

import bisect
import html
import os
import re
from collections import Counter
from collections.abc import Iterable

import pandas as pd

from .style import NO_PARTY, party_colour
from .tokenizers import find_sentences

__all__ = [
    "HEADLESS_VARIABLE",
    "KWIC_COLUMNS",
    "explore_concordance",
    "explore_parties",
    "explore_sources",
    "keyword_in_context",
    "mark_words",
    "parse_evidence",
    "render_kwic",
    "use_widgets",
]

KWIC_COLUMNS = ["article", "sentence", "start", "end", "left", "match", "right"]
HEADLESS_VARIABLE = "NEWSLENS_HEADLESS"
NO_SOURCE = "(no source)"
_NONE = frozenset({NO_PARTY, NO_SOURCE})

_SPACES = re.compile(r"\s+")
_EVIDENCE_ITEM = re.compile(r"[;|\n]|,(?=\s*[^\d\s])")
_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)?")
_TRAILING_NUMBER = re.compile(r"\s*[-+]?\d+(?:[.,]\d+)?\s*$")
_TABLE_STYLE = (
    "border-collapse:collapse;font-size:13px;line-height:1.5;white-space:nowrap;"
    "font-family:var(--jp-content-font-family, sans-serif)"
)
_MARK_STYLE = "background:#ffe066;padding:0 1px;border-radius:2px"
_POSITIVE, _NEGATIVE = "#b7e4a8", "#f7b3b3"
_CONTENT_STYLE = "text-decoration:underline dotted"


def use_widgets() -> bool:
    """Whether to show widgets: not under ``NEWSLENS_HEADLESS=1``, only inside an IPython kernel."""
    flag = os.environ.get(HEADLESS_VARIABLE, "").strip().lower()
    if flag not in {"", "0", "false", "no", "off"}:
        return False
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


# ----------------------------------------------------------------------------- KWIC lines


def _compile(pattern, *, regex: bool, case: bool) -> re.Pattern | None:
    if isinstance(pattern, re.Pattern):
        return pattern
    pattern = str(pattern).strip()
    if not pattern:
        return None
    if not regex:
        words = [re.escape(word).replace(r"\*", r"\w*") for word in pattern.split()]
        pattern = r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)"
    return re.compile(pattern, 0 if case else re.IGNORECASE)


def _squash(text: str) -> str:
    return _SPACES.sub(" ", text)


def _left(text: str, i: int, width: int) -> str:
    """The ``width`` characters before ``text[i]``, cut at a word boundary, ``…`` if cut."""
    if i <= width:
        return _squash(text[:i])
    piece = text[i - width : i]
    if not text[i - width - 1].isspace():
        cut = piece.find(" ")
        piece = piece[cut + 1 :] if 0 <= cut < len(piece) - 1 else piece
    return "…" + _squash(piece)


def _right(text: str, j: int, width: int) -> str:
    """The ``width`` characters after ``text[j-1]``, cut at a word boundary, ``…`` if cut."""
    if len(text) - j <= width:
        return _squash(text[j:])
    piece = text[j : j + width]
    if not text[j + width].isspace():
        cut = piece.rfind(" ")
        piece = piece[:cut] if cut > 0 else piece
    return _squash(piece) + "…"


def _split_input(texts: pd.DataFrame, articles: pd.DataFrame | None):
    """Return (sentences, article texts or None) from a sentences or an articles table."""
    if "sentence" not in texts.columns:
        return find_sentences(texts), dict(zip(texts["article"], texts["text"], strict=True))
    full = None
    if articles is not None:
        full = dict(zip(articles["article"], articles["text"], strict=True))
    return texts, full


def _index(sentences: pd.DataFrame) -> dict:
    """Per article: sorted sentence starts, and the (start, end, number, text) rows."""
    index: dict = {}
    ordered = sentences.sort_values(["article", "start"])
    for article, number, start, end, text in ordered[
        ["article", "sentence", "start", "end", "text"]
    ].itertuples(index=False):
        starts, rows = index.setdefault(article, ([], []))
        starts.append(int(start))
        rows.append((int(start), int(end), int(number), str(text)))
    return index


def _find_unit(index: dict, full: dict | None, article, start: int, end: int):
    """The sentence holding ``start``, else the line of the article holding it, else None."""
    starts, rows = index.get(article, ((), ()))
    i = bisect.bisect_right(starts, start) - 1
    if i >= 0 and start < rows[i][1]:
        return rows[i]
    if full is not None and article in full:
        text = full[article]
        if 0 <= start < len(text):
            line_start = text.rfind("\n", 0, start) + 1
            line_end = text.find("\n", start)
            line_end = len(text) if line_end < 0 else line_end
            return (line_start, line_end, -1, text[line_start:line_end])
    return None


def keyword_in_context(
    texts: pd.DataFrame,
    pattern_or_spans,
    *,
    width: int = 40,
    articles: pd.DataFrame | None = None,
    regex: bool = False,
    case: bool = False,
) -> pd.DataFrame:
    """Keyword-in-context lines: ``article, sentence, start, end, left, match, right``.

    ``texts`` is a sentences table (``article, sentence, start, end, text``) or an articles table
    (split into sentences here). ``pattern_or_spans`` is either a word or phrase (``*`` matches
    the rest of a word: ``negotiat*``; whole words, case-insensitive unless ``case=True``; a
    regular expression with ``regex=True``), or a table of spans with ``article, start, end``
    (article offsets, such as the mentions table) whose other columns are kept. ``left`` and
    ``right`` hold up to ``width`` characters of the same sentence, ``…`` where cut. A span
    outside every sentence (a dateline) takes its context from its line of ``articles`` when
    given, and gets sentence ``-1``.
    """
    sentences, full = _split_input(texts, articles)
    rows: list[tuple] = []
    if isinstance(pattern_or_spans, pd.DataFrame):
        spans = pattern_or_spans
        extra = [c for c in spans.columns if c not in {*KWIC_COLUMNS, "text"}]
        index = _index(sentences)
        has_sentence = "sentence" in spans.columns
        has_text = "text" in spans.columns
        for row in spans.to_dict("records"):
            start, end = int(row["start"]), int(row["end"])
            unit = _find_unit(index, full, row["article"], start, end)
            if unit is None:
                number = int(row["sentence"]) if has_sentence else -1
                match = str(row["text"]) if has_text else ""
                left = right = ""
            else:
                u_start, u_end, number, u_text = unit
                if number < 0 and has_sentence:
                    number = int(row["sentence"])
                i, j = start - u_start, min(end, u_end) - u_start
                left, match, right = _left(u_text, i, width), u_text[i:j], _right(u_text, j, width)
            rows.append(
                (row["article"], number, start, end, left, match, right, *(row[c] for c in extra))
            )
        return pd.DataFrame(rows, columns=[*KWIC_COLUMNS, *extra])
    compiled = _compile(pattern_or_spans, regex=regex, case=case)
    if compiled is not None:
        for article, number, s_start, text in sentences[
            ["article", "sentence", "start", "text"]
        ].itertuples(index=False):
            for m in compiled.finditer(text):
                i, j = m.span()
                if i == j:
                    continue
                rows.append(
                    (article, number, s_start + i, s_start + j)
                    + (_left(text, i, width), text[i:j], _right(text, j, width))
                )
    return pd.DataFrame(rows, columns=KWIC_COLUMNS)


# ----------------------------------------------------------------------------- HTML


def parse_evidence(evidence, *, weights: bool = False) -> list[str] | dict[str, float | None]:
    """The words of a sentiment ``evidence`` string such as ``"unsuccessful:-0.50; tense:-0.3"``.

    Lenient: items may be separated by ``;``, ``|``, ``,`` or new lines, scores may follow a ``:``,
    ``=`` or a space or sit in brackets, or be missing; a list of words is taken as it is. With
    ``weights=True``, returns ``{word: score or None}`` instead of the list of words.
    """
    if evidence is None or (isinstance(evidence, float) and pd.isna(evidence)):
        items = []
    elif isinstance(evidence, list | tuple):
        items = evidence
    else:
        items = _EVIDENCE_ITEM.split(str(evidence))
    found: dict[str, float | None] = {}
    for item in items:
        word, *rest = re.split(r"[:=(\[]", str(item), maxsplit=1)
        trailing = _TRAILING_NUMBER.search(word)
        number = _NUMBER.search(rest[0]) if rest else trailing and _NUMBER.search(trailing.group())
        word = word[: trailing.start()] if trailing else word
        word = word.strip().strip("\"'`").strip()
        if word and any(ch.isalpha() for ch in word) and word not in found:
            found[word] = float(number.group().replace(",", ".")) if number else None
    return found if weights else list(found)


def _mark_style(weight: float | None) -> str:
    if weight is None or weight == 0:
        return _MARK_STYLE
    colour = _POSITIVE if weight > 0 else _NEGATIVE
    return _MARK_STYLE.replace("#ffe066", colour)


def mark_words(text: str, words) -> str:
    """``text`` as HTML, each whole-word occurrence of ``words`` wrapped in ``<mark>``.

    ``words`` is a list, or a ``{word: score}`` dict (``parse_evidence(..., weights=True)``):
    then words with a positive score are marked green, negative red, the score as a tooltip.
    """
    scores = dict(words) if isinstance(words, dict) else dict.fromkeys(words)
    keys = sorted((w for w in scores if w), key=len, reverse=True)
    if not keys:
        return html.escape(text)
    folded = {" ".join(w.casefold().split()): scores[w] for w in keys}
    parts = [r"\s+".join(re.escape(p) for p in w.split()) for w in keys]
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)
    out, last = [], 0
    for m in pattern.finditer(text):
        weight = folded.get(" ".join(m.group().casefold().split()))
        tip = "" if weight is None else f' title="{weight:+.2f}"'
        out.append(html.escape(text[last : m.start()]))
        out.append(f'<mark style="{_mark_style(weight)}"{tip}>{html.escape(m.group())}</mark>')
        last = m.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def _short(article) -> str:
    return html.escape(str(article)[:12])


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:+.2f}"
    return html.escape(str(value))


def render_kwic(
    kwic: pd.DataFrame,
    *,
    limit: int = 200,
    columns: Iterable[str] = (),
    colour: str | None = None,
    title: str = "",
) -> str:
    """An HTML table of keyword-in-context lines; words of an ``evidence`` column are marked.

    ``columns`` are extra columns shown before each line (such as ``score, label``); ``colour``
    underlines the keyword (a party's colour). At most ``limit`` lines are shown.
    """
    columns = [c for c in columns if c in kwic.columns]
    has_evidence = "evidence" in kwic.columns
    shown = kwic.head(limit)
    underline = f"border-bottom:3px solid {colour};" if colour else ""
    head = "".join(f'<th style="padding:2px 8px">{html.escape(c)}</th>' for c in columns)
    body = []
    for row in shown.to_dict("records"):
        words = parse_evidence(row["evidence"], weights=True) if has_evidence else {}
        extra = "".join(f'<td style="padding:2px 8px">{_cell(row[c])}</td>' for c in columns)
        body.append(
            "<tr>"
            f'<td style="color:#777;padding:2px 8px" title="{html.escape(str(row["article"]))}">'
            f"{_short(row['article'])} · {row['sentence']}</td>{extra}"
            '<td style="text-align:right;padding:2px 0 2px 8px">'
            f"{mark_words(row['left'], words)}</td>"
            f'<td style="text-align:center;padding:2px 3px;font-weight:bold;{underline}">'
            f"{mark_words(row['match'], words)}</td>"
            f'<td style="text-align:left;padding:2px 0">{mark_words(row["right"], words)}</td></tr>'
        )
    more = len(kwic) - len(shown)
    note = f"<p>… and {more} more lines (showing the first {limit}).</p>" if more > 0 else ""
    caption = f"<p><b>{html.escape(title)}</b></p>" if title else ""
    if not body:
        return caption + "<p><i>No lines.</i></p>"
    return (
        f'{caption}<div style="max-height:420px;overflow:auto"><table style="{_TABLE_STYLE}">'
        f'<thead><tr><th style="padding:2px 8px">article · sentence</th>'
        f'{head}<th colspan="3">in context</th></tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>{note}"
    )


# ----------------------------------------------------------------------------- widgets


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _interactive(interactive: bool | None) -> bool:
    return use_widgets() if interactive is None else bool(interactive)


def _options(keys: pd.Series) -> list[tuple[str, str]]:
    """Dropdown options ``("name (count)", name)``, most frequent first, "(no party)" last."""
    counts = Counter(keys)
    ordered = sorted(counts.items(), key=lambda item: (item[0] in _NONE, -item[1], str(item[0])))
    return [(f"{key} ({count})", key) for key, count in ordered]


def _by_count(table: pd.DataFrame, key: str, then: list[str]) -> pd.DataFrame:
    """``table`` sorted as the dropdown lists it: most frequent ``key`` first, then by ``then``."""
    rank = {value: i for i, (_, value) in enumerate(_options(table[key]))}
    ordered = table.assign(_rank=table[key].map(rank)).sort_values(["_rank", *then], kind="stable")
    return ordered.drop(columns="_rank")


def _label(value, missing: str) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or not str(value).strip():
        return missing
    return _SPACES.sub(" ", str(value).strip())


def _party_lines(mentions, sentences, scores, articles, by, width) -> tuple[pd.DataFrame, list]:
    columns = [c for c in ("article", "sentence", "start", "end", "text") if c in mentions.columns]
    columns += [c for c in ("entity", "kind", "party") if c in mentions.columns]
    kwic = keyword_in_context(sentences, mentions[columns], width=width, articles=articles)
    if "party" not in kwic.columns:
        kwic["party"] = NO_PARTY
    kwic["party"] = [_label(p, NO_PARTY) for p in kwic["party"]]
    kwic["key"] = [_label(v, NO_PARTY) for v in kwic[by]] if by in kwic.columns else kwic["party"]
    methods: list = []
    if scores is not None and len(scores):
        methods = list(dict.fromkeys(scores["method"])) if "method" in scores.columns else [None]
    return _by_count(kwic, "key", ["article", "start"]), methods


def _with_scores(kwic: pd.DataFrame, scores: pd.DataFrame | None, method) -> pd.DataFrame:
    if scores is None or not len(scores):
        return kwic
    table = scores if method is None else scores[scores["method"] == method]
    keep = [c for c in ("score", "label", "evidence") if c in table.columns]
    table = table[["article", "sentence", "party", *keep]].copy()
    table["party"] = [_label(p, NO_PARTY) for p in table["party"]]
    table = table.drop_duplicates(["article", "sentence", "party"])
    return kwic.merge(table, on=["article", "sentence", "party"], how="left")


def explore_parties(
    mentions: pd.DataFrame,
    sentences: pd.DataFrame,
    scores: pd.DataFrame | None = None,
    *,
    articles: pd.DataFrame | None = None,
    by: str = "party",
    value: str | None = None,
    method: str | None = None,
    width: int = 45,
    limit: int = 200,
    interactive: bool | None = None,
):
    """Pick a party (``by="entity"``: an entity) and read its mentions in context.

    ``mentions`` has ``article, sentence, start, end, text, entity, kind, party``; ``scores``
    (optional) has ``article, sentence, party, method, score, label, evidence``, and the evidence
    words of the chosen ``method`` are marked. Returns a widget box (``.picker`` the dropdown,
    ``.methods`` the method dropdown or None, ``.view`` the HTML lines), or headless the lines of
    ``value`` (every party when None) as a DataFrame.
    """
    kwic, methods = _party_lines(mentions, sentences, scores, articles, by, width)
    method = method if method in methods else (methods[0] if methods else None)
    shown = ["entity", "kind", "party", "method", "score", "label", "evidence"]
    if not _interactive(interactive):
        table = _with_scores(kwic, scores, method)
        if value is not None:
            table = table[table["key"] == value]
        if method is not None:
            table = table.assign(method=method)
        keep = ["article", "sentence", "left", "match", "right"]
        keep += [c for c in shown if c in table.columns and c not in {by}]
        return table[[by if by in table.columns else "party", *keep]].reset_index(drop=True)

    import ipywidgets as widgets

    options = _options(kwic["key"])
    values = [v for _, v in options]
    picker = widgets.Dropdown(
        options=options,
        value=value if value in values else (values[0] if values else None),
        description=by.capitalize(),
        layout=widgets.Layout(width="340px"),
    )
    methods_picker = None
    if len(methods) > 1:
        methods_picker = widgets.Dropdown(
            options=methods,
            value=method,
            description="Scores",
            layout=widgets.Layout(width="260px"),
        )
    view = widgets.HTML()

    def show(_change=None) -> None:
        if picker.value is None:
            view.value = "<p><i>No mentions to show.</i></p>"
            return
        chosen = methods_picker.value if methods_picker is not None else method
        lines = _with_scores(kwic[kwic["key"] == picker.value], scores, chosen)
        parties = list(dict.fromkeys(lines["party"]))
        colour = party_colour(parties[0]) if len(parties) == 1 else None
        kind = f", {chosen} scores" if chosen else ""
        view.value = render_kwic(
            lines,
            limit=limit,
            columns=["party" if by == "entity" else "entity", "score", "label"],
            colour=colour,
            title=f"{picker.value}: {_count(len(lines), 'mention')} in "
            f"{_count(lines['article'].nunique(), 'article')}{kind}",
        )

    picker.observe(show, names="value")
    if methods_picker is not None:
        methods_picker.observe(show, names="value")
    show()
    controls = [picker] if methods_picker is None else [picker, methods_picker]
    box = widgets.VBox([widgets.HBox(controls), view])
    box.picker, box.methods, box.view = picker, methods_picker, view
    return box


def _spans_html(text: str, offset: int, spans: list[tuple[int, int, str]], colour=None) -> str:
    """``text`` (starting at article offset ``offset``) as HTML with tagged spans."""
    source = f'<b style="color:{colour}">' if colour else "<b>"
    tags = {"source": (source, "</b>"), "cue": (f'<mark style="{_MARK_STYLE}">', "</mark>")}
    tags["content"] = (f'<i style="{_CONTENT_STYLE}">', "</i>")
    spans = [(max(s - offset, 0), min(e - offset, len(text)), t) for s, e, t in spans]
    spans = [(s, e, t) for s, e, t in spans if s < e]
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        active = [
            t
            for t in ("content", "source", "cue")
            if any(s <= a and b <= e for s, e, tt in spans if tt == t)
        ]
        piece = html.escape(_squash(text[a:b]))
        opened = "".join(tags[t][0] for t in active)
        closed = "".join(tags[t][1] for t in reversed(active))
        out.append(opened + piece + closed)
    return "".join(out)


def _number(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number


def _stitch(units: list[tuple[int, int, int, str]]) -> str:
    """The text of consecutive sentences, the gaps between them kept as spaces (offsets hold)."""
    text, last = "", units[0][0]
    for start, end, _, unit in units:
        text += " " * max(start - last, 0) + unit
        last = end
    return text


def _source_lines(attributions, sentences, articles) -> pd.DataFrame:
    """One row per attribution: the sentences it spans, and their HTML with its parts marked."""
    full = None
    if articles is not None:
        full = dict(zip(articles["article"], articles["text"], strict=True))
    index = _index(sentences)
    rows = []
    for row in attributions.to_dict("records"):
        article = row["article"]
        number = _number(row.get("sentence"))
        spans = []
        for name in ("source", "cue", "content"):
            s, e = _number(row.get(f"{name}_start")), _number(row.get(f"{name}_end"))
            if s is not None and e is not None and 0 <= s < e:
                spans.append((s, e, name))
        _, units = index.get(article, ((), ()))
        lo = min((s for s, _, _ in spans), default=None)
        hi = max((e for _, e, _ in spans), default=None)
        chosen = [
            u
            for u in units
            if (lo is not None and u[0] < hi and lo < u[1])
            or (number is not None and u[2] == number)
        ]
        if chosen:
            offset, text = chosen[0][0], _stitch(chosen)
            number = number if number is not None else chosen[0][2]
        elif lo is not None and (unit := _find_unit(index, full, article, lo, hi)) is not None:
            offset, _, found, text = unit
            number = number if number is not None else found
        else:
            offset, text = 0, ""
        content = _label(row.get("content"), "")
        if content and text and not any(t == "content" for _, _, t in spans):
            found = text.find(content)
            if found >= 0:
                spans.append((offset + found, offset + found + len(content), "content"))
        party = _label(row.get("party"), "")
        rows.append(
            {
                "source": _label(row.get("source"), NO_SOURCE),
                "source_kind": _label(row.get("source_kind"), ""),
                "party": party,
                "article": article,
                "sentence": -1 if number is None else number,
                "cue": _label(row.get("cue"), ""),
                "stance": _label(row.get("stance"), ""),
                "content": content,
                "text": _squash(text),
                "html": _spans_html(text, offset, spans, party_colour(party) if party else None)
                if text
                else html.escape(content),
            }
        )
    columns = ["source", "source_kind", "party", "article", "sentence", "cue", "stance"]
    return pd.DataFrame(rows, columns=[*columns, "content", "text", "html"])


def _render_sources(lines: pd.DataFrame, title: str, limit: int) -> str:
    shown = lines.head(limit)
    body = "".join(
        "<tr>"
        f'<td style="color:#777;padding:3px 8px;vertical-align:top" '
        f'title="{html.escape(str(r["article"]))}">{_short(r["article"])} · {r["sentence"]}</td>'
        f'<td style="padding:3px 8px;vertical-align:top">{html.escape(r["stance"])}</td>'
        f'<td style="padding:3px 8px;white-space:normal">{r["html"]}</td></tr>'
        for r in shown.to_dict("records")
    )
    more = len(lines) - len(shown)
    note = f"<p>… and {more} more (showing the first {limit}).</p>" if more > 0 else ""
    legend = (
        '<p style="font-size:12px;color:#555"><b>source</b> · '
        f'<mark style="{_MARK_STYLE}">cue</mark> · <i style="{_CONTENT_STYLE}">content</i></p>'
    )
    style = _TABLE_STYLE.replace("white-space:nowrap;", "")
    return (
        f"<p><b>{html.escape(title)}</b></p>{legend}"
        f'<div style="max-height:420px;overflow:auto"><table style="{style}">'
        '<thead><tr><th style="padding:2px 8px">article · sentence</th>'
        '<th style="padding:2px 8px">stance</th><th style="padding:2px 8px">sentence</th></tr>'
        f"</thead><tbody>{body}</tbody></table></div>{note}"
    )


def explore_sources(
    attributions: pd.DataFrame,
    sentences: pd.DataFrame,
    *,
    articles: pd.DataFrame | None = None,
    value: str | None = None,
    limit: int = 200,
    interactive: bool | None = None,
):
    """Pick a source and read every sentence credited to it, its cue and content marked.

    ``attributions`` has ``article, sentence, cue, cue_start, cue_end, source, source_start,
    source_end, source_kind, stance, content`` (article offsets; ``content_start, content_end``
    and the source's ``party`` are used when present). Returns a widget box (``.picker``,
    ``.view``), or headless a DataFrame ``source, source_kind, party, article, sentence, cue,
    stance, content, text`` of ``value`` (every source when None); ``text`` is the sentences the
    attribution spans.
    """
    lines = _source_lines(attributions, sentences, articles)
    lines = _by_count(lines, "source", ["article", "sentence"])
    if not _interactive(interactive):
        table = lines if value is None else lines[lines["source"] == value]
        return table.drop(columns=["html"]).reset_index(drop=True)

    import ipywidgets as widgets

    options = _options(lines["source"])
    values = [v for _, v in options]
    picker = widgets.Dropdown(
        options=options,
        value=value if value in values else (values[0] if values else None),
        description="Source",
        layout=widgets.Layout(width="420px"),
    )
    view = widgets.HTML()

    def show(_change=None) -> None:
        if picker.value is None:
            view.value = "<p><i>No attributions to show.</i></p>"
            return
        chosen = lines[lines["source"] == picker.value]
        kinds = ", ".join(k for k in dict.fromkeys(chosen["source_kind"]) if k)
        title = f"{picker.value}{f' ({kinds})' if kinds else ''}: "
        title += f"{_count(len(chosen), 'attribution')} in "
        title += _count(chosen["article"].nunique(), "article")
        view.value = _render_sources(chosen, title, limit)

    picker.observe(show, names="value")
    show()
    box = widgets.VBox([picker, view])
    box.picker, box.view = picker, view
    return box


def explore_concordance(
    texts: pd.DataFrame,
    value: str = "",
    *,
    articles: pd.DataFrame | None = None,
    width: int = 50,
    limit: int = 200,
    interactive: bool | None = None,
):
    """Type a word (or phrase, ``negotiat*``) and read every sentence it occurs in.

    ``texts`` is a sentences or an articles table (see ``keyword_in_context``). Returns a widget
    box (``.picker`` the text box, ``.view`` the HTML lines), or headless the KWIC table of
    ``value``.
    """
    sentences, _ = _split_input(texts, articles)
    if not _interactive(interactive):
        return keyword_in_context(sentences, value, width=width)

    import ipywidgets as widgets

    picker = widgets.Text(
        value=value,
        placeholder="a word, a phrase, or negotiat*",
        description="Word",
        continuous_update=False,
        layout=widgets.Layout(width="340px"),
    )
    view = widgets.HTML()

    def show(_change=None) -> None:
        if not picker.value.strip():
            view.value = "<p><i>Type a word and press Enter.</i></p>"
            return
        lines = keyword_in_context(sentences, picker.value, width=width)
        title = f"“{picker.value.strip()}”: {_count(len(lines), 'line')} in "
        title += _count(lines["article"].nunique(), "article")
        view.value = render_kwic(lines, limit=limit, title=title)

    picker.observe(show, names="value")
    show()
    box = widgets.VBox([picker, view])
    box.picker, box.view = picker, view
    return box
