import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Executors;

/**
 * A local schema registry for the demo and the tests: the part of the Confluent Schema Registry REST API that
 * producers and consumers use (register a schema under a subject, look one up, fetch a schema by id, list subjects
 * and versions), so that real serializers can register schemas and kwsync can fetch them by id. It exists because no
 * Confluent-compatible registry can be run here from Maven Central artifacts (see dev/registry.sh).
 *
 * <p>Behaviour kept from the real service: ids are global and an identical schema (type, text and references) gets
 * the same id under every subject; registering a schema a subject already has returns its id; versions count from
 * 1 per subject; errors are JSON {"error_code": 40401/40402/40403/42201, "message": ...} with the same codes. Not
 * kept: compatibility checks (every schema is accepted), modes, contexts, deletes of single versions.
 *
 * <p>Run with the JDK's source launcher, no dependencies: {@code java LocalSchemaRegistry.java --port 8081
 * [--data FILE] [--basic-auth-file FILE] [--bearer-token-file FILE] [--tls-keystore FILE --tls-password-file FILE]}.
 * It listens on 127.0.0.1 only; port 0 picks a free port. The first line on standard output is
 * {@code listening on http(s)://127.0.0.1:PORT}. With --data, registrations are appended to FILE and read back at
 * start, so schema ids survive a restart. A credentials file holds the value on its first line (user:password for
 * basic auth).
 */
public final class LocalSchemaRegistry {

    private record Schema(int id, String type, String text, String references) {
    }

    private final Map<Integer, Schema> byId = new TreeMap<>();
    private final Map<String, Integer> idByContent = new LinkedHashMap<>();
    private final Map<String, List<Integer>> subjects = new TreeMap<>();
    private final Path data;
    private final String authorization;

    private LocalSchemaRegistry(Path data, String authorization) {
        this.data = data;
        this.authorization = authorization;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) opts.put(args[i], args[i + 1]);
        int port = Integer.parseInt(opts.getOrDefault("--port", "8081"));
        String auth = null;
        if (opts.containsKey("--basic-auth-file")) {
            auth = "Basic " + Base64.getEncoder().encodeToString(firstLine(opts.get("--basic-auth-file")).getBytes(StandardCharsets.UTF_8));
        } else if (opts.containsKey("--bearer-token-file")) {
            auth = "Bearer " + firstLine(opts.get("--bearer-token-file"));
        }
        Path data = opts.containsKey("--data") ? Path.of(opts.get("--data")) : null;
        LocalSchemaRegistry registry = new LocalSchemaRegistry(data, auth);
        registry.load();
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        HttpServer server;
        String scheme = opts.containsKey("--tls-keystore") ? "https" : "http";
        if (opts.containsKey("--tls-keystore")) {
            char[] password = firstLine(opts.get("--tls-password-file")).toCharArray();
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            try (InputStream in = Files.newInputStream(Path.of(opts.get("--tls-keystore")))) {
                ks.load(in, password);
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(kmf.getKeyManagers(), null, null);
            HttpsServer https = HttpsServer.create(address, 64);
            https.setHttpsConfigurator(new HttpsConfigurator(ssl));
            server = https;
        } else {
            server = HttpServer.create(address, 64);
        }
        server.createContext("/", registry::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        System.out.println("listening on " + scheme + "://127.0.0.1:" + server.getAddress().getPort());
        System.out.flush();
    }

    private static String firstLine(String file) throws IOException {
        return Files.readAllLines(Path.of(file), StandardCharsets.UTF_8).get(0).strip();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            answer(ex);
        }
    }

    private void answer(HttpExchange ex) throws IOException {
        try {
            if (authorization != null && !authorization.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                reply(ex, 401, error(40101, "Unauthorized"));
                return;
            }
            String method = ex.getRequestMethod();
            List<String> path = new ArrayList<>();
            for (String p : ex.getRequestURI().getRawPath().split("/")) {
                if (!p.isEmpty()) path.add(URLDecoder.decode(p, StandardCharsets.UTF_8));
            }
            Object body = null;
            byte[] in = ex.getRequestBody().readAllBytes();
            if (in.length > 0) body = new Json(new String(in, StandardCharsets.UTF_8)).value();
            Object[] out = route(method, path, body);
            reply(ex, (Integer) out[0], out[1]);
        } catch (IllegalArgumentException | IndexOutOfBoundsException | ClassCastException e) {
            reply(ex, 422, error(42201, "Invalid request: " + e.getMessage()));
        } catch (RuntimeException e) {
            reply(ex, 500, error(50001, "Error in the backend data store: " + e));
        }
    }

