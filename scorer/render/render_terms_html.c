/* SPDX-License-Identifier: GPL-3.0-or-later */
/* render_terms_html.c - the terms shown by `terms --format html` -> one
 * self-contained page: a scatter per comparison (rate in one outlet against
 * the rest, coloured by lexicon family), the most distinctive terms of each
 * side by log-odds z, a search box, and each term's hits on a click. */
#include "internal.h"
#include "render_html.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PLOT 440      /* the scatter's inner square, px */
#define MARGIN_L 64   /* room for the y axis' labels */
#define MARGIN_B 44   /* room for the x axis' labels */
#define LABELLED 8    /* terms named on the plot per side */
#define GREY "#b8b8b8" /* terms no lexicon pattern matches */
#define IN_LEX "#444444" /* in a lexicon, no match seen (--counts) */

static const char *const css =
    ".tcmp{margin:1em 0}.tcmp[hidden]{display:none}"
    ".tctl{display:flex;flex-wrap:wrap;gap:1em;align-items:center;"
    "margin:.6em 0}.tctl input{font:inherit;padding:2px 6px;width:16em}"
    ".tlay{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}"
    ".tlay svg{background:#fff;border:1px solid #e2e2e2;border-radius:6px;"
    "max-width:100%;height:auto}"
    "circle.tp{cursor:pointer;stroke:#fff;stroke-width:.5}"
    "circle.tp:hover,circle.tp.hl{stroke:#000;stroke-width:2}"
    "circle.tp.hl{r:7px}svg .tlab{font-size:10.5px;fill:#222}"
    "svg .diag{stroke:#999;stroke-dasharray:4 3}"
    "svg .grid{stroke:#eee}"
    ".tl{cursor:pointer;color:#0b4f8a;text-decoration:underline dotted}"
    ".tl:hover{text-decoration:underline}"
    ".tlist td.l{max-width:14em;overflow-wrap:anywhere}"
    ".tkey .sw{border-radius:50%}"
    "#hits .hit a{margin-right:.5em}";

/* The page's script: comparison switch, search, hits on click; marks the
 * page loaded (data-fs-ready), and with #fs-selftest checks that every
 * listed term with hits shows them and every point has its data. */
