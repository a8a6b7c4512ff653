package dev.cartan.cli.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A self-contained HTML report page: inline CSS, inline SVG plots, sortable tables driven by a few lines of inline
 * script, a warnings list. It loads nothing from the network. The markup is well-formed XML (XHTML syntax), so
 * tests can parse it with a plain XML parser.
 */
public final class HtmlReport {
  private static final String CSS = String.join("\n",
      "body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}",
      "h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd}",
      "table{border-collapse:collapse;font-size:12px;margin:8px 0}",
      "th,td{border:1px solid #ddd;padding:3px 6px;text-align:right}th{background:#f3f3f3;cursor:pointer}",
      "td.t,th.t{text-align:left}.plots{display:flex;flex-wrap:wrap;gap:12px}",
      ".warn{color:#8a4b00}.meta{color:#555;font-size:12px}");

  // Sorts a table by the clicked column: numerically when both cells parse as numbers, else as text.
  private static final String SCRIPT = String.join("\n",
      "document.querySelectorAll('table.sortable').forEach(function(t){",
      " t.querySelectorAll('th').forEach(function(th,i){",
      "  th.addEventListener('click',function(){",
      "   var b=t.tBodies[0],rows=Array.prototype.slice.call(b.rows),asc=th.dataset.dir!=='asc';",
      "   rows.sort(function(x,y){var a=x.cells[i].textContent,c=y.cells[i].textContent,",
      "    p=parseFloat(a),q=parseFloat(c);",
      "    var r=(isNaN(p)||isNaN(q))?a.localeCompare(c):p-q;return asc?r:-r;});",
      "   rows.forEach(function(r){b.appendChild(r);});th.dataset.dir=asc?'asc':'desc';});});});");

  private final String title;
  private final List<String> meta = new ArrayList<>();
  private final StringBuilder body = new StringBuilder();
  private final List<String> warnings = new ArrayList<>();

  public HtmlReport(String title) {
    this.title = title;
  }

  /** A line of run metadata under the title (escaped). */
  public HtmlReport meta(String line) {
    meta.add(line);
    return this;
  }

  /** A section heading (escaped). */
  public HtmlReport heading(String text) {
    body.append("<h2>").append(Html.escape(text)).append("</h2>\n");
    return this;
  }

  /** A paragraph of text (escaped). */
  public HtmlReport paragraph(String text) {
    body.append("<p>").append(Html.escape(text)).append("</p>\n");
    return this;
  }

  /** A row of SVG plots, each produced by {@link Svg} (inserted as markup, not escaped). */
  public HtmlReport plots(List<String> svgs) {
    body.append("<div class=\"plots\">");
    for (String s : svgs) {
      body.append(s);
    }
    body.append("</div>\n");
    return this;
  }

  /**
   * A sortable table. Cells that are {@link Number}s are right-aligned and formatted with 6 significant digits;
   * null and non-finite numbers print as an empty cell (never "NaN"); other values are escaped text.
   */
  public HtmlReport table(String id, List<String> headers, List<List<Object>> rows) {
    body.append("<table class=\"sortable\" id=\"").append(Html.escape(id)).append("\"><thead><tr>");
    for (String h : headers) {
      body.append("<th>").append(Html.escape(h)).append("</th>");
    }
    body.append("</tr></thead><tbody>\n");
    for (List<Object> row : rows) {
      if (row.size() != headers.size()) {
        throw new IllegalArgumentException(
            "table " + id + ": a row has " + row.size() + " cells for " + headers.size() + " headers");
      }
      body.append("<tr>");
      for (Object cell : row) {
        if (cell instanceof Number) {
          body.append("<td>").append(Html.escape(number(((Number) cell).doubleValue()))).append("</td>");
        } else {
          body.append("<td class=\"t\">").append(Html.escape(cell == null ? "" : cell.toString())).append("</td>");
        }
      }
      body.append("</tr>\n");
    }
    body.append("</tbody></table>\n");
    return this;
  }

  /** A warning shown in the warnings section at the top (escaped). */
  public HtmlReport warning(String text) {
    warnings.add(text);
    return this;
  }

  /** The whole page. */
  public String render() {
    StringBuilder sb = new StringBuilder(body.length() + 4096);
    sb.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\"><head>")
        .append("<meta charset=\"utf-8\"/><title>").append(Html.escape(title)).append("</title>")
        .append("<style>").append(CSS).append("</style></head><body>\n");
    sb.append("<h1>").append(Html.escape(title)).append("</h1>\n");
    for (String m : meta) {
      sb.append("<div class=\"meta\">").append(Html.escape(m)).append("</div>\n");
    }
    if (!warnings.isEmpty()) {
      sb.append("<h2>Warnings</h2><ul class=\"warn\" id=\"warnings\">");
      for (String w : warnings) {
        sb.append("<li>").append(Html.escape(w)).append("</li>");
      }
      sb.append("</ul>\n");
    }
    sb.append(body);
    // The script is in CDATA-free form: it contains no '<' or '&', so it is valid in both HTML and XML.
    sb.append("<script>").append(SCRIPT).append("</script>\n</body></html>\n");
    return sb.toString();
  }

  static String number(double v) {
    if (!Double.isFinite(v)) {
      return "";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e9) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%.6g", v);
  }
}
