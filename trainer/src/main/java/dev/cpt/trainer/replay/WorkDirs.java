package dev.cpt.trainer.replay;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** File-system chores of the replay buffer: locking, cleaning and syncing directories. */
final class WorkDirs {

    private WorkDirs() {
    }

    /**
     * Locks {@code lockFile} for this process and returns its open channel (closing it releases the
     * lock), refusing when another buffer, in this process or another, holds it.
     */
    static FileChannel lock(Path lockFile) throws IOException {
        FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by another buffer of this JVM
        }
        if (lock == null) {
            ch.close();
            throw new IOException("the replay work directory " + lockFile.getParent()
                    + " is in use by another replay buffer; give each trainer its own");
        }
        return ch;
    }

    /** Deletes the files of {@code dir} whose names end with {@code suffix}; other files are left alone. */
    static void deleteSlotFiles(Path dir, String suffix) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + suffix)) {
            for (Path f : files) {
                Files.delete(f);
            }
        }
    }

    /** Whether both paths name the same existing directory (false when either does not exist). */
    static boolean same(Path a, Path b) throws IOException {
        return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
    }

    /**
     * Forces {@code dir}'s entries (new names, renames) to disk, so a crash cannot keep the files and
     * lose their names. Some platforms cannot open a directory for this; there it is a no-op.
     */
    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows")) {
                throw e; // Linux and macOS support it: a failure there is a real one
            }
        }
    }
}
