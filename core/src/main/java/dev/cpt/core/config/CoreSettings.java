package dev.cpt.core.config;

import java.nio.file.Path;
import java.time.Duration;

/** Settings shared by every part: where state lives and where cpt serves HTTP. */
public final class CoreSettings {

    public static final Setting<Path> DATA_DIR = Setting.of("cpt.data.dir", ValueType.PATH, Path.of("data"),
            "Directory for all local state: embedded broker logs, Streams state, checkpoints (relative to the working directory).");

    public static final Setting<String> HTTP_HOST = Setting.of("cpt.http.host", ValueType.STRING, "127.0.0.1",
            "Address the HTTP server (/healthz, /metrics) binds to; 0.0.0.0 exposes it on every interface.", Rule.nonBlank());

    public static final Setting<Integer> HTTP_PORT = Setting.of("cpt.http.port", ValueType.INT, 9400,
            "Port of the HTTP server (/healthz, /metrics); 0 picks a free one.", Rule.port());

    public static final Setting<Duration> SHUTDOWN_TIMEOUT = Setting.of("cpt.shutdown.timeout", ValueType.DURATION_TYPE,
            Duration.ofSeconds(8), "How long a clean shutdown may take before the remaining parts are abandoned.",
            Rule.atLeast(Duration.ofSeconds(1)));

    public static final Setting<String> STORE_DIR = Setting.of("cpt.store.dir", ValueType.STRING, "",
            "Checkpoint store (main checkpoints, decayed branches, aliases); empty = <cpt.data.dir>/store.");

    public static final Setting<String> HTTP_TOKENS_FILE = Setting.of("cpt.http.tokens.file", ValueType.STRING, "",
            "File of bearer tokens, one '<scope> <token>' line each (scopes: read, admin); empty = none, so admin routes"
                    + " refuse every request. The tokens themselves never appear in the configuration.");

    public static final Setting<String> HTTP_TOKENS = new Setting<>("cpt.http.tokens", ValueType.STRING, "",
            "Bearer tokens given directly, 'scope:token' pairs separated by commas (meant for the environment:"
                    + " CPT_HTTP_TOKENS); added to those of cpt.http.tokens.file; never printed.",
            Rule.matches("|((read|admin):\\S{16,})(,(read|admin):\\S{16,})*", "empty, or scope:token pairs (scope read or admin,"
                    + " tokens of 16 characters or more) separated by commas"), true);

    public static final Setting<String> PULL_TOKEN = new Setting<>("cpt.pull.token", ValueType.STRING, "",
            "Read token that cpt pull sends to the registry (meant for the environment: CPT_PULL_TOKEN); --token-file wins;"
                    + " empty = none; never printed.",
            Rule.matches("|[\\x21-\\x7e]+", "empty, or a token of printable ASCII without white space"), true);

    /** The checkpoint store directory: {@link #STORE_DIR}, or {@code <cpt.data.dir>/store} when it is empty. */
    public static Path storeDir(Config config) {
        String dir = config.get(STORE_DIR).strip();
        return dir.isEmpty() ? config.get(DATA_DIR).resolve("store") : Path.of(dir);
    }

    private CoreSettings() {
    }
}
