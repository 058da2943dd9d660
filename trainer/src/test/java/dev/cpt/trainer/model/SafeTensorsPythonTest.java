package dev.cpt.trainer.model;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cpt.core.store.Checksums;
import dev.cpt.core.store.Manifest;
import dev.cpt.core.store.StoreLayout;
import dev.cpt.trainer.checkpoint.Publisher;
import dev.cpt.trainer.optim.AdamW;
import dev.cpt.trainer.step.StepResult;
import dev.cpt.trainer.step.TrainStep;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The downstream loader of docs/checkpoints.md, {@code docs/examples/cpt_checkpoint.py} (Python
 * standard library + numpy only), against the Java model: it reads a trained model's
 * {@code model.safetensors}, as published in a branch folder, bit-exactly and computes the same logits. Skipped where no
 * {@code python3} can import numpy (CI installs Debian's python3-numpy).
 */
class SafeTensorsPythonTest {

    static final Path SCRIPT = Path.of("docs", "examples", "cpt_checkpoint.py");
    static final ObjectMapper JSON = new ObjectMapper();

    static String python;
    static Path script;

    @TempDir
    Path dir;

    @BeforeAll
    static void needsPythonWithNumpy() {
        for (String candidate : List.of("python3", "/usr/bin/python3")) {
            if (dev.cpt.trainer.bench.PythonReference.imports(candidate, "numpy")) {
                python = candidate;
                break;
            }
        }
        assumeTrue(python != null, "neither python3 on the PATH nor /usr/bin/python3 can import numpy: "
                + "install python3-numpy (apt-get install python3-numpy) to run this test");
        for (Path d = Path.of("").toAbsolutePath(); d != null && script == null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve(SCRIPT))) {
                script = d.resolve(SCRIPT);
            }
        }
        assertThat(script).as(SCRIPT + " from " + Path.of("").toAbsolutePath()).isNotNull();
    }

    @Test
    void pythonReadsAPublishedCheckpointBitExactlyAndComputesTheSameLogits() throws Exception {
        GptConfig config = GptConfig.tiny(259, 24).withSeed(7);
        Random r = new Random(3);
        long[] ids = new long[2 * 20];                         // (2, 20): shorter than the context
        for (int i = 0; i < ids.length; i++) {
            ids[i] = r.nextInt(259);
        }
        ids[5] = 256;                                          // EOS, BOS, PAD: the specials are rows of wte too
        ids[6] = 257;
        ids[27] = 258;
        Path file;
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        float[] javaLogits;
        try (Gpt model = new Gpt(config, Device.cpu()); AdamW opt = new AdamW(model)) {
            TrainStep step = new TrainStep(model, opt);
            for (int s = 0; s < 2; s++) {
                StepResult result = step.step(randomBatch(r, 4, 24, 259), 3e-3);
                assertThat(result.skipReason()).isEqualTo(StepResult.SkipReason.NONE);
            }
            assertThat(model.values("h1.mlp.in.bias")).as("trained, not the init").isNotEqualTo(new float[4 * 64]);
            Manifest draft = new Manifest(Manifest.FORMAT_VERSION, "b000001-f2", Manifest.Kind.DECAYED, "wsd", 0, 2, 192,
                    Map.of("s", 192L), 2, null, Map.of(), "byte-v1", 259, Map.of(), null, null, null, List.of());
            Publisher.Published published = new Publisher(dir.resolve("store"), 3).publishBranch(draft, d ->
                    model.save(d.resolve(StoreLayout.MODEL), Map.of("branch", "b000001-f2", "step", "2", "tokens", "192")));
            file = published.dir().resolve(StoreLayout.MODEL);
            assertThat(published.manifest().files()).singleElement()
                    .satisfies(f -> assertThat(f.sha256()).isEqualTo(Checksums.sha256(file)));
            for (String name : model.parameterNames()) {
                values.put(name, model.values(name));
                shapes.put(name, model.array(name).getShape().getShape());
            }
            Autograd.disableOnThisThread();
            try (NDManager sm = model.manager().newSubManager()) {
                javaLogits = model.logits(sm.create(ids, new Shape(2, 20)), false).toFloatArray();
            }
        }

        Result run = run("check", file.toString(), "--tokens", JSON.writeValueAsString(rows(ids, 2, 20)));

        assertThat(run.exit()).as(run.describe()).isZero();
        JsonNode out = JSON.readTree(run.stdout());
        Map<String, String> metadata = new LinkedHashMap<>();
        out.path("metadata").properties().forEach(e -> metadata.put(e.getKey(), e.getValue().asText()));
        assertThat(metadata).isEqualTo(Map.ofEntries(Map.entry("format", "cpt.gpt"), Map.entry("version", "1"),
                Map.entry("vocabSize", "259"), Map.entry("context", "24"), Map.entry("dModel", "64"), Map.entry("heads", "4"),
                Map.entry("layers", "2"), Map.entry("mlpRatio", "4"), Map.entry("seed", "7"), Map.entry("branch", "b000001-f2"),
                Map.entry("step", "2"), Map.entry("tokens", "192")));
        List<String> names = new ArrayList<>();
        out.path("tensors").fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactlyElementsOf(values.keySet());
        for (String name : names) {
            JsonNode t = out.path("tensors").path(name);
            assertThat(t.path("dtype").asText()).as(name).isEqualTo("F32");
            long[] shape = new long[t.path("shape").size()];
            Arrays.setAll(shape, i -> t.path("shape").get(i).asLong());
            assertThat(shape).as(name).containsExactly(shapes.get(name));
            assertThat(t.path("sha256").asText()).as(name).isEqualTo(sha256LittleEndian(values.get(name)));
        }
        JsonNode logits = out.path("logits");
        assertThat(logits.size()).isEqualTo(2);
        double maxDiff = 0;
        for (int b = 0; b < 2; b++) {
            assertThat(logits.get(b).size()).isEqualTo(20);
            for (int t = 0; t < 20; t++) {
                JsonNode row = logits.get(b).get(t);
                assertThat(row.size()).isEqualTo(259);
                for (int v = 0; v < 259; v++) {
                    float java = javaLogits[(b * 20 + t) * 259 + v];
                    assertThat(row.get(v).asDouble()).as("logit [%d][%d][%d]", b, t, v).isCloseTo(java, within(1e-4));
                    maxDiff = Math.max(maxDiff, Math.abs(row.get(v).asDouble() - java));
                }
            }
        }
        System.out.printf("numpy vs Java logits: max |diff| %.3g over %d values%n", maxDiff, javaLogits.length);
    }

    @Test
    void generateRunsFromTheCheckpointFolderAndContinuesThePrompt() throws Exception {
        try (Gpt model = new Gpt(GptConfig.tiny(259, 16), Device.cpu())) {
            model.save(dir.resolve("model.safetensors"));
        }
        Result run = run("generate", dir.toString(), "--prompt", "hi", "--tokens", "5");
        assertThat(run.exit()).as(run.describe()).isZero();
        assertThat(run.stdout()).startsWith("hi");

        Result inspect = run("inspect", dir.resolve("model.safetensors").toString());
        assertThat(inspect.exit()).as(inspect.describe()).isZero();
        assertThat(inspect.stdout()).contains("format = cpt.gpt", "h1.attn.qkv.weight", "F32", "[192, 64]");
    }

    @Test
    void corruptedFilesAreRejectedWithAReason() throws Exception {
        Path good = dir.resolve("good.safetensors");
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            SafeTensors.write(good, Map.of("x", m.create(new float[] {1, 2, 3, 4}, new Shape(4))), Map.of());
        }
        byte[] bytes = Files.readAllBytes(good);
        byte[] tooLong = bytes.clone();
        ByteBuffer.wrap(tooLong).order(ByteOrder.LITTLE_ENDIAN).putLong(0, bytes.length);
        assertRejected("long.safetensors", tooLong, "header length");

        String overlap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        assertRejected("overlap.safetensors", file(overlap, 12), "overlaps");
        String sizes = "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}";
        assertRejected("sizes.safetensors", file(sizes, 8), "bytes for F32");
        String beyond = "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}";
        assertRejected("beyond.safetensors", file(beyond, 8), "outside the 8 data bytes");
        assertRejected("json.safetensors", file("{\"a\": ", 0), "not UTF-8 JSON");
    }

    private void assertRejected(String name, byte[] content, String reason) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, content);
        Result run = run("check", f.toString(), "--tokens", "[[1]]");
        assertThat(run.exit()).as(run.describe()).isNotZero();
        assertThat(run.stderr()).as(run.describe()).contains("not a valid safetensors file", reason);
        assertThat(run.stderr()).as(run.describe()).doesNotContain("Traceback");
    }

    /** A safetensors file with {@code header} (JSON, unpadded) and {@code dataBytes} zero bytes of data. */
    private static byte[] file(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(h.length).put(h).array();
    }

    private static int[][] randomBatch(Random r, int batch, int t, int vocab) {
        int[][] out = new int[batch][t + 1];
        for (int[] row : out) {
            Arrays.setAll(row, i -> r.nextInt(vocab));
        }
        return out;
    }

    private static long[][] rows(long[] ids, int b, int t) {
        long[][] out = new long[b][];
        for (int i = 0; i < b; i++) {
            out[i] = Arrays.copyOfRange(ids, i * t, (i + 1) * t);
        }
        return out;
    }

    static String sha256LittleEndian(float[] values) throws NoSuchAlgorithmException {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
    }

    record Result(int exit, String stdout, String stderr, List<String> command) {
        String describe() {
            return String.join(" ", command) + " exited with " + exit + "; stderr: " + stderr
                    + (stdout.length() > 2000 ? "" : "; stdout: " + stdout);
        }
    }

    private Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(python, script.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "py-", ".out");
        Path err = Files.createTempFile(dir, "py-", ".err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().put("OPENBLAS_NUM_THREADS", "1");
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within 2 minutes; stderr: "
                    + Files.readString(err, StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8), command);
    }
}
