package dev.asyncprod.server.email;

/** An email that cannot be accepted; the message says what is wrong, for the caller to fix. */
public final class InvalidEmailException extends RuntimeException {

    public InvalidEmailException(String message) {
        super(message, null, false, false); // an expected outcome: no stack trace
    }
}
