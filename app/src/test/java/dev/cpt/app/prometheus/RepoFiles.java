package dev.cpt.app.prometheus;

import java.nio.file.Files;
import java.nio.file.Path;

/** The monitoring files in the repository, found by walking up from the working directory. */
final class RepoFiles {

    static final String ALERTS = "monitor/prometheus/cpt-alerts.yml";
    static final String ALERT_TESTS = "monitor/prometheus/cpt-alerts.test.yml";
    static final String DASHBOARD = "monitor/grafana/cpt-dashboard.json";

    private RepoFiles() {
    }

    /** The nearest directory, from the working directory up, that holds {@value #ALERTS}. */
    static Path root() {
        Path start = Path.of("").toAbsolutePath();
        for (Path d = start; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve(ALERTS)) && Files.isRegularFile(d.resolve("pom.xml"))) {
                return d;
            }
        }
        throw new IllegalStateException("no " + ALERTS + " in " + start + " or above");
    }

    static Path alerts() {
        return root().resolve(ALERTS);
    }

    static Path alertTests() {
        return root().resolve(ALERT_TESTS);
    }

    static Path dashboard() {
        return root().resolve(DASHBOARD);
    }
}
