package io.costguard.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Writing whole answers. {@code close} ends the connection after the answer (used when a body was left unread). */
public final class Replies {
    private Replies() {}

    public static void text(Response response, Callback callback, int status, String message, boolean close) {
        send(response, callback, status, "text/plain; charset=utf-8", message.getBytes(StandardCharsets.UTF_8), close);
    }

    public static void send(
            Response response, Callback callback, int status, String contentType, byte[] body, boolean close) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        if (close) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
