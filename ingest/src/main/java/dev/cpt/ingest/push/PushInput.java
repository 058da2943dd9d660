package dev.cpt.ingest.push;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What to push: a file or directory, or standard input. */
public sealed interface PushInput {

    /** A file, or a directory read recursively. */
    record File(Path path) implements PushInput {
        public File {
            Objects.requireNonNull(path, "path");
        }
    }

    /** Standard input, read once. */
    record Stdin() implements PushInput {
    }

    /**
     * The command line's inputs: {@code -} is standard input, anything else a path; no argument
     * at all means standard input, as with {@code cat}.
     */
    static List<PushInput> parse(List<String> args) {
        if (args.isEmpty()) {
            return List.of(new Stdin());
        }
        List<PushInput> inputs = new ArrayList<>();
        for (String a : args) {
            inputs.add(a.equals("-") ? new Stdin() : new File(Path.of(a)));
        }
        return List.copyOf(inputs);
    }
}
