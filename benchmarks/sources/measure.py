#!/usr/bin/env python3
"""Run the normalizer on every document of a gen4 set and measure it.

    python benchmarks/sources/measure.py DIR [--limit N] [--pipeline-root TREE]

CER = Levenshtein(ref, hyp) / len(ref) with all whitespace removed on both sides
(and a few symbols whose width the canonical text leaves open, such as ％/%,
folded on both sides; Chinese punctuation is NOT folded). Writes
DIR/measure/report.md, DIR/measure/regions.jsonl (every error region, classed),
DIR/measure/regions_examples.md, DIR/measure/per_doc.jsonl, DIR/measure/out/*.txt.
"""
import argparse
import json
import os
import re
import signal
import statistics
import sys
import time
from collections import Counter, defaultdict

try:
    from rapidfuzz.distance import Levenshtein as _Lev
except ImportError:  # pragma: no cover
    _Lev = None

WS = re.compile(r'\s+')
AMBIG = str.maketrans({'％': '%', '＋': '+', '＞': '>', '＜': '<', '＝': '=', '／': '/', '．': '.', '～': '~',
                       '＆': '&', '＃': '#', '＊': '*', '＠': '@', '\u3000': ' ', '\xa0': ' '})


def squash(s):
    return WS.sub('', s.translate(AMBIG))


# ---------------------------------------------------------------- edit distance
def lev_opcodes(a, b):
    if _Lev is not None:
        return [(o.tag, o.src_start, o.src_end, o.dest_start, o.dest_end) for o in _Lev.opcodes(a, b)]
    return _banded_opcodes(a, b)


def lev_distance(a, b):
    if _Lev is not None:
        return _Lev.distance(a, b)
    return sum(max(i2 - i1, j2 - j1) if t == 'replace' else (i2 - i1 + j2 - j1)
               for t, i1, i2, j1, j2 in _banded_opcodes(a, b) if t != 'equal')


def _banded_opcodes(a, b, band=None):
    """Fallback: full DP with backtrace (documents are a few thousand chars)."""
    n, m = len(a), len(b)
    prev = list(range(m + 1))
    back = []
    for i in range(1, n + 1):
        cur = [i] + [0] * m
        row = bytearray(m + 1)
        row[0] = 1
        ai = a[i - 1]
        for j in range(1, m + 1):
            d = prev[j - 1] + (ai != b[j - 1])
            x = prev[j] + 1
            y = cur[j - 1] + 1
            if d <= x and d <= y:
                cur[j], row[j] = d, 0
            elif x <= y:
                cur[j], row[j] = x, 1
            else:
                cur[j], row[j] = y, 2
        back.append(row)
        prev = cur
    ops = []
    i, j = n, m
    while i > 0 or j > 0:
        if i > 0 and j > 0 and back[i - 1][j] == 0:
            ops.append(('equal' if a[i - 1] == b[j - 1] else 'replace', i - 1, i, j - 1, j)); i -= 1; j -= 1
        elif i > 0 and (j == 0 or back[i - 1][j] == 1):
            ops.append(('delete', i - 1, i, j, j)); i -= 1
        else:
            ops.append(('insert', i, i, j - 1, j)); j -= 1
    ops.reverse()
    merged = []
    for op in ops:
        if merged and merged[-1][0] == op[0] and merged[-1][2] == op[1] and merged[-1][4] == op[3]:
            t, i1, _, j1, _ = merged[-1]
            merged[-1] = (t, i1, op[2], j1, op[4])
        else:
            merged.append(op)
    return merged


# ---------------------------------------------------------------- classification helpers
MARKUP_RE = re.compile(r'&(#\d{2,7}|#x[0-9a-fA-F]{2,6}|[a-zA-Z]{2,8});|&amp|</?[a-zA-Z][a-zA-Z0-9]*[\s/>]|/[a-z]{1,6}>|<!--|-->|'
                       r'CDATA|\]\]>|\[/?(b|quote|url|img|size|color|font|i|u)\b[^\]]*\]|\{"|":"|__INITIAL_STATE__')
