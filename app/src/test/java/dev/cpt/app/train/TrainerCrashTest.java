package dev.cpt.app.train;

import dev.cpt.app.ChildCpt;
import dev.cpt.broker.EmbeddedBroker;
import dev.cpt.core.format.TokenSequence;
import dev.cpt.core.format.TokenSequenceSerde;
import dev.cpt.core.kafka.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills a {@code cpt train} process with SIGKILL while it is writing a checkpoint, and checks that
 * the next start ignores the half-written one, removes it, and resumes from the previous complete
 * checkpoint.
 */
class TrainerCrashTest {

    @TempDir
    Path dir;

    @Test
    void shouldResumeFromThePreviousCompleteCheckpointAfterAKillMidWrite() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.startTemporary()) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(Topics.SEQUENCES, 1, (short) 1), new NewTopic(Topics.HELDOUT, 1, (short) 1),
                        new NewTopic(Topics.TELEMETRY, 1, (short) 1))).all().get();
            }
            produce(broker.bootstrapServers(), 600);
            Path main = dir.resolve("store").resolve("main");

            Long completeAtKill = null;
            for (int attempt = 0; attempt < 4 && completeAtKill == null; attempt++) {
                Process p = start(broker.bootstrapServers(), "run" + attempt);
                try {
                    completeAtKill = killDuringAWrite(p, main);
                } finally {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            }
            assertThat(completeAtKill).as("caught a checkpoint write in progress").isNotNull();
            assertThat(tmpFolders(main)).as("the interrupted write left its temporary folder").isNotEmpty();

            Process resumed = start(broker.bootstrapServers(), "resumed");
            try {
                String log = awaitLog(dir.resolve("resumed.log"), "resumed from checkpoint");
                assertThat(log).contains("removing incomplete", "store/main/.tmp-")
                        .contains(String.format("resumed from checkpoint %012d", completeAtKill));
                assertThat(tmpFolders(main)).isEmpty();
            } finally {
                resumed.destroy();
                resumed.waitFor(30, TimeUnit.SECONDS);
                resumed.destroyForcibly();
            }
        }
    }

    /** Watches the store and kills the process the moment a write is under way after a complete one exists. */
    private static Long killDuringAWrite(Process p, Path main) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (Files.isDirectory(main)) {
                List<Path> complete;
                List<Path> tmp;
                try (Stream<Path> s = Files.list(main)) {
                    List<Path> all = s.toList();
                    complete = all.stream().filter(x -> x.getFileName().toString().matches("\\d{12}")).sorted().toList();
                    tmp = all.stream().filter(x -> x.getFileName().toString().startsWith(".tmp-")).toList();
                } catch (java.io.IOException racing) {
                    continue;
                }
                if (!complete.isEmpty() && !tmp.isEmpty()) {
                    p.destroyForcibly(); // SIGKILL
                    p.waitFor(10, TimeUnit.SECONDS);
                    if (!tmpFolders(main).isEmpty()) {
                        return Long.parseLong(complete.get(complete.size() - 1).getFileName().toString());
                    }
                    return null; // the rename won the race: try again
                }
            }
            Thread.onSpinWait();
        }
        return null;
    }

    private static List<Path> tmpFolders(Path main) throws Exception {
        try (Stream<Path> s = Files.list(main)) {
            return s.filter(x -> x.getFileName().toString().startsWith(".tmp-")).toList();
        }
    }

    private Process start(String bootstrap, String name) throws Exception {
        return ChildCpt.start(dir.resolve(name + ".log"), 120, "train",
                "--set", "cpt.kafka.bootstrap.servers=" + bootstrap, "--set", "cpt.store.dir=" + dir.resolve("store"),
                "--set", "cpt.http.port=0", "--set", "cpt.trainer.model.preset=small", "--set", "cpt.trainer.batch.size=2",
                "--set", "cpt.trainer.checkpoint.every.steps=1", "--set", "cpt.trainer.replay.bytes=1000000",
                "--set", "cpt.trainer.device=cpu", "--set", "cpt.trainer.peak.flops=1e11").process();
    }

    private static String awaitLog(Path log, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String content = "";
        while (System.nanoTime() < deadline) {
            content = Files.readString(log);
            if (content.contains(text)) {
                return content;
            }
            Thread.sleep(100);
        }
        return content;
    }

    private static void produce(String bootstrap, int n) throws Exception {
        Random r = new Random(7);
        try (KafkaProducer<String, TokenSequence> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), new TokenSequenceSerde())) {
            for (int i = 0; i < n; i++) {
                int[] t = new int[257];
                for (int j = 0; j < t.length; j++) {
                    t[j] = 'a' + r.nextInt(26);
                }
                p.send(new ProducerRecord<>(Topics.SEQUENCES, "s", new TokenSequence("s", i, "byte-v1", 259, t)));
            }
        }
    }
}
