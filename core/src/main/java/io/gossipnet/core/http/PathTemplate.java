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
    for (int i = 0; i < segments.size(); i++) {
      String s = segments.get(i);
      if (s.endsWith(":*}") && i != segments.size() - 1) {
        throw new IllegalArgumentException("a {name:*} segment must be last: " + template);
      }
    }
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

  /** The number of literal segments: more specific templates win when several match. */
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