    /** {status, JSON value}. */
    private synchronized Object[] route(String method, List<String> p, Object body) throws IOException {
        int n = p.size();
        if (n == 0) return ok(Map.of());
        if (p.get(0).equals("config")) return ok(Map.of("compatibilityLevel", "NONE"));
        if (p.get(0).equals("schemas") && n >= 3 && p.get(1).equals("ids")) {
            Schema s = byId.get(parseInt(p.get(2)));
            if (s == null) return new Object[]{404, error(40403, "Schema " + p.get(2) + " not found")};
            if (n == 4 && p.get(3).equals("schema")) return ok(new Raw(s.text()));
            return ok(describe(s, null, 0));
        }
        if (p.get(0).equals("schemas") && n == 2 && p.get(1).equals("types")) return ok(List.of("AVRO", "JSON", "PROTOBUF"));
        if (!p.get(0).equals("subjects")) return new Object[]{404, error(404, "HTTP 404 Not Found")};
        if (n == 1) return ok(new ArrayList<>(subjects.keySet()));
        String subject = p.get(1);
        List<Integer> versions = subjects.get(subject);
        if (n == 2 && method.equals("DELETE")) {
            if (versions == null) return notFound(subject);
            subjects.remove(subject);
            return ok(numbers(versions.size()));
        }
        if (n == 2 && method.equals("POST")) { // lookup
            if (versions == null) return notFound(subject);
            int id = idByContent.getOrDefault(content(body), -1);
            int v = versions.indexOf(id);
            if (v < 0) return new Object[]{404, error(40403, "Schema not found")};
            return ok(describe(byId.get(id), subject, v + 1));
        }
        if (n == 3 && p.get(2).equals("versions") && method.equals("POST")) return ok(Map.of("id", register(subject, body)));
        if (versions == null) return notFound(subject);
        if (n == 3 && p.get(2).equals("versions")) return ok(numbers(versions.size()));
        if (n >= 4 && p.get(2).equals("versions")) {
            int v = p.get(3).equals("latest") || p.get(3).equals("-1") ? versions.size() : parseInt(p.get(3));
            if (v < 1 || v > versions.size()) return new Object[]{404, error(40402, "Version " + p.get(3) + " not found.")};
            Schema s = byId.get(versions.get(v - 1));
            if (n == 5 && p.get(4).equals("schema")) return ok(new Raw(s.text()));
            return ok(describe(s, subject, v));
        }
        return new Object[]{404, error(404, "HTTP 404 Not Found")};
    }

