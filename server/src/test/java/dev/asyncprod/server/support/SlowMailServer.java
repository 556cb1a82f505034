package dev.asyncprod.server.support;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.MessageDeliveryHandler;
import com.icegreen.greenmail.user.UserManager;
import java.time.Duration;

/** Makes GreenMail take a while per message, as a real relay does, so a crash or a kill lands mid-delivery. */
public final class SlowMailServer {

    private SlowMailServer() {
    }

    public static void delayEachMessage(GreenMailExtension mail, Duration delay) {
        UserManager users = mail.getUserManager();
        MessageDeliveryHandler deliver = users.getMessageDeliveryHandler();
        users.setMessageDeliveryHandler((message, address) -> {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return deliver.handle(message, address);
        });
    }
}
