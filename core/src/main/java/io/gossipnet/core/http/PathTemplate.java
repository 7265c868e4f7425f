package io.gossipnet.core.http;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A route such as {@code /v1/{genesisID}/block/{round}}: literal segments match themselves and
 * {@code {name}} segments match any one non-empty segment, whose value is captured. A trailing
 * {@code {name:*}} segment matches the rest of the path. Transports use it to dispatch registered
 * {@link HttpHandler}s the same way.
 */
public final class PathTemplate {
  private final String template;
  private final List<String> segments;

  private PathTemplate(String template) {
    this.template = template;
    this.segments = split(template);
    java.util.Set<String> names = new java.util.HashSet<>();
    for (int i = 0; i < segments.size(); i++) {
      String s = segments.get(i);
      boolean open = s.startsWith("{");
      if (open != s.endsWith("}") || s.indexOf('{', 1) >= 0) {
        throw new IllegalArgumentException("malformed segment '" + s + "' in " + template);
      }
      if (!open) {
        continue;
      }
      if (s.endsWith(":*}") && i != segments.size() - 1) {
        throw new IllegalArgumentException("a {name:*} segment must be last: " + template);
      }
      String name = s.endsWith(":*}") ? s.substring(1, s.length() - 3) : s.substring(1, s.length() - 1);
      if (name.isEmpty() || !names.add(name)) {
        throw new IllegalArgumentException("empty or repeated variable '" + name + "' in " + template);
      }
    }
  }

  /**
   * Compares how specific two templates are: segment by segment from the left, a literal beats a
   * variable, which beats a trailing {@code {name:*}}; at the first difference the more specific
   * wins; a template that stops where the other continues with {@code {name:*}} beats it.
   *
   * @return a positive number if this template is more specific than {@code other}, negative if
   *     less, zero if they rank the same
   */
  public int compareSpecificity(PathTemplate other) {
    int n = Math.min(segments.size(), other.segments.size());
    for (int i = 0; i < n; i++) {
      int c = Integer.compare(rank(segments.get(i)), rank(other.segments.get(i)));
      if (c != 0) {
        return c;
      }
    }
    if (segments.size() == other.segments.size()) {
      return 0;
    }
    // Two templates of different lengths match one path only when the longer ends in {name:*}
    // right after the shorter's last segment: then the shorter is the more specific.
    List<String> longer = segments.size() > n ? segments : other.segments;
    int sign = segments.size() > n ? 1 : -1;
    return rank(longer.get(n)) == 0 ? -sign : sign;
  }

  private static int rank(String segment) {
    if (!segment.startsWith("{")) {
      return 2;
    }
    return segment.endsWith(":*}") ? 0 : 1;
  }

  /**
   * Parses a template.
   *
   * @throws IllegalArgumentException if it does not start with '/'
   */
  public static PathTemplate parse(String template) {
    if (template == null || !template.startsWith("/")) {
      throw new IllegalArgumentException("path template must start with '/': " + template);
    }
    return new PathTemplate(template);
  }

  /** The template text. */
  public String template() {
    return template;
  }

  /** The number of literal segments. */
  public int literalSegments() {
    int n = 0;
    for (String s : segments) {
      if (!s.startsWith("{")) {
        n++;
      }
    }
    return n;
  }

  /** The captured variables if the path matches, else null. */
  public Map<String, String> match(String path) {
    List<String> parts = split(path);
    Map<String, String> vars = new HashMap<>();
    for (int i = 0; i < segments.size(); i++) {
      String seg = segments.get(i);
      if (seg.startsWith("{") && seg.endsWith(":*}")) {
        vars.put(seg.substring(1, seg.length() - 3), String.join("/", parts.subList(Math.min(i, parts.size()), parts.size())));
        return vars;
      }
      if (i >= parts.size()) {
        return null;
      }
      String part = parts.get(i);
      if (seg.startsWith("{") && seg.endsWith("}")) {
        if (part.isEmpty()) {
          return null;
        }
        vars.put(seg.substring(1, seg.length() - 1), part);
      } else if (!seg.equals(part)) {
        return null;
      }
    }
    return parts.size() == segments.size() ? vars : null;
  }

  private static List<String> split(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    if (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.isEmpty() ? List.of() : List.of(p.split("/", -1));
  }

  @Override
  public String toString() {
    return template;
  }
}
