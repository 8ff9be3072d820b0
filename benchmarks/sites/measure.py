"""Character error rate of the normalizer on the pages of benchmarks/sites/generate.py.

Every page of DIR (a generate.py run) goes through `pipeline.normalize.normalize` of the
repository this file lives in (its root is put first on sys.path). The reference is the
clean article of the corpus (../shared/corpora/news/peoples_daily_2019-02.jsonl beside
the repository, read in place) without its title lines, never the pipeline's output; both
sides are compared with all whitespace removed, full-width digits and letters of the
reference folded to half-width (the canonical form). The title lines are aligned too,
but errors inside them are not counted (a normalizer should keep the title; a second copy
counts as chrome). CER = Levenshtein distance / reference length, summed over the pages;
every error region is classified from the manifest: chrome kept (by the category of the
chrome string inserted there), article text lost, wrong characters (quotes, t2s, PDF
glyphs, punctuation), mojibake left, other extra text.

    python benchmarks/sites/measure.py DIR [--corpus PATH]

Writes DIR/measure/: outputs/<id>.txt, regions.jsonl (every error region with its
class), pages.jsonl (one line a page) and report.md; prints the report: the CER line
first, then tables per page kind, delivery and mechanism, error groups and classes, and
examples of the largest regions.
"""
import argparse
import collections
import json
import os
import re
import sys
import time
from pathlib import Path

from rapidfuzz.distance import Levenshtein, Indel, LCSseq

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / ".." / "shared" / "corpora" / "news" / "peoples_daily_2019-02.jsonl"
WS = re.compile(r"\s+")


def nows(s):
    return WS.sub("", s)


def canon_ref(s):
    s = nows(s)
    return "".join(chr(ord(c) - 0xFEE0) if ("０" <= c <= "９" or "Ａ" <= c <= "Ｚ" or "ａ" <= c <= "ｚ") else c for c in s)


def split_article(text):
    lines = text.split("\n")
    k = 0
    while k < len(lines) and not lines[k].startswith("\u3000"):
        k += 1
    return lines[:k], lines[k:]


# ------------------------------------------------------------------ character tests

PUNCT_PAIRS = {(",", "，"), (";", "；"), (":", "："), ("?", "？"), ("!", "！"), ("(", "（"), (")", "）")}
INVIS = set("\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f")
TONE = re.compile(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňḿ]")
PINYIN = re.compile(r"[(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňḿ][a-zü]*[)）]|[(（][a-zü]+[1-5]?[)）]|<r[tp]>|</r[tp]>")


def looks_pinyin(b):
    return bool(PINYIN.search(b)) or (TONE.search(b) and re.fullmatch(r"[\s()（）a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňḿ1-5]+", b or "x"))
T2S = None
# Hong Kong / Taiwan / Japanese-font variant code points that a standard t2s table may not know
REGIONAL = set("吿衞綫裏峯羣啓爲衆温户晩吴麪凈汙説税脱閲鋭悦戶眞敎峯冲床綠緑錄録內兌兑")


def t2s(s):
    global T2S
    if T2S is None:
        import opencc
        T2S = opencc.OpenCC("t2s")
    return T2S.convert(s)


def is_trad(c):
    return "\u4e00" <= c <= "\u9fff" and t2s(c) != c


def cjk(c):
    return "\u4e00" <= c <= "\u9fff"


# ------------------------------------------------------------------ classification

def mojibake_score(s, common):
    """share of characters that a wrong decode makes: Latin-1/C1/Latin-ext, U+FFFD, or
    CJK characters that the whole corpus never uses"""
    if not s:
        return 0.0
    bad = 0
    for c in s:
        o = ord(c)
        if c == "\ufffd" or 0x80 <= o <= 0x24F or (cjk(c) and c not in common) or 0x3040 <= o <= 0x30FF \
                or 0x0370 <= o <= 0x04FF or 0x2500 <= o <= 0x257F or 0xE000 <= o <= 0xF8FF or 0x2160 <= o <= 0x2179:
            bad += 1
    return bad / len(s)


