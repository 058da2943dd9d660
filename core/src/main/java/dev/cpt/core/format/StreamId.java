package dev.cpt.core.format;

import java.util.regex.Pattern;

/** The rule for data stream ids: {@code [a-z0-9][a-z0-9._-]{0,63}}. */
public final class StreamId {

    public static final String RULE = "[a-z0-9][a-z0-9._-]{0,63}";
    private static final Pattern PATTERN = Pattern.compile(RULE);

    private StreamId() {
    }

    public static boolean isValid(String id) {
        return id != null && PATTERN.matcher(id).matches();
    }
}
