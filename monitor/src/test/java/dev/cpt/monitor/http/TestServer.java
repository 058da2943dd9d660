package dev.cpt.monitor.http;

import dev.cpt.core.auth.BearerTokens;
import dev.cpt.monitor.registry.Promotions;
import dev.cpt.monitor.registry.Registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** A registry server on a free port with a read and an admin token, and clients for it. */
final class TestServer implements AutoCloseable {

    static final String READ = "read-token-0123456789";
    static final String ADMIN = "admin-token-0123456789";

    final Registry registry;
    final Promotions promotions;
    final RegistryServer server;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    TestServer(Path store, Duration longPollMax, Optional<URI> trainer) throws IOException {
        this(store, longPollMax, trainer, tokens(store));
    }

    TestServer(Path store, Duration longPollMax, Optional<URI> trainer, BearerTokens tokens) throws IOException {
        registry = new Registry(store);
        promotions = new Promotions(store);
        server = RegistryServer.start("127.0.0.1", 0, registry, promotions, tokens, longPollMax, trainer,
                () -> "{\"streams\":{}}");
    }

    static BearerTokens tokens(Path store) throws IOException {
        Path f = Files.createTempFile(store.getParent(), "tokens", ".txt");
        Files.writeString(f, "# test tokens\nread " + READ + "\nadmin " + ADMIN + "\n");
        return BearerTokens.load(f);
    }

    HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve(path)).timeout(Duration.ofSeconds(60));
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    HttpResponse<byte[]> get(String path, String token, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = request(path, token);
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> getText(String path, String token, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = request(path, token);
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String token, String body) throws IOException, InterruptedException {
        return client.send(request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends the request line exactly as given (no client normalises it); the whole answer as text. */
    String raw(String method, String rawPath) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write((method + " " + rawPath + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + ADMIN
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return all.toString(StandardCharsets.ISO_8859_1);
        }
    }

    static int status(String rawAnswer) {
        return Integer.parseInt(rawAnswer.substring(9, 12));
    }

    @Override
    public void close() {
        server.close();
        registry.close();
    }
}