static const char *const js[] = {
    "(function(){'use strict';\n",
    "var sel=document.getElementById('tcmp'),q=document.getElementById('tq'),"
    "panel=document.getElementById('hits'),data=document.getElementById("
    "'termdata');\n",
    "function cur(){return document.querySelector('.tcmp:not([hidden])');}\n",
    "var outlets=[],files={};if(data){Array.prototype.forEach.call("
    "data.querySelectorAll('#toutlets li'),function(l){"
    "outlets.push(l.textContent);});Array.prototype.forEach.call("
    "data.querySelectorAll('#tfiles li'),function(l){"
    "files[l.getAttribute('data-i')]=l.textContent;});}\n",
    "if(sel)sel.addEventListener('change',function(){"
    "Array.prototype.forEach.call(document.querySelectorAll('.tcmp'),"
    "function(s){s.hidden=s.getAttribute('data-cmp')!==sel.value;});"
    "find();});\n",
    "function el(t,c,x){var e=document.createElement(t);if(c)e.className=c;"
    "if(x!=null)e.textContent=x;return e;}\n",
    "function show(p,from){var d=document.getElementById('p'+p);"
    "if(!d||!panel)return 0;var body=document.getElementById('hits-body'),"
    "hs=d.querySelectorAll(':scope>p');body.textContent='';"
    "document.getElementById('hits-title').textContent="
    "d.getAttribute('data-term')+': '+d.getAttribute('data-seen')+"
    "(d.getAttribute('data-seen')==='1'?' occurrence':' occurrences');"
    "var t=from&&from.querySelector('title');"
    "document.getElementById('hits-note').textContent=(t?t.textContent:"
    "(from&&from.getAttribute('title'))||'')+(hs.length?' Shown: '+"
    "hs.length+' (the first of each outlet).':'');"
    "var by={},groups=[];Array.prototype.forEach.call(hs,function(h){"
    "var o=h.getAttribute('data-o');if(!by[o]){by[o]=[];groups.push(o);}"
    "by[o].push(h);});groups.forEach(function(o){"
    "body.appendChild(el('h3',null,outlets[o]||o));by[o].forEach(function(h){"
    "var r=el('div','hit'),f=files[h.getAttribute('data-f')]||'',"
    "a=el('a',null,f),v=h.getAttribute('data-v')==='q'?'quote':'author',"
    "k=el('div','kw');a.href=f;r.appendChild(a);"
    "r.appendChild(el('span','vb '+v,v));"
    "Array.prototype.forEach.call(h.childNodes,function(n){"
    "k.appendChild(n.cloneNode(true));});r.appendChild(k);"
    "body.appendChild(r);});});"
    "if(!hs.length)body.appendChild(el('p','note',data&&data.getAttribute("
    "'data-texts')==='0'?'Counts files hold no texts: run terms on the "
    "documents to see the hits.':'No hits in the voice counted.'));"
    "panel.hidden=false;panel.scrollTop=0;return hs.length;}\n",
    "document.addEventListener('click',function(e){var t=e.target.closest&&"
    "e.target.closest('[data-p]');if(t){e.preventDefault();"
    "show(t.getAttribute('data-p'),t);}});\n",
    "document.addEventListener('keydown',function(e){"
    "if(e.key==='Enter'&&e.target.getAttribute&&"
    "e.target.getAttribute('data-p'))show(e.target.getAttribute('data-p'),"
    "e.target);if(e.key==='Escape'&&panel)panel.hidden=true;});\n",
    "var c=document.getElementById('hits-close');"
    "if(c)c.addEventListener('click',function(){panel.hidden=true;});\n"
    /* search: a term (or the start of one, or a form) lights its points */
    "function find(){var s=cur(),w=q?q.value.trim().toLowerCase():'',n=0,"
    "first=null;if(!s)return;Array.prototype.forEach.call("
    "s.querySelectorAll('circle.tp'),function(p){var d=document."
    "getElementById('p'+p.getAttribute('data-p')),hit=w.length>0&&d&&("
    "d.getAttribute('data-term').toLowerCase().indexOf(w)===0||"
    "('|'+d.getAttribute('data-forms')+'|').indexOf('|'+w)>=0);"
    "p.classList.toggle('hl',hit);if(hit){n++;if(!first||d.getAttribute("
    "'data-term').toLowerCase()===w)first=p;p.parentNode.appendChild(p);}});"
    "var r=document.getElementById('tfound');if(r)r.textContent=w?n+' found'"
    ":'';return first;}\n",
    "if(q){q.addEventListener('input',find);q.addEventListener('keydown',"
    "function(e){if(e.key==='Enter'){var f=find();if(f)show(f.getAttribute("
    "'data-p'),f);}});}\n",
    "if(location.hash==='#fs-selftest'){var bad=[],n=0,ls=document."
    "querySelectorAll('.tl[data-p]');Array.prototype.forEach.call(ls,"
    "function(l){var p=l.getAttribute('data-p'),d=document.getElementById("
    "'p'+p),k=show(p,l);if(!d)bad.push('no data '+p);else if(d.getAttribute("
    "'data-seen')!=='0'&&data.getAttribute('data-texts')!=='0'&&!k)"
    "bad.push('no hits '+d.getAttribute('data-term'));n+=k;});"
    "Array.prototype.forEach.call(document.querySelectorAll('circle.tp'),"
    "function(p){if(!document.getElementById('p'+p.getAttribute('data-p')))"
    "bad.push('point without data');});if(q&&ls.length){q.value="
    "document.getElementById('p'+ls[0].getAttribute('data-p'))."
    "getAttribute('data-term');if(!find())bad.push('search finds nothing');"
    "q.value='';find();}document.documentElement.setAttribute("
    "'data-fs-selftest',(bad.length?'FAIL '+bad.slice(0,5).join('; '):"
    "'ok')+' terms='+ls.length+' hits='+n);}\n",
    "document.documentElement.setAttribute('data-fs-ready','1');\n",
    "})();\n",
    NULL};

static void esc(FILE *out, const char *s) { fs_html_escape(out, s, strlen(s)); }

static const char *point_color(const fs_terms_page *p,
                               const fs_terms_point *pt) {
  if (pt->family >= 0 && p->lex)
    return fs_html_family_color(p->lex, (size_t)pt->family);
  const fs_terms *t = p->terms;
  return t->in_lex && t->in_lex[pt->term] && !p->texts ? IN_LEX : GREY;
}

/* Rates per 1,000 words -> a log scale from lo to hi over PLOT px. */
typedef struct scale {
  double lo, hi; /* decades: 10^lo .. 10^hi */
} scale;

