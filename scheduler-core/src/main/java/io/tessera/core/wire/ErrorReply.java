package io.tessera.core.wire;

/** Either side: a request was refused. {@code error} is a stable word, {@code message} a sentence for people. */
public record ErrorReply(int v, String error, String message) implements WireMessage {
}
