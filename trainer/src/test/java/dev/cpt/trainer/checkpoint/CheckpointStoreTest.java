package dev.cpt.trainer.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckpointStoreTest {

    @TempDir
    Path store;

    @Test
    void shouldKeepOnlyTheNewestCompleteCheckpoints() throws Exception {
        CheckpointStore s = new CheckpointStore(store, 2);
        for (long step : new long[]{100, 200, 300}) {
            s.write(step, dir -> Files.writeString(dir.resolve("state.json"), "{\"step\":" + step + "}"));
        }

        assertThat(s.complete()).extracting(CheckpointStore::step).containsExactly(200L, 300L);
        assertThat(s.latest()).hasValueSatisfying(p -> assertThat(p.resolve("state.json")).hasContent("{\"step\":300}"));
    }

    @Test
    void shouldIgnoreAndRemoveAWriteThatNeverCompleted() throws Exception {
        CheckpointStore s = new CheckpointStore(store, 3);
        s.write(100, dir -> Files.writeString(dir.resolve("state.json"), "ok"));
        Path crashed = s.mainDir().resolve(".tmp-000000000200-dead");
        Files.createDirectories(crashed);
        Files.writeString(crashed.resolve("state.json"), "half");

        assertThat(s.latest()).hasValueSatisfying(p -> assertThat(CheckpointStore.step(p)).isEqualTo(100));
        assertThat(s.removeIncomplete()).isEqualTo(1);
        assertThat(crashed).doesNotExist();
    }

    @Test
    void shouldLeaveNoTraceOfAFailedWrite() throws Exception {
        CheckpointStore s = new CheckpointStore(store, 2);

        assertThatThrownBy(() -> s.write(5, dir -> {
            Files.writeString(dir.resolve("a"), "x");
            throw new IOException("disk full");
        })).hasMessage("disk full");
        assertThat(s.allFolders()).isEmpty();
    }

    @Test
    void shouldRefuseToKeepFewerThanTwo() {
        assertThatThrownBy(() -> new CheckpointStore(store, 1)).hasMessageContaining("keep must be >= 2");
    }

    @Test
    void shouldRoundTripTensorsAndMetadataThroughSafetensors() throws Exception {
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>();
        tensors.put("wte", new Safetensors.Tensor(new long[]{2, 3}, new float[]{1, 2, 3, 4, 5, -6.5f}));
        tensors.put("ln.gamma", new Safetensors.Tensor(new long[]{3}, new float[]{Float.MIN_VALUE, 0f, Float.MAX_VALUE}));
        Path f = store.resolve("model.safetensors");

        Safetensors.write(f, tensors, Map.of("step", "42"));

        Map<String, Safetensors.Tensor> back = Safetensors.read(f);
        assertThat(back.keySet()).containsExactly("wte", "ln.gamma");
        assertThat(back.get("wte").shape()).containsExactly(2, 3);
        assertThat(back.get("wte").data()).containsExactly(1, 2, 3, 4, 5, -6.5f);
        assertThat(back.get("ln.gamma").data()).containsExactly(Float.MIN_VALUE, 0f, Float.MAX_VALUE);
        assertThat(Safetensors.metadata(f)).containsEntry("step", "42");
        byte[] bytes = Files.readAllBytes(f);
        long headerLen = java.nio.ByteBuffer.wrap(bytes, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(bytes.length).isEqualTo(8 + headerLen + 4 * 9);
    }
}