def classify_extra(b, labels, common, page):
    """b: inserted output text; labels: chrome category per char (or None)"""
    lab = collections.Counter(l for l in labels if l)
    if lab and sum(lab.values()) >= 0.5 * len(b):
        return "chrome kept: " + lab.most_common(1)[0][0]
    if looks_pinyin(b) and mojibake_score(b, common) < 0.3:
        return "pinyin annotation kept"
    if re.search(r"&#?\w+;?", b) and "&" in b:
        return "HTML entity left"
    if "<" in b or ">" in b:
        return "HTML tag left"
    if all(c in INVIS for c in b):
        return "invisible char kept (ZW/soft hyphen)"
    if mojibake_score(b, common) >= 0.3:
        return "mojibake kept (not repaired)"
    if lab:
        return "chrome kept: " + lab.most_common(1)[0][0]
    if all(not cjk(c) for c in b) and len(b) <= 3:
        return "extra punctuation/ASCII"
    return "unattributed extra text"


def classify_wrong(a, b, common, page):
    if all(c in INVIS for c in b.replace(a, "")):
        return "invisible char kept (ZW/soft hyphen)"
    if b and all(0x2E80 <= ord(c) <= 0x2FDF for c in b if not cjk(c)) and any(0x2E80 <= ord(c) <= 0x2FDF for c in b):
        return "PDF radical code point not mapped"
    if any(0xE000 <= ord(c) <= 0xF8FF for c in b) and "pdf_pua" in page["mechanisms"]:
        return "PDF private-use glyph left"
    if any(0xF900 <= ord(c) <= 0xFAFF for c in b):
        return "CJK compatibility ideograph left"
    if any("０" <= c <= "９" or "Ａ" <= c <= "ｚ" for c in b):
        return "full-width digit/letter left"
    if a and len(a) == len(b) and any(y in REGIONAL for y in b) and all(y in REGIONAL or y == x or is_trad(y) for x, y in zip(a, b)):
        return "HK/TW regional variant not converted (t2s misses it)"
    if looks_pinyin(b) and mojibake_score(b, common) < 0.3:
        return "pinyin annotation kept"
    if mojibake_score(b, common) >= 0.3 and mojibake_score(a, common) < 0.1:
        return "mojibake not repaired"
    if "&" in b and re.search(r"&#?\w+;?", b):
        return "HTML entity left"
    if len(a) == len(b) and all((x, y) in PUNCT_PAIRS for x, y in zip(b, a)):
        return "half-width punctuation not restored"
    if len(a) == len(b) and all(y in "“”‘’" and x in "\"'" for x, y in zip(b, a)):
        return "ASCII quote not restored"
    if a and len(a) == len(b) and all(x in "“”‘’" and y in "“”‘’" for x, y in zip(a, b)):
        return "quote restored with wrong direction (“ vs ”)"
    if all(c in "「」『』" for c in b) and all(c in "“”‘’" for c in a):
        return "corner quotes 「」 not mapped to “”"
    if (a in ("—", "——") and b in ("一", "一一", "--", "-", "－")) or (set(a) <= set("—") and set(b) <= set("一-")):
        return "PDF dash read as 一/-- not restored"
    if a and len(a) == len(b) and all(is_trad(y) or t2s(y) == x for x, y in zip(a, b)) and any(is_trad(y) for y in b):
        return "traditional/regional form not converted"
    if a and len(a) == len(b) and page["script"] != "simplified" and all(cjk(x) and cjk(y) for x, y in zip(a, b)):
        return "t2s one-to-many choice wrong"
    if "\ufffd" in b or mojibake_score(b, common) >= 0.3:
        return "mojibake not repaired"
    if set(a) <= set("…·") or set(b) <= set(".•"):
        return "PDF ellipsis/middle dot not restored"
    if len(a) == len(b) == 1 and cjk(a) and cjk(b) and "pdf_glyph_confusion" in page["mechanisms"]:
        return "PDF glyph confusion (lookalike) not fixed"
    if len(a) <= 2 and len(b) <= 2:
        return "other 1-2 char substitution"
    return "other substitution"


def para_index(ref_paras_nows):
    idx, starts = [], []
    for k, p in enumerate(ref_paras_nows):
        starts.append(len(idx))
        idx += [k] * len(p)
    return idx, starts


