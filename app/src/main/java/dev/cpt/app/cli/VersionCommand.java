package dev.cpt.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** {@code cpt version}: cpt's version and the versions of the engines it runs on. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Print cpt's version and its runtime.")
public final class VersionCommand implements Runnable {

    @Spec
    CommandSpec spec;

    public static String version() {
        try (InputStream in = VersionCommand.class.getResourceAsStream("/cpt-version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String[] lines() {
        return new String[]{
                "cpt " + version(),
                "java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
                "kafka-clients " + org.apache.kafka.common.utils.AppInfoParser.getVersion(),
        };
    }

    @Override
    public void run() {
        for (String line : lines()) {
            spec.commandLine().getOut().println(line);
        }
        spec.commandLine().getOut().flush();
    }

    /** Feeds {@code cpt --version}. */
    public static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return lines();
        }
    }
}
