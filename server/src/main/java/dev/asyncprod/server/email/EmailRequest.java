package dev.asyncprod.server.email;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An email to send, valid by construction: {@link #of} refuses what a relay would refuse or what
 * could forge a header, before a job exists.
 */
public record EmailRequest(String to, String subject, String body) {

    /** RFC 5321 §4.5.3.1.3: a path is at most 256 octets, so an address at most 254. */
    public static final int MAX_ADDRESS = 254;
    /** RFC 5322 §2.1.1: a header line is at most 998 characters; the subject shares it with "Subject: ". */
    public static final int MAX_SUBJECT = 900;
    /** A transactional email, not a newsletter: 64 KiB of text is plenty and keeps one job small. */
    public static final int MAX_BODY = 64 * 1024;
    /** RFC 5321 §4.5.3.1.1: a local part is at most 64 octets. */
    private static final int MAX_LOCAL_PART = 64;

    /**
     * The plain ASCII addresses SMTP accepts without the SMTPUTF8 extension: a dot-atom local part
     * (RFC 5322 §3.4.1) and a hostname of letters, digits and hyphens with at least one dot.
     */
    private static final Pattern ADDRESS = Pattern.compile(
            "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                    + "@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    /** A checked email; {@link InvalidEmailException} says what is wrong with one that is not. */
    public static EmailRequest of(String to, String subject, String body) {
        require(to, "to", MAX_ADDRESS, false);
        if (!ADDRESS.matcher(to).matches() || to.indexOf('@') > MAX_LOCAL_PART) {
            throw new InvalidEmailException("'to' is not a deliverable address: '" + to + "'");
        }
        require(subject, "subject", MAX_SUBJECT, false);
        if (subject.chars().anyMatch(c -> c == '\r' || c == '\n')) {
            throw new InvalidEmailException("'subject' must be one line"); // a line break would let the caller forge headers
        }
        require(body, "body", MAX_BODY, true);
        return new EmailRequest(to, subject, body);
    }

    /**
     * What makes two emails the same for an idempotency key: SHA-256 over their fields, so a store
     * compares a short value, and the same key with another email is recognised in any replica.
     */
    public String fingerprint() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : List.of(to, subject, body)) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static void require(String value, String field, int maxLength, boolean mayBeBlank) {
        if (value == null) {
            throw new InvalidEmailException("'" + field + "' is required");
        }
        if (value.length() > maxLength) {
            throw new InvalidEmailException("'" + field + "' is longer than " + maxLength + " characters");
        }
        if (!mayBeBlank && value.isBlank()) {
            throw new InvalidEmailException("'" + field + "' must not be empty");
        }
    }
}
