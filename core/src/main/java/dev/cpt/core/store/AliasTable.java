package dev.cpt.core.store;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The content of {@code aliases.json}: alias -> checkpoint id ({@code latest}, {@code latest-decayed},
 * {@code main}, or any other name), and the pinned ids. Retention never deletes an id that is
 * aliased or pinned.
 *
 * @param updatedMs wall clock of the last change
 */
public record AliasTable(Map<String, String> aliases, Set<String> pinned, long updatedMs) {

    public static final String LATEST = "latest";
    public static final String LATEST_DECAYED = "latest-decayed";
    public static final String MAIN = "main";

    public static final AliasTable EMPTY = new AliasTable(Map.of(), Set.of(), 0);

    public AliasTable {
        aliases = java.util.Collections.unmodifiableMap(new TreeMap<>(aliases));
        pinned = java.util.Collections.unmodifiableSet(new TreeSet<>(pinned));
    }

    public java.util.Optional<String> get(String alias) {
        return java.util.Optional.ofNullable(aliases.get(alias));
    }

    public AliasTable with(String alias, String id) {
        if (!StoreLayout.ID.matcher(alias).matches() || !StoreLayout.ID.matcher(id).matches()) {
            throw new IllegalArgumentException("alias and id must match " + StoreLayout.ID.pattern() + ": " + alias + " -> " + id);
        }
        Map<String, String> a = new TreeMap<>(aliases);
        a.put(alias, id);
        return new AliasTable(a, pinned, System.currentTimeMillis());
    }

    public AliasTable pin(String id, boolean pin) {
        Set<String> p = new TreeSet<>(pinned);
        if (pin) {
            p.add(id);
        } else {
            p.remove(id);
        }
        return new AliasTable(aliases, p, System.currentTimeMillis());
    }

    /** Ids that retention must keep: every aliased and every pinned one. */
    public Set<String> protectedIds() {
        Set<String> out = new TreeSet<>(pinned);
        out.addAll(aliases.values());
        return out;
    }
}