    private int register(String subject, Object body) throws IOException {
        String key = content(body);
        Integer id = idByContent.get(key);
        if (id == null) {
            @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) body;
            id = byId.size() + 1;
            Schema s = new Schema(id, type(m), (String) m.get("schema"), Json.write(m.getOrDefault("references", List.of())));
            byId.put(id, s);
            idByContent.put(key, id);
        }
        List<Integer> versions = subjects.computeIfAbsent(subject, x -> new ArrayList<>());
        if (!versions.contains(id)) {
            versions.add(id);
            persist(subject, byId.get(id));
        }
        return id;
    }

    private static String type(Map<String, Object> m) {
        Object t = m.get("schemaType");
        return t == null ? "AVRO" : t.toString();
    }

    private static String content(Object body) {
        if (!(body instanceof Map<?, ?> m) || !(m.get("schema") instanceof String)) {
            throw new IllegalArgumentException("request body needs a \"schema\" string");
        }
        @SuppressWarnings("unchecked") Map<String, Object> map = (Map<String, Object>) m;
        return type(map) + "\n" + map.get("schema") + "\n" + Json.write(map.getOrDefault("references", List.of()));
    }

    private Map<String, Object> describe(Schema s, String subject, int version) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (subject != null) {
            m.put("subject", subject);
            m.put("version", version);
        }
        m.put("id", s.id());
        if (!s.type().equals("AVRO")) m.put("schemaType", s.type());
        m.put("schema", s.text());
        Object refs = new Json(s.references()).value();
        if (refs instanceof List<?> l && !l.isEmpty()) m.put("references", refs);
        return m;
    }

    private void persist(String subject, Schema s) throws IOException {
        if (data == null) return;
        Map<String, Object> line = new LinkedHashMap<>(describe(s, subject, 0));
        line.put("schemaType", s.type());
        Files.writeString(data, Json.write(line) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @SuppressWarnings("unchecked")
    private void load() throws IOException {
        if (data == null || !Files.exists(data)) return;
        for (String line : Files.readAllLines(data, StandardCharsets.UTF_8)) {
            if (line.isBlank()) continue;
            Map<String, Object> m = (Map<String, Object>) new Json(line).value();
            int id = ((Number) m.get("id")).intValue();
            Schema s = new Schema(id, type(m), (String) m.get("schema"), Json.write(m.getOrDefault("references", List.of())));
            byId.put(id, s);
            idByContent.put(content(m), id);
            subjects.computeIfAbsent((String) m.get("subject"), x -> new ArrayList<>()).add(id);
        }
    }

    private static int parseInt(String s) {
        return s.matches("[0-9]{1,9}") ? Integer.parseInt(s) : -1;
    }

    private static List<Integer> numbers(int count) {
        List<Integer> out = new ArrayList<>();
        for (int v = 1; v <= count; v++) out.add(v);
        return out;
    }

    private static Object[] ok(Object value) {
        return new Object[]{200, value};
    }

    private static Object[] notFound(String subject) {
        return new Object[]{404, error(40401, "Subject '" + subject + "' not found.")};
    }

    private static Map<String, Object> error(int code, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error_code", code);
        m.put("message", message);
        return m;
    }

    /** Text sent as is, not as a JSON string (GET .../schema returns the schema itself). */
    private record Raw(String text) {
    }

    private static void reply(HttpExchange ex, int status, Object value) throws IOException {
        byte[] out = (value instanceof Raw r ? r.text() : Json.write(value)).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
        ex.sendResponseHeaders(status, out.length);
        ex.getResponseBody().write(out);
    }

    /** Just enough JSON: objects, arrays, strings, integers, booleans, null. */
    private static final class Json {
        private final String s;
        private int i;

        Json(String s) {
            this.s = s;
        }

        Object value() {
            Object v = read();
            ws();
            if (i != s.length()) throw new IllegalArgumentException("trailing JSON at " + i);
            return v;
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }

        private Object read() {
            ws();
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> m = new LinkedHashMap<>();
                i++;
                ws();
                if (s.charAt(i) == '}' && ++i > 0) return m;
                do {
                    ws();
                    String k = (String) read();
                    ws();
                    expect(':');
                    m.put(k, read());
                    ws();
                } while (s.charAt(i++) == ',');
                if (s.charAt(i - 1) != '}') throw new IllegalArgumentException("bad JSON object at " + i);
                return m;
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                i++;
                ws();
                if (s.charAt(i) == ']' && ++i > 0) return l;
                do {
                    l.add(read());
                    ws();
                } while (s.charAt(i++) == ',');
                if (s.charAt(i - 1) != ']') throw new IllegalArgumentException("bad JSON array at " + i);
                return l;
            }
            if (c == '"') return string();
            for (String word : new String[]{"true", "false", "null"}) {
                if (s.startsWith(word, i)) {
                    i += word.length();
                    return word.equals("null") ? null : Boolean.valueOf(word);
                }
            }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
            return Long.parseLong(s.substring(start, i));
        }

        private void expect(char c) {
            if (s.charAt(i++) != c) throw new IllegalArgumentException("expected " + c + " at " + (i - 1));
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            for (char c; (c = s.charAt(i++)) != '"'; ) {
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = s.charAt(i++);
                int k = "btnfr".indexOf(e);
                if (k >= 0) {
                    b.append("\b\t\n\f\r".charAt(k));
                } else if (e == 'u') {
                    b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    i += 4;
                } else {
                    b.append(e);
                }
            }
            return b.toString();
        }

        static String write(Object v) {
            StringBuilder b = new StringBuilder();
            write(b, v);
            return b.toString();
        }

        private static void write(StringBuilder b, Object v) {
            if (v == null || v instanceof Boolean || v instanceof Number) {
                b.append(v);
            } else if (v instanceof Map<?, ?> || v instanceof List<?>) {
                boolean map = v instanceof Map<?, ?>;
                b.append(map ? '{' : '[');
                int k = 0;
                for (Object item : map ? ((Map<?, ?>) v).entrySet() : (List<?>) v) {
                    if (k++ > 0) b.append(',');
                    if (item instanceof Map.Entry<?, ?> e && map) {
                        write(b, e.getKey());
                        b.append(':');
                        write(b, e.getValue());
                    } else {
                        write(b, item);
                    }
                }
                b.append(map ? '}' : ']');
            } else {
                b.append('"');
                for (char c : Objects.toString(v).toCharArray()) {
                    if (c == '"' || c == '\\') b.append('\\').append(c);
                    else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
                b.append('"');
            }
        }
    }
}
