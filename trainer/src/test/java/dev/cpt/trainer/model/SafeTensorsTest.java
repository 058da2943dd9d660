package dev.cpt.trainer.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SafeTensorsTest {

    @TempDir
    Path dir;

    NDManager manager;

    @BeforeEach
    void open() {
        Engine.getEngine("PyTorch");
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void fileHasTheSafetensorsLayoutWithLittleEndianFloats() throws IOException {
        Path file = dir.resolve("t.safetensors");
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        tensors.put("a", manager.create(new float[] {1f, -2f, 3.5f, 0f, 5f, 6f}, new Shape(2, 3)));
        tensors.put("b", manager.create(new float[] {7f}, new Shape(1)));
        SafeTensors.write(file, tensors, Map.of("format", "test"));

        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        long n = bytes.getLong();
        assertThat(n % 8).isZero();
        JsonNode header = new ObjectMapper().readTree(new String(bytes.array(), 8, (int) n, StandardCharsets.UTF_8));
        assertThat(header.path("__metadata__").path("format").asText()).isEqualTo("test");
        assertThat(header.path("a").path("dtype").asText()).isEqualTo("F32");
        assertThat(header.path("a").path("shape").toString()).isEqualTo("[2,3]");
        assertThat(header.path("a").path("data_offsets").toString()).isEqualTo("[0,24]");
        assertThat(header.path("b").path("data_offsets").toString()).isEqualTo("[24,28]");
        bytes.position(8 + (int) n);
        float[] data = new float[7];
        bytes.asFloatBuffer().get(data);
        assertThat(data).containsExactly(1f, -2f, 3.5f, 0f, 5f, 6f, 7f);
        assertThat(bytes.remaining()).isEqualTo(28);
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("t.safetensors");
        }
    }

    @Test
    void valuesRoundTripBitExactlyIncludingNanInfinityAndNegativeZero() throws IOException {
        Path file = dir.resolve("t.safetensors");
        float[] values = {Float.NaN, Float.POSITIVE_INFINITY, -0f, Float.MIN_VALUE, 1e-38f, -3.4e38f};
        SafeTensors.write(file, Map.of("x", manager.create(values, new Shape(3, 2))), Map.of());
        try (SafeTensors.Reader r = SafeTensors.open(file); NDManager sub = manager.newSubManager()) {
            assertThat(r.shape("x")).isEqualTo(new Shape(3, 2));
            int[] expected = Arrays.stream(toObjects(values)).mapToInt(Float::floatToRawIntBits).toArray();
            assertThat(Arrays.stream(toObjects(r.read("x", sub).toFloatArray())).mapToInt(Float::floatToRawIntBits)
                    .toArray()).isEqualTo(expected);
            assertThat(Arrays.stream(toObjects(r.readFloats("x"))).mapToInt(Float::floatToRawIntBits).toArray())
                    .isEqualTo(expected);
        }
    }

    @Test
    void truncatedOrGarbledFilesAreRejected() throws IOException {
        Path file = dir.resolve("t.safetensors");
        SafeTensors.write(file, Map.of("x", manager.create(new float[] {1, 2, 3, 4}, new Shape(4))), Map.of());
        byte[] bytes = Files.readAllBytes(file);
        Path truncated = dir.resolve("truncated.safetensors");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 4));
        assertThatThrownBy(() -> SafeTensors.open(truncated).close()).isInstanceOf(IOException.class)
                .hasMessageContaining("offsets");
        Path garbage = dir.resolve("garbage.safetensors");
        Files.write(garbage, "not a tensor file at all".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> SafeTensors.open(garbage).close()).isInstanceOf(IOException.class)
                .hasMessageContaining("not a valid safetensors file");
    }

    private static Float[] toObjects(float[] v) {
        Float[] out = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
