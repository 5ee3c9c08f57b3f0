package io.kwsync.ingest.mapping;

import io.kwsync.model.DirtyRecordException;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Bytes to text without guessing: input that is not valid in the charset is an error, never a replacement
 * character. UTF-8 takes the JDK's fast constructor and falls back to the strict decoder only when the result holds
 * U+FFFD, which is either a real U+FFFD in the input or a sign of malformed bytes.
 */
public final class StrictText {

    private StrictText() {
    }

    /** The text, or null if the bytes are not valid in {@code charset}. */
    public static String decodeOrNull(byte[] bytes, Charset charset) {
        Failure f = new Failure();
        String s = decode(bytes, charset, f);
        return f.position < 0 ? s : null;
    }

    /**
     * The text of {@code bytes}; {@link DirtyRecordException} (stage DECODE) naming {@code what} and the byte position
     * when they are not valid in {@code charset}.
     */
    public static String decode(byte[] bytes, Charset charset, String what) {
        Failure f = new Failure();
        String s = decode(bytes, charset, f);
        if (f.position >= 0) {
            throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, what + " is not valid " + charset.name()
                    + " text: " + f.kind + " input at byte " + f.position + " of " + bytes.length);
        }
        return s;
    }

    private static final class Failure {
        int position = -1;
        String kind;
    }

    private static String decode(byte[] bytes, Charset charset, Failure failure) {
        if (charset.equals(StandardCharsets.UTF_8)) {
            String fast = new String(bytes, StandardCharsets.UTF_8);
            if (fast.indexOf('\uFFFD') < 0) return fast;
        }
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate((int) Math.ceil(bytes.length * (double) decoder.maxCharsPerByte()) + 1);
        CoderResult r = decoder.decode(in, out, true);
        if (!r.isError()) r = decoder.flush(out);
        if (r.isError()) {
            failure.position = in.position();
            failure.kind = r.isMalformed() ? "malformed" : "unmappable";
            return null;
        }
        return out.flip().toString();
    }
}
