"""A self-contained HTML report of annotated documents (``vnpipe report``).

One static file, no network: a summary (entities per label, top people, positions,
places and organisations, a bar chart of slogan themes as inline SVG) and the
documents, each with its entities highlighted by label (as displaCy does), its
"person → position" relations and its slogans with their theme.

Documents travel as compact JSON inside the page and are drawn a page at a time by a
small script, so a report of 3,000 articles opens at once and stays readable; a filter
box narrows the documents to those naming a person, place or word.

>>> html = render_report([{"id": "a", "text": "Ông K’Thanh dự họp.", "entities": [
...     {"start": 4, "end": 11, "label": "PERSON", "text": "K’Thanh", "norm": "k’thanh"}]}])
>>> "K’Thanh" in html and "No slogans" in html and html.count("<script") == 2
True
"""
from __future__ import annotations

import html as html_lib
import json
from collections import Counter
from typing import Any, Iterable

from .tones import fold

LABEL_COLOURS = {"PERSON": "#aa9cfc", "POSITION": "#fc9ce7", "ORGANIZATION": "#7aecec", "LOCATION": "#feca74"}
TOP = 15


def _compact(record: dict[str, Any]) -> dict[str, Any]:
    """What the page draws: text, entity spans, relations as index pairs, slogans."""
    return {
        "id": str(record.get("id", "")),
        "text": record.get("text", ""),
        "ents": [[e["start"], e["end"], e["label"]] for e in record.get("entities") or []],
        "rels": [[r["head"], r["tail"]] for r in record.get("relations") or [] if r.get("label") == "HOLDS"],
        "slogans": [[s["start"], s["end"], s.get("label", "")] for s in record.get("slogans") or []],
    }