def label_runs(labels, j1, j2):
    """runs of one chrome label over out[j1:j2]; short unlabelled gaps join the run before"""
    runs = []
    for j in range(j1, j2):
        l = labels[j]
        if runs and runs[-1][2] == l:
            runs[-1][1] = j + 1
        else:
            runs.append([j, j + 1, l])
    merged = []
    for r in runs:
        if merged and r[2] is None and r[1] - r[0] <= 2 and merged[-1][2] is not None:
            merged[-1][1] = r[1]
        elif merged and merged[-1][2] == r[2]:
            merged[-1][1] = r[1]
        else:
            merged.append(r)
    return [tuple(r) for r in merged]


CREDIT = re.compile(r"(摄|来源|制图|供图|图片|责编|本版|编辑|执笔|电）|电\)|^（.{1,12}）$)")


def classify_lost(a, i1, i2, pidx, pstarts, plens, page, region_mech):
    """a: lost reference text at [i1, i2) of the body"""
    ks = sorted(set(pidx[i1:i2]))
    whole = [k for k in ks if plens[k] and sum(1 for i in range(i1, i2) if pidx[i] == k) >= 0.9 * plens[k]]
    if whole:
        k = whole[-1]
        n = len(plens)
        where = "last" if k == n - 1 else ("first" if k == 0 else "middle")
        size = "short (<=30)" if plens[k] <= 30 else "long"
        if plens[k] <= 30 and CREDIT.search(a):
            return "reference credit/source line dropped (arguably chrome)"
        if page["kind"] == "mobile" and len(whole) >= 2:
            return "article paragraphs dropped (mobile hidden/展开全文 part)"
        return "article paragraph dropped: %s, %s" % (size, where)
    if region_mech == "stray_byte" and len(a) <= 2:
        return "char destroyed by stray/cut byte (unrecoverable by construction)"
    if region_mech:
        return "article text lost in charset repair (%s)" % region_mech.split(":")[0]
    return "article text lost (partial paragraph)"


# ------------------------------------------------------------------ chrome labelling

SEP = re.compile(r"[\s|>＞【】\[\]（）()：:，,。/·▼▲●↓∨…—_\-]+")


def fuzzy_label(part, items):
    """chrome whose text the normalizer changed (glyphs, script, dropped chars): best
    partial match of at least 75"""
    from rapidfuzz import fuzz
    best, cat = 0, None
    for c, t in items:
        sc = fuzz.partial_ratio(part, t) if len(part) <= len(t) * 1.5 else 0
        if sc > best:
            best, cat = sc, c
    return cat if best >= 75 else None


def chrome_labels(out, chrome, title_lines):
    lab = [None] * len(out)
    items = [(c, nows(t)) for c, t in chrome] + [("title copy", nows(t)) for t in title_lines]
    pieces = []
    for c, t in items:
        if len(t) >= 2:
            pieces.append((c, t))
        for p in SEP.split(t):
            if len(p) >= 2:
                pieces.append((c, p))
    pieces.sort(key=lambda x: -len(x[1]))
    for c, t in pieces:
        start = 0
        while True:
            k = out.find(t, start)
            if k < 0:
                break
            for i in range(k, k + len(t)):
                if lab[i] is None:
                    lab[i] = c
            start = k + 1
    return lab


# ------------------------------------------------------------------ main

def snippet(s, a, b, ctx=8):
    return s[max(0, a - ctx):a] + "⟦" + s[a:b] + "⟧" + s[b:b + ctx]


