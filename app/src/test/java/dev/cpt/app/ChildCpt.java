package dev.cpt.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A {@code cpt} command run as a real child JVM on the test class path, as a user or a supervisor would run it. */
public record ChildCpt(Process process, String url) {

    /**
     * Starts {@code cpt <args>} with its stderr in {@code log} and waits for its {@code cpt ready: <url>} line.
     *
     * @throws AssertionError with the child's log when it is not ready within {@code timeoutSeconds}
     */
    public static ChildCpt start(Path log, int timeoutSeconds, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true", Main.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String ready = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        }).get(timeoutSeconds, TimeUnit.SECONDS);
        assertThat(ready).as(Files.readString(log)).matches("cpt ready: http://127\\.0\\.0\\.1:\\d+");
        return new ChildCpt(p, ready.substring("cpt ready: ".length()));
    }
}
