package io.kwsync.emulator.maxcompute;

/** Thrown by a handler after it took a request into account: the server answers nothing, in the given way. */
final class NoReply extends RuntimeException {

    final ReplyFault how;

    NoReply(ReplyFault how) {
        super(how.name(), null, false, false);
        this.how = how;
    }
}
