package io.kwsync.emulator.maxcompute;

/**
 * A request refused the way MaxCompute refuses it: an HTTP status and the JSON {@code Code} / {@code Message} the SDK
 * turns into {@code OdpsException.getStatus()}, {@code getErrorCode()} and the message. The factories carry the
 * tunnel's own wording (the SDK's tunnel error list and MaxCompute's "common Tunnel errors" page).
 */
final class Refusal extends RuntimeException {

    final int status;
    final String code;

    Refusal(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    static Refusal invalidBlockId(long id, int max) {
        return new Refusal(400, "InvalidBlockID", "The specified block id is not valid. Block id " + id
                + " is outside [0, " + max + ")");
    }

    static Refusal tooBig(long limit) {
        return new Refusal(400, "MaxMessageLengthExceeded", "Your request was too big. A block carries at most " + limit + " bytes");
    }

    static Refusal malformed(String detail) {
        return new Refusal(400, "MalformedDataStream",
                "The data stream you provided was not well-formed or did not validate against schema. " + detail);
    }

    static Refusal missingHeader(String name) {
        return new Refusal(400, "MissingRequiredHeaderError", "Your request was missing a required header: " + name);
    }

    static Refusal statusConflict(String kind, String status) {
        return new Refusal(409, "StatusConflict", "You cannot complete the specified operation under the current "
                + kind + " status: " + status);
    }

    static Refusal expired(String kind) {
        return new Refusal(409, "StatusConflict", "The " + kind + " session is expired");
    }

    static Refusal noSuchUpload() {
        return new Refusal(404, "NoSuchUpload", "The specified upload id does not exist.");
    }

    static Refusal noSuchDownload() {
        return new Refusal(404, "NoSuchDownload", "The specified download id does not exist.");
    }

    static Refusal notSupported(String what) {
        return new Refusal(400, "NotSupported", "the emulator does not serve " + what);
    }

    /** A numeric request parameter, or 400 {@code InvalidArgument}. */
    static long number(String name, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new Refusal(400, "InvalidArgument", "Invalid argument. " + name + "=" + value + " is not a number");
        }
    }

    static Refusal internal(String detail) {
        return new Refusal(500, "InternalServerError", "Service internal error, please try again later. " + detail);
    }
}
