package dev.cpt.core.config;

/** Where an effective value came from; later sources win in the order listed. */
public sealed interface Source {

    String describe();

    record Default() implements Source {
        public String describe() {
            return "default";
        }
    }

    record File(java.nio.file.Path path) implements Source {
        public String describe() {
            return "file " + path;
        }
    }

    record Env(String variable) implements Source {
        public String describe() {
            return "env " + variable;
        }
    }

    record CommandLine() implements Source {
        public String describe() {
            return "--set";
        }
    }

    Source DEFAULT = new Default();
    Source COMMAND_LINE = new CommandLine();
}