static double pos(const scale *s, double rate) {
  if (!(rate > 0))
    return 0; /* not used: on the axis */
  double v = (log10(rate) - s->lo) / (s->hi - s->lo);
  return PLOT * (v < 0 ? 0 : v > 1 ? 1 : v);
}

/* A small fixed offset from the term's name, so terms of the same counts
 * do not hide one another (the same on every run). */
static double jitter(const char *name, int axis) {
  uint64_t h = 1469598103934665603ull + (uint64_t)axis;
  for (const unsigned char *u = (const unsigned char *)name; *u; u++)
    h = (h ^ *u) * 1099511628211ull;
  return ((double)(h % 1000) / 999.0 - 0.5) * 6;
}

static void axis_ticks(FILE *out, const scale *s) {
  for (int d = (int)s->lo; d <= (int)s->hi; d++) {
    double x = MARGIN_L + PLOT * (d - s->lo) / (s->hi - s->lo);
    double y = PLOT * (1 - (d - s->lo) / (s->hi - s->lo));
    char lab[32];
    /* the lowest line is where a term an outlet never uses sits */
    snprintf(lab, sizeof lab, "%g", d == (int)s->lo ? 0 : pow(10, d));
    fprintf(out,
            "<line class=\"grid\" x1=\"%.1f\" y1=\"0\" x2=\"%.1f\" y2=\"%d\"/>"
            "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
            "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>"
            "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
            x, x, PLOT, MARGIN_L, y, MARGIN_L + PLOT, y, x, PLOT + 16, lab,
            MARGIN_L - 6, y + 4, lab);
  }
}

/* The scale of a comparison: every shown rate, in whole decades. */
static scale scale_of(const fs_terms_row *r, size_t n) {
  double lo = INFINITY, hi = -INFINITY;
  for (size_t i = 0; i < n; i++) {
    double v[2] = {r[i].rate_a, r[i].rate_b};
    for (int k = 0; k < 2; k++)
      if (v[k] > 0) {
        lo = fmin(lo, v[k]);
        hi = fmax(hi, v[k]);
      }
  }
  scale s = {-1, 2};
  if (isfinite(lo)) {
    s.lo = floor(log10(lo)) - 1;
    s.hi = ceil(log10(hi));
    if (s.hi <= s.lo)
      s.hi = s.lo + 1;
  }
  return s;
}

static void row_tip(FILE *out, const fs_terms *t, const fs_terms_row *r,
                    const char *a, const char *b) {
  char forms[256], buf[700];
  fs_terms_forms(t, r->term, forms, sizeof forms);
  snprintf(buf, sizeof buf, "%s (%s): z %.2f; %.0f in %s, %.3g/1k; %.0f "
           "in %s, %.3g/1k.",
           fs_terms_name(t, r->term), forms, r->z, r->count_a, a, r->rate_a,
           r->count_b, b, r->rate_b);
  esc(out, buf);
}

