/* SPDX-License-Identifier: GPL-3.0-or-later */
/* render_html.c - results -> one self-contained, escaped HTML page: outlet
 * charts and keyness as inline SVG, attribution tables, annotated articles. */
#include "render_html.h"
#include "actors.h"
#include "internal.h"
#include "model.h"
#include "utf8.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NPALETTE 10
#define LABEL_MAX 40 /* characters of a chart label before it is cut */

/* Colours safe for colour-blind readers: Okabe & Ito's palette ("Color
 * Universal Design", 2008), then Paul Tol's wine and grey. Outlets take
 * them in order (bars, swatches); each lexicon family takes a light tint
 * of one for its highlight and the full colour for its underline, whose
 * style (solid, dashed, dotted, double) is a second cue that needs no
 * colour at all. */
static const char *const outlet_color[NPALETTE] = {
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9",
    "#d55e00", "#f0e442", "#882255", "#000000", "#999999"};
static const char *const family_tint[NPALETTE] = {
    "#fbd3bd", "#cde3f4", "#c2ece0", "#f9f3b9", "#f3d8e8",
    "#fde3ad", "#d5ecfa", "#ecc9d9", "#e4e4e4", "#eeeeee"};
static const char *const family_line[NPALETTE] = {
    "#d55e00", "#0072b2", "#009e73", "#b8a900", "#cc79a7",
    "#e69f00", "#56b4e9", "#882255", "#555555", "#000000"};
static const char *const family_style[NPALETTE] = {
    "solid",  "dashed", "dotted", "dashed", "dotted",
    "double", "solid",  "dashed", "dotted", "dashed"};

/* The default lexicons' families keep the same colour and underline on
 * every page: loaded language vermillion (solid), labels orange (double),
 * attribution blue (dashed), evidence green (dotted), scare quotes wine
 * (dashed), ... */
static const struct {
  const char *family;
  int color;
} known_families[] = {{"loaded", 0},     {"attribution", 1}, {"evidence", 2},
                      {"hedge", 3},      {"certainty", 4},   {"label", 5},
                      {"actor", 6},      {"intensifier", 8}, {"negator", 9},
                      {"scare_quote", 7}};

static int family_color(const fs_lexicon *lex, size_t f) {
  for (size_t i = 0; i < sizeof known_families / sizeof *known_families; i++)
    if (!strcmp(lex->families[f], known_families[i].family))
      return known_families[i].color;
  return (int)(f % NPALETTE);
}

typedef struct page {
  FILE *out;
  const fs_html_opts *o;
  const fs_lexicon *lex;
  const char **outlets; /* names in order of first appearance */
  size_t noutlets;
  bool *shown;   /* [nitems]: annotated on the page (max_docs) */
  size_t hidden; /* documents analysed but not annotated */
  const char *extra_css; /* a page's own styles (the terms page), or NULL */
} page;

/* ---- escaping ------------------------------------------------------------ */

/* Writes s HTML-escaped (for text and attribute values alike); invalid
 * UTF-8 becomes U+FFFD, control characters a space, and in attributes a
 * line break becomes &#10;. */
static void esc_n(FILE *out, const char *s, size_t len, bool attr) {
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;
  while (i < len) {
    unsigned c = u[i];
    if (c < 0x80) {
      i++;
      switch (c) {
      case '&':
        fputs("&amp;", out);
        break;
      case '<':
        fputs("&lt;", out);
        break;
      case '>':
        fputs("&gt;", out);
        break;
      case '"':
        fputs("&quot;", out);
        break;
      case '\'':
        fputs("&#39;", out);
        break;
      case '\n':
        fputs(attr ? "&#10;" : "\n", out);
        break;
      case '\t':
        fputc(' ', out);
        break;
      default:
        fputc(c < 0x20 || c == 0x7F ? ' ' : (int)c, out);
      }
      continue;
    }
    size_t at = i;
    int bad = 0;
    uint32_t cp = fs_utf8_next(u, len, &i, &bad);
    if (bad || (cp >= 0x80 && cp < 0xA0))
      fputs("\xEF\xBF\xBD", out);
    else
      fwrite(s + at, 1, i - at, out);
  }
}

void fs_html_escape(FILE *out, const char *s, size_t len) {
  esc_n(out, s, len, true);
}

static void esc(FILE *out, const char *s) { esc_n(out, s, strlen(s), false); }
static void esc_attr(FILE *out, const char *s) {
  esc_n(out, s, strlen(s), true);
}

/* Writes at most max code points of s, then an ellipsis. */
static void esc_cut(FILE *out, const char *s, size_t max) {
  const unsigned char *u = (const unsigned char *)s;
  size_t len = strlen(s), i = 0, n = 0;
  while (i < len && n < max) {
    int bad = 0;
    fs_utf8_next(u, len, &i, &bad);
    n++;
  }
  esc_n(out, s, i, false);
  if (i < len)
    fputs("\xE2\x80\xA6", out);
}

static const char *outlet_label(const char *o) {
  return o && *o ? o : "(none)";
}

static size_t outlet_index(const page *pg, const char *name) {
  name = outlet_label(name);
  for (size_t i = 0; i < pg->noutlets; i++)
    if (!strcmp(pg->outlets[i], name))
      return i;
  return 0;
}

static const char *color_of(size_t i) { return outlet_color[i % NPALETTE]; }

/* ---- the page frame ------------------------------------------------------ */

static const char *const css =
    "*{box-sizing:border-box}"
    "body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,"
    "'DejaVu Sans',sans-serif;color:#1d1d1f;background:#fafafa;margin:0}"
    "header,main,footer{max-width:1180px;margin:0 auto;padding:0 20px}"
    "header{padding-top:18px}h1{font-size:1.6em;margin:.2em 0}"
    "h2{font-size:1.25em;margin:1.6em 0 .4em;border-bottom:2px solid #ddd;"
    "padding-bottom:.2em}h3{font-size:1.05em;margin:.2em 0}"
    ".meta,.note{color:#555;font-size:.9em}"
    "nav a{margin-right:1em}"
    ".warn{background:#fff4d6;border-left:4px solid #e0a800;padding:.5em .8em}"
    ".grid{display:flex;flex-wrap:wrap;gap:14px}"
    ".panel{background:#fff;border:1px solid #e2e2e2;border-radius:6px;"
    "padding:8px 10px;margin:0}"
    ".panel figcaption{font-weight:600;font-size:.92em}"
    ".panel svg{display:block;max-width:100%;height:auto}"
    "svg text{font:11px system-ui,'DejaVu Sans',sans-serif;fill:#333}"
    "svg .lbl{font-size:11.5px}svg .val{fill:#555}"
    "svg .axis{stroke:#bbb;stroke-width:1}svg .ci{stroke:#222;"
    "stroke-width:1.4}"
    "table{border-collapse:collapse;background:#fff;font-size:.9em}"
    "th,td{border:1px solid #e2e2e2;padding:3px 8px;text-align:right}"
    "th{background:#f0f0f0}td.l,th.l{text-align:left}td.z{color:#bbb}"
    ".nw{white-space:nowrap}.sw{display:inline-block;width:.8em;height:.8em;"
    "border-radius:2px;"
    "margin-right:.35em;vertical-align:-1px}"
    ".bar{display:inline-block;height:.7em;background:#0072b2;"
    "vertical-align:middle;margin-right:.4em;border-radius:2px}"
    ".legend label{margin-right:1.1em;white-space:nowrap;cursor:pointer}"
    ".doc{background:#fff;border:1px solid #e2e2e2;border-radius:6px;"
    "padding:10px 16px;margin:14px 0}"
    ".doc .text{font:16px/1.65 Georgia,'DejaVu Serif',serif;max-width:46em}"
    ".chips{font-size:.82em}.chip{display:inline-block;border-radius:3px;"
    "padding:0 .4em;margin:0 .3em .2em 0}"
    ".q{font-style:italic;background:#eceff3;color:#444;border-radius:2px}"
    ".sq{border-bottom:2px dashed #882255;background:#f6e6ee;font-weight:600}"
    ".sq::before{content:'\\2691';color:#882255;font-size:.7em;"
    "vertical-align:super;margin-right:1px}"
    "mark{color:inherit;border-radius:2px;padding:0 1px;"
    "border-bottom:3px solid transparent}.chip{border-bottom:3px solid "
    "transparent}"
    "mark.multi{box-shadow:0 0 0 1px #666}"
    "mark.w0{background:none!important}"
    "mark.neg{text-decoration:line-through;text-decoration-color:#888}"
    "body.plain-quotes .q{font-style:normal;background:none;color:inherit}"
    "footer{margin:2em auto 3em;color:#555;font-size:.88em}"
    /* drill-down: clickable bars and chips, the hits panel */
    ".drill{cursor:pointer}g.drill:hover rect,g.drill:focus rect{"
    "stroke:#000;stroke-width:1.5}.chip.drill:hover{outline:1px solid #333}"
    "#hits{position:fixed;top:0;right:0;bottom:0;width:min(520px,96vw);"
    "overflow:auto;background:#fff;border-left:1px solid #ccc;"
    "box-shadow:-4px 0 14px rgba(0,0,0,.15);padding:10px 16px;z-index:10}"
    "#hits h2{margin-top:.2em;padding-right:2em}#hits h3{margin:.9em 0 .2em}"
    "#hits-close{position:absolute;top:8px;right:10px;font-size:1.3em;"
    "background:none;border:0;cursor:pointer}"
    "#hits .hit{margin:.35em 0;font-size:.9em}#hits .kw{color:#333}"
    "#hits .kw b{background:#ffe08a}"
    ".vb{display:inline-block;font-size:.78em;border-radius:3px;padding:0 "
    ".35em;"
    "margin-left:.4em;border:1px solid #999}.vb.quote{font-style:italic;"
    "background:#eceff3}"
    "mark:target,.sq:target,.th:target{outline:3px solid #111;"
    "outline-offset:2px}.th{background:#ffe08a}";

