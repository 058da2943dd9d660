package dev.cpt.core.store;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run by {@link AliasFileTest} in a separate JVM: waits for {@code <store>/go}, then adds
 * {@code <prefix>-0 .. <prefix>-(n-1)} to the alias table, one update each, sleeping inside the
 * read-modify-write so that an unlocked update would lose others' changes.
 * Arguments: store, prefix, n.
 */
public final class AliasUpdaterMain {

    private AliasUpdaterMain() {
    }

    public static void main(String[] args) throws Exception {
        Path store = Path.of(args[0]);
        String prefix = args[1];
        int n = Integer.parseInt(args[2]);
        System.out.println("ready");
        System.out.flush();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Files.exists(store.resolve("go"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no go file");
            }
            Thread.sleep(1);
        }
        for (int i = 0; i < n; i++) {
            String alias = prefix + "-" + i;
            AliasFile.update(store, t -> AliasFileTest.slowly(t.with(alias, "b000001-f1")));
        }
    }
}