MOJI_RE = re.compile('[\u0080-\u009f\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\ufffd]')
MOJI_CHARS_RE = re.compile('[\u0080-\u00ff\ufffd€‚ƒ„†‡ˆ‰Š‹ŒŽ•–˜™š›œžŸ]')
MARKUP_SPAN_RE = re.compile(r'<[^<>]{0,400}>|&(#\d{2,7}|#x[0-9a-fA-F]{2,6}|[a-zA-Z]{2,8});|&amp;?|<!\[CDATA\[|\]\]>|'
                            r'\[/?(b|quote|url|img|size|color|font|i|u)\b[^\]]{0,60}\]|/[a-z]{1,8}>|'
                            r'\{"[^{}]{0,2000}\}|window\.__INITIAL_STATE__')
ANN_SPAN_RE = re.compile(r'[(\[（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ][a-zü]*[)\]）]|[(\[（]?[\u3105-\u312f\u02ca\u02c7\u02cb\u02d9]+[)\]）]?')
CREDIT_RE = re.compile('图片来源|制图|摄|供图|图为|资料图片|本版|责编|编辑|图①|图②')
GLYPHS = {('—', '一'), ('—', '-'), ('“', '"'), ('”', '"'), ('料', '斜')}
ANN_RE = re.compile(r'[(\[（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ][a-zü]*[)\]）]|[\u3105-\u312f\u02ca\u02c7\u02cb\u02d9]|'
                    r'^[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*\)?$')
PUNCT = set('，。、；：？！（）“”‘’《》〈〉「」『』【】—…·,.;:?!()"\'-—─~～・')
CJK = re.compile('[\u4e00-\u9fff]')

_CC = {}


def cc(cfg):
    import opencc
    if cfg not in _CC:
        _CC[cfg] = opencc.OpenCC(cfg)
    return _CC[cfg]


def t2s(s):
    return cc('t2s').convert(cc('tw2s').convert(cc('hk2s').convert(s)))


_MN = re.compile(r'[^0-9A-Za-z\u3400-\u9fff\uf900-\ufaff\u3105-\u312f]+')


def mnorm(s):
    """Matching form: letters, digits and Han only, simplified."""
    return t2s(_MN.sub('', fw(s)))


def fw(s):
    return ''.join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else c for c in s)


def family(m):
    if m.startswith(('utf8_as', 'gbk_', 'mojibake', 'stray_byte', 'width_fold')) or m == 'annot_pinyin_gbk_bytes':
        return 'charset'
    if m.startswith('trad_') or m == 'quotes_corner':
        return 'script'
    if m.startswith('annot_'):
        return 'annotation'
    if m.startswith(('html_', 'entities_', 'feed_', 'text_extracted')) or m in ('bbcode', 'script_json_dup'):
        return 'markup'
    if m.startswith('pdf_') or m in ('mail_hardwrap', 'mail_crlf', 'weibo_flattened', 'mail_quote', 'forum_quote'):
        return 'layout'
    return 'chrome'


NG = 5


def ngram_cover(text, grams):
    """Fraction of text's characters covered by NG-grams present in `grams`."""
    if len(text) < NG:
        return 0.0
    mask = bytearray(len(text))
    for k in range(len(text) - NG + 1):
        if text[k:k + NG] in grams:
            mask[k:k + NG] = b'\x01' * NG
    return sum(mask) / len(text)


