package dev.cpt.app.prometheus;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the Prometheus tools: in the directories of the system property {@value #PROPERTY} when set
 * (for a Prometheus unpacked elsewhere; a directory without them makes the tests skip), else
 * /usr/bin (Debian's package) and then the PATH.
 */
final class Binaries {

    static final String PROPERTY = "cpt.prometheus.path";

    private Binaries() {
    }

    static Optional<Path> find(String name) {
        List<String> dirs = new ArrayList<>();
        String override = System.getProperty(PROPERTY);
        if (override != null) {
            dirs.addAll(List.of(override.split(File.pathSeparator)));
        } else {
            dirs.add("/usr/bin");
            String path = System.getenv("PATH");
            if (path != null) {
                dirs.addAll(List.of(path.split(File.pathSeparator)));
            }
        }
        for (String d : dirs) {
            if (!d.isEmpty()) {
                Path p = Path.of(d, name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** What a test says when it skips for lack of a tool. */
    static String missing(String name) {
        return name + " not found (" + (System.getProperty(PROPERTY) != null ? PROPERTY + "=" + System.getProperty(PROPERTY)
                : "/usr/bin or PATH") + "): .ci/run installs it (apt-get install prometheus)";
    }
}
