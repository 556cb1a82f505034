package dev.asyncprod.server.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An SMTP server that answers RCPT TO from a script (for example {@code 451} twice, then
 * {@code 250}), for the failures a real mail server will not produce on demand. Every other
 * command gets the ordinary positive reply. Records the Message-ID of every message it accepts.
 */
public final class ScriptedSmtpServer implements AutoCloseable {

    private static final Pattern MESSAGE_ID = Pattern.compile("^Message-ID: (\\S+)$", Pattern.CASE_INSENSITIVE);

    private final ServerSocket socket;
    private final Queue<String> rcptReplies = new ConcurrentLinkedQueue<>();
    private final List<String> accepted = new CopyOnWriteArrayList<>();
    private final List<String> rcptSeen = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();

    public ScriptedSmtpServer() {
        try {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::acceptLoop, "scripted-smtp");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** Replies for the next RCPT TO commands, in order; after them, {@code 250 OK}. */
    public ScriptedSmtpServer replyToRecipients(String... replies) {
        rcptReplies.addAll(List.of(replies));
        return this;
    }

    /** Message-IDs of the messages accepted (250 after the data), in order. */
    public List<String> acceptedMessageIds() {
        return List.copyOf(accepted);
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    /** RCPT TO commands seen, one per attempt. */
    public int recipientAttempts() {
        return rcptSeen.size();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                connections.incrementAndGet();
                Thread session = new Thread(() -> converse(client), "scripted-smtp-session");
                session.setDaemon(true);
                session.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void converse(Socket client) {
        try (client;
             BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII))) {
            OutputStream out = client.getOutputStream();
            reply(out, "220 scripted ESMTP");
            String line;
            while ((line = in.readLine()) != null) {
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                switch (verb) {
                    case "EHLO", "HELO" -> reply(out, "250 scripted");
                    case "MAIL" -> reply(out, "250 OK");
                    case "RCPT" -> {
                        rcptSeen.add(line);
                        String scripted = rcptReplies.poll();
                        reply(out, scripted != null ? scripted : "250 OK");
                    }
                    case "DATA" -> {
                        reply(out, "354 go ahead");
                        String messageId = null;
                        String data;
                        while ((data = in.readLine()) != null && !data.equals(".")) {
                            Matcher m = MESSAGE_ID.matcher(data);
                            if (messageId == null && m.matches()) {
                                messageId = m.group(1);
                            }
                        }
                        accepted.add(messageId);
                        reply(out, "250 OK queued");
                    }
                    case "QUIT" -> {
                        reply(out, "221 bye");
                        return;
                    }
                    default -> reply(out, "250 OK");
                }
            }
        } catch (IOException ignored) {
            // the client went away
        }
    }

    private static void reply(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