def raw_snippet(raw, anchor, width=70):
    if not anchor:
        return ""
    for k in (8, 5, 3):
        if len(anchor) >= k:
            p = raw.find(anchor[-k:])
            if p >= 0:
                return raw[p:p + width].replace("\n", "⏎")
    return ""


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir")
    ap.add_argument("--corpus", default=CORPUS)
    a = ap.parse_args()
    if not os.path.exists(a.corpus):
        ap.error("no corpus at %s (give --corpus)" % a.corpus)
    sys.path.insert(0, str(ROOT))     # the pipeline of this repository, not an installed one
    from pipeline.normalize import normalize

    t0 = time.time()
    corpus = {}
    common = set()
    for l in open(a.corpus, encoding="utf-8"):
        rec = json.loads(l)
        corpus[rec["id"]] = rec["text"]
        common.update(rec["text"])
    pages = [json.loads(l) for l in open(os.path.join(a.dir, "manifest.jsonl"), encoding="utf-8")]
    mdir = os.path.join(a.dir, "measure")
    os.makedirs(os.path.join(mdir, "outputs"), exist_ok=True)
    regions = []
    per_page = []
    for pg in pages:
        raw = open(os.path.join(a.dir, pg["file"]), encoding="utf-8", newline="").read()
        try:
            out = normalize(raw, markup_kind=pg["markup_kind"]).text
            err = None
        except Exception as e:  # a crash loses the article
            out, err = "", "%s: %s" % (type(e).__name__, e)
        with open(os.path.join(mdir, "outputs", pg["id"] + ".txt"), "w", encoding="utf-8") as f:
            f.write(out)
        tl, body = split_article(corpus[pg["id"]])
        H = canon_ref("".join(tl))
        body_paras = [canon_ref(p) for p in body]
        body_paras = [p for p in body_paras if p]
        R = "".join(body_paras)
        O = nows(out)
        # map page paragraphs (gen's list drops empty paragraphs too) to span mechanisms
        span = {int(k): v for k, v in pg.get("span_paras", {}).items()}
        pidx, pstarts = para_index(body_paras)
        plens = [len(p) for p in body_paras]
        labels = chrome_labels(O, pg["chrome"], pg["title_lines"])
        chrome_items = [(c, nows(t)) for c, t in pg["chrome"] if len(nows(t)) >= 3]
        page_cs = [m for m in pg["mechanisms"] if m in ("utf8_as_gbk", "utf8_as_cp1252", "gbk_as_latin1",
                                                         "big5_as_gbk", "pinyin_gbk_bytes")]
        full = H + R
        h = len(H)
        ops = Levenshtein.opcodes(full, O)
        # merge adjacent non-equal ops into regions
        regs = []
        cur = None
        for op in ops:
            if op.tag == "equal":
                if cur:
                    regs.append(cur)
                    cur = None
                continue
            cost = max(op.src_end - op.src_start, op.dest_end - op.dest_start) if op.tag == "replace" else \
                (op.src_end - op.src_start) + (op.dest_end - op.dest_start)
            if cur is None:
                cur = [op.src_start, op.src_end, op.dest_start, op.dest_end, cost]
            else:
                cur[1], cur[3], cur[4] = op.src_end, op.dest_end, cur[4] + cost
        if cur:
            regs.append(cur)
        pc = collections.Counter()
        for i1, i2, j1, j2, cost in regs:
            if i2 <= h and not (i1 == i2 == 0) and not (i1 == i2 == h):
                continue                       # inside the title: not counted
            if i1 < h < i2:                    # straddles title/body: count the body part
                frac = (i2 - h) / max(1, i2 - i1)
                cost = round(cost * frac)
                i1 = h
            A, B = full[i1:i2], O[j1:j2]
            bi1, bi2 = i1 - h, i2 - h
            ks = set(pidx[bi1:bi2]) if A else set(pidx[max(0, bi1 - 1):bi1 + 1])
            sm = [span[k] for k in ks if k in span]
            mech = sm[0] if sm else (page_cs[0] if page_cs else None)
            items = []   # (type, class, cost, ref part, out part)

            def add_extra(bj1, bj2, total):
                for (a_, b_, lab_) in label_runs(labels, bj1, bj2):
                    part = O[a_:b_]
                    if lab_ is None and len(part) >= 4:
                        lab_ = fuzzy_label(part, chrome_items)
                    c_ = "chrome kept: " + lab_ if lab_ else classify_extra(part, [None] * len(part), common, pg)
                    items.append(("extra", c_, total * (b_ - a_) / max(1, bj2 - bj1), "", part))

            if len(O) < 0.1 * len(R):
                items.append(("lost", "whole article lost (empty or near-empty output)", cost, A, B))
            elif A and not B:
                items.append(("lost", classify_lost(A, bi1, bi2, pidx, pstarts, plens, pg, mech), cost, A, B))
            elif B and not A:
                add_extra(j1, j2, cost)
            else:
                lab = [l for l in labels[j1:j2] if l]
                sim = Indel.normalized_similarity(A, B)
                if (len(lab) >= 0.5 * len(B) and sim < 0.5) or (len(A) > 3 * len(B) + 5) or (len(B) > 3 * len(A) + 5):
                    # article text missing and other text in its place: split the cost by length
                    share = len(A) / (len(A) + len(B))
                    items.append(("lost", classify_lost(A, bi1, bi2, pidx, pstarts, plens, pg, mech), cost * share, A, ""))
                    add_extra(j1, j2, cost * (1 - share))
                else:
                    items.append(("wrong", classify_wrong(A, B, common, pg), cost, A, B))
            for kind, cls, c_, a_, b_ in items:
                if mech and kind in ("wrong", "extra") and not cls.startswith("chrome") and cls not in (
                        "invisible char kept (ZW/soft hyphen)", "traditional/regional form not converted",
                        "HK/TW regional variant not converted (t2s misses it)",
                        "corner quotes 「」 not mapped to “”", "full-width digit/letter left"):
                    cls = "%s [in %s text]" % (cls, mech.split(":")[0])
                pc[kind] += c_
                if cls.startswith("chrome kept"):
                    pc["chrome"] += c_
                regions.append({"id": pg["id"], "kind": pg["kind"], "type": kind, "class": cls, "cost": c_,
                                "ref": a_[:300], "out": b_[:300], "ref_ctx": snippet(full, i1, i2),
                                "out_ctx": snippet(O, j1, j2), "raw": raw_snippet(raw, O[max(0, j1 - 8):j1]),
                                "mechanisms": pg["mechanisms"]})
        missing = len(R) - LCSseq.similarity(R, O) if R else 0   # reference chars not in the output
        lcs_full = LCSseq.similarity(full, O)
        extra_chars = len(O) - lcs_full                          # output chars not in ref (+title)
        per_page.append({"id": pg["id"], "kind": pg["kind"], "delivery": pg["delivery"], "mechanisms": pg["mechanisms"],
                         "ref_len": len(R), "out_len": len(O), "cost": round(pc["lost"] + pc["extra"] + pc["wrong"], 1), "lost_cost": pc["lost"],
                         "extra_cost": pc["extra"], "wrong_cost": pc["wrong"], "chrome_cost": pc["chrome"],
                         "missing_ref_chars": missing, "extra_out_chars": extra_chars, "error": err})
    elapsed = time.time() - t0
    with open(os.path.join(mdir, "regions.jsonl"), "w", encoding="utf-8") as f:
        for r in regions:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with open(os.path.join(mdir, "pages.jsonl"), "w", encoding="utf-8") as f:
        for r in per_page:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    report = make_report(per_page, regions, elapsed)
    with open(os.path.join(mdir, "report.md"), "w", encoding="utf-8") as f:
        f.write(report)
    print(report)


