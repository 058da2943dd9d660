package dev.cpt.core.store;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where things live in a checkpoint store (DESIGN.md):
 * <pre>
 *   &lt;store&gt;/main/&lt;step, 12 digits&gt;/   a main checkpoint, id {@code main-<step>}
 *   &lt;store&gt;/branches/&lt;id&gt;/            a decayed branch, id {@code b<seq, 6 digits>-f<fork step>}
 *   &lt;store&gt;/aliases.json                alias -> id, and the pinned ids
 * </pre>
 * Folders whose name starts with {@code .tmp-} are writes in progress (or abandoned by a crash):
 * never visible as checkpoints.
 */
public record StoreLayout(Path root) {

    public static final String MAIN = "main";
    public static final String BRANCHES = "branches";
    public static final String ALIASES = "aliases.json";
    public static final String MANIFEST = "manifest.json";
    public static final String MODEL = "model.safetensors";
    public static final String TMP = ".tmp-";

    /** What a checkpoint id and a file name inside a checkpoint may look like: no separators, no leading dot. */
    public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    public static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

    private static final Pattern MAIN_ID = Pattern.compile("main-(\\d{12})");
    private static final Pattern BRANCH_ID = Pattern.compile("b(\\d{6,18})-f(\\d+)");

    public StoreLayout {
        Objects.requireNonNull(root, "root");
    }

    public Path main() {
        return root.resolve(MAIN);
    }

    public Path branches() {
        return root.resolve(BRANCHES);
    }

    public Path aliases() {
        return root.resolve(ALIASES);
    }

    public Path mainCheckpoint(long step) {
        return main().resolve(stepName(step));
    }

    /** The folder of checkpoint {@code id}, or empty when the id is not well-formed (never a path outside the store). */
    public Optional<Path> dirOf(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            return Optional.empty();
        }
        var m = MAIN_ID.matcher(id);
        if (m.matches()) {
            return Optional.of(main().resolve(m.group(1)));
        }
        return Optional.of(branches().resolve(id));
    }

    public static String stepName(long step) {
        return String.format(Locale.ROOT, "%012d", step);
    }

    public static String mainId(long step) {
        return "main-" + stepName(step);
    }

    /** Branch ids sort in creation order: {@code seq} counts the branches of this store. */
    public static String branchId(long seq, long forkStep) {
        return String.format(Locale.ROOT, "b%06d-f%d", seq, forkStep);
    }

    /** The sequence number of a branch id, or -1 for another id. */
    public static long branchSeq(String id) {
        var m = BRANCH_ID.matcher(id);
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    public static boolean isMainId(String id) {
        return MAIN_ID.matcher(id).matches();
    }
}