static void scatter(FILE *out, const fs_terms_page *p, const fs_terms_row *r,
                    size_t n, const char *a, const char *b) {
  const fs_terms *t = p->terms;
  scale s = scale_of(r, n);
  fprintf(out,
          "<svg viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
          "role=\"img\" aria-label=\"terms by rate: ",
          MARGIN_L + PLOT + 10, PLOT + MARGIN_B, MARGIN_L + PLOT + 10,
          PLOT + MARGIN_B);
  esc(out, a);
  fputs(" against ", out);
  esc(out, b);
  fputs("\">\n", out);
  axis_ticks(out, &s);
  fprintf(out,
          "<line class=\"diag\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"0\"/>"
          "<line class=\"axis\" x1=\"%d\" y1=\"0\" x2=\"%d\" y2=\"%d\"/>"
          "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n",
          MARGIN_L, PLOT, MARGIN_L + PLOT, MARGIN_L, MARGIN_L, PLOT, MARGIN_L,
          PLOT, MARGIN_L + PLOT, PLOT);
  fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">per 1,000 "
               "words in ", MARGIN_L + PLOT / 2, PLOT + 34);
  esc(out, b);
  fprintf(out, "</text><text x=\"12\" y=\"%d\" text-anchor=\"middle\" "
               "transform=\"rotate(-90 12 %d)\">per 1,000 words in ",
          PLOT / 2, PLOT / 2);
  esc(out, a);
  fputs("</text>\n", out);
  /* the weak first, so the distinctive ones are drawn on top */
  for (int pass = 0; pass < 2; pass++)
    for (size_t i = 0; i < n; i++) {
      bool strong = fabs(r[i].z) >= 1.96;
      if (strong != (pass == 1))
        continue;
      uint32_t pi = p->point_of[r[i].term];
      const char *name = fs_terms_name(t, r[i].term);
      double x = MARGIN_L + pos(&s, r[i].rate_b) + jitter(name, 0);
      double y = PLOT - pos(&s, r[i].rate_a) + jitter(name, 1);
      double op = 0.35 + 0.65 * fmin(fabs(r[i].z) / 4, 1);
      fprintf(out,
              "<circle class=\"tp\" data-p=\"%u\" cx=\"%.1f\" cy=\"%.1f\" "
              "r=\"%.1f\" fill=\"%s\" fill-opacity=\"%.2f\"><title>",
              pi, x, y, strong ? 4.5 : 3.2, point_color(p, &p->points[pi]),
              op);
      row_tip(out, t, &r[i], a, b);
      fputs("</title></circle>\n", out);
    }
  /* the most distinctive of each side named beside their points, where
   * the name does not run into one already written */
  double box[4 * LABELLED][4];
  size_t nbox = 0;
  for (size_t i = 0; i < n; i++) {
    bool top_a = i < LABELLED && r[i].z > 0;
    bool top_b = i + LABELLED >= n && r[i].z < 0;
    if (!top_a && !top_b)
      continue;
    char buf[128];
    const char *name = fs_terms_name(t, r[i].term);
    double x = MARGIN_L + pos(&s, r[i].rate_b) + jitter(name, 0);
    double y = PLOT - pos(&s, r[i].rate_a) + jitter(name, 1);
    bool left = x > MARGIN_L + PLOT * 0.75;
    const char *lab = fs_html_term_label(t, r[i].term, buf, sizeof buf);
    double w = 6.2 * (double)strlen(lab);
    double bx = left ? x - 7 - w : x + 7, by = y - 8;
    bool clash = false;
    for (size_t k = 0; k < nbox && !clash; k++)
      clash = bx < box[k][2] && box[k][0] < bx + w && by < box[k][3] &&
              box[k][1] < by + 12;
    if (clash || nbox == sizeof box / sizeof *box)
      continue;
    box[nbox][0] = bx, box[nbox][1] = by;
    box[nbox][2] = bx + w, box[nbox][3] = by + 12;
    nbox++;
    fprintf(out, "<text class=\"tlab\" x=\"%.1f\" y=\"%.1f\"%s>",
            left ? x - 7 : x + 7, y + 3.5,
            left ? " text-anchor=\"end\"" : "");
    esc(out, lab);
    fputs("</text>\n", out);
  }
  fputs("</svg>\n", out);
}

/* The `top` most distinctive terms of one side, as a table. */
static void side_list(FILE *out, const fs_terms_page *p,
                      const fs_terms_row *r, size_t n, bool side_a,
                      const char *a, const char *b) {
  const fs_terms *t = p->terms;
  fputs("<table class=\"tlist\"><caption>Most distinctive of <b>", out);
  esc(out, side_a ? a : b);
  fputs("</b></caption>\n<tr><th class=\"l\">term</th><th>z</th><th>"
        "count</th><th>vs</th></tr>\n",
        out);
  long shown = 0;
  for (size_t k = 0; k < n && shown < p->top; k++) {
    const fs_terms_row *x = side_a ? &r[k] : &r[n - 1 - k];
    if (side_a ? !(x->z > 0) : !(x->z < 0))
      break;
    char buf[128];
    uint32_t pi = p->point_of[x->term];
    fprintf(out,
            "<tr><td class=\"l\"><span class=\"sw\" style=\"background:%s\">"
            "</span><span class=\"tl\" tabindex=\"0\" role=\"button\" "
            "data-p=\"%u\" title=\"",
            point_color(p, &p->points[pi]), pi);
    row_tip(out, t, x, a, b);
    fputs("\">", out);
    esc(out, fs_html_term_label(t, x->term, buf, sizeof buf));
    fprintf(out, "</span></td><td>%.2f</td><td>%.0f</td><td>%.0f</td></tr>\n",
            x->z, side_a ? x->count_a : x->count_b,
            side_a ? x->count_b : x->count_a);
    shown++;
  }
  if (!shown)
    fputs("<tr><td class=\"l\" colspan=\"4\">none</td></tr>\n", out);
  fputs("</table>\n", out);
}