def agg(rows):
    ref = sum(r["ref_len"] for r in rows) or 1
    return {"pages": len(rows), "ref": ref, "cer": sum(r["cost"] for r in rows) / ref,
            "lost": sum(r["lost_cost"] for r in rows) / ref, "extra": sum(r["extra_cost"] for r in rows) / ref,
            "wrong": sum(r["wrong_cost"] for r in rows) / ref, "chrome": sum(r["chrome_cost"] for r in rows) / ref,
            "missing": sum(r["missing_ref_chars"] for r in rows), "extra_chars": sum(r["extra_out_chars"] for r in rows),
            "clean": sum(1 for r in rows if r["cost"] == 0)}


def row(name, g):
    return "| %s | %d | %.2f%% | %.2f%% | %.2f%% | %.2f%% | %.2f%% | %d | %d |" % (
        name, g["pages"], 100 * g["cer"], 100 * g["chrome"], 100 * g["lost"], 100 * g["wrong"],
        100 * (g["extra"] - g["chrome"]), g["missing"], g["extra_chars"])


BEFORE = {"nav", "breadcrumb", "meta", "share", "fontsize", "comment_count", "app_banner", "retitle", "title_dup",
          "orig_title", "summary", "wechat_header", "gov_header", "gov_info_table", "report", "mobile_short_title",
          "title copy"}
INSIDE = {"caption", "inline_related", "ad", "pdf_running_head", "pdf_jump", "pdf_sidebar", "pdf_caption", "pdf_byline"}


def group_of(r):
    c = r["class"]
    if r["type"] == "lost":
        if c.startswith("whole article"):
            return "LOST: whole article"
        if "charset repair" in c or "stray/cut" in c:
            return "LOST: article text in charset damage"
        if "credit" in c:
            return "LOST: reference credit/source line (debatable)"
        return "LOST: article paragraph(s)/text dropped as chrome"
    if c.startswith("chrome kept: "):
        cat = c[len("chrome kept: "):]
        if cat in BEFORE:
            return "CHROME kept: header/meta/title block"
        if cat in INSIDE:
            return "CHROME kept: inside the body (captions, PDF heads/jumps/sidebars, inline boxes)"
        return "CHROME kept: after the body (related, comments, footers, WeChat/app tails)"
    if "[in " in c or "mojibake" in c:
        return "CHARSET: mojibake/remnants not repaired"
    if r["type"] == "extra":
        return "EXTRA: other (markup, pinyin, stray text)"
    return "WRONG: character-level (quotes, t2s, PDF glyphs, punctuation)"


