package dev.cpt.core.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** aliases.json: changes are serialised across threads and processes, and a reader never sees half a file. */
class AliasFileTest {

    @TempDir
    Path store;

    /** Makes a read-modify-write take a while, so that an unserialised update would lose the others'. */
    static AliasTable slowly(AliasTable t) {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return t;
    }

    @Test
    void shouldReadAnEmptyTableFromAStoreWithoutAliasFile() throws IOException {
        assertThat(AliasFile.read(store)).isEqualTo(AliasTable.EMPTY);
        assertThat(AliasFile.read(store.resolve("not-created-yet"))).isEqualTo(AliasTable.EMPTY);
    }

    @Test
    void shouldReadBackWhatAnUpdateWrote() throws IOException {
        AliasTable written = AliasFile.update(store, t -> t.with(AliasTable.LATEST, "b000001-f100").pin("main-000000000100", true));

        assertThat(AliasFile.read(store)).isEqualTo(written);
        assertThat(written.aliases()).isEqualTo(Map.of("latest", "b000001-f100"));
        assertThat(written.pinned()).containsExactly("main-000000000100");
        assertThat(store.resolve(StoreLayout.ALIASES)).isRegularFile();

        AliasTable second = AliasFile.update(store, t -> t.with(AliasTable.MAIN, "main-000000000100"));

        assertThat(AliasFile.read(store)).isEqualTo(second);
        assertThat(second.aliases()).containsOnlyKeys("latest", "main");
        assertThat(second.pinned()).containsExactly("main-000000000100");
    }

    @Test
    void shouldCreateTheStoreFolderOnFirstUpdate() throws IOException {
        Path nested = store.resolve("a/b/store");

        AliasFile.update(nested, t -> t.with("latest", "b000001-f1"));

        assertThat(AliasFile.read(nested).get("latest")).contains("b000001-f1");
    }

    @Test
    void shouldLeaveTheFileAsItWasWhenAChangeFails() throws IOException {
        AliasTable before = AliasFile.update(store, t -> t.with("latest", "b000001-f1"));

        assertThatThrownBy(() -> AliasFile.update(store, t -> t.with("latest", "../escape")))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(AliasFile.read(store)).isEqualTo(before);
        assertThat(tmpFiles()).isEmpty();
        // and the lock was released: the next update goes through
        AliasFile.update(store, t -> t.with("main", "main-000000000001"));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldNeverLoseAConcurrentUpdateNorShowAReaderHalfAFile() throws Exception {
        int threads = 8;
        int perThread = 25;
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        List<Throwable> readerFailures = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            int seen = 0;
            while (writing.get()) {
                try {
                    AliasTable t = AliasFile.read(store);
                    if (t.aliases().size() < seen) {
                        throw new AssertionError("aliases went from " + seen + " to " + t.aliases().size());
                    }
                    seen = t.aliases().size();
                    reads.incrementAndGet();
                } catch (Throwable e) {
                    readerFailures.add(e);
                    return;
                }
            }
        }, "alias-reader");
        reader.start();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < threads; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        String alias = "w" + writer + "-" + i;
                        String id = "b00000" + writer + "-f" + i;
                        AliasFile.update(store, t -> t.with(alias, id));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(100, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            writing.set(false);
            reader.join(10_000);
        }

        AliasTable last = AliasFile.read(store);
        Set<String> expected = IntStream.range(0, threads).boxed()
                .flatMap(w -> IntStream.range(0, perThread).mapToObj(i -> "w" + w + "-" + i))
                .collect(Collectors.toSet());
        assertThat(last.aliases().keySet()).as("lost updates").hasSize(threads * perThread).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(last.aliases()).containsEntry("w3-7", "b000003-f7");
        assertThat(readerFailures).isEmpty();
        assertThat(reads.get()).isPositive();
        assertThat(tmpFiles()).isEmpty();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldSerialiseUpdatesFromAnotherProcessWithThisOnes() throws Exception {
        int perWriter = 20;
        List<Process> children = new ArrayList<>();
        try {
            for (String prefix : List.of("p1", "p2")) {
                Process p = new ProcessBuilder(javaBin(), "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", childClassPath(),
                        AliasUpdaterMain.class.getName(), store.toString(), prefix, String.valueOf(perWriter))
                        .redirectErrorStream(true)
                        .start();
                children.add(p);
            }
            for (Process p : children) {
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                assertThat(out.readLine()).as("child started").isEqualTo("ready");
            }
            Files.createFile(store.resolve("go"));
            ExecutorService here = Executors.newFixedThreadPool(2);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (String prefix : List.of("t1", "t2")) {
                    done.add(here.submit(() -> {
                        for (int i = 0; i < perWriter; i++) {
                            String alias = prefix + "-" + i;
                            AliasFile.update(store, t -> slowly(t.with(alias, "b000001-f1")));
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(100, TimeUnit.SECONDS);
                }
            } finally {
                here.shutdownNow();
            }
            for (Process p : children) {
                assertThat(p.waitFor(100, TimeUnit.SECONDS)).as("child finished").isTrue();
                String rest = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.exitValue()).as("child exit status; output: " + rest).isZero();
            }
        } finally {
            children.forEach(Process::destroyForcibly);
        }

        Set<String> expected = Stream.of("p1", "p2", "t1", "t2")
                .flatMap(w -> IntStream.range(0, perWriter).mapToObj(i -> w + "-" + i))
                .collect(Collectors.toSet());
        assertThat(AliasFile.read(store).aliases().keySet()).as("lost updates").containsExactlyInAnyOrderElementsOf(expected);
        assertThat(tmpFiles()).isEmpty();
    }

    private List<Path> tmpFiles() throws IOException {
        try (Stream<Path> s = Files.list(store)) {
            return s.filter(p -> p.getFileName().toString().startsWith(StoreLayout.TMP)).toList();
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** This module's classes, the test classes and the jars they need: no more than the child uses. */
    private static String childClassPath() throws URISyntaxException {
        Set<String> entries = new LinkedHashSet<>();
        for (Class<?> c : List.of(AliasFile.class, AliasUpdaterMain.class, ObjectMapper.class, JsonFactory.class,
                JsonInclude.class, Serde.class)) {
            entries.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        }
        return String.join(File.pathSeparator, entries);
    }
}
