package dev.cpt.core.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** SHA-256 of files and the file lists manifests record. */
class ChecksumsTest {

    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @TempDir
    Path dir;

    @Test
    void shouldGiveTheKnownLowerCaseHexDigestOfBytesAndFiles() throws IOException {
        Path f = Files.writeString(dir.resolve("abc"), "abc");
        Path empty = Files.write(dir.resolve("empty"), new byte[0]);

        assertThat(Checksums.sha256("abc".getBytes(StandardCharsets.US_ASCII))).isEqualTo(ABC);
        assertThat(Checksums.sha256(f)).isEqualTo(ABC);
        assertThat(Checksums.sha256(new byte[0])).isEqualTo(EMPTY);
        assertThat(Checksums.sha256(empty)).isEqualTo(EMPTY);
    }

    @Test
    void shouldDigestAFileLargerThanTheReadBufferLikeItsBytes() throws IOException {
        byte[] content = new byte[(1 << 16) * 3 + 17];
        new Random(7).nextBytes(content);
        Path f = Files.write(dir.resolve("big.bin"), content);

        assertThat(Checksums.sha256(f)).isEqualTo(Checksums.sha256(content)).matches("[0-9a-f]{64}");
    }

    @Test
    void shouldListNestedFilesWithSlashNamesSortedSkippingExceptedNames() throws IOException {
        Files.writeString(dir.resolve("model.safetensors"), "weights!");
        Files.writeString(dir.resolve("manifest.json"), "{}");
        Files.createDirectories(dir.resolve("optim/state"));
        Files.writeString(dir.resolve("optim/state/m.bin"), "abc");
        Files.writeString(dir.resolve("optim/a.bin"), "");
        Files.writeString(dir.resolve("config.json"), "{\"d\":64}");
        Files.createDirectories(dir.resolve("empty-folder"));

        assertThat(Checksums.entries(dir, StoreLayout.MANIFEST))
                .extracting(FileEntry::name, FileEntry::size, FileEntry::sha256)
                .containsExactly(
                        tuple("config.json", 8L, Checksums.sha256("{\"d\":64}".getBytes(StandardCharsets.UTF_8))),
                        tuple("model.safetensors", 8L, Checksums.sha256("weights!".getBytes(StandardCharsets.UTF_8))),
                        tuple("optim/a.bin", 0L, EMPTY),
                        tuple("optim/state/m.bin", 3L, ABC));
    }

    @Test
    void shouldSkipOnlyTheExactRelativeNamesExcepted() throws IOException {
        Files.writeString(dir.resolve("manifest.json"), "{}");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/manifest.json"), "{}");
        Files.writeString(dir.resolve("keep"), "k");

        assertThat(Checksums.entries(dir, "manifest.json", "keep")).extracting(FileEntry::name).containsExactly("sub/manifest.json");
        assertThat(Checksums.entries(dir)).extracting(FileEntry::name).containsExactly("keep", "manifest.json", "sub/manifest.json");
    }

    @Test
    void shouldSortNamesAsStrings() throws IOException {
        // '.' (0x2e) sorts before '/' (0x2f): "a.txt" before "a/b", and "a-b" before both
        Files.createDirectories(dir.resolve("a"));
        Files.writeString(dir.resolve("a/b"), "1");
        Files.writeString(dir.resolve("a.txt"), "2");
        Files.writeString(dir.resolve("a-b"), "3");
        Files.writeString(dir.resolve("B"), "4");

        assertThat(Checksums.entries(dir)).extracting(FileEntry::name)
                .containsExactly("B", "a-b", "a.txt", "a/b")
                .isSorted();
    }

    @Test
    void shouldListNothingForAnEmptyFolder() throws IOException {
        assertThat(Checksums.entries(dir)).isEmpty();
    }
}