static void key(FILE *out, const fs_terms_page *p) {
  fputs("<p class=\"tkey note\">Colour: the lexicon family of the term's "
        "matches. ",
        out);
  bool *used = p->lex ? calloc(p->lex->nfamilies + 1, 1) : NULL;
  for (size_t i = 0; used && i < p->npoints; i++)
    if (p->points[i].family >= 0)
      used[p->points[i].family] = true;
  for (size_t f = 0; used && f < p->lex->nfamilies; f++) {
    if (!used[f])
      continue;
    fprintf(out, "<span class=\"nw\"><span class=\"sw\" style=\"background:"
                 "%s\"></span>",
            fs_html_family_color(p->lex, f));
    esc(out, p->lex->families[f]);
    fputs("</span> ", out);
  }
  free(used);
  if (!p->texts)
    fprintf(out, "<span class=\"nw\"><span class=\"sw\" style=\"background:"
                 "%s\"></span>a lexicon pattern can match it</span> ",
            IN_LEX);
  fprintf(out, "<span class=\"nw\"><span class=\"sw\" style=\"background:%s\">"
               "</span>no lexicon match</span>. Larger, darker points: "
               "|z| of 1.96 and more.</p>\n",
          GREY);
}

/* Each point's hits, hidden: the script shows them on a click. A hit
 * names its outlet and file by number (the lists come first), so the page
 * grows by its context, not by long names repeated. */
static int term_data(FILE *out, const fs_terms_page *p) {
  const fs_terms *t = p->terms;
  bool *used = calloc(p->nfiles + 1, sizeof *used);
  if (!used)
    return FS_ERR_NOMEM;
  fprintf(out, "<div id=\"termdata\" hidden data-texts=\"%d\">\n<ol "
               "id=\"toutlets\">",
          p->texts ? 1 : 0);
  for (size_t o = 0; o < t->noutlets; o++) {
    fputs("<li>", out);
    esc(out, t->outlets[o]);
    fputs("</li>", out);
  }
  fputs("</ol>\n<ol id=\"tfiles\">", out);
  for (size_t i = 0; i < p->npoints; i++)
    for (size_t h = 0; h < p->points[i].nhits; h++)
      if (p->points[i].hits[h].doc < p->nfiles)
        used[p->points[i].hits[h].doc] = true;
  for (size_t f = 0; f < p->nfiles; f++) {
    if (!used[f])
      continue;
    fprintf(out, "<li data-i=\"%zu\">", f);
    esc(out, p->files[f]);
    fputs("</li>", out);
  }
  free(used);
  fputs("</ol>\n", out);
  for (size_t i = 0; i < p->npoints; i++) {
    const fs_terms_point *pt = &p->points[i];
    char buf[128], forms[256];
    fs_terms_forms(t, pt->term, forms, sizeof forms);
    fprintf(out, "<div id=\"p%zu\" data-seen=\"%zu\" data-term=\"", i,
            pt->seen);
    esc(out, fs_html_term_label(t, pt->term, buf, sizeof buf));
    fputs("\" data-forms=\"", out);
    /* "form 3; forms 1" -> "form|forms" */
    for (char *f = forms; *f;) {
      size_t len = strcspn(f, ";");
      char *sp = memrchr(f, ' ', len);
      fs_html_escape(out, f, sp ? (size_t)(sp - f) : len);
      f += len;
      f += strspn(f, "; ");
      if (*f)
        fputc('|', out);
    }
    fputs("\">", out);
    for (size_t h = 0; h < pt->nhits; h++) {
      const fs_terms_hit *x = &pt->hits[h];
      fprintf(out, "<p data-o=\"%u\" data-f=\"%u\" data-v=\"%c\">",
              x->outlet, x->doc, x->voice == FS_VOICE_QUOTE ? 'q' : 'a');
      esc(out, x->left);
      fputs("<b>", out);
      esc(out, x->match);
      fputs("</b>", out);
      esc(out, x->right);
      fputs("</p>", out);
    }
    fputs("</div>\n", out);
  }
  fputs("</div>\n", out);
  return FS_OK;
}