/* Toggles highlighting per family and the quote styling; marks the page as
 * loaded (the headless-browser test looks for data-fs-ready). */
static const char *const js[] = {

    "(function(){'use strict';\n"
    "var boxes=document.querySelectorAll('input[data-fam]');\n"
    "Array.prototype.forEach.call(boxes,function(b){\n"
    "  b.addEventListener('change',function(){\n"
    "    document.body.classList.toggle('hide-'+b.getAttribute('data-fam'),"
    "!b.checked);});});\n"
    "var q=document.getElementById('show-quotes');\n"
    "if(q){q.addEventListener('change',function(){\n"
    "  document.body.classList.toggle('plain-quotes',!q.checked);});}\n",
    /* drill-down: a click on a bar, chip or term lists its hits */
    "var panel=document.getElementById('hits');\n"
    "var marks=Array.prototype.slice.call("
    "document.querySelectorAll('.doc mark,.doc .sq'));\n"
    "marks.forEach(function(m,i){if(!m.id)m.id='h'+(i+1);});\n",
    "function el(t,c,x){var e=document.createElement(t);if(c)e.className=c;"
    "if(x!=null)e.textContent=x;return e;}\n",
    "function voiceOf(m){return m.closest('.q')?'quote':'author';}\n",
    "function around(m){var p=m.closest('p'),r=document.createRange();"
    "r.setStart(p,0);r.setEndBefore(m);var l=r.toString();"
    "r.setStartAfter(m);r.setEnd(p,p.childNodes.length);var rt=r.toString();"
    "return [(l.length>70?'\\u2026':'')+l.slice(-70),m.textContent,"
    "rt.slice(0,70)+(rt.length>70?'\\u2026':'')];}\n",
    "function show(title,note,hits){if(!panel)return;"
    "var body=document.getElementById('hits-body');body.textContent='';"
    "document.getElementById('hits-title').textContent=title+': '+"
    "hits.length+(hits.length===1?' hit':' hits');"
    "document.getElementById('hits-note').textContent=note;"
    "var groups=[],by={};hits.forEach(function(m){"
    "var a=m.closest('article'),o=a.getAttribute('data-outlet');"
    "if(!by[o]){by[o]=[];groups.push(o);}by[o].push(m);});"
    "groups.forEach(function(o){body.appendChild(el('h3',null,o+' ('+"
    "by[o].length+')'));by[o].forEach(function(m){"
    "var a=m.closest('article'),d=el('div','hit'),k=around(m),"
    "ln=el('a',null,a.querySelector('h3').firstChild.textContent.trim()),"
    "v=voiceOf(m),kw=el('div','kw');ln.href='#'+m.id;d.appendChild(ln);"
    "d.appendChild(el('span','vb '+v,v));kw.appendChild(el('span',null,k[0]));"
    "kw.appendChild(el('b',null,k[1]));kw.appendChild(el('span',null,k[2]));"
    "d.appendChild(kw);body.appendChild(d);});});"
    "if(!hits.length)body.appendChild(el('p','note','No hits in the "
    "articles on this page.'));panel.hidden=false;panel.scrollTop=0;}\n",
    "function inOutlet(m,o){return !o||m.closest('article')"
    ".getAttribute('data-outlet')===o;}\n",
    "function catHits(cats,o,voice){var want=cats.split(' ');"
    "return marks.filter(function(m){var mc=m.classList.contains('sq')?"
    "['scare_quote']:(m.getAttribute('data-cats')||'').split(' ');"
    "return inOutlet(m,o)&&(!voice||voice==='all'||voiceOf(m)===voice)&&"
    "mc.some(function(c){return want.indexOf(c)>=0;});});}\n",
    "function termHits(forms,o,voice){"
    "Array.prototype.forEach.call(document.querySelectorAll('.th'),"
    "function(s){s.replaceWith(document.createTextNode(s.textContent));});"
    "document.querySelectorAll('.doc .text').forEach(function(t){"
    "t.normalize();});"
    "var alts=forms.split('|').map(function(f){return f.replace("
    "/[.*+?^${}()|[\\]\\\\]/g,'\\\\$&').replace(/'/g,\"['\\u2019]\");});"
    "var re=new RegExp('(^|[^\\\\p{L}\\\\p{N}])('+alts.join('|')+"
    "')(?![\\\\p{L}\\\\p{N}])','giu'),out=[];"
    "document.querySelectorAll('article.doc').forEach(function(a){"
    "if(o&&a.getAttribute('data-outlet')!==o)return;"
    "var w=document.createTreeWalker(a.querySelector('.text'),"
    "NodeFilter.SHOW_TEXT),ns=[],n;while((n=w.nextNode()))ns.push(n);"
    "ns.forEach(function(n){var ms=[],x;re.lastIndex=0;"
    "while((x=re.exec(n.data)))ms.push([x.index+x[1].length,x[2].length]);"
    "for(var i=ms.length-1;i>=0;i--){var r=document.createRange();"
    "r.setStart(n,ms[i][0]);r.setEnd(n,ms[i][0]+ms[i][1]);"
    "var s=el('span','th');r.surroundContents(s);"
    "if(voice==='all'||voiceOf(s)===voice)out.push(s);}});});"
    "out.sort(function(x,y){return x.compareDocumentPosition(y)&"
    "Node.DOCUMENT_POSITION_FOLLOWING?-1:1;});"
    "out.forEach(function(s,i){s.id='t'+(i+1);});return out;}\n",
    "function drill(d){var o=d.getAttribute('data-outlet')||'',"
    "sec=d.closest('[data-voice]'),"
    "voice=sec?sec.getAttribute('data-voice'):'all',"
    "name=d.querySelector('title')?d.querySelector('.lbl').textContent:"
    "d.getAttribute('data-cats');"
    "var where=o?' in '+o:' in every outlet';"
    "if(d.hasAttribute('data-forms')){show(name+where,"
    "'The word as written ('+d.getAttribute('data-forms').split('|')"
    ".join(', ')+'), '+voice+' voice.',"
    "termHits(d.getAttribute('data-forms'),o,voice));return;}"
    "var cats=d.getAttribute('data-cats'),fig=d.closest('figure');"
    "if(fig)name=fig.querySelector('figcaption').textContent;"
    "show(name+where,'Matches of '+cats.split(' ').join(', ')+"
    "(voice!=='all'?', '+voice+' voice':'')+'.',catHits(cats,o,voice));}\n",
    "document.addEventListener('click',function(e){"
    "var d=e.target.closest&&e.target.closest('.drill');if(d)drill(d);});\n",
    "document.addEventListener('keydown',function(e){"
    "if(e.key==='Enter'&&e.target.classList&&"
    "e.target.classList.contains('drill'))drill(e.target);"
    "if(e.key==='Escape'&&panel)panel.hidden=true;});\n"
    "var c=document.getElementById('hits-close');"
    "if(c)c.addEventListener('click',function(){panel.hidden=true;});\n"
    /* #fs-selftest (tests/html_test.sh): every bar and chip with a
       positive value finds hits, and every hit's link resolves */
    "if(location.hash==='#fs-selftest'){var partial=document.querySelector("
    "'[data-hidden]:not([data-hidden=\"0\"])'),ds=document.querySelectorAll("
    "'.drill'),n=0,bad=[];Array.prototype.forEach.call(ds,function(d){"
    "drill(d);var ls=document.querySelectorAll('#hits-body a'),"
    "v=d.querySelector('.val'),pos=v?parseFloat(v.textContent)>0:true;"
    "if(pos&&!ls.length&&!partial)bad.push('no hits: "
    "'+(d.getAttribute('data-cats')||"
    "d.getAttribute('data-forms'))+' '+d.getAttribute('data-outlet'));"
    "Array.prototype.forEach.call(ls,function(a){n++;"
    "if(!document.getElementById(a.getAttribute('href').slice(1)))"
    "bad.push('dangling '+a.getAttribute('href'));});});"
    "document.documentElement.setAttribute('data-fs-selftest',"
    "(bad.length?'FAIL '+bad.slice(0,5).join('; '):'ok')+' drills='+"
    "ds.length+' hits='+n);}\n",
    "document.documentElement.setAttribute('data-fs-ready','1');\n"
    "})();\n",
    NULL};

