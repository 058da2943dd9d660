package dev.cpt.ingest.lookahead;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.Map;

/**
 * Gives each poll of the ingest's main consumer to its {@link Lookahead}: the one point where Kafka
 * Streams shows a stream thread's records before it processes them one by one. Installed through
 * {@code main.consumer.interceptor.classes}; {@link #THREADS} sets the workers per stream thread.
 */
public final class LookaheadInterceptor implements ConsumerInterceptor<byte[], byte[]> {

    /** Consumer property: worker threads of the lookahead, at least 1. */
    public static final String THREADS = "cpt.lookahead.threads";

    private Lookahead lookahead;

    @Override
    public void configure(Map<String, ?> configs) {
        Object threads = configs.get(THREADS);
        if (threads == null) {
            throw new IllegalArgumentException(LookaheadInterceptor.class.getSimpleName() + " needs the consumer property " + THREADS);
        }
        lookahead = new Lookahead(Integer.parseInt(threads.toString()), String.valueOf(configs.get(ConsumerConfig.CLIENT_ID_CONFIG)));
    }

    @Override
    public ConsumerRecords<byte[], byte[]> onConsume(ConsumerRecords<byte[], byte[]> records) {
        lookahead.bindToThisThread(); // the consumer polls on its stream thread, not on the thread that made it
        lookahead.add(records);
        return records;
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    }

    @Override
    public void close() {
        lookahead.close();
    }
}