class Classifier:
    def __init__(self, ref, hyp, man, ref_raw):
        self.ref, self.hyp, self.man = ref, hyp, man
        # reference offsets (with whitespace) -> squashed offsets
        idx, k = [], 0
        for ch in ref_raw.translate(AMBIG):
            idx.append(k)
            if not ch.isspace():
                k += 1
        idx.append(k)
        self.spans = []
        for sp in man.get('damaged_spans', []):
            if sp.get('gran') == 'document':
                continue  # whole-page mis-decoding: its residue is recognised by its characters
            a, b = sp['ref_start'], sp['ref_end']
            a, b = idx[min(a, len(idx) - 1)], idx[min(b, len(idx) - 1)]
            if sp['mech'] == 'stray_byte':
                b = max(b, a + 2)
                a = max(0, a - 2)
            self.spans.append((a, b, sp['mech']))
        # reference lines in squashed coordinates
        self.lines = []
        pos = 0
        for ln in ref_raw.split('\n'):
            q = squash(ln)
            if q:
                self.lines.append((pos, pos + len(q)))
                pos += len(q)
        self.ref_ng = Counter(ref[k:k + NG] for k in range(len(ref) - NG + 1))
        self.hyp_ng = Counter(hyp[k:k + NG] for k in range(len(hyp) - NG + 1))
        self.ref_chars = set(ref)
        self.gbk_doc = any(x in man.get('mechanisms', []) for x in ('gbk_shift', 'gbk_inserted_byte', 'utf8_as_gbk', 'annot_pinyin_gbk_bytes'))
        self.noise = defaultdict(set)
        for n in man.get('noise', []):
            q = mnorm(n['text'])
            if q:
                self.noise[n['cat']].add(q)

    def noise_cat(self, h):
        """Best noise category for inserted text h and how many of h's
        (punctuation-free, simplified) characters it covers."""
        hh = mnorm(h)
        if not hh:
            return None, 0
        best, bc = None, 0
        for cat, texts in self.noise.items():
            if any(hh in t for t in texts):
                c = len(hh)
            else:
                mask = bytearray(len(hh))
                for t in texts:
                    if len(t) >= 2:
                        st = hh.find(t)
                        while st >= 0:
                            mask[st:st + len(t)] = b'\x01' * len(t)
                            st = hh.find(t, st + 1)
                c = sum(mask)
            if c > bc:
                best, bc = cat, c
        # scale back to h's length
        return best, bc * len(h) / len(hh)

    def overlaps_damage(self, i1, i2):
        out = []
        for a, b, m in self.spans:
            if i1 < b and a < max(i2, i1 + 1):
                out.append(m)
        return out

    def classify(self, i1, i2, j1, j2, dels, inss):
        R, H = self.ref[i1:i2], self.hyp[j1:j2]
        dmg = self.overlaps_damage(i1, i2)
        # substitutions of about the same length
        if R and H and abs(len(R) - len(H)) <= max(1, len(R) // 5):
            if t2s(H) == R:
                return 'traditional_left'
            if MOJI_RE.search(H):
                return 'mojibake_left'
            try:
                if cc('tw2sp').convert(H) == R or t2s(cc('s2twp').convert(R)) == t2s(H):
                    return 'regional_vocabulary'
            except Exception:
                pass
            if all(c in PUNCT or not CJK.match(c) and not c.isalnum() for c in R + H):
                return 'punctuation'
            if dmg and CJK.search(H):
                return 'mojibake_left'
            if self.gbk_doc and sum(1 for c in H if CJK.match(c) and c not in self.ref_chars) >= 0.3 * len(H):
                return 'mojibake_left'
            if len(R) == len(H):
                diff = [(a, b) for a, b in zip(R, H) if a != b]
                tr = sum(1 for a, b in diff if t2s(b) == a)
                pu = sum(1 for a, b in diff if a in PUNCT and b in PUNCT)
                gl = sum(1 for a, b in diff if (a, b) in GLYPHS)
                if tr and tr >= len(diff) / 2:
                    return 'traditional_left'
                if pu and pu >= len(diff) / 2:
                    return 'punctuation'
                if gl and gl >= len(diff) / 2:
                    return 'glyph_confusion'
        if len(H) >= len(R) and H:
            # what is the inserted text mostly made of?
            sc = {}
            sc['markup_left'] = sum(len(x.group(0)) for x in MARKUP_SPAN_RE.finditer(H))
            sc['mojibake_left'] = len(MOJI_CHARS_RE.findall(H)) + (len(CJK.findall(H)) if dmg else 0)
            sc['annotation_left'] = sum(len(x.group(0)) for x in ANN_SPAN_RE.finditer(H))
            cat, cov = self.noise_cat(H)
            if cat:
                sc['chrome_left:' + cat] = cov
            cov = ngram_cover(H, self.ref_ng)
            if cov:
                ngs = [H[k:k + NG] for k in range(len(H) - NG + 1) if H[k:k + NG] in self.ref_ng]
                dupl = sum(1 for g in ngs if self.hyp_ng[g] > self.ref_ng[g])
                sc['duplicated_text' if dupl > len(ngs) / 2 else 'reordered'] = cov * len(H)
            if self.gbk_doc and len(H) >= 2:
                odd = sum(1 for c in H if CJK.match(c) and c not in self.ref_chars)
                if odd >= 0.3 * len(H):
                    sc['mojibake_left'] = max(sc['mojibake_left'], len(CJK.findall(H)))
            best = max(sc, key=lambda k: sc[k])
            if sc[best] >= max(1, 0.3 * len(H)):
                return best
            if dmg and not R:
                return 'mojibake_left'
            if len(H) <= 2 and all(c in PUNCT or not CJK.match(c) for c in H):
                return 'punctuation'
            return 'other_inserted'
        if len(R) > len(H):
            if dmg:
                return 'mojibake_left' if len(H) >= 0.3 * len(R) else 'lost_under_charset_damage'
            if ngram_cover(R, self.hyp_ng) >= 0.5:
                return 'reordered'
            if self.gbk_doc and H and sum(1 for c in H if CJK.match(c) and c not in self.ref_chars) >= 0.3 * len(H):
                return 'mojibake_left'
            for a, b in self.lines:
                if i1 <= a and i2 >= b - max(1, (b - a) // 10):
                    if CREDIT_RE.search(self.ref[a:b]) and b - a <= 40:
                        return 'text_lost:credit_or_caption_line'
                    return 'text_lost:line'
            if all(c in PUNCT or not CJK.match(c) for c in R):
                return 'punctuation'
            return 'text_lost:partial'
        return 'substitution_other'


def regions(ops, gap=2):
    """Merge non-equal opcodes separated by at most `gap` equal characters."""
    out = []
    for t, i1, i2, j1, j2 in ops:
        if t == 'equal':
            if out and out[-1]['open'] and i2 - i1 <= gap:
                out[-1]['pending'] = (i1, i2, j1, j2)
            elif out:
                out[-1]['open'] = False
            continue
        cost = (i2 - i1) if t == 'replace' else (i2 - i1 + j2 - j1)
        if out and out[-1]['open']:
            r = out[-1]
            r['i2'], r['j2'] = i2, j2
            r['cost'] += cost
            r['pending'] = None
        else:
            out.append({'i1': i1, 'i2': i2, 'j1': j1, 'j2': j2, 'cost': cost, 'open': True, 'pending': None})
    return out


# ---------------------------------------------------------------- structure metrics
def line_breaks(text):
    pos, out = 0, []
    for ln in text.split('\n'):
        q = squash(ln)
        if q:
            if pos:
                out.append(pos)
            pos += len(q)
    return out


def map_hyp_to_ref(ops, jpos):
    for t, i1, i2, j1, j2 in ops:
        if j1 <= jpos < j2 or (j1 == j2 == jpos):
            if t == 'equal':
                return i1 + (jpos - j1)
            return i1
    return ops[-1][2] if ops else 0


def map_ref_to_hyp(ops, i, end=False):
    for t, i1, i2, j1, j2 in ops:
        if i1 <= i < i2 or (end and i == i2 and i1 < i2):
            if t == 'equal':
                return j1 + (i - i1)
            return j2 if end else j1
    return ops[-1][4] if ops else 0


SPACE_IN_CJK = re.compile('(?<=[\u4e00-\u9fff，。、；：“”])[ \t\u3000]+(?=[\u4e00-\u9fff，。、；：“”])')


# ---------------------------------------------------------------- main
class Timeout(Exception):
    pass


def _alarm(*_):
    raise Timeout()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('dir')
    ap.add_argument('--pipeline-root', default=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
    ap.add_argument('--limit', type=int, default=0)
    ap.add_argument('--timeout', type=int, default=120)
    ap.add_argument('--identity', action='store_true',
                    help='baseline: score the damaged input itself as the output (writes DIR/measure_identity)')
    a = ap.parse_args()
    if a.identity:
        class _R:
            def __init__(self, t):
                self.text, self.lossy = t, None

        def normalize(raw):
            return _R(raw)
    else:
        if a.pipeline_root not in sys.path:
            sys.path.insert(0, a.pipeline_root)
        from pipeline.normalize import normalize

    D = a.dir
    out_dir = os.path.join(D, 'measure_identity' if a.identity else 'measure')
    os.makedirs(os.path.join(out_dir, 'out'), exist_ok=True)
    mans = [json.loads(x) for x in open(os.path.join(D, 'manifest.jsonl'), encoding='utf-8')]
    if a.limit:
        mans = mans[:a.limit]
    signal.signal(signal.SIGALRM, _alarm)
    per_doc, all_regions = [], []
    t0 = time.time()
    for m in mans:
        did = m['id']
        raw = open(os.path.join(D, 'docs', did + '.txt'), encoding='utf-8', newline='').read()
        ref_raw = open(os.path.join(D, 'ref', did + '.txt'), encoding='utf-8').read().rstrip('\n')
        err = None
        ts = time.time()
        signal.alarm(a.timeout)
        try:
            res = normalize(raw)
            hyp_raw = res.text
            lossy = getattr(res, 'lossy', None)
        except Timeout:
            hyp_raw, err, lossy = '', 'timeout', None
        except Exception as e:  # a crash scores as everything lost
            hyp_raw, err, lossy = '', '%s: %s' % (type(e).__name__, str(e)[:200]), None
        finally:
            signal.alarm(0)
        dt = time.time() - ts
        with open(os.path.join(out_dir, 'out', did + '.txt'), 'w', encoding='utf-8') as f:
            f.write(hyp_raw)
        ref, hyp = squash(ref_raw), squash(hyp_raw)
        ops = lev_opcodes(ref, hyp)
        dist = sum((i2 - i1) if t == 'replace' else (i2 - i1 + j2 - j1) for t, i1, i2, j1, j2 in ops if t != 'equal')
        # structure: paragraph breaks and title line
        rb = set(line_breaks(ref_raw))
        hb = [map_hyp_to_ref(ops, j) for j in line_breaks(hyp_raw)]
        hbs = set(hb)
        tp = len(rb & hbs)
        title = squash(ref_raw.split('\n')[0])
        hyp_first = next((squash(x) for x in hyp_raw.split('\n') if squash(x)), '')
        spaces_ref = len(SPACE_IN_CJK.findall(ref_raw))
        spaces_hyp = len(SPACE_IN_CJK.findall(hyp_raw))
        cl = Classifier(ref, hyp, m, ref_raw)
        regs = regions(ops)
        dels = [ref[r['i1']:r['i2']] for r in regs if r['i2'] - r['i1'] > r['j2'] - r['j1']]
        inss = [hyp[r['j1']:r['j2']] for r in regs if r['j2'] - r['j1'] > r['i2'] - r['i1']]
        for r in regs:
            c = cl.classify(r['i1'], r['i2'], r['j1'], r['j2'], dels, inss)
            all_regions.append({'id': did, 'kind': m['source_kind'], 'class': c, 'cost': r['cost'],
                                'ref': ref[r['i1']:r['i2']][:200], 'hyp': hyp[r['j1']:r['j2']][:200],
                                'ctx': ref[max(0, r['i1'] - 12):r['i1']] + '⟦…⟧' + ref[r['i2']:r['i2'] + 12],
                                'ref_pos': r['i1']})
        local = []
        for a0, b0, mech in cl.spans:
            if b0 <= a0:
                continue
            ja, jb = map_ref_to_hyp(ops, a0), map_ref_to_hyp(ops, b0 - 1, end=True)
            if b0 - 1 < len(ref) and jb < ja:
                jb = ja
            local.append({'mech': mech, 'len': b0 - a0, 'dist': lev_distance(ref[a0:b0], hyp[ja:jb]),
                          'ref': ref[a0:b0][:60], 'hyp': hyp[ja:jb][:60]})
        floor = (m.get('lossy_chars_est') or 0) + (m.get('info', {}).get('trad_roundtrip_diff') or 0)
        per_doc.append({'id': did, 'kind': m['source_kind'], 'mechanisms': m['mechanisms'], 'ref_len': len(ref),
                        'hyp_len': len(hyp), 'dist': dist, 'cer': dist / max(1, len(ref)), 'floor': floor,
                        'breaks_ref': len(rb), 'breaks_hyp': len(hbs), 'breaks_tp': tp,
                        'title_ok': hyp_first == title, 'spaces_extra': max(0, spaces_hyp - spaces_ref),
                        'local': local, 'error': err, 'lossy_flag': bool(lossy) if lossy is not None else None, 'secs': round(dt, 2)})
        if len(per_doc) % 25 == 0:
            print('%d docs, %.0fs' % (len(per_doc), time.time() - t0), file=sys.stderr)
    with open(os.path.join(out_dir, 'per_doc.jsonl'), 'w', encoding='utf-8') as f:
        for p in per_doc:
            f.write(json.dumps(p, ensure_ascii=False) + '\n')
    with open(os.path.join(out_dir, 'regions.jsonl'), 'w', encoding='utf-8') as f:
        for r in all_regions:
            f.write(json.dumps(r, ensure_ascii=False) + '\n')
    write_report(D, out_dir, per_doc, all_regions, mans, time.time() - t0, 'identity (raw input)' if a.identity else a.pipeline_root)


def agg(rows):
    R = sum(r['ref_len'] for r in rows)
    E = sum(r['dist'] for r in rows)
    F = sum(min(r['floor'], r['ref_len']) for r in rows)
    br, bh, bt = (sum(r[k] for r in rows) for k in ('breaks_ref', 'breaks_hyp', 'breaks_tp'))
    p = bt / bh if bh else 1.0
    rc = bt / br if br else 1.0
    f1 = 2 * p * rc / (p + rc) if p + rc else 0.0
    return {'n': len(rows), 'ref': R, 'err': E, 'cer': E / R if R else 0, 'macro': statistics.mean(r['cer'] for r in rows) if rows else 0,
            'median': statistics.median(r['cer'] for r in rows) if rows else 0, 'floor': F / R if R else 0, 'f1': f1,
            'title': sum(r['title_ok'] for r in rows) / len(rows) if rows else 0, 'spaces': sum(r['spaces_extra'] for r in rows)}


def table(title, groups, key_name):
    L = ['### ' + title, '', '| %s | docs | ref chars | errors | CER | macro CER | floor est. | para-break F1 | title line ok | extra CJK spaces |' % key_name,
         '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|']
    for k, rows in groups:
        g = agg(rows)
        L.append('| %s | %d | %d | %d | %.2f%% | %.2f%% | %.2f%% | %.3f | %.0f%% | %d |' % (
            k, g['n'], g['ref'], g['err'], 100 * g['cer'], 100 * g['macro'], 100 * g['floor'], g['f1'], 100 * g['title'], g['spaces']))
    return L + ['']


def write_report(D, out_dir, per_doc, regs, mans, secs, root):
    L = ['# gen4 normalizer benchmark: %s' % os.path.abspath(D), '',
         'Normalizer: `pipeline.normalize.normalize` from `%s`; %d documents; %.0f s.' % (root, len(per_doc), secs),
         'CER = Levenshtein(ref, hyp) / len(ref), whitespace removed on both sides (％/% and similar width-ambiguous symbols folded; '
         'Chinese punctuation not folded). "floor est." = characters the damage destroyed for good (bytes replaced by U+FFFD, '
         'traditional round-trip ambiguity) / ref chars: no normalizer can go below it.', '']
    g = agg(per_doc)
    errs = [p for p in per_doc if p['error']]
    L += ['## Overall', '',
          '- **CER (micro): %.2f%%**  (macro %.2f%%, median %.2f%%), %d errors over %d reference characters' % (
              100 * g['cer'], 100 * g['macro'], 100 * g['median'], g['err'], g['ref']),
          '- irrecoverable floor estimate: %.2f%%' % (100 * g['floor']),
          '- paragraph-break F1 (hyp line breaks mapped onto the reference through the alignment): %.3f' % g['f1'],
          '- title on its own first line: %.0f%% of docs' % (100 * g['title']),
          '- spaces left between CJK characters (not in the reference; invisible to CER): %d' % g['spaces'],
          '- normalizer failures (crash/timeout, scored as all lost): %d %s' % (len(errs), '; '.join('%s: %s' % (e['id'], e['error']) for e in errs[:5])),
          '']
    kinds = defaultdict(list)
    mech = defaultdict(list)
    fam = defaultdict(list)
    for p in per_doc:
        kinds[p['kind']].append(p)
        for x in p['mechanisms']:
            mech[x].append(p)
        for f in set(family(x) for x in p['mechanisms']):
            fam[f].append(p)
    L += table('Per source kind', sorted(kinds.items(), key=lambda kv: -agg(kv[1])['cer']), 'source kind')
    L += table('Per mechanism family (a doc counts in every family it carries)', sorted(fam.items(), key=lambda kv: -agg(kv[1])['cer']), 'family')
    L += ['Mechanisms co-occur (a feed doc carries feed_xml, feed_header and its entity style at once), so a mechanism\'s '
          'CER is that of the documents carrying it, not its own share; the error classes below and the local CER attribute errors.', '']
    L += table('Per mechanism (a doc counts under every mechanism it carries)', sorted(mech.items(), key=lambda kv: -agg(kv[1])['cer']), 'mechanism')
    # local CER inside the damaged spans of span-level charset mechanisms
    loc = defaultdict(lambda: [0, 0, 0])
    for p in per_doc:
        for x in p.get('local', []):
            v = loc[x['mech']]
            v[0] += 1; v[1] += x['len']; v[2] += x['dist']
    if loc:
        L += ['### Local CER inside damaged spans', '',
              'Reference span of each byte-level damage (fragment in a foreign charset, cut or stray byte up to the next '
              'ASCII, text-level mojibake) against the hyp text aligned to it. Whole-page mis-decodings are not spans.', '',
              '| mechanism | spans | span chars | errors | local CER |', '|---|---:|---:|---:|---:|']
        for k, (n, ln, d) in sorted(loc.items(), key=lambda kv: -kv[1][2] / max(1, kv[1][1])):
            L.append('| %s | %d | %d | %d | %.1f%% |' % (k, n, ln, d, 100 * d / max(1, ln)))
        L.append('')
    # error classes
    cls = defaultdict(lambda: [0, 0, set()])
    for r in regs:
        c = cls[r['class']]
        c[0] += r['cost']; c[1] += 1; c[2].add(r['id'])
    tot = sum(c[0] for c in cls.values()) or 1
    L += ['## Residual error by class', '', 'Each maximal non-matching region of the alignment (regions split by ≤2 matching '
          'characters are merged) gets one class; chars = edit cost inside the region.', '',
          '| class | chars | share | regions | docs |', '|---|---:|---:|---:|---:|']
    for k, (c, n, ds) in sorted(cls.items(), key=lambda kv: -kv[1][0]):
        L.append('| %s | %d | %.1f%% | %d | %d |' % (k, c, 100 * c / tot, n, len(ds)))
    L.append('')
    grp = Counter()
    for k, (c, n, ds) in cls.items():
        grp[k.split(':')[0]] += c
    L += ['Grouped: ' + ', '.join('%s %d (%.1f%%)' % (k, c, 100 * c / tot) for k, c in grp.most_common()), '']
    # per kind x class
    kc = defaultdict(Counter)
    for r in regs:
        kc[r['kind']][r['class'].split(':')[0]] += r['cost']
    L += ['### Top classes per source kind (chars)', '']
    for k in sorted(kc):
        L.append('- **%s**: ' % k + ', '.join('%s %d' % x for x in kc[k].most_common(5)))
    L.append('')
    L += ['## Worst documents', '', '| doc | CER | floor | ref chars | top classes |', '|---|---:|---:|---:|---|']
    byd = defaultdict(Counter)
    for r in regs:
        byd[r['id']][r['class']] += r['cost']
    for p in sorted(per_doc, key=lambda p: -p['cer'])[:20]:
        L.append('| %s | %.1f%% | %.1f%% | %d | %s |' % (p['id'], 100 * p['cer'], 100 * min(1, p['floor'] / max(1, p['ref_len'])), p['ref_len'],
                                                         ', '.join('%s %d' % x for x in byd[p['id']].most_common(3))))
    L.append('')
    L += ['Examples per class: `regions_examples.md`; every region: `regions.jsonl`; per document: `per_doc.jsonl`; '
          'normalizer output: `out/`.', '']
    with open(os.path.join(out_dir, 'report.md'), 'w', encoding='utf-8') as f:
        f.write('\n'.join(L))
    # examples
    E = ['# Error regions: largest examples per class', '',
         'ref = reference text that was lost or replaced, hyp = normalizer text inserted or substituted (whitespace removed); '
         'ctx = reference around the region.', '']
    byc = defaultdict(list)
    for r in regs:
        byc[r['class']].append(r)
    for k, (c, n, ds) in sorted(cls.items(), key=lambda kv: -kv[1][0]):
        E += ['## %s — %d chars, %d regions' % (k, c, n), '']
        seen = set()
        for r in sorted(byc[k], key=lambda r: -r['cost']):
            if r['id'] in seen:
                continue
            seen.add(r['id'])
            E.append('- `%s` cost %d: ref «%s» → hyp «%s»  (ctx: %s)' % (r['id'], r['cost'], r['ref'][:80], r['hyp'][:80], r['ctx']))
            if len(seen) >= 8:
                break
        E.append('')
    with open(os.path.join(out_dir, 'regions_examples.md'), 'w', encoding='utf-8') as f:
        f.write('\n'.join(E))
    print('CER %.2f%% (macro %.2f%%) on %d docs -> %s' % (100 * g['cer'], 100 * g['macro'], len(per_doc), os.path.join(out_dir, 'report.md')))


if __name__ == '__main__':
    main()