static void page_start(const page *pg, const char *title) {
  FILE *out = pg->out;
  fputs(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, "
      "initial-scale=1\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
      "'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
      "img-src data:\">\n<meta name=\"generator\" "
      "content=\"framescore " FS_VERSION "\">\n<title>",
      out);
  esc(out, title);
  fputs("</title>\n<style>", out);
  fputs(css, out);
  /* one highlight colour per family, and a class that switches it off */
  for (size_t f = 0; pg->lex && f < pg->lex->nfamilies; f++) {
    int col = family_color(pg->lex, f);
    fprintf(out,
            "mark.f%zu,.chip.f%zu{background:%s;border-bottom-color:%s;"
            "border-bottom-style:%s}",
            f, f, family_tint[col], family_line[col], family_style[col]);
    fprintf(out,
            "body.hide-f%zu mark.f%zu{background:none;"
            "border-bottom-color:transparent}",
            f, f);
  }
  if (pg->extra_css)
    fputs(pg->extra_css, out);
  fputs("</style>\n</head>\n<body>\n<header>\n<h1>", out);
  esc(out, title);
  fputs("</h1>\n", out);
}

/* ---- SVG bar charts ------------------------------------------------------ */

typedef struct bar {
  const char *label;
  double v, lo, hi; /* lo/hi NAN when there is no interval */
  size_t color;
  char tip[640];
  /* drill-down (report pages): the hits behind the bar are the matches of
   * these categories (space-separated), or these word forms ('|'), in the
   * articles of this outlet; NULL: not clickable */
  const char *cats, *forms, *outlet;
} bar;

static double nice_max(double m) {
  if (!(m > 0) || !isfinite(m))
    return 1;
  double p = pow(10, floor(log10(m)));
  const double steps[] = {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10};
  for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
    if (steps[i] * p >= m * 1.02)
      return steps[i] * p;
  return 10 * p;
}

/* A horizontal bar chart in a <figure>: one row per bar with its label, the
 * bar, the interval as a whisker and the value; hover shows bar->tip. */
static void bar_panel(FILE *out, const char *title, const char *note,
                      const bar *bars, size_t n, int width) {
  /* the label column fits the longest label (up to LABEL_MAX characters
   * at about 7 px each), so names are whole and stay inside the chart;
   * the chart widens by as much */
  size_t longest = 0;
  for (size_t i = 0; i < n; i++) {
    size_t cp = fs_utf8_count(bars[i].label);
    longest = cp > longest ? cp : longest;
  }
  longest = longest > LABEL_MAX ? LABEL_MAX + 1 : longest;
  int lw = 16 + (int)(7.0 * (double)longest);
  lw = lw < 80 ? 80 : lw;
  if (lw > 150)
    width += lw - 150;
  const int vw = 52, row = 22, top = 6, axis = 22;
  int bw = width - lw - vw - 8;
  int height = top + (int)n * row + axis;
  double m = 0;
  for (size_t i = 0; i < n; i++) {
    if (isfinite(bars[i].v))
      m = fmax(m, bars[i].v);
    if (isfinite(bars[i].hi))
      m = fmax(m, bars[i].hi);
  }
  m = nice_max(m);
  fputs("<figure class=\"panel\"><figcaption>", out);
  esc(out, title);
  fputs("</figcaption>", out);
  if (note && *note) {
    fputs("<div class=\"note\">", out);
    esc(out, note);
    fputs("</div>", out);
  }
  fprintf(out,
          "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
          "role=\"img\" aria-label=\"",
          width, height, width, height);
  esc_attr(out, title);
  fputs("\">", out);
  for (size_t i = 0; i < n; i++) {
    const bar *b = &bars[i];
    double y = top + (double)i * row;
    if (b->cats || b->forms) {
      fputs("<g class=\"drill\" tabindex=\"0\" role=\"button\" "
            "data-outlet=\"",
            out);
      esc_attr(out, b->outlet ? b->outlet : "");
      fputs(b->cats ? "\" data-cats=\"" : "\" data-forms=\"", out);
      esc_attr(out, b->cats ? b->cats : b->forms);
      fputs("\"><title>", out);
    } else {
      fputs("<g><title>", out);
    }
    esc(out, b->tip);
    if (b->cats || b->forms)
      fputs(" (click: the hits)", out);
    fprintf(out,
            "</title><text class=\"lbl\" x=\"%d\" y=\"%.1f\" "
            "text-anchor=\"end\">",
            lw - 6, y + 14);
    esc_cut(out, b->label, LABEL_MAX);
    fputs("</text>", out);
    if (isfinite(b->v)) {
      fprintf(out,
              "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"14\" "
              "rx=\"2\" fill=\"%s\"/>",
              lw, y + 3, fmax(b->v / m * bw, b->v > 0 ? 1.0 : 0.0),
              color_of(b->color));
      if (isfinite(b->lo) && isfinite(b->hi)) {
        double x1 = lw + b->lo / m * bw, x2 = lw + b->hi / m * bw;
        fprintf(out,
                "<path class=\"ci\" fill=\"none\" d=\"M%.1f %.1fH%.1f"
                "M%.1f %.1fV%.1fM%.1f %.1fV%.1f\"/>",
                x1, y + 10, x2, x1, y + 5, y + 15.0, x2, y + 5, y + 15.0);
      }
      fprintf(out,
              "<text class=\"val\" x=\"%d\" y=\"%.1f\" "
              "text-anchor=\"end\">%.2f</text>",
              width - 4, y + 14, b->v);
    } else {
      fprintf(out,
              "<text class=\"val\" x=\"%d\" y=\"%.1f\" "
              "text-anchor=\"end\">n/a</text>",
              width - 4, y + 14);
    }
    fputs("</g>", out);
  }
  double ay = top + (double)n * row + 2;
  fprintf(out,
          "<line class=\"axis\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" "
          "y2=\"%.1f\"/>",
          lw, ay, lw + bw, ay);
  for (int k = 0; k <= 2; k++) {
    double x = lw + bw * k / 2.0;
    fprintf(out,
            "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
            "y2=\"%.1f\"/><text x=\"%.1f\" y=\"%.1f\" "
            "text-anchor=\"middle\">%g</text>",
            x, ay, x, ay + 4, x, ay + 15, m * k / 2.0);
  }
  fputs("</svg></figure>\n", out);
}

/* ---- outlets: rates with intervals --------------------------------------- */

static const char *voice_words(int v) {
  return v == FS_VOICE_AUTHOR  ? "author-voice"
         : v == FS_VOICE_QUOTE ? "quoted"
                               : "";
}

static bool measure_used(const fs_compare *c, size_t k) {
  for (size_t o = 0; o < c->noutlets; o++) {
    double e = c->ci[o * c->nmeasures + k].estimate;
    if (isfinite(e) && e > 0)
      return true;
  }
  return false;
}

static size_t family_size(const fs_lexicon *lex, uint32_t fam) {
  size_t n = 0;
  for (size_t i = 0; i < lex->ncats; i++)
    n += lex->cats[i].family == fam;
  return n;
}

/* The unit of measure k, for hovers: "per 1,000 author-voice words", or a
 * model dimension's own unit. */
static void measure_unit(const fs_compare *c, size_t k, char *buf, size_t cap) {
  const fs_measure *m = &c->measures[k];
  if (m->kind == FS_MEASURE_DIMENSION && c->model) {
    const fs_dimension *d = &c->model->dims[m->index];
    size_t n = (size_t)snprintf(buf, cap, "%s", fs_model_unit_label(d));
    for (size_t i = 0; i < d->nshare && n < cap; i++)
      n += (size_t)snprintf(buf + n, cap - n, " %s", d->share_of[i]);
  } else if (m->kind == FS_MEASURE_DISTINCT)
    snprintf(buf, cap, "per 1,000 author-voice words, story-relative");
  else
    snprintf(buf, cap, "per 1,000 %s%swords", voice_words(c->voice),
             c->voice == FS_VOICES ? "" : " ");
}

/* The categories whose matches make measure k (space-separated, malloc'd),
 * or NULL for a framing dimension or when out of memory. */
static char *measure_cats(const fs_compare *c, size_t k) {
  const fs_lexicon *lex = c->lex;
  const fs_measure *m = &c->measures[k];
  if (m->kind == FS_MEASURE_DIMENSION ||
      (m->kind == FS_MEASURE_DISTINCT && m->index != FS_NONE))
    return NULL;
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  if (!f)
    return NULL;
  bool first = true;
  for (size_t i = 0; i < lex->ncats; i++) {
    bool in = m->kind == FS_MEASURE_CATEGORY ? i == m->index
              : m->kind == FS_MEASURE_FAMILY
                  ? lex->cats[i].family == m->index
                  : fs_category_in_score(lex, (uint32_t)i);
    if (in)
      fprintf(f, "%s%s", first ? "" : " ", lex->cats[i].name);
    first &= !in;
  }
  if (fclose(f)) {
    free(buf);
    return NULL;
  }
  return buf;
}

