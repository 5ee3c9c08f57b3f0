package io.kwsync.ingest.format;

import com.sun.net.httpserver.HttpServer;
import io.kwsync.model.DirtyRecordException;
import io.kwsync.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registry client against the real local registry and private registry processes (credentials, TLS), and
 * against registries that are down, silent or failing: those must end in {@link RegistryUnavailableException}
 * within the deadlines, never in a dirty record.
 */
class SchemaRegistryClientTest {

    private static final Duration SHORT = Duration.ofMillis(500);

    @Test
    void fetchesSchemasByIdAndKeepsThem() {
        int id = TestRegistry.register("kwsync-test-client-value", "AVRO", "{\"type\": \"fixed\", \"name\": \"F\", \"size\": 3}");
        SchemaRegistryClient client = TestRegistry.client();
        RegisteredSchema s = client.byId(id);
        assertEquals("AVRO", s.type());
        assertEquals(id, s.id());
        assertTrue(s.text().contains("\"fixed\""));
        assertEquals(s, client.byId(id));
        DirtyRecordException e = assertThrows(DirtyRecordException.class, () -> client.byId(999_999));
        assertTrue(e.getMessage().startsWith("schema id 999999 is not in the schema registry"), e.getMessage());
    }

    @Test
    void aRegistryThatIsDownIsRetriableNotDirty() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        SchemaRegistryClient client = new SchemaRegistryClient(RegistrySettings.of("http://127.0.0.1:" + port).withTimeouts(SHORT, SHORT));
        RegistryUnavailableException e = assertThrows(RegistryUnavailableException.class, () -> client.byId(1));
        assertTrue(e.getMessage().startsWith("cannot fetch schema id 1 from the schema registry"), e.getMessage());
        AvroDecoder avro = AvroDecoder.withRegistry(client);
        assertThrows(RegistryUnavailableException.class, () -> avro.decode(TestRegistry.frame(1, new byte[]{2, 'x'}), "value"));
    }

    @Test
    void aRegistryThatDoesNotAnswerMeetsTheDeadline() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) held.add(silent.accept()); // accepts, reads nothing, answers nothing
                } catch (Exception ignored) {
                    // closed at the end of the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            SchemaRegistryClient client = new SchemaRegistryClient(
                    RegistrySettings.of("http://127.0.0.1:" + silent.getLocalPort()).withTimeouts(SHORT, SHORT));
            long start = System.nanoTime();
            RegistryUnavailableException e = assertThrows(RegistryUnavailableException.class, () -> client.byId(5));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 5_000, "gave up after " + millis + " ms");
            assertTrue(e.getMessage().contains("schema id 5"), e.getMessage());
        } finally {
            for (Socket s : held) s.close();
        }
    }

    @Test
    void serverErrorsAreRetriableAndTheNextUrlIsTried() throws Exception {
        HttpServer failing = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        failing.createContext("/", ex -> {
            byte[] body = "{\"error_code\":50001,\"message\":\"store down\"}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(500, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        failing.start();
        try {
            String bad = "http://127.0.0.1:" + failing.getAddress().getPort();
            RegistryUnavailableException e = assertThrows(RegistryUnavailableException.class,
                    () -> new SchemaRegistryClient(RegistrySettings.of(bad)).byId(1));
            assertTrue(e.getMessage().contains("HTTP 500: store down"), e.getMessage());

            int id = TestRegistry.register("kwsync-test-failover-value", "AVRO", "\"long\"");
            RegistrySettings both = new RegistrySettings(List.of(URI.create(bad), URI.create(TestRegistry.url())),
                    SHORT, SHORT, null, null);
            assertEquals("\"long\"", new SchemaRegistryClient(both).byId(id).text());
        } finally {
            failing.stop(0);
        }
    }

    @Test
    void basicAuthAndBearerTokens(@TempDir Path dir) throws Exception {
        Path basic = Files.writeString(dir.resolve("basic"), "reader:s3cret\n");
        try (TestRegistry.Private registry = TestRegistry.start("--basic-auth-file", basic.toString())) {
            RegistrySettings open = RegistrySettings.of(registry.url());
            RegistryUnavailableException e = assertThrows(RegistryUnavailableException.class,
                    () -> new SchemaRegistryClient(open).byId(1));
            assertTrue(e.getMessage().contains("HTTP 401 (credentials refused)"), e.getMessage());
            assertThrows(RegistryUnavailableException.class, () -> new SchemaRegistryClient(
                    open.withAuthorization(RegistrySettings.basic("reader", "wrong"))).byId(1));
            int id = registerWith(registry.url(), RegistrySettings.basic("reader", "s3cret"));
            assertEquals("\"string\"", new SchemaRegistryClient(open.withAuthorization(RegistrySettings.basic("reader", "s3cret")))
                    .byId(id).text());
        }
        Path token = Files.writeString(dir.resolve("token"), "tok-123\n");
        try (TestRegistry.Private registry = TestRegistry.start("--bearer-token-file", token.toString())) {
            RegistrySettings open = RegistrySettings.of(registry.url());
            assertThrows(RegistryUnavailableException.class, () -> new SchemaRegistryClient(open).byId(1));
            int id = registerWith(registry.url(), RegistrySettings.bearer("tok-123"));
            assertEquals("\"string\"", new SchemaRegistryClient(open.withAuthorization(RegistrySettings.bearer("tok-123"))).byId(id).text());
        }
    }

    private static int registerWith(String url, String authorization) throws Exception {
        var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(URI.create(url + "/subjects/s/versions"))
                        .header("Authorization", authorization)
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"schema\": \"\\\"string\\\"\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return ((Long) ((Map<?, ?>) JsonTrees.parse(r.body().getBytes(StandardCharsets.UTF_8), "answer")).get("id")).intValue();
    }

    @Test
    void tlsWithATruststore(@TempDir Path dir) throws Exception {
        TestCertificates.Identity server = new TestCertificates(dir).identity("registry");
        Path password = Files.writeString(dir.resolve("password"), server.password() + "\n");
        try (TestRegistry.Private registry = TestRegistry.start("--tls-keystore", server.keystore().toString(),
                "--tls-password-file", password.toString())) {
            assertTrue(registry.url().startsWith("https://"));
            RegistrySettings settings = RegistrySettings.of(registry.url()).withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5));
            assertThrows(RegistryUnavailableException.class, () -> new SchemaRegistryClient(settings).byId(1),
                    "a certificate the JVM does not trust is refused");
            SchemaRegistryClient trusting = new SchemaRegistryClient(settings.withSsl(trusting(server.certificate())));
            DirtyRecordException e = assertThrows(DirtyRecordException.class, () -> trusting.byId(1));
            assertTrue(e.getMessage().contains("answered 404"), "reached over TLS: " + e.getMessage());
        }
    }

    private static SSLContext trusting(Path pem) throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            ts.setCertificateEntry("registry", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    /** Schemas that reference other subjects: Avro named types and Protobuf imports. */
    @Test
    void references() {
        int money = TestRegistry.register("kwsync-test-money-value", "AVRO",
                "{\"type\": \"record\", \"name\": \"Money\", \"namespace\": \"shop\", \"fields\": [{\"name\": \"cents\", \"type\": \"long\"}]}");
        int order = TestRegistry.register(TestRegistry.url(), "kwsync-test-ref-order-value", "AVRO",
                "{\"type\": \"record\", \"name\": \"Order\", \"namespace\": \"shop\", \"fields\": [{\"name\": \"total\", \"type\": \"shop.Money\"}]}",
                "[{\"name\": \"shop.Money\", \"subject\": \"kwsync-test-money-value\", \"version\": 1}]");
        assertTrue(money > 0);
        Object tree = ((Decoded.Tree) AvroDecoder.withRegistry(TestRegistry.client())
                .decode(TestRegistry.frame(order, new byte[]{(byte) 0xC8, 0x01}), "value")).root();
        assertEquals(Map.of("total", Map.of("cents", 100L)), tree);

        TestRegistry.register("kwsync-test-common-proto", "PROTOBUF", "syntax = \"proto3\"; package common; message Money { int64 cents = 1; }");
        int withImport = TestRegistry.register(TestRegistry.url(), "kwsync-test-ref-proto-value", "PROTOBUF",
                "syntax = \"proto3\"; package shop; import \"common/money.proto\"; message Order { common.Money total = 1; }",
                "[{\"name\": \"common/money.proto\", \"subject\": \"kwsync-test-common-proto\", \"version\": 1}]");
        // Order { total { cents: 100 } }: field 1, length 2, holding field 1 = varint 100
        Object proto = ((Decoded.Tree) new ProtobufDecoder(TestRegistry.client())
                .decode(TestRegistry.frame(withImport, new byte[]{0x0A, 0x02, 0x08, 0x64}, 0), "value")).root();
        assertEquals(Map.of("total", Map.of("cents", 100L)), proto);
    }
}