def summarise(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts per label, the most mentioned names per label, and slogans per theme."""
    labels: Counter = Counter()
    names: dict[str, Counter] = {label: Counter() for label in LABEL_COLOURS}
    spelled: dict[tuple[str, str], Counter] = {}
    themes: Counter = Counter()
    def count(label: str, key: str, written: str, n: int = 1) -> None:
        names.setdefault(label, Counter())[key] += n
        spelled.setdefault((label, key), Counter())[written] += n

    for record in records:
        people = record.get("people")
        for entity in record.get("entities") or []:
            label = entity.get("label", "")
            labels[label] += 1
            if not (label == "PERSON" and people is not None):
                count(label, fold(entity.get("norm") or entity.get("text", "")), entity.get("text", ""))
        for person in people or []:  # one person, however spelled ("K’Thanh", "K’ Thanh")
            count("PERSON", person.get("norm", ""), person.get("name", ""), len(person.get("mentions", [])) or 1)
        themes.update(s.get("label", "") for s in record.get("slogans") or [])
    top = {label: [(spelled[(label, key)].most_common(1)[0][0], n) for key, n in counter.most_common(TOP)]
           for label, counter in names.items()}
    return {"documents": len(records), "labels": dict(labels), "top": top, "themes": dict(themes.most_common())}


def _bar_chart(counts: dict[str, int], width: int = 560) -> str:
    """Horizontal bars as inline SVG (no script, no network)."""
    if not counts:
        return '<p class="empty">No slogans.</p>'
    high, row = max(counts.values()), 22
    bars = []
    for i, (name, count) in enumerate(counts.items()):
        length = max(2, int((width - 230) * count / high))
        y = i * row
        bars.append(f'<text x="0" y="{y + 15}">{html_lib.escape(name)}</text>'
                    f'<rect x="190" y="{y + 3}" width="{length}" height="16" fill="#7aa6ec"></rect>'
                    f'<text x="{195 + length}" y="{y + 15}">{count}</text>')
    return (f'<svg role="img" aria-label="Slogans per theme" width="{width}" height="{row * len(counts)}" '
            f'xmlns="http://www.w3.org/2000/svg">{"".join(bars)}</svg>')


def _summary_html(summary: dict[str, Any]) -> str:
    label_rows = "".join(f'<tr><td><span class="tag" style="background:{LABEL_COLOURS.get(k, "#ddd")}">{k}</span></td>'
                         f"<td>{v:,}</td></tr>" for k, v in sorted(summary["labels"].items()))
    tops = []
    for label, rows in summary["top"].items():
        if not rows:
            continue
        items = "".join(f"<li>{html_lib.escape(name)} <small>({n})</small></li>" for name, n in rows)
        tops.append(f'<div class="top"><h3>{label}</h3><ol>{items}</ol></div>')
    return (f'<section id="summary"><h2>Summary</h2><p>{summary["documents"]:,} document{"" if summary["documents"] == 1 else "s"}</p>'
            f'<table class="labels"><tr><th>label</th><th>entities</th></tr>{label_rows}</table>'
            f'<div class="tops">{"".join(tops)}</div><h3>Slogans per theme</h3>{_bar_chart(summary["themes"])}</section>')


_STYLE = """
body{font:15px/1.55 system-ui,sans-serif;margin:0 auto;max-width:980px;padding:1em;color:#222}
h1{font-size:1.5em}.tag{border-radius:4px;padding:0 .3em;font-size:.75em;font-weight:600}
mark{border-radius:4px;padding:.05em .25em;line-height:1.9}mark b{font-size:.65em;margin-left:.3em;opacity:.8}
.doc{border-top:1px solid #ddd;padding:.6em 0}.doc h4{margin:.2em 0;color:#555;font-weight:500;word-break:break-all}
.text{white-space:pre-wrap}.rels,.slogans{font-size:.9em;color:#333}.tops{display:flex;flex-wrap:wrap;gap:1em}
.top{min-width:210px}.top ol{padding-left:1.4em;margin:.2em 0}table.labels td{padding:0 1em 0 0}
nav{position:sticky;top:0;background:#fff;padding:.4em 0;border-bottom:1px solid #ddd}
nav input{width:16em}svg text{font-size:12px}.slogan{text-decoration:underline wavy #7aa6ec}
"""

_SCRIPT = """
(function(){
const docs=JSON.parse(document.getElementById('vnpipe-data').textContent);
const colours=JSON.parse(document.getElementById('vnpipe-data').dataset.colours);
const size=parseInt(document.getElementById('vnpipe-data').dataset.pageSize,10);
let shown=docs, page=0;
const esc=s=>s.replace(/[&<>"]/g,c=>({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
function marked(d){
  const cuts=[];d.ents.forEach((e,i)=>{cuts.push([e[0],1,i]);cuts.push([e[1],0,i]);});
  cuts.sort((a,b)=>a[0]-b[0]||a[1]-b[1]);
  let out='',at=0;
  for(const [pos,open,i] of cuts){
    if(pos<at)continue;out+=esc(d.text.slice(at,pos));at=pos;const e=d.ents[i];
    out+=open?'<mark class="ent" data-label="'+e[2]+'" style="background:'+(colours[e[2]]||'#ddd')+'">'
            :'<b>'+e[2]+'</b></mark>';
  }
  return out+esc(d.text.slice(at));
}
function draw(){
  const list=document.getElementById('docs');list.innerHTML='';
  const start=page*size;
  for(const d of shown.slice(start,start+size)){
    const div=document.createElement('div');div.className='doc';
    const rels=d.rels.map(r=>esc(d.text.slice(d.ents[r[0]][0],d.ents[r[0]][1]))+' → '
      +esc(d.text.slice(d.ents[r[1]][0],d.ents[r[1]][1]))).join('; ');
    const slogans=d.slogans.map(s=>'<span class="slogan">'+esc(d.text.slice(s[0],s[1]))+'</span> ('+esc(s[2])+')').join('; ');
    div.innerHTML='<h4>'+esc(d.id)+'</h4><div class="text">'+marked(d)+'</div>'
      +(rels?'<p class="rels">Holds: '+rels+'</p>':'')+(slogans?'<p class="slogans">Slogans: '+slogans+'</p>':'');
    list.appendChild(div);
  }
  const pages=Math.max(1,Math.ceil(shown.length/size));
  document.getElementById('where').textContent='page '+(page+1)+' of '+pages+' ('+shown.length+' documents)';
}
const fold=s=>s.normalize('NFD').replace(/[\\u0300-\\u036f]/g,'').replace(/đ/g,'d').replace(/Đ/g,'D').toLowerCase();
document.getElementById('filter').addEventListener('input',ev=>{
  const q=fold(ev.target.value.trim());shown=q?docs.filter(d=>fold(d.id+' '+d.text).includes(q)):docs;page=0;draw();});
document.getElementById('prev').addEventListener('click',()=>{if(page>0){page--;draw();}});
document.getElementById('next').addEventListener('click',()=>{if((page+1)*size<shown.length){page++;draw();}});
draw();
})();
"""


def render_report(records: Iterable[dict[str, Any]], title: str = "vnpipe report", page_size: int = 20) -> str:
    """The report as one HTML string."""
    records = list(records)
    data = json.dumps([_compact(r) for r in records], ensure_ascii=False, separators=(",", ":"))
    data = data.replace("<", "\\u003c")  # no tag can open or close inside the data's script element
    colours = html_lib.escape(json.dumps(LABEL_COLOURS), quote=True)
    legend = " ".join(f'<span class="tag" style="background:{c}">{label}</span>' for label, c in LABEL_COLOURS.items())
    return (
        f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{html_lib.escape(title)}</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_STYLE}</style></head><body>'
        f"<h1>{html_lib.escape(title)}</h1>{_summary_html(summarise(records))}"
        f'<h2>Documents</h2><nav><input id="filter" type="search" placeholder="filter: a name, a place, a word"> '
        f'<button id="prev">‹ previous</button> <button id="next">next ›</button> <span id="where"></span> {legend}</nav>'
        f'<div id="docs"></div>'
        f'<script id="vnpipe-data" type="application/json" data-colours="{colours}" data-page-size="{int(page_size)}">'
        f"{data}</script><script>{_SCRIPT}</script></body></html>\n"
    )