static int measure_chart(const page *pg, size_t k, int width,
                         const char *note) {
  const fs_compare *c = pg->o->cmp;
  bar *bars = calloc(c->noutlets ? c->noutlets : 1, sizeof *bars);
  if (!bars)
    return FS_ERR_NOMEM;
  char *cats = pg->o->nitems ? measure_cats(c, k) : NULL;
  char unit[200];
  measure_unit(c, k, unit, sizeof unit);
  for (size_t o = 0; o < c->noutlets; o++) {
    const fs_stat_interval *iv = &c->ci[o * c->nmeasures + k];
    bar *b = &bars[o];
    b->label = c->outlets[o];
    b->v = iv->estimate, b->lo = iv->lo, b->hi = iv->hi;
    b->color = outlet_index(pg, c->outlets[o]);
    b->cats = cats && *cats ? cats : NULL;
    b->outlet = c->outlets[o];
    size_t docs = fs_compare_outlet_docs(c, o);
    int w = snprintf(b->tip, sizeof b->tip, "%s: %.2f %s", c->outlets[o],
                     iv->estimate, unit);
    if (w < 0 || (size_t)w >= sizeof b->tip)
      continue;
    if (isfinite(iv->lo))
      snprintf(b->tip + w, sizeof b->tip - (size_t)w,
               ", 95%% CI [%.2f, %.2f]; %zu documents", iv->lo, iv->hi, docs);
    else
      snprintf(b->tip + w, sizeof b->tip - (size_t)w,
               "; %zu document%s (no interval: %s)", docs,
               docs == 1 ? "" : "s",
               c->measures[k].kind == FS_MEASURE_DISTINCT
                   ? "its factors come from the same documents"
                   : "needs 2+");
  }
  if (!note && (c->measures[k].kind == FS_MEASURE_DIMENSION ||
                c->measures[k].kind == FS_MEASURE_DISTINCT))
    note = unit;
  bar_panel(pg->out, c->measures[k].name, note, bars, c->noutlets, width);
  free(bars);
  free(cats);
  return FS_OK;
}

/* Where measure k goes: 0 the score, 1 a model dimension, 2 a family (or
 * single-category family) that counts toward the score, 3 another family,
 * -1 only among "every category". */
static int overview_rank(const fs_compare *c, size_t k) {
  const fs_lexicon *lex = c->lex;
  const fs_measure *m = &c->measures[k];
  if (m->kind == FS_MEASURE_SCORE ||
      (m->kind == FS_MEASURE_DISTINCT && m->index == FS_NONE))
    return 0;
  /* a dimension's distinctive row goes with the dimensions */
  if (m->kind == FS_MEASURE_DIMENSION || m->kind == FS_MEASURE_DISTINCT)
    return 1;
  uint32_t fam = m->kind == FS_MEASURE_FAMILY     ? m->index
                 : m->kind == FS_MEASURE_CATEGORY ? lex->cats[m->index].family
                                                  : FS_NONE;
  if (fam == FS_NONE ||
      (m->kind == FS_MEASURE_CATEGORY && family_size(lex, fam) > 1))
    return -1;
  for (size_t i = 0; i < lex->ncats; i++)
    if (lex->cats[i].family == fam && fs_category_in_score(lex, (uint32_t)i))
      return 2;
  return 3;
}

static void small_sample_warning(FILE *out, const fs_compare *c) {
  fputs("<p class=\"warn\"><b>Small samples.</b> Documents per outlet:", out);
  /* one sentence, however many outlets */
  for (size_t i = 0, k = 0; i < c->noutlets; i++) {
    size_t n = fs_compare_outlet_docs(c, i);
    if (n < FS_COMPARE_FEW_DOCS) {
      fputs(k++ ? ", " : " ", out);
      esc(out, c->outlets[i]);
      fprintf(out, " %zu", n);
    }
  }
  fputc('.', out);
  if (c->small_sample)
    fputs(" Intervals and document-level tests need at least 2 documents "
          "per outlet; read single-document rates as descriptive.",
          out);
  if (c->few_docs)
    fprintf(out,
            " With fewer than %d documents an outlet's interval is too "
            "narrow (documents without a match give [0, 0]), and a "
            "permutation test cannot reach small p-values (0.1 at best "
            "with 3 documents a side): absence of evidence, not evidence "
            "of absence.",
            FS_COMPARE_FEW_DOCS);
  fputs("</p>\n", out);
}

static int section_outlets(const page *pg) {
  const fs_compare *c = pg->o->cmp;
  FILE *out = pg->out;
  fprintf(out,
          "<section id=\"outlets\" data-voice=\"%s\">\n<h2>How each outlet "
          "frames the story</h2>\n",
          c->voice == FS_VOICES ? "all" : fs_voice_name(c->voice));
  fprintf(out,
          "<p class=\"note\">Rates per 1,000 %s words, pooled over each "
          "outlet's documents. Whiskers: 95%% bootstrap intervals over "
          "documents",
          c->voice == FS_VOICES ? "" : voice_words(c->voice));
  if (pg->o->cmp_opts)
    fprintf(out, " (%ld resamples, seed %lu)", pg->o->cmp_opts->bootstrap,
            pg->o->cmp_opts->seed);
  fputs("; an outlet with one document has none. Hover a bar for its "
        "numbers.</p>\n",
        out);
  if (c->small_sample || c->few_docs)
    small_sample_warning(out, c);
  /* with a framing model its dimensions lead and the lexicon families go
   * with the categories below */
  bool dims = false;
  for (size_t k = 0; k < c->nmeasures; k++)
    dims |= overview_rank(c, k) == 1 && measure_used(c, k);
  fputs("<div class=\"grid\">\n", out);
  for (int rank = 0; rank <= (dims ? 1 : 3); rank++)
    for (size_t k = 0; k < c->nmeasures; k++) {
      if (overview_rank(c, k) != rank || (rank > 0 && !measure_used(c, k)))
        continue;
      const char *note =
          rank == 0 ? "loaded.*, label.*, attribution.*, evidence.* and "
                      "scare quotes: summed weights in the outlet's own voice"
                    : NULL;
      if (measure_chart(pg, k, rank == 0 ? 560 : 340, note))
        return FS_ERR_NOMEM;
    }
  fputs("</div>\n<details><summary>", out);
  fputs(dims ? "Lexicon families and categories" : "Every category", out);
  fputs("</summary>\n<div class=\"grid\">\n", out);
  for (int rank = dims ? 2 : 4; rank <= 4; rank++)
    for (size_t k = 0; k < c->nmeasures; k++) {
      int r = overview_rank(c, k);
      bool cat = c->measures[k].kind == FS_MEASURE_CATEGORY;
      if ((rank == 4 ? !cat || (dims && r >= 2) : r != rank) ||
          !measure_used(c, k))
        continue;
      if (measure_chart(pg, k, 340, NULL))
        return FS_ERR_NOMEM;
    }
  fputs("</div>\n</details>\n</section>\n", out);
  return FS_OK;
}

/* ---- keyness ------------------------------------------------------------- */

const char *fs_html_term_label(const fs_terms *t, uint32_t term, char *buf,
                               size_t cap) {
  char forms[256];
  fs_terms_forms(t, term, forms, sizeof forms);
  size_t n = strcspn(forms, " ;");
  if (n == 0 || t->surface)
    return fs_terms_name(t, term);
  snprintf(buf, cap, "%.*s", (int)n, forms);
  return buf;
}

/* The surface forms of a term joined by '|' ("claimed|claims"), into buf:
 * what the page looks for in the articles when its bar is clicked. */
static const char *term_forms(const fs_terms *t, uint32_t term, char *buf,
                              size_t cap) {
  char forms[256];
  if (t->surface) {
    snprintf(buf, cap, "%s", fs_terms_name(t, term));
    return buf;
  }
  fs_terms_forms(t, term, forms, sizeof forms);
  size_t o = 0;
  buf[0] = '\0';
  for (char *p = forms; *p && o + 1 < cap;) {
    size_t n = strcspn(p, ";");
    char *sp = memrchr(p, ' ', n); /* "form count" */
    size_t fl = sp ? (size_t)(sp - p) : n;
    if (fl && o + fl + 2 < cap) {
      if (o)
        buf[o++] = '|';
      memcpy(buf + o, p, fl);
      o += fl;
      buf[o] = '\0';
    }
    p += n;
    p += strspn(p, "; ");
  }
  return buf;
}

static int section_keyness(const page *pg) {
  const fs_terms *t = pg->o->terms;
  FILE *out = pg->out;
  long top = pg->o->top_terms > 0 ? pg->o->top_terms : 12;
  bar *bars = calloc((size_t)top, sizeof *bars);
  char(*labels)[128] = calloc((size_t)top, sizeof *labels);
  char(*forms_of)[256] = calloc((size_t)top, sizeof *forms_of);
  if (!bars || !labels || !forms_of) {
    free(bars), free(labels), free(forms_of);
    return FS_ERR_NOMEM;
  }
  fprintf(out, "<section id=\"keyness\" data-voice=\"%s\">\n",
          t->voice == FS_VOICES ? "all" : fs_voice_name(t->voice));
  fputs("<h2>Words that set each outlet apart</h2>\n"
        "<p class=\"note\">Log-odds ratio with an informative Dirichlet prior "
        "(Monroe, Colaresi &amp; Quinn 2008), each outlet against the rest: "
        "bars are z-scores of the terms the outlet uses most distinctively. "
        "Token-level statistics: words cluster within documents, so treat "
        "them as descriptive on small corpora.</p>\n<div class=\"grid\">\n",
        out);
  for (size_t i = 0; i < t->nrows;) {
    uint32_t a = t->rows[i].a;
    size_t n = 0, j = i;
    for (; j < t->nrows && t->rows[j].a == a; j++) {
      const fs_terms_row *r = &t->rows[j];
      if ((long)n >= top || !(r->z > 0))
        continue;
      char forms[256];
      fs_terms_forms(t, r->term, forms, sizeof forms);
      bar *b = &bars[n];
      b->label = fs_html_term_label(t, r->term, labels[n], sizeof labels[n]);
      b->v = r->z, b->lo = b->hi = NAN;
      b->color = outlet_index(pg, t->outlets[a]);
      if (pg->o->nitems) {
        b->forms = term_forms(t, r->term, forms_of[n], sizeof forms_of[n]);
        b->outlet = t->outlets[a];
      }
      snprintf(b->tip, sizeof b->tip,
               "%s '%s' (%s): z = %.2f, log-odds %.2f; %.0f times here "
               "(%.2f per 1,000) vs %.0f elsewhere (%.2f per 1,000); q = %.3g",
               t->surface ? "form" : "stem", fs_terms_name(t, r->term), forms,
               r->z, r->log_odds, r->count_a, r->rate_a, r->count_b, r->rate_b,
               r->q);
      n++;
    }
    char title[300];
    snprintf(title, sizeof title, "%s vs %s", t->outlets[a],
             t->rows[i].b == FS_NONE ? "the rest" : t->outlets[t->rows[i].b]);
    if (n)
      bar_panel(out, title, "z of the log-odds ratio", bars, n, 340);
    i = j;
  }
  fputs("</div>\n</section>\n", out);
  free(bars);
  free(labels);
  free(forms_of);
  return FS_OK;
}

