package io.costguard.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/** Hostile clients for the servers' tests: connections that start a request and stop. Closing closes them all. */
public final class StalledClients implements AutoCloseable {
    private final List<Socket> sockets = new ArrayList<>();

    /** A TLS connection that sent its headers and 1 byte of a 100-byte review, then nothing. */
    public SSLSocket review(SSLContext tls, int port) throws IOException {
        SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port);
        sockets.add(s);
        s.startHandshake();
        OutputStream out = s.getOutputStream();
        out.write(
                ("POST /validate HTTP/1.1\r\nHost: costguard-webhook.costguard-system.svc\r\nContent-Type: application/json\r\n"
                                + "Content-Length: 100\r\n\r\n{")
                        .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }

    /** A TCP connection that sends nothing, not even a TLS handshake. */
    public Socket silent(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        sockets.add(s);
        return s;
    }

    /** A plain HTTP GET whose headers never end. */
    public Socket unfinishedGet(int port, String path) throws IOException {
        Socket s = silent(port);
        s.getOutputStream()
                .write(("GET " + path + " HTTP/1.1\r\nHost: costguard\r\n").getBytes(StandardCharsets.US_ASCII));
        return s;
    }

    /** A socket to close with the others (e.g. one a test handshakes itself). */
    public <S extends Socket> S add(S socket) {
        sockets.add(socket);
        return socket;
    }

    @Override
    public void close() {
        for (Socket s : sockets) {
            try {
                if (!s.isClosed()) {
                    s.setSoLinger(true, 0); // a TLS socket's close would otherwise wait for the server's close_notify
                    s.setSoTimeout(1);
                }
                s.close();
            } catch (IOException ignored) {
                // the server closed it first
            }
        }
        sockets.clear();
    }
}
