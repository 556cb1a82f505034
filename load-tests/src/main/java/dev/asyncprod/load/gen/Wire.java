package dev.asyncprod.load.gen;

import io.netty.channel.Channel;

/**
 * A protocol's side of a {@link LoadLoop}: how requests are written on a connection and how
 * answers are read off it, and nothing of when, what counts, or reconnecting. It tells its loop
 * of each whole answer ({@link LoadLoop#answered}) and of a request the server refused
 * ({@link LoadLoop#failed}). Confined to the loop's event loop.
 */
interface Wire<R> {

    /** Adds the protocol's handlers to a new connection's pipeline (after TLS, if any). */
    void initChannel(Channel channel);

    /** Why a connection whose TLS handshake (if any) is done cannot carry this protocol, or null. */
    String refusal(Channel channel);

    /**
     * The loop's connection is now {@code channel}.
     *
     * @return true if it takes requests at once; false if the wire calls {@link LoadLoop#ready} later
     */
    boolean attach(Channel channel);

    /** The connection closed: forget what it carried (the loop fails its slots' requests). */
    void detach();

    /** Whether the connection takes another request (false once it is to close). */
    boolean canSend();

    /** Writes the slot's request, marking it {@link RequestSlot#sent}; or holds it until the connection can take it. */
    void send(RequestSlot<R> slot, long now);

    /** Pushes out what {@link #send} wrote, where the protocol does not already. */
    void flush();

    /** The slot's request timed out, and is settled: stop it on the wire (close the connection, or reset the stream). */
    void cancel(RequestSlot<R> slot);

    /** The slot's request settled: what it held on the connection is free (a stream another slot waits for). */
    void freed(RequestSlot<R> slot);
}