/* ---- attribution stance -------------------------------------------------- */

static int section_actors(const page *pg, const size_t *cols, size_t ncols);

static int section_attribution(const page *pg) {
  const fs_compare *c = pg->o->cmp;
  const fs_lexicon *lex = c->lex;
  FILE *out = pg->out;
  size_t cols[64], ncols = 0;
  for (size_t k = 0; k < c->nmeasures && ncols < 64; k++) {
    const fs_measure *m = &c->measures[k];
    if (m->kind == FS_MEASURE_CATEGORY &&
        lex->cats[m->index].family == lex->attribution_fam)
      cols[ncols++] = k;
  }
  if (lex->attribution_fam == FS_NONE || ncols == 0)
    return FS_OK;
  fputs("<section id=\"attribution\">\n<h2>Attribution stance by outlet</h2>\n"
        "<p class=\"note\">How each outlet introduces what others say: "
        "matches of each attribution.* category",
        out);
  fprintf(out, " in %s words",
          c->voice == FS_VOICES ? "all" : voice_words(c->voice));
  fputs(", with the share of the outlet's attributions (shading) and the "
        "rate per 1,000 words on hover.</p>\n<table>\n<tr><th class=\"l\">"
        "outlet</th>",
        out);
  for (size_t j = 0; j < ncols; j++) {
    fputs("<th>", out);
    esc(out, c->measures[cols[j]].name + strlen("attribution."));
    fputs("</th>", out);
  }
  fputs("<th>all</th><th>words</th></tr>\n", out);
  for (size_t o = 0; o < c->noutlets; o++) {
    double cnt[64] = {0}, total = 0, words = 0;
    for (size_t i = 0; i < c->ndocs; i++) {
      if (c->docs[i].outlet != o)
        continue;
      words += fs_compare_doc_words(c, i);
      for (size_t j = 0; j < ncols; j++)
        cnt[j] += fs_compare_count(c, i, cols[j]);
    }
    for (size_t j = 0; j < ncols; j++)
      total += cnt[j];
    fprintf(out,
            "<tr><td class=\"l\"><span class=\"sw\" "
            "style=\"background:%s\"></span>",
            color_of(outlet_index(pg, c->outlets[o])));
    esc(out, c->outlets[o]);
    fputs("</td>", out);
    for (size_t j = 0; j < ncols; j++) {
      double share = total > 0 ? cnt[j] / total : 0;
      fprintf(out,
              "<td%s style=\"background:rgba(0,114,178,%.2f)\" "
              "title=\"%.0f of %.0f attributions (%.0f%%), %.2f per "
              "1,000 words\">%.0f <small>(%.0f%%)</small></td>",
              cnt[j] > 0 ? "" : " class=\"z\"", share * 0.55, cnt[j], total,
              100 * share, words > 0 ? 1000 * cnt[j] / words : 0.0, cnt[j],
              100 * share);
    }
    fprintf(out, "<td>%.0f</td><td>%.0f</td></tr>\n", total, words);
  }
  fputs("</table>\n", out);
  if (pg->o->actors && pg->o->nitems && section_actors(pg, cols, ncols))
    return FS_ERR_NOMEM;
  fputs("</section>\n", out);
  return FS_OK;
}

/* ---- actors x attribution stance ----------------------------------------- */

/* Counts [outlet][actor + 1 for "no actor found"][column] of the documents'
 * attribution matches whose speaker fs_actors_resolve() finds. */
static double *actor_counts(const page *pg, const int *colof, size_t ncols,
                            size_t na, int voice) {
  const fs_html_opts *o = pg->o;
  double *n = calloc(pg->noutlets * na * ncols + 1, sizeof *n);
  for (size_t i = 0; n && i < o->nitems; i++) {
    const fs_doc *d = o->items[i].doc;
    fs_mention *ms = NULL;
    fs_attribution *at = NULL;
    size_t nm = 0, nat = 0;
    if (!d)
      continue;
    if (fs_actors_resolve(o->actors, pg->lex, d, voice, &ms, &nm, &at, &nat)) {
      free(n);
      return NULL;
    }
    size_t g = outlet_index(pg, o->items[i].outlet);
    for (size_t k = 0; k < nat; k++) {
      int col = colof[d->matches[at[k].match].category];
      size_t a = at[k].actor == FS_NONE ? na - 1 : at[k].actor;
      if (col >= 0)
        n[(g * na + a) * ncols + (size_t)col]++;
    }
    free(ms);
    free(at);
  }
  return n;
}

static void actor_row(const page *pg, size_t g, size_t a, size_t na,
                      const double *row, size_t ncols, size_t span) {
  FILE *out = pg->out;
  double total = 0;
  for (size_t j = 0; j < ncols; j++)
    total += row[j];
  fputs("<tr>", out);
  if (span) {
    fprintf(out,
            "<td class=\"l\" rowspan=\"%zu\"><span class=\"sw\" "
            "style=\"background:%s\"></span>",
            span, color_of(g));
    esc(out, pg->outlets[g]);
    fputs("</td>", out);
  }
  fputs("<td class=\"l\">", out);
  if (a + 1 == na) {
    fputs("<i>no actor found</i>", out);
  } else {
    const fs_actor *ac = fs_actors_get(pg->o->actors, a);
    esc(out, ac->id);
    fputs(" <small>(", out);
    esc(out, ac->side);
    fputs(")</small>", out);
  }
  fputs("</td>", out);
  for (size_t j = 0; j < ncols; j++) {
    double share = total > 0 ? row[j] / total : 0;
    fprintf(out,
            "<td%s style=\"background:rgba(0,114,178,%.2f)\" "
            "title=\"%.0f of %.0f attributions (%.0f%%)\">%.0f</td>",
            row[j] > 0 ? "" : " class=\"z\"", share * 0.55, row[j], total,
            100 * share, row[j]);
  }
  fprintf(out, "<td>%.0f</td></tr>\n", total);
}

/* Per outlet, per actor: how often each attribution category introduces
 * what the actor says ("Kirby said" vs "Kirby claimed"). */
static int section_actors(const page *pg, const size_t *cols, size_t ncols) {
  const fs_compare *c = pg->o->cmp;
  const fs_lexicon *lex = pg->lex;
  FILE *out = pg->out;
  size_t na = fs_actors_count(pg->o->actors) + 1;
  int *colof = malloc((lex->ncats + 1) * sizeof *colof);
  if (!colof)
    return FS_ERR_NOMEM;
  for (size_t i = 0; i < lex->ncats; i++)
    colof[i] = -1;
  for (size_t j = 0; j < ncols; j++)
    colof[c->measures[cols[j]].index] = (int)j;
  double *n = actor_counts(pg, colof, ncols, na, c->voice);
  free(colof);
  if (!n)
    return FS_ERR_NOMEM;
  fputs("<h3>Who is said to say what</h3>\n<p class=\"note\">The speaker of "
        "each attribution verb: the nearest actor before it in its sentence "
        "(\"Kirby claimed\"), after it when a quotation ends just before "
        "(\"..., said Kirby\"), or the last person or group a pronoun refers "
        "to.</p>\n<table>\n<tr><th class=\"l\">outlet</th><th class=\"l\">"
        "actor (side)</th>",
        out);
  for (size_t j = 0; j < ncols; j++) {
    fputs("<th>", out);
    esc(out, c->measures[cols[j]].name + strlen("attribution."));
    fputs("</th>", out);
  }
  fputs("<th>all</th></tr>\n", out);
  for (size_t g = 0; g < pg->noutlets; g++) {
    size_t rows = 0;
    for (size_t a = 0; a < na; a++)
      for (size_t j = 0; j < ncols; j++)
        if (n[(g * na + a) * ncols + j] > 0) {
          rows++;
          break;
        }
    size_t first = rows;
    for (size_t a = 0; a < na; a++) {
      const double *row = &n[(g * na + a) * ncols];
      bool any = false;
      for (size_t j = 0; j < ncols; j++)
        any |= row[j] > 0;
      if (!any)
        continue;
      actor_row(pg, g, a, na, row, ncols, first);
      first = 0;
    }
  }
  fputs("</table>\n", out);
  free(n);
  return FS_OK;
}

