package io.kwsync.emulator.maxcompute;

import com.google.gson.JsonObject;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The emulator's HTTP front on 127.0.0.1 (Netty: response header names go out in the service's lower case): checks
 * each request's signature and routes it to the REST API ({@code /api}), the tunnel ({@code /projects/...}: upload,
 * upsert, streaming and download sessions) or the unauthenticated read-back pages ({@code /emulator/...}). A refusal
 * becomes MaxCompute's JSON error; a {@link NoReply} closes the connection without an answer, at once or after being
 * held. Requests are handled on threads created on demand, off the network threads, so held requests starve nothing.
 */
final class EmulatorServer {

    private static final Logger LOG = Logger.getLogger(EmulatorServer.class.getName());
    /** Every tunnel request of the SDK carries it; the tunnel refuses requests without it. */
    private static final String TUNNEL_VERSION = "x-odps-tunnel-version";
    /** The largest request body the server aggregates; bigger blocks cannot be received. */
    private static final int MAX_AGGREGATED = Integer.MAX_VALUE - 1024;

    private final EventLoopGroup network = new NioEventLoopGroup(2, new DefaultThreadFactory("maxcompute-emulator-net", true));
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "maxcompute-emulator");
        t.setDaemon(true);
        return t;
    });
    private final Channel server;
    private final int port;
    private final Warehouse warehouse;
    private final Faults faults;
    private final Signature signature;
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final RestApi rest;
    private final UploadSessions uploads;
    private final UpsertSessions upserts;
    private final DownloadSessions downloads;
    private final StreamSessions streams;
    private final ReadBack readBack;

    EmulatorServer(int port, Warehouse warehouse, Faults faults, Signature signature) throws IOException {
        this.warehouse = warehouse;
        this.faults = faults;
        this.signature = signature;
        try {
            server = new ServerBootstrap().group(network).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_AGGREGATED), new Dispatch());
                        }
                    })
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            network.shutdownGracefully(0, 5, TimeUnit.SECONDS);
            throw new IOException("interrupted while binding", e);
        } catch (RuntimeException e) {
            network.shutdownGracefully(0, 5, TimeUnit.SECONDS);
            throw new IOException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
        this.port = ((InetSocketAddress) server.localAddress()).getPort();
        String address = "127.0.0.1:" + this.port;
        rest = new RestApi(warehouse, endpoint(), address);
        uploads = new UploadSessions(warehouse, faults);
        upserts = new UpsertSessions(warehouse, faults, address);
        downloads = new DownloadSessions(warehouse);
        streams = new StreamSessions(warehouse, faults, address);
        readBack = new ReadBack(warehouse);
    }

    /** Hands each complete request to a worker thread; the network threads never block. */
    private final class Dispatch extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            Call call = new Call(request, ctx.channel(), warehouse.limits.maxBlockBytes());
            executor.execute(() -> handle(call));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    int port() {
        return port;
    }

    String endpoint() {
        return "http://127.0.0.1:" + port + "/api";
    }

    String tunnelEndpoint() {
        return "http://127.0.0.1:" + port;
    }

    UploadSessions uploads() {
        return uploads;
    }

    List<String> requests() {
        synchronized (requests) {
            return new ArrayList<>(requests);
        }
    }

    void stop() {
        faults.releaseAll();
        server.close().syncUninterruptibly();
        // no quiet period: nothing is sent after a close
        network.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        executor.shutdownNow();
    }

    private void handle(Call call) {
        String path = call.path;
        requests.add(call.method + " " + path + (call.params.containsKey("uploads") ? "?uploads" : "")
                + (call.params.containsKey("uploadid") ? "?uploadid" : "") + (call.params.containsKey("upsertid") ? "?upsertid" : ""));
        try {
            route(call, path);
        } catch (Refusal r) {
            JsonObject e = new JsonObject();
            e.addProperty("Code", r.code);
            e.addProperty("Message", r.getMessage());
            e.addProperty("RequestId", UUID.randomUUID().toString());
            call.reply(r.status, "application/json", e.toString());
        } catch (NoReply n) {
            if (n.how == ReplyFault.HANG) faults.hold();
            call.hangUp();
        } catch (IOException | RuntimeException | LinkageError | AssertionError e) {
            // anything else thrown here would end the worker thread with no answer and no close, and the client would
            // wait for its read timeout: a failure of the emulator must look like a dropped connection at once
            LOG.log(Level.WARNING, "emulator request " + call.method + " " + path + " failed", e);
            call.hangUp();
        }
    }
    private void route(Call call, String path) throws IOException {
        if (path.startsWith("/emulator/")) {
            readBack.handle(call, path.substring("/emulator/".length()));
            return;
        }
        boolean api = path.startsWith("/api/");
        if (!api && !path.startsWith("/projects/")) throw new Refusal(404, "NoSuchObject", "unknown resource " + path);
        String resource = api ? path.substring(4) : path;
        signature.check(call, resource);
        List<String> seg = withoutSchema(call, call.segments(api ? "/api" : ""));
        if (seg.size() < 2 || !seg.get(0).equals("projects")) throw new Refusal(404, "NoSuchObject", "unknown resource " + path);
        if (api) {
            rest.handle(call, seg);
            return;
        }
        if (call.header(TUNNEL_VERSION) == null) throw Refusal.missingHeader(TUNNEL_VERSION);
        if (seg.size() < 4 || !seg.get(2).equals("tables")) throw Refusal.notSupported("tunnel resource " + path);
        String project = seg.get(1);
        String table = seg.get(3);
        if (seg.size() == 5 && seg.get(4).equals("upserts")) {
            upserts.handle(call, project, table);
        } else if (seg.size() == 5 && seg.get(4).equals("streams")) {
            streams.handle(call, project, table);
        } else if (seg.size() == 4 && (call.params.containsKey("downloads") || call.params.containsKey("downloadid"))) {
            downloads.handle(call, project, table);
        } else if (seg.size() == 4) {
            uploads.handle(call, project, table);
        } else {
            throw Refusal.notSupported("tunnel resource " + path);
        }
    }

    /**
     * {@code projects/p/schemas/s/tables/t/...}, or {@code projects/p/tables/t/...?curr_schema=s} (the SDK's two ways of
     * naming a table of a schema) as {@code projects/p/tables/s.t/...},
     * the warehouse's key for it ({@link Warehouse#key}); a schema the project does not have is refused as MaxCompute
     * refuses it, whether the table exists or not.
     */
    private List<String> withoutSchema(Call call, List<String> seg) {
        String param = call.params.get("curr_schema"); // how the SDK names the schema of most table requests
        if (param != null && !param.isEmpty() && seg.size() >= 4 && seg.get(0).equals("projects") && seg.get(2).equals("tables")) {
            List<String> out = new java.util.ArrayList<>(List.of("projects", seg.get(1), "schemas", param));
            out.addAll(seg.subList(2, seg.size()));
            seg = out;
        }
        if (seg.size() < 4 || !seg.get(0).equals("projects") || !seg.get(2).equals("schemas")) return seg;
        String project = seg.get(1);
        String schema = seg.get(3);
        if (warehouse.hasProject(project) && !warehouse.hasSchema(project, schema)) {
            throw new Refusal(404, "NoSuchObject", "ODPS-0110061:Schema not found - '" + project + "." + schema + "'");
        }
        if (seg.size() < 6 || !seg.get(4).equals("tables")) throw Refusal.notSupported("schema resource " + String.join("/", seg));
        List<String> out = new java.util.ArrayList<>(List.of("projects", project, "tables", Warehouse.key(schema, seg.get(5))));
        out.addAll(seg.subList(6, seg.size()));
        return out;
    }
}
