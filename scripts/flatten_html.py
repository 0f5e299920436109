#!/usr/bin/env python3
"""Flatten HTML pages to visible text, one block per line, the way scrapers dump pages.

Evaluation helper for the flattened-text cleaner (src/clean/text.rs): it turns the HTML pages of
../shared/corpora/extraction/*/pages into page dumps, so that `examples/clean_text.rs` can be scored
on real news pages with score_extraction.py. Python 3 standard library only.

Usage: flatten_html.py PAGES_DIR OUT_DIR blank|tight
    blank: blocks separated by blank lines (like seed 000); tight: one block per line (like seed 004).
    Images become `![]()` lines; script, style, head and similar are skipped.
"""
import sys, os, re, html.parser
BLOCK = set('address article aside blockquote body br dd div dl dt figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tr td th title ul option button label'.split())
HIDDEN = set('script style noscript template svg head'.split())
class P(html.parser.HTMLParser):
    def __init__(s):
        super().__init__(convert_charrefs=True); s.lines=[]; s.cur=[]; s.hidden=0
    def flush(s):
        t=' '.join(''.join(s.cur).split())
        if t: s.lines.append(t)
        s.cur=[]
    def handle_starttag(s,tag,a):
        if tag in HIDDEN: s.hidden+=1
        if tag in BLOCK: s.flush()
        if tag=='img':
            s.flush(); s.lines.append('![]()')
    def handle_endtag(s,tag):
        if tag in HIDDEN and s.hidden: s.hidden-=1
        if tag in BLOCK: s.flush()
    def handle_data(s,d):
        if not s.hidden: s.cur.append(d)
def decode(b):
    m=re.search(rb'charset=["\']?([\w-]+)', b[:4096], re.I)
    for enc in ([m.group(1).decode()] if m else [])+['utf-8']:
        try: return b.decode(enc)
        except Exception: pass
    return b.decode('cp1252','replace')
if len(sys.argv) != 4 or sys.argv[3] not in ('blank', 'tight'):
    sys.exit(__doc__)
src, out, style = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(out, exist_ok=True)
for f in os.listdir(src):
    p=P()
    try:
        p.feed(decode(open(os.path.join(src,f),'rb').read())); p.close()
    except Exception: pass
    p.flush()
    sep = '\n\n' if style=='blank' else '\n'
    open(os.path.join(out, f.rsplit('.',1)[0]+'.txt'),'w').write(sep.join(p.lines)+'\n')
