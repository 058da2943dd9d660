package dev.cpt.app.prometheus;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough PromQL lexing to list the metric names an expression reads (the server itself is
 * the parser: {@link GrafanaDashboardTest} also runs every expression through a real Prometheus).
 */
final class PromQl {

    private PromQl() {
    }

    /** PromQL functions and aggregations (Prometheus 2.42), and Grafana's label_values(). */
    static final Set<String> FUNCTIONS = Set.of(
            "abs", "absent", "absent_over_time", "acos", "acosh", "asin", "asinh", "atan", "atanh", "avg_over_time",
            "ceil", "changes", "clamp", "clamp_max", "clamp_min", "cos", "cosh", "count_over_time", "day_of_month",
            "day_of_week", "day_of_year", "days_in_month", "deg", "delta", "deriv", "exp", "floor", "histogram_quantile",
            "holt_winters", "hour", "idelta", "increase", "irate", "label_join", "label_replace", "last_over_time", "ln",
            "log10", "log2", "max_over_time", "min_over_time", "minute", "month", "pi", "predict_linear",
            "present_over_time", "quantile_over_time", "rad", "rate", "resets", "round", "scalar", "sgn", "sin", "sinh",
            "sort", "sort_desc", "sqrt", "stddev_over_time", "stdvar_over_time", "sum_over_time", "tan", "tanh", "time",
            "timestamp", "vector", "year",
            "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk", "quantile",
            "label_values");

    static final Set<String> KEYWORDS = Set.of(
            "and", "or", "unless", "atan2", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right",
            "inf", "nan", "start", "end");

    private static final Pattern STRINGS = Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"|'(?:\\\\.|[^'\\\\])*'|`[^`]*`");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern COMMENTS = Pattern.compile("#[^\\n]*");
    private static final Pattern TOKENS = Pattern.compile(
            "(?<num>(?:0x[0-9a-fA-F]+|(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?)(?:ms|[smhdwy])*)"
                    + "|(?<id>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<call>\\s*\\()?");

    /** What an expression reads: metric names, and the function and aggregation names it calls. */
    record Names(Set<String> metrics, Set<String> calls) {
    }

    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((?:(.*),)?\\s*[a-zA-Z_][a-zA-Z0-9_]*\\s*\\)\\s*$", Pattern.DOTALL);

    static Names names(String expr) {
        Matcher lv = LABEL_VALUES.matcher(expr);
        if (lv.matches()) {
            // Grafana's label_values([series selector,] label): the label is no metric
            Names inner = lv.group(1) == null ? new Names(Set.of(), Set.of()) : names(lv.group(1));
            Set<String> calls = new LinkedHashSet<>(Set.of("label_values"));
            calls.addAll(inner.calls());
            return new Names(inner.metrics(), calls);
        }
        String s = STRINGS.matcher(expr).replaceAll(" ");
        s = COMMENTS.matcher(s).replaceAll(" ");
        s = MATCHERS.matcher(s).replaceAll(" ");
        s = RANGES.matcher(s).replaceAll(" ");
        s = GROUPING.matcher(s).replaceAll(" ");
        Set<String> metrics = new LinkedHashSet<>();
        Set<String> calls = new LinkedHashSet<>();
        Matcher m = TOKENS.matcher(s);
        while (m.find()) {
            String id = m.group("id");
            if (id == null) {
                continue;
            }
            if (m.group("call") != null) {
                calls.add(id);
            } else if (!KEYWORDS.contains(id.toLowerCase(Locale.ROOT))) {
                metrics.add(id);
            }
        }
        return new Names(metrics, calls);
    }
}