int fs_render_terms_html(FILE *out, const fs_terms_page *p) {
  const fs_terms *t = p->terms;
  fs_html_page_head(out, p->title ? p->title : "framescore terms", css);
  double words = 0;
  size_t docs = 0;
  for (size_t o = 0; o < t->noutlets; o++)
    words += t->outlet_tokens[o], docs += t->outlet_docs[o];
  fprintf(out, "<p class=\"meta\">%zu documents with words in the %s voice"
               ", %.0f words, %zu outlets; %s; framescore %s</p>\n",
          docs, t->voice == FS_VOICES ? "any" : fs_voice_name(t->voice),
          words, t->noutlets, t->surface ? "surface forms" : "stems",
          FS_VERSION);
  fputs("</header>\n<main>\n<p class=\"note\">Each point is a term, placed "
        "by how often it occurs (per 1,000 words, log scales) in one outlet "
        "(up) and in the rest or the other outlet (across): terms above the "
        "dashed diagonal are used more by the first. Shown: the most "
        "frequent terms and the most distinctive of each side by the z of "
        "the log-odds ratio with an informative Dirichlet prior (Monroe, "
        "Colaresi &amp; Quinn 2008). Words cluster within documents: treat "
        "z as descriptive on small corpora. ",
        out);
  if (p->stop_words) {
    fputs("Function words are left out (", out);
    esc(out, p->stop_words);
    fputs("). ", out);
  } else {
    fputs("No stop words are left out. ", out);
  }
  fputs("Click a term for its hits; every row is in "
        "<code>terms --format csv</code>.</p>\n",
        out);
  /* the comparisons */
  size_t ncmp = 0;
  for (size_t i = 0; i < p->nrows; i++)
    ncmp += i == 0 || p->rows[i].a != p->rows[i - 1].a;
  fputs("<div class=\"tctl\">", out);
  if (ncmp > 1) {
    fputs("<label>Comparison <select id=\"tcmp\">", out);
    for (size_t i = 0, c = 0; i < p->nrows; i++) {
      if (i && p->rows[i].a == p->rows[i - 1].a)
        continue;
      fprintf(out, "<option value=\"%zu\">", c++);
      esc(out, t->outlets[p->rows[i].a]);
      fputs(" vs ", out);
      esc(out, p->rows[i].b == FS_NONE ? "the rest"
                                       : t->outlets[p->rows[i].b]);
      fputs("</option>", out);
    }
    fputs("</select></label>", out);
  }
  fputs("<label>Find a term <input id=\"tq\" type=\"search\" "
        "placeholder=\"a word or its start\" autocomplete=\"off\"></label>"
        "<span id=\"tfound\" class=\"note\"></span></div>\n",
        out);
  key(out, p);
  if (t->noutlets < 2)
    fputs("<p class=\"warn\">One outlet: the terms page compares outlets "
          "(or any manifest column, --group-by); every term of this one is "
          "placed against nothing.</p>\n",
          out);
  else if (!p->nrows)
    fputs("<p class=\"warn\">No terms to show: too few documents or words "
          "(or every word is a stop word).</p>\n",
          out);
  for (size_t i = 0, c = 0; i < p->nrows; c++) {
    size_t j = i;
    while (j < p->nrows && p->rows[j].a == p->rows[i].a)
      j++;
    const char *a = t->outlets[p->rows[i].a];
    const char *b = p->rows[i].b == FS_NONE ? "the rest"
                                            : t->outlets[p->rows[i].b];
    fprintf(out, "<section class=\"tcmp\" data-cmp=\"%zu\"%s>\n<h2>", c,
            c ? " hidden" : "");
    esc(out, a);
    fputs(" vs ", out);
    esc(out, b);
    fputs("</h2>\n<div class=\"tlay\">\n", out);
    scatter(out, p, p->rows + i, j - i, a, b);
    side_list(out, p, p->rows + i, j - i, true, a, b);
    side_list(out, p, p->rows + i, j - i, false, a, b);
    fputs("</div>\n</section>\n", out);
    i = j;
  }
  if (term_data(out, p))
    return FS_ERR_NOMEM;
  fputs("<aside id=\"hits\" hidden aria-live=\"polite\"><button "
        "id=\"hits-close\" type=\"button\" title=\"close (Esc)\">&times;"
        "</button><h2 id=\"hits-title\"></h2><p class=\"note\" "
        "id=\"hits-note\"></p><div id=\"hits-body\"></div></aside>\n"
        "</main>\n<footer>\n<p>Made by framescore " FS_VERSION
        ". Author voice is the outlet's own words; quoted speech is counted "
        "apart (--voice).</p>\n</footer>\n<script>",
        out);
  for (size_t i = 0; js[i]; i++)
    fputs(js[i], out);
  fputs("</script>\n</body>\n</html>\n", out);
  return ferror(out) ? FS_ERR_INPUT : FS_OK;
}