/* ---- documents ----------------------------------------------------------- */

static int cmp_rank(const void *a, const void *b) {
  const fs_report_item *x = *(fs_report_item *const *)a;
  const fs_report_item *y = *(fs_report_item *const *)b;
  double sx = x->doc->stats.loaded_score, sy = y->doc->stats.loaded_score;
  if (sx != sy)
    return sx < sy ? 1 : -1;
  int c = strcmp(x->path, y->path);
  return c ? c : (x > y) - (x < y); /* the same name twice: as they came */
}

static int section_ranking(const page *pg) {
  const fs_html_opts *o = pg->o;
  FILE *out = pg->out;
  const fs_report_item **r = malloc((o->nitems + 1) * sizeof *r);
  if (!r)
    return FS_ERR_NOMEM;
  size_t n = 0;
  double max = 0;
  for (size_t i = 0; i < o->nitems; i++)
    if (o->items[i].doc) {
      r[n++] = &o->items[i];
      max = fmax(max, o->items[i].doc->stats.loaded_score);
    }
  qsort(r, n, sizeof *r, cmp_rank);
  fputs("<section id=\"documents\">\n<h2>Documents by loaded language in "
        "their own voice</h2>\n<table>\n<tr><th>rank</th><th class=\"l\">"
        "loaded score per 1,000 author words</th><th>author words</th>"
        "<th>quoted</th><th>scare quotes</th><th class=\"l\">outlet</th>"
        "<th class=\"l\">document</th></tr>\n",
        out);
  size_t listed = n - pg->hidden + FS_HTML_LIST_MAX;
  for (size_t i = 0; i < n && i < listed; i++) {
    const fs_doc_stats *st = &r[i]->doc->stats;
    size_t words = st->words[0] + st->words[1];
    size_t idx = (size_t)(r[i] - o->items);
    fprintf(out,
            "<tr><td>%zu</td><td class=\"l\"><span class=\"bar\" "
            "style=\"width:%.0fpx\"></span>%.2f</td><td>%zu</td>"
            "<td>%.1f%%</td><td>%zu</td><td class=\"l nw\">",
            i + 1, max > 0 ? 160 * st->loaded_score / max : 0.0,
            st->loaded_score, st->words[0],
            words ? 100.0 * (double)st->words[1] / (double)words : 0.0,
            st->scare_quotes);
    if (r[i]->outlet && *r[i]->outlet) {
      fprintf(out, "<span class=\"sw\" style=\"background:%s\"></span>",
              color_of(outlet_index(pg, r[i]->outlet)));
      esc(out, r[i]->outlet);
    }
    if (pg->shown[idx]) {
      fprintf(out, "</td><td class=\"l\"><a href=\"#doc-%zu\">", idx + 1);
    } else { /* not annotated here: its file */
      fputs("</td><td class=\"l\"><a class=\"file\" href=\"", out);
      esc_attr(out, r[i]->path);
      fputs("\">", out);
    }
    esc(out, r[i]->path);
    fputs("</a></td></tr>\n", out);
  }
  if (n > listed)
    fprintf(out,
            "<tr><td></td><td class=\"l\" colspan=\"6\">&hellip; and %zu "
            "more documents: every number is in the CSV (--format csv)"
            "</td></tr>\n",
            n - listed);
  fputs("</table>\n</section>\n", out);
  free(r);
  return FS_OK;
}

/* The family whose colour a match cluster takes: the first match that is
 * not a modifier (negator, intensifier), else the first. */
static uint32_t cluster_family(const fs_lexicon *lex, const fs_doc *d,
                               const uint32_t *ms, size_t n) {
  for (size_t i = 0; i < n; i++) {
    uint32_t f = lex->cats[d->matches[ms[i]].category].family;
    if (f != lex->negator_fam && f != lex->intensifier_fam)
      return f;
  }
  return lex->cats[d->matches[ms[0]].category].family;
}

/* A token's bytes (a window's tokens carry the document's offsets:
 * text_base, 0 for a whole document). */
static const char *tok_bytes(const fs_doc *d, const fs_tok *t) {
  return d->text + (t->byte_start - d->text_base);
}

static void token_attr(FILE *out, const fs_doc *d, uint32_t k) {
  const fs_tok *t = &d->tokens[k];
  esc_n(out, tok_bytes(d, t), t->byte_end - t->byte_start, true);
}

/* <mark> for matches ms[0..n) that overlap: class by family, a title with
 * every match's category, pattern, voice, weight and negation. */
static void open_mark(FILE *out, const fs_lexicon *lex, const fs_doc *d,
                      const uint32_t *ms, size_t n) {
  bool neg = false, neutral = true;
  for (size_t i = 0; i < n; i++) {
    neg |= d->matches[ms[i]].negated;
    neutral &= d->matches[ms[i]].weight == 0;
  }
  fprintf(out, "<mark class=\"f%u%s%s%s\" data-cats=\"",
          cluster_family(lex, d, ms, n), n > 1 ? " multi" : "",
          neg ? " neg" : "", neutral ? " w0" : "");
  for (size_t i = 0; i < n; i++) {
    fputs(i ? " " : "", out);
    esc_attr(out, lex->cats[d->matches[ms[i]].category].name);
  }
  fputs("\" title=\"", out);
  for (size_t i = 0; i < n; i++) {
    const fs_match *m = &d->matches[ms[i]];
    fputs(i ? "&#10;&#10;" : "", out);
    esc_attr(out, lex->cats[m->category].name);
    fputs("&#10;pattern: ", out);
    esc_attr(out,
             m->entry == FS_NONE ? "\"...\"" : lex->entries[m->entry].pattern);
    fprintf(out, "&#10;voice: %s&#10;weight: %g", fs_voice_name(m->voice),
            m->weight);
    if (m->negated && m->negator != FS_NONE) {
      fputs("&#10;negated by: ", out);
      token_attr(out, d, m->negator);
    }
    if (m->intensifier != FS_NONE) {
      fputs("&#10;intensified by: ", out);
      token_attr(out, d, m->intensifier);
    }
  }
  fputs("\">", out);
}

/* 0 author, 1 quoted speech, 2 scare quote (author voice). */
static int voice_class(const fs_tok *t) {
  if (t->flags & FS_TOKF_SCARE)
    return 2;
  return t->voice == FS_VOICE_QUOTE ? 1 : 0;
}

static void open_voice(FILE *out, int v) {
  if (v == 1)
    fputs("<span class=\"q\" title=\"quoted speech: not the outlet's own "
          "voice\">",
          out);
  else if (v == 2)
    fputs("<span class=\"sq\" title=\"scare quote: a short quoted span "
          "that no attribution introduces, the author's own framing "
          "(category scare_quote, author voice, weight 1)\">",
          out);
}

static int cmp_u32_match(const void *a, const void *b, void *dp) {
  const fs_doc *d = dp;
  const fs_match *x = &d->matches[*(const uint32_t *)a];
  const fs_match *y = &d->matches[*(const uint32_t *)b];
  if (x->tok_start != y->tok_start)
    return x->tok_start < y->tok_start ? -1 : 1;
  return (y->tok_end > x->tok_end) - (y->tok_end < x->tok_end);
}

/* Groups the matches (scare quotes aside: they are drawn as spans) into
 * clusters of overlapping token ranges; cl[token] = cluster or FS_NONE;
 * cluster c holds ms[start[c] .. start[c + 1]). */
static void clusters(const fs_lexicon *lex, const fs_doc *d, uint32_t *cl,
                     uint32_t *ms, uint32_t *start) {
  size_t n = 0, nc = 0;
  for (size_t i = 0; i < d->ntokens; i++)
    cl[i] = FS_NONE;
  for (size_t i = 0; i < d->nmatches; i++)
    if (d->matches[i].category != lex->scare_cat)
      ms[n++] = (uint32_t)i;
  qsort_r(ms, n, sizeof *ms, cmp_u32_match, (void *)d);
  uint32_t end = 0;
  for (size_t i = 0; i < n; i++) {
    const fs_match *m = &d->matches[ms[i]];
    if (nc == 0 || m->tok_start >= end) {
      start[nc++] = (uint32_t)i;
      end = m->tok_end;
    } else if (m->tok_end > end) {
      end = m->tok_end;
    }
    for (uint32_t k = m->tok_start; k < m->tok_end; k++)
      cl[k] = (uint32_t)nc - 1;
  }
  start[nc] = (uint32_t)n;
}

/* The text, paragraph by paragraph: spans for quoted speech and scare
 * quotes, marks for matches, properly nested (a mark closes and reopens at
 * a voice change, everything closes at a paragraph end). A document's
 * tokens may come in several pieces (the windows of a long document, cut
 * at paragraph ends): s carries what is open from one to the next. */
void fs_html_text_begin(FILE *out, fs_html_text *s) {
  *s = (fs_html_text){0, FS_NONE, false, 0};
  fputs("<div class=\"text\"><p>", out);
}

