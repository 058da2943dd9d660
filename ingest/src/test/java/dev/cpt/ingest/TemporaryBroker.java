package dev.cpt.ingest;

import dev.cpt.broker.EmbeddedBroker;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real embedded broker on a temporary directory for one test class:
 * {@code @RegisterExtension static final TemporaryBroker broker = new TemporaryBroker();}
 * starts it before the class's first test and stops it after its last.
 */
public final class TemporaryBroker implements BeforeAllCallback, AfterAllCallback {

    private EmbeddedBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = EmbeddedBroker.startTemporary();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    public String bootstrapServers() {
        if (broker == null) {
            throw new IllegalStateException("the broker runs only while its test class does (register it as a static extension)");
        }
        return broker.bootstrapServers();
    }
}