def make_report(per_page, regions, elapsed):
    L = []
    g = agg(per_page)
    L.append("# Normalizer on generated site pages: %d pages, %d reference chars, %.0fs" % (g["pages"], g["ref"], elapsed))
    L.append("")
    L.append("CER %.2f%% (chrome kept %.2f%%, article lost %.2f%%, wrong chars %.2f%%, other extra %.2f%%); "
             "reference chars missing from output %d (%.2f%%), output chars not in reference %d; errors: %d pages crashed"
             % (100 * g["cer"], 100 * g["chrome"], 100 * g["lost"], 100 * g["wrong"], 100 * (g["extra"] - g["chrome"]), g["missing"],
                100 * g["missing"] / g["ref"], g["extra_chars"], sum(1 for r in per_page if r["error"])))
    hdr = ("| %s | pages | CER | chrome kept | lost | wrong | other extra | missing ref chars | extra out chars |"
           "\n|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    L += ["", "## Per page kind", hdr % "kind"]
    for k in sorted(set(r["kind"] for r in per_page)):
        L.append(row(k, agg([r for r in per_page if r["kind"] == k])))
    L += ["", "## Per delivery", hdr % "delivery"]
    for k in sorted(set(r["delivery"] for r in per_page)):
        L.append(row(k, agg([r for r in per_page if r["delivery"] == k])))
    L += ["", "## Per mechanism (a page counts under each of its mechanisms)", hdr % "mechanism"]
    mechs = collections.Counter(m for r in per_page for m in r["mechanisms"])
    L.append(row("(none)", agg([r for r in per_page if not r["mechanisms"]])))
    for m, _ in sorted(mechs.items()):
        L.append(row(m, agg([r for r in per_page if m in r["mechanisms"]])))
    L += ["", "## Error groups (share of all error cost)", "| group | cost | share | pages |", "|---|---:|---:|---:|"]
    tot0 = sum(float(r["cost"]) for r in regions) or 1
    gb = collections.defaultdict(list)
    for r in regions:
        gb[group_of(r)].append(r)
    for gname, rs in sorted(gb.items(), key=lambda kv: -sum(float(r["cost"]) for r in kv[1])):
        c = sum(float(r["cost"]) for r in rs)
        L.append("| %s | %.0f | %.1f%% | %d |" % (gname, c, 100 * c / tot0, len(set(r["id"] for r in rs))))
    L += ["", "## Error classes (share of all error cost)", "| class | type | cost | share | pages |", "|---|---|---:|---:|---:|"]
    for r in regions:
        r["cost"] = float(r["cost"])
    tot = sum(r["cost"] for r in regions) or 1
    by = collections.defaultdict(list)
    for r in regions:
        by[r["class"]].append(r)
    order = sorted(by.items(), key=lambda kv: -sum(r["cost"] for r in kv[1]))
    for c, rs in order:
        L.append("| %s | %s | %.0f | %.1f%% | %d |" % (c, "/".join(sorted(set(r["type"] for r in rs))),
                                                   sum(r["cost"] for r in rs), 100 * sum(r["cost"] for r in rs) / tot,
                                                   len(set(r["id"] for r in rs))))
    L += ["", "## Examples (largest regions first; ref_ctx → out_ctx; raw near the spot)"]
    for c, rs in order[:30]:
        L.append("### %s" % c)
        seen = set()
        for r in sorted(rs, key=lambda r: -r["cost"]):
            if r["id"] in seen:
                continue
            seen.add(r["id"])
            L.append("- %s [%s] ref: `%s` → out: `%s`  raw: `%s`" % (r["id"], r["kind"], r["ref_ctx"][:120],
                                                                      r["out_ctx"][:120], r["raw"][:70]))
            if len(seen) >= 3:
                break
    return "\n".join(L) + "\n"


if __name__ == "__main__":
    main()