int fs_html_text_add(FILE *out, const fs_lexicon *lex, const fs_doc *d,
                     fs_html_text *s) {
  size_t nt = d->ntokens;
  uint32_t *cl = malloc((nt + 1) * sizeof *cl);
  uint32_t *ms = malloc((d->nmatches + 1) * sizeof *ms);
  uint32_t *start = malloc((d->nmatches + 2) * sizeof *start);
  if (!cl || !ms || !start) {
    free(cl), free(ms), free(start);
    return FS_ERR_NOMEM;
  }
  clusters(lex, d, cl, ms, start);
  for (size_t i = 0; i < nt; i++) {
    const fs_tok *t = &d->tokens[i];
    int v = voice_class(t);
    uint32_t para = fs_tok_para(d, t);
    bool newp = s->any && para != s->para;
    /* a piece's clusters are its own: its first token closes the last
     * piece's mark (a new paragraph) */
    if (s->cur_c != FS_NONE &&
        (i == 0 || cl[i] != s->cur_c || newp || v != s->cur_v)) {
      fputs("</mark>", out);
      s->cur_c = FS_NONE;
    }
    if (s->cur_v && (v != s->cur_v || newp)) {
      fputs("</span>", out);
      s->cur_v = 0;
    }
    /* the text between tokens as written (hyphens, spaces), not a space:
     * "so-called" stays so-called (a piece starts a paragraph) */
    if (newp)
      fputs("</p>\n<p>", out);
    else if (i > 0 && t->byte_start > d->tokens[i - 1].byte_end)
      esc_n(out, tok_bytes(d, &d->tokens[i - 1]) + (d->tokens[i - 1].byte_end -
                                                    d->tokens[i - 1].byte_start),
            t->byte_start - d->tokens[i - 1].byte_end, false);
    if (v && v != s->cur_v) {
      open_voice(out, v);
      s->cur_v = v;
    }
    if (cl[i] != FS_NONE && cl[i] != s->cur_c) {
      open_mark(out, lex, d, ms + start[cl[i]], start[cl[i] + 1] - start[cl[i]]);
      s->cur_c = cl[i];
    }
    esc_n(out, tok_bytes(d, t), t->byte_end - t->byte_start, false);
    s->any = true;
    s->para = para;
  }
  free(cl), free(ms), free(start);
  return FS_OK;
}

void fs_html_text_end(FILE *out, fs_html_text *s) {
  if (s->cur_c != FS_NONE)
    fputs("</mark>", out);
  if (s->cur_v)
    fputs("</span>", out);
  fputs("</p></div>\n", out);
  s->cur_c = FS_NONE;
  s->cur_v = 0;
}

static int doc_text(const page *pg, const fs_doc *d) {
  fs_html_text s;
  fs_html_text_begin(pg->out, &s);
  if (fs_html_text_add(pg->out, pg->lex, d, &s))
    return FS_ERR_NOMEM;
  fs_html_text_end(pg->out, &s);
  return FS_OK;
}

static void doc_header(const page *pg, const fs_report_item *it, size_t idx) {
  FILE *out = pg->out;
  const fs_lexicon *lex = pg->lex;
  const fs_doc_stats *st = &it->doc->stats;
  size_t words = st->words[0] + st->words[1];
  fprintf(out, "<article class=\"doc\" id=\"doc-%zu\" data-outlet=\"", idx + 1);
  esc_attr(out, outlet_label(it->outlet));
  fputs("\">\n<h3>", out);
  esc(out, it->path);
  if (it->outlet && *it->outlet) {
    fprintf(out, " <small><span class=\"sw\" style=\"background:%s\"></span>",
            color_of(outlet_index(pg, it->outlet)));
    esc(out, it->outlet);
    fputs("</small>", out);
  }
  fputs("</h3>\n<p class=\"meta\">", out);
  if (lex->nlangs > 1) { /* a mixed corpus: which language this one was */
    fputs("language: ", out);
    esc(out, it->doc->lang);
    fputs(" &middot; ", out);
  }
  fprintf(out,
          "%zu words: %zu author voice, %zu "
          "quoted (%.1f%%) &middot; %zu sentences &middot; %zu "
          "quotations &middot; %zu scare quotes &middot; <b>loaded "
          "score %.2f</b> per 1,000 words (quoted speech at %g)",
          words, st->words[0], st->words[1],
          words ? 100.0 * (double)st->words[1] / (double)words : 0.0,
          st->sentences, st->quotes, st->scare_quotes, st->loaded_score,
          fs_lexicon_quote_weight(lex));
  if (st->invalid_utf8 || st->nul_bytes)
    fprintf(out,
            " &middot; %zu invalid UTF-8 sequences and %zu NUL bytes "
            "replaced",
            st->invalid_utf8, st->nul_bytes);
  fputs("</p>\n<p class=\"chips\">", out);
  for (size_t c = 0; c < lex->ncats; c++) {
    size_t a = st->matches[c * FS_VOICES], q = st->matches[c * FS_VOICES + 1];
    if (!a && !q)
      continue;
    fprintf(out,
            "<span class=\"chip drill f%u\" tabindex=\"0\" role=\"button\" "
            "title=\"author voice %zu, quoted %zu (click: its hits in every "
            "article)\" data-cats=\"",
            lex->cats[c].family, a, q);
    esc_attr(out, lex->cats[c].name);
    fputs("\">", out);
    esc(out, lex->cats[c].name);
    fprintf(out, " %zu", a);
    if (q)
      fprintf(out, " <i>+%zu quoted</i>", q);
    fputs("</span>", out);
  }
  fputs("</p>\n", out);
}

static void legend(const page *pg) {
  FILE *out = pg->out;
  const fs_lexicon *lex = pg->lex;
  fputs("<p class=\"legend\"><b>Highlight:</b> ", out);
  for (size_t f = 0; f < lex->nfamilies; f++) {
    if (family_size(lex, (uint32_t)f) == 0)
      continue;
    fprintf(out,
            "<label><input type=\"checkbox\" checked data-fam=\"f%zu\">"
            "<span class=\"chip f%zu\">",
            f, f);
    esc(out, lex->families[f]);
    fputs("</span></label>", out);
  }
  fputs("<label><input type=\"checkbox\" checked id=\"show-quotes\"><span "
        "class=\"q\">quoted speech</span></label><span class=\"sq\">scare "
        "quote</span></p>\n<p class=\"note\">Hover a highlighted word for its "
        "category, lexicon pattern, voice, weight and negation. Underlined "
        "without a tint: a neutral entry (weight 0, such as 'said'); framed: "
        "several "
        "categories; the underline's style tells the families apart "
        "without colour; struck through: negated.</p>\n",
        out);
}

/* An article's text written ahead into a spool file. */
static int copy_spooled(FILE *out, FILE *spool, const fs_html_spooled *sp) {
  char buf[65536];
  if (fflush(spool) || fseeko(spool, (off_t)sp->off, SEEK_SET))
    return FS_ERR_IO;
  for (size_t left = sp->len; left;) {
    size_t want = left < sizeof buf ? left : sizeof buf;
    if (fread(buf, 1, want, spool) != want || fwrite(buf, 1, want, out) != want)
      return FS_ERR_IO;
    left -= want;
  }
  return FS_OK;
}

static int section_articles(const page *pg) {
  const fs_html_opts *o = pg->o;
  FILE *out = pg->out;
  fprintf(out,
          "<section id=\"articles\" data-hidden=\"%zu\">\n<h2>The "
          "articles, annotated</h2>\n",
          pg->hidden);
  if (pg->hidden)
    fprintf(out,
            "<p class=\"warn\">The %zu documents with the highest "
            "loaded-language scores are annotated here; the other %zu are "
            "in the document table (linked to their files) and in the CSV "
            "(--html-docs N shows more). Charts and tables count every "
            "document; the hits a chart opens are those in the articles "
            "shown.</p>\n",
            o->nitems - pg->hidden, pg->hidden);
  legend(pg);
  /* grouped by outlet, in order of first appearance */
  for (size_t g = 0; g < pg->noutlets; g++) {
    bool heading = false;
    for (size_t i = 0; i < o->nitems; i++) {
      const fs_report_item *it = &o->items[i];
      if (!it->doc || !pg->shown[i] ||
          strcmp(outlet_label(it->outlet), pg->outlets[g]))
        continue;
      if (!heading && (pg->noutlets > 1 || (it->outlet && *it->outlet))) {
        fprintf(out,
                "<h3 class=\"group\"><span class=\"sw\" "
                "style=\"background:%s\"></span>",
                color_of(g));
        esc(out, pg->outlets[g]);
        fputs("</h3>\n", out);
      }
      heading = true;
      doc_header(pg, it, i);
      if (o->spooled && o->spooled[i].len) {
        if (copy_spooled(out, o->text_spool, &o->spooled[i]))
          return FS_ERR_IO;
      } else if (doc_text(pg, it->doc)) {
        return FS_ERR_NOMEM;
      }
      fputs("</article>\n", out);
    }
  }
  fputs("</section>\n", out);
  return FS_OK;
}

/* ---- the page ------------------------------------------------------------ */

static int collect_outlets(page *pg) {
  const fs_html_opts *o = pg->o;
  size_t cap = (o->cmp ? o->cmp->noutlets : 0) + o->nitems + 1;
  pg->outlets = malloc(cap * sizeof *pg->outlets);
  if (!pg->outlets)
    return FS_ERR_NOMEM;
  for (size_t i = 0; o->cmp && i < o->cmp->noutlets; i++)
    pg->outlets[pg->noutlets++] = o->cmp->outlets[i];
  for (size_t i = 0; i < o->nitems; i++) {
    const char *name = outlet_label(o->items[i].outlet);
    bool seen = false;
    for (size_t k = 0; k < pg->noutlets && !seen; k++)
      seen = !strcmp(pg->outlets[k], name);
    if (!seen)
      pg->outlets[pg->noutlets++] = name;
  }
  return FS_OK;
}

