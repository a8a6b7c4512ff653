package dev.cartan.cli.report;

/** HTML/XML text escaping for report fragments. */
public final class Html {
  private Html() {}

  /** Escapes {@code & < > " '} so the text is safe in element content and in quoted attributes. */
  public static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&':
          sb.append("&amp;");
          break;
        case '<':
          sb.append("&lt;");
          break;
        case '>':
          sb.append("&gt;");
          break;
        case '"':
          sb.append("&quot;");
          break;
        case '\'':
          sb.append("&#39;");
          break;
        default:
          // Control characters other than tab/newline are not allowed in XML 1.0.
          if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            sb.append('\uFFFD');
          } else {
            sb.append(c);
          }
      }
    }
    return sb.toString();
  }
}
