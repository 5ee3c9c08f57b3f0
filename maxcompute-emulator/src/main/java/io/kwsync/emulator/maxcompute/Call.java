package io.kwsync.emulator.maxcompute;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One HTTP request to the emulator: method, path, query parameters, headers and body, and the way to answer it.
 * Response header names go out exactly as written (lower case, as the service sends them; the SDK reads some of them
 * case-sensitively).
 */
final class Call {

    final String method;
    final String path;
    final Map<String, String> params;
    /** Request headers, names in lower case. */
    final Map<String, String> headers;
    final byte[] body;
    /** True when the body is longer than the block size limit it was checked against. */
    final boolean bodyTooLong;
    private final Channel channel;
    private final boolean keepAlive;
    private final Map<String, String> responseHeaders = new LinkedHashMap<>();

    Call(FullHttpRequest request, Channel channel, long maxBody) {
        this.channel = channel;
        this.method = request.method().name();
        QueryStringDecoder uri = new QueryStringDecoder(request.uri(), StandardCharsets.UTF_8);
        this.path = uri.path();
        Map<String, String> p = new LinkedHashMap<>();
        uri.parameters().forEach((k, v) -> p.put(k, v.isEmpty() ? "" : v.get(0)));
        this.params = p;
        Map<String, String> h = new LinkedHashMap<>();
        request.headers().forEach(e -> h.putIfAbsent(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue()));
        this.headers = h;
        this.body = ByteBufUtil.getBytes(request.content());
        this.bodyTooLong = body.length > maxBody;
        this.keepAlive = HttpUtil.isKeepAlive(request);
    }

    /** The path below the service prefix, split: {@code projects, p, tables, t, ...}. */
    List<String> segments(String prefix) {
        String rest = path.substring(prefix.length());
        return List.of(rest.replaceFirst("^/", "").split("/"));
    }

    String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    void responseHeader(String name, String value) {
        responseHeaders.put(name, value);
    }

    void reply(int status, String contentType, String body) {
        reply(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    void reply(int status, String contentType, byte[] bytes) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(bytes));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        response.headers().set("x-odps-request-id", UUID.randomUUID().toString());
        responseHeaders.forEach((k, v) -> response.headers().set(k, v));
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            channel.writeAndFlush(response);
        } else {
            channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Ends the connection without an answer. */
    void hangUp() {
        channel.close();
    }
}