static void page_meta(const page *pg) {
  FILE *out = pg->out;
  const fs_html_opts *o = pg->o;
  size_t docs = 0, entries = 0;
  for (size_t i = 0; i < o->nitems; i++)
    docs += o->items[i].doc != NULL;
  if (o->cmp && !o->nitems)
    docs = o->cmp->ndocs;
  for (size_t i = 0; pg->lex && i < pg->lex->nentries; i++)
    entries += pg->lex->entries[i].active;
  fprintf(out, "<p class=\"meta\">framescore %s &middot; %zu documents",
          FS_VERSION, docs);
  bool named = pg->noutlets > 1 ||
               (pg->noutlets == 1 && strcmp(pg->outlets[0], "(none)"));
  if (named)
    fprintf(out, " from %zu outlets", pg->noutlets);
  if (pg->lex)
    fprintf(out, " &middot; lexicons: %zu entries in %zu categories (%s)",
            entries, pg->lex->ncats, pg->lex->lang);
  fputs("</p>\n<nav>", out);
  if (o->cmp && named)
    fputs("<a href=\"#outlets\">outlets</a>", out);
  if (o->terms && o->terms->noutlets > 1)
    fputs("<a href=\"#keyness\">distinctive words</a>", out);
  if (o->cmp && named && pg->lex->attribution_fam != FS_NONE)
    fputs("<a href=\"#attribution\">attribution</a>", out);
  if (o->nitems)
    fputs("<a href=\"#documents\">documents</a><a href=\"#articles\">"
          "articles</a>",
          out);
  fputs("</nav>\n</header>\n<main>\n", out);
}

/* The panel the drill-down fills (report pages, with articles). */
static void hits_panel(FILE *out) {
  fputs("<aside id=\"hits\" hidden aria-live=\"polite\"><button "
        "id=\"hits-close\" type=\"button\" title=\"close (Esc)\">&times;"
        "</button><h2 id=\"hits-title\"></h2><p class=\"note\" "
        "id=\"hits-note\"></p><div id=\"hits-body\"></div></aside>\n",
        out);
}

static void page_end(FILE *out) {
  fputs("</main>\n<footer>\n<p><b>Reading this page.</b> Author voice is the "
        "outlet's own words; words inside quotation marks are quoted speech, "
        "which the category rates leave out. A scare "
        "quote (a short quoted span with no attribution in its sentence) is "
        "the author's own framing and counts as author voice. Rates are per "
        "1,000 words; the loaded-language score sums the lexicon weights of "
        "matches in loaded.*, label.*, attribution.*, "
        "evidence.* and scare quotes, the outlet's own voice at full weight "
        "and quoted speech (matches and words) at --quote-weight (default "
        "0.5). Made by framescore " FS_VERSION
        "; every number here is also available as CSV (--format csv).</p>\n"
        "</footer>\n<script>",
        out);
  for (size_t i = 0; js[i]; i++)
    fputs(js[i], out);
  fputs("</script>\n</body>\n</html>\n", out);
}

void fs_html_page_start(FILE *out, const char *title) {
  page pg = {.out = out};
  page_start(&pg, title);
  fprintf(out, "<p class=\"meta\">framescore %s</p>\n</header>\n<main>\n",
          FS_VERSION);
}

void fs_html_page_end(FILE *out) { page_end(out); }

void fs_html_page_head(FILE *out, const char *title, const char *styles) {
  page pg = {.out = out, .extra_css = styles};
  page_start(&pg, title);
}

const char *fs_html_family_color(const fs_lexicon *lex, size_t family) {
  return family_line[family_color(lex, family)];
}

/* One table cell of an outlet's top entries. */
static void top_cell(FILE *out, const fs_distinct *ds, size_t k,
                     int distinctive) {
  fs_distinct_entry top[5];
  size_t n = fs_distinct_top(ds, k, distinctive, top, 5);
  fputs("<td class=\"l\">", out);
  for (size_t j = 0; j < n; j++) {
    fputs(j ? ", " : "", out);
    fputs("<span title=\"", out);
    esc_attr(out, top[j].category);
    fprintf(out,
            ": %zu author-voice matches, %.0f%% beyond the rest of the "
            "corpus%s\">",
            top[j].matches, 100 * top[j].factor,
            top[j].event ? "; event vocabulary" : "");
    esc(out, top[j].pattern);
    fprintf(out, "</span> %.2f",
            distinctive ? top[j].distinctive : top[j].absolute);
  }
  fputs(n ? "</td>" : "&ndash;</td>", out);
}

/* Absolute and story-relative (distinctive) score per outlet, with the
 * entries that drive each. */
static int section_distinct(const page *pg) {
  const fs_distinct *ds = pg->o->distinct;
  FILE *out = pg->out;
  size_t n = fs_distinct_outlet_count(ds);
  size_t *order = malloc((n ? n : 1) * sizeof *order);
  if (!order)
    return FS_ERR_NOMEM;
  for (size_t k = 0; k < n; k++)
    order[k] = k;
  /* by absolute score, as the text report (insertion sort: few outlets) */
  for (size_t i = 1; i < n; i++)
    for (size_t j = i; j > 0; j--) {
      fs_distinct_outlet_info a, b;
      fs_distinct_outlet(ds, order[j - 1], &a);
      fs_distinct_outlet(ds, order[j], &b);
      if (a.absolute >= b.absolute)
        break;
      size_t t = order[j];
      order[j] = order[j - 1], order[j - 1] = t;
    }
  fputs("<section id=\"distinct\">\n<h2>What each outlet adds to the "
        "story</h2>\n<p class=\"note\">Per 1,000 author-voice words. "
        "<b>Absolute</b>: summed weights of the outlet's own framing; event "
        "vocabulary (the story's own words, such as &ldquo;terrorist&rdquo; "
        "in an attack) weighs 0. <b>Distinctive</b>: each entry counts only "
        "as far as the outlet uses it beyond the rate of the other outlets, "
        "so words every outlet uses for the story count about nothing. "
        "Hover an entry for its numbers.</p>\n<table class=\"t\"><tr><th "
        "class=\"l\">outlet</th><th>absolute</th><th class=\"l\">driven "
        "by</th><th>distinctive</th><th class=\"l\">driven by</th></tr>\n",
        out);
  for (size_t r = 0; r < n; r++) {
    fs_distinct_outlet_info o;
    fs_distinct_outlet(ds, order[r], &o);
    fputs("<tr><td class=\"l\">", out);
    esc(out, o.outlet);
    fprintf(out, "</td><td>%.2f</td>", o.absolute);
    top_cell(out, ds, order[r], 0);
    fprintf(out, "<td>%.2f</td>", o.distinctive);
    top_cell(out, ds, order[r], 1);
    fputs("</tr>\n", out);
  }
  fputs("</table>\n</section>\n", out);
  free(order);
  return FS_OK;
}

/* Which documents the page annotates: the max_docs highest scores. */
static int choose_shown(page *pg) {
  const fs_html_opts *o = pg->o;
  const fs_report_item **r = malloc((o->nitems + 1) * sizeof *r);
  pg->shown = calloc(o->nitems + 1, sizeof *pg->shown);
  if (!r || !pg->shown) {
    free(r);
    return FS_ERR_NOMEM;
  }
  size_t n = 0;
  for (size_t i = 0; i < o->nitems; i++)
    if (o->items[i].doc)
      r[n++] = &o->items[i];
  qsort(r, n, sizeof *r, cmp_rank);
  for (size_t i = 0; i < n; i++) {
    bool show = !o->max_docs || i < o->max_docs;
    pg->shown[r[i] - o->items] = show;
    pg->hidden += !show;
  }
  free(r);
  return FS_OK;
}

int fs_render_html(FILE *out, const fs_html_opts *o) {
  page pg = {.out = out, .o = o};
  pg.lex = o->cmp ? o->cmp->lex : o->ctx ? o->ctx->lex : NULL;
  if (collect_outlets(&pg) || choose_shown(&pg)) {
    free(pg.outlets);
    free(pg.shown);
    return FS_ERR_NOMEM;
  }
  int rc = FS_OK;
  page_start(&pg, o->title ? o->title : "framescore");
  page_meta(&pg);
  bool named =
      pg.noutlets > 1 || (pg.noutlets == 1 && strcmp(pg.outlets[0], "(none)"));
  if (o->cmp && o->cmp->ci && named)
    rc = section_outlets(&pg);
  if (rc == FS_OK && o->distinct && fs_distinct_usable(o->distinct))
    rc = section_distinct(&pg);
  if (rc == FS_OK && o->terms && o->terms->noutlets > 1)
    rc = section_keyness(&pg);
  if (rc == FS_OK && o->cmp && named)
    rc = section_attribution(&pg);
  if (rc == FS_OK && o->nitems && pg.lex)
    rc = section_ranking(&pg);
  if (rc == FS_OK && o->nitems && pg.lex)
    rc = section_articles(&pg);
  if (o->nitems && pg.lex)
    hits_panel(out);
  page_end(out);
  free(pg.outlets);
  free(pg.shown);
  return rc;
}
